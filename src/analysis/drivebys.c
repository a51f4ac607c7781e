/*
 * Drive-by changes (DESIGN.md "Drive-by change"): a change (commit c,
 * path P) by a non-bot author A at author time t is one when
 *   1. A is not a declared owner of P;
 *   2. A is not on P's rotation around t (skipped when P has no service,
 *      or its rotation has no shift within 30 days of t: no schedule data);
 *   3. A made fewer than min_changes changes with an earlier author time to
 *      files whose parent directory is P's.
 * "Earlier" is strictly earlier: changes of the same commit do not count.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

/* The group of each change: one per (person, directory), numbered in
 * order of first appearance through an open-addressing map on the pair. */
static uint32_t *group_changes(struct world *w, uint32_t *ngroups)
{
	size_t cap = 64;
	while (cap < w->nchanges * 2)
		cap *= 2;
	uint64_t *keys = xmalloc(cap * sizeof(*keys));
	uint32_t *ids = xmalloc(cap * sizeof(*ids));
	memset(ids, 0xff, cap * sizeof(*ids));
	uint32_t *group = xmalloc((w->nchanges + 1) * sizeof(*group));
	*ngroups = 0;
	for (size_t x = 0; x < w->nchanges; x++) {
		const struct change *c = &w->changes[x];
		uint64_t key = (uint64_t)w->commits[c->commit].person << 32 | world_path_dir(w, c->path);
		size_t i = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
		while (ids[i] != NONE && keys[i] != key)
			i = (i + 1) & (cap - 1);
		if (ids[i] == NONE) {
			keys[i] = key;
			ids[i] = (*ngroups)++;
		}
		group[x] = ids[i];
	}
	free(keys);
	free(ids);
	return group;
}

static _Thread_local const struct world *order_world;  /* for qsort: per thread */

static int cmp_time(const void *a, const void *b)
{
	const struct commit *x = &order_world->commits[order_world->changes[*(const uint32_t *)a].commit];
	const struct commit *y = &order_world->commits[order_world->changes[*(const uint32_t *)b].commit];
	return (x->time > y->time) - (x->time < y->time);
}

/* For every change, how many changes its author made earlier to files of
 * the same directory.  The changes of each (person, directory) are laid
 * out together (a counting sort by group, which keeps their order: parents
 * first, nearly always oldest first), sorted by time only where they are
 * not; within a group, a change's count is the number before the first
 * one with the same time. */
void world_index_earlier(struct world *w)
{
	if (w->earlier)
		return;
	assert(w->parts & WORLD_CHANGES);
	uint32_t ngroups;
	uint32_t *group = group_changes(w, &ngroups);
	uint32_t *start = xcalloc((size_t)ngroups + 2, sizeof(*start));
	for (size_t x = 0; x < w->nchanges; x++)
		start[group[x] + 2]++;
	for (size_t g = 2; g < (size_t)ngroups + 2; g++)
		start[g] += start[g - 1];
	uint32_t *order = xmalloc((w->nchanges + 1) * sizeof(*order));
	for (size_t x = 0; x < w->nchanges; x++)
		order[start[group[x] + 1]++] = (uint32_t)x;
	/* start[g] is now where group g begins, start[g + 1] where it ends. */
	w->earlier = xmalloc((w->nchanges + 1) * sizeof(*w->earlier));
	order_world = w;
	for (uint32_t g = 0; g < ngroups; g++) {
		uint32_t *o = order + start[g];
		size_t n = start[g + 1] - start[g];
		for (size_t i = 1; i < n; i++)
			if (cmp_time(&o[i - 1], &o[i]) > 0) {
				qsort(o, n, sizeof(*o), cmp_time);
				break;
			}
		size_t same = 0;
		for (size_t i = 0; i < n; i++) {
			if (i && cmp_time(&o[i - 1], &o[i]) != 0)
				same = i;
			w->earlier[o[i]] = (uint32_t)same;
		}
	}
	free(order);
	free(start);
	free(group);
}

static void earlier_in(struct strbuf *why, struct world *w, uint32_t path, uint32_t n)
{
	const char *dir = strmap_key(&w->dirs, world_path_dir(w, path));
	sb_addf(why, "%u earlier change%s in %s%s", n, n == 1 ? "" : "s", *dir ? dir : "the top directory",
	        *dir ? "/" : "");
}

bool drive_by_reasons(struct world *w, uint32_t x, const struct analysis_params *p,
                      struct strbuf *why)
{
	const struct change *c = &w->changes[x];
	const struct commit *cm = &w->commits[c->commit];
	if (w->people[cm->person].bot) {
		if (why)
			sb_adds(why, "a bot");
		return false;
	}
	world_index_earlier(w);
	uint32_t earlier = w->earlier[x];
	if (earlier >= (uint32_t)p->min_changes) {
		if (why)
			earlier_in(why, w, c->path, earlier);
		return false;
	}
	if (world_declared_owner(w, c->path, cm->person)) {
		if (why)
			sb_adds(why, "a declared owner");
		return false;
	}
	const struct rotation *r = world_rotation_of(w, c->path);
	bool scheduled = r && on_rotation_around(r, cm->time, ANY_PERSON);
	if (scheduled && on_rotation_around(r, cm->time, cm->person)) {
		if (why)
			sb_addf(why, "on the %s rotation around it", r->name);
		return false;
	}
	if (why) {
		sb_adds(why, "not a declared owner; ");
		if (scheduled)
			sb_addf(why, "not on the %s rotation around it; ", r->name);
		else
			sb_adds(why, r ? "(no shifts around it to check); " : "(no service); ");
		earlier_in(why, w, c->path, earlier);
	}
	return true;
}

