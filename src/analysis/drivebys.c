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
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "world.h"

struct keyed {
	uint32_t person, dir;
	int64_t time;
	uint32_t change;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return (x->time > y->time) - (x->time < y->time);
}

/* For every change, how many changes its author made earlier to files of
 * the same directory: sort by (person, directory, time); within a group,
 * the changes before the first one with the same time. */
static void index_earlier(struct world *w)
{
	if (w->earlier)
		return;
	struct keyed *k = xmalloc((w->nchanges + 1) * sizeof(*k));
	for (size_t x = 0; x < w->nchanges; x++) {
		const struct change *c = &w->changes[x];
		const struct commit *cm = &w->commits[c->commit];
		k[x] = (struct keyed){ cm->person, world_path(w, c->path)->dir, cm->time, (uint32_t)x };
	}
	qsort(k, w->nchanges, sizeof(*k), cmp_keyed);
	w->earlier = xmalloc((w->nchanges + 1) * sizeof(*w->earlier));
	size_t group = 0, same = 0;
	for (size_t i = 0; i < w->nchanges; i++) {
		if (i == 0 || k[i].person != k[i - 1].person || k[i].dir != k[i - 1].dir)
			group = same = i;
		else if (k[i].time != k[i - 1].time)
			same = i;
		w->earlier[k[i].change] = (uint32_t)(same - group);
	}
	free(k);
}

bool change_is_drive_by(struct world *w, uint32_t x, const struct analysis_params *p)
{
	const struct change *c = &w->changes[x];
	const struct commit *cm = &w->commits[c->commit];
	if (w->people[cm->person].bot)
		return false;
	index_earlier(w);
	if (w->earlier[x] >= (uint32_t)p->min_changes)
		return false;
	if (world_declared_owner(w, c->path, cm->person))
		return false;
	const struct rotation *r = world_rotation_of(w, c->path);
	if (r && on_rotation_around(r, cm->time, ANY_PERSON) && on_rotation_around(r, cm->time, cm->person))
		return false;
	return true;
}

bool change_in_gap(struct world *w, uint32_t x)
{
	const struct change *c = &w->changes[x];
	const struct commit *cm = &w->commits[c->commit];
	const struct rotation *r = world_rotation_of(w, c->path);
	return !r || !on_rotation_around(r, cm->time, cm->person);
}

/* Incidents on the service within 30 days after t: (t, t + 30 days]. */
static void incidents_after(const struct world *w, uint32_t service, int64_t t,
                            struct table_cell *cell)
{
	if (service == NONE)
		return;
	size_t len = 0;
	char *list = NULL;
	for (size_t i = 0; i < w->nincidents; i++) {
		const struct incident_rec *in = &w->incidents[i];
		if (in->service != service || in->started <= t || in->started > t + 30 * DAY)
			continue;
		size_t n = strlen(in->id);
		list = xrealloc(list, len + n + 2);
		if (len)
			list[len++] = '\n';
		memcpy(list + len, in->id, n + 1);
		len += n;
	}
	if (list)
		cell->s = list, cell->null = false;
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

static const struct world *order_world;

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

int drivebys_table(struct world *w, const struct analysis_params *p, const char *path,
                   struct table *out)
{
	table_init(out, driveby_cols, sizeof(driveby_cols) / sizeof(driveby_cols[0]));
	uint32_t *hits = NULL;
	size_t n = 0, cap = 0;
	for (size_t ci = 0; ci < w->ncommits; ci++) {
		const struct commit *cm = &w->commits[ci];
		if (cm->time < p->since || cm->time > p->until)
			continue;
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			uint32_t x = cm->first_change + k;
			if (path_within(strmap_key(&w->paths, w->changes[x].path), path) &&
			    change_is_drive_by(w, x, p)) {
				xgrow(&hits, &cap, n + 1, sizeof(*hits));
				hits[n++] = x;
			}
		}
	}
	order_world = w;
	if (n)
		qsort(hits, n, sizeof(*hits), cmp_newest);
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
		incidents_after(w, svc, cm->time, &row[11]);
		cell_set_str(&row[12], cm->subject);
	}
	free(hits);
	return 0;
}