bool change_is_drive_by(struct world *w, uint32_t x, const struct analysis_params *p)
{
	return drive_by_reasons(w, x, p, NULL);
}

bool change_in_gap(struct world *w, uint32_t x)
{
	const struct change *c = &w->changes[x];
	const struct commit *cm = &w->commits[c->commit];
	const struct rotation *r = world_rotation_of(w, c->path);
	return !r || !on_rotation_around(r, cm->time, cm->person);
}

void list_add_once(struct strbuf *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *at = list->len ? list->ptr : NULL; at; at = strchr(at, '\n')) {
		at += *at == '\n';
		if (!strncmp(at, item, n) && (at[n] == '\n' || at[n] == '\0'))
			return;
	}
	sb_addf(list, "%s%s", list->len ? "\n" : "", item);
}

void incidents_after(const struct world *w, uint32_t service, int64_t t, struct strbuf *list)
{
	for (size_t i = 0; service != NONE && i < w->nincidents; i++) {
		const struct incident_rec *in = &w->incidents[i];
		if (in->service == service && in->started > t && in->started <= t + 30 * DAY)
			list_add_once(list, in->id);
	}
}

static const struct table_col driveby_cols[] = {
	{ "commit", "COMMIT", COL_STR, false },
	{ "path", "PATH", COL_STR, false },
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "time", "TIME", COL_TIME, false },
	{ "added", "+", COL_INT, true },
	{ "deleted", "-", COL_INT, true },
	{ "ai_assisted", "AI", COL_BOOL, false },
	{ "author_gone", "GONE", COL_BOOL, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "earlier", "EARLIER", COL_INT, true },
	{ "incidents", "INCIDENTS AFTER", COL_LIST, false },
	{ "subject", "SUBJECT", COL_STR, false },
};

/* Newest first by author time, then by commit id and the change's place in
 * the commit: never by the order the history was walked in. */
static int cmp_newest(const void *a, const void *b)
{
	const struct change *x = &order_world->changes[*(const uint32_t *)a];
	const struct change *y = &order_world->changes[*(const uint32_t *)b];
	const struct commit *cx = &order_world->commits[x->commit], *cy = &order_world->commits[y->commit];
	if (cx->time != cy->time)
		return cx->time < cy->time ? 1 : -1;
	int c = strcmp(cx->oid, cy->oid);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

uint32_t *drive_by_changes(struct world *w, const struct analysis_params *p, const char *path,
                           size_t *n)
{
	size_t all;
	uint32_t *hits = changes_in(w, p->since, p->until, &all);
	*n = 0;
	for (size_t i = 0; i < all; i++)
		if (path_within(strmap_key(&w->paths, w->changes[hits[i]].path), path) &&
		    change_is_drive_by(w, hits[i], p))
			hits[(*n)++] = hits[i];
	order_world = w;
	if (*n)
		qsort(hits, *n, sizeof(*hits), cmp_newest);
	return hits;
}

int drivebys_table(struct world *w, const struct analysis_params *p, const char *path,
                   struct table *out)
{
	table_init(out, driveby_cols, sizeof(driveby_cols) / sizeof(driveby_cols[0]));
	size_t n;
	uint32_t *hits = drive_by_changes(w, p, path, &n);
	struct strbuf list = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = hits[i];
		const struct change *c = &w->changes[x];
		const struct commit *cm = &w->commits[c->commit];
		const char *cpath = strmap_key(&w->paths, c->path);
		struct table_cell *row = table_add_row(out);
		uint32_t svc = world_path(w, c->path)->service;
		cell_set_str(&row[0], cm->oid);
		cell_set_str(&row[1], cpath);
		cell_set_str(&row[2], cm->name);
		cell_set_str(&row[3], cm->email);
		cell_set_int(&row[4], cm->time);
		cell_set_int(&row[5], c->added);
		cell_set_int(&row[6], c->deleted);
		cell_set_int(&row[7], cm->ai);
		cell_set_int(&row[8], person_gone(&w->people[cm->person], p->at, p->gone_days));
		if (svc != NONE)
			cell_set_str(&row[9], w->services[svc].name);
		cell_set_int(&row[10], w->earlier[x]);
		sb_reset(&list);
		incidents_after(w, svc, cm->time, &list);
		if (list.len)
			cell_set_str(&row[11], list.ptr);
		cell_set_str(&row[12], cm->subject);
	}
	sb_free(&list);
	free(hits);
	return 0;
}
