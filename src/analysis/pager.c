/*
 * Who carries the pager for a path (see include/carry/analysis.h): the
 * path's service as facts.c resolves it, the shifts of its rotation that
 * cover the moment, and the next primary shift.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "world.h"

static const struct table_col pager_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "level", "LVL", COL_INT, true },
	{ "name", "ON CALL", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "until", "UNTIL", COL_TIME, false },
	{ "next_name", "NEXT", COL_STR, false },
	{ "next_email", "NEXT EMAIL", COL_STR, false },
	{ "next_at", "FROM", COL_TIME, false },
};
enum { P_PATH, P_SERVICE, P_TEAM, P_ROTATION, P_LEVEL, P_NAME, P_EMAIL, P_UNTIL,
       P_NEXT_NAME, P_NEXT_EMAIL, P_NEXT_AT };

static _Thread_local const struct world *order_world;  /* for qsort: per thread */

static int cmp_on_call(const void *a, const void *b)
{
	const struct shift_rec *x = *(const struct shift_rec *const *)a;
	const struct shift_rec *y = *(const struct shift_rec *const *)b;
	if (x->level != y->level)
		return x->level - y->level;
	if (x->starts != y->starts)
		return x->starts < y->starts ? -1 : 1;
	return strcmp(order_world->people[x->person].name, order_world->people[y->person].name);
}

size_t shifts_covering(const struct world *w, const struct rotation *r, int64_t at,
                       const struct shift_rec ***out)
{
	const struct shift_rec **now = NULL;
	size_t n = 0;
	for (size_t i = 0; i < r->nshifts && r->shifts[i].starts <= at; i++)
		if (shift_overlaps(&r->shifts[i], at, at)) {
			now = xrealloc(now, (n + 1) * sizeof(*now));
			now[n++] = &r->shifts[i];
		}
	order_world = w;
	if (n)
		qsort(now, n, sizeof(*now), cmp_on_call);
	*out = now;
	return n;
}

static void set_str(struct table_cell *c, const char *s)
{
	if (s && *s)
		cell_set_str(c, s);
}

/* The rows for one path (NULL: a service listing) and its service: the
 * people with a shift covering `at` by level, and the next primary shift
 * to start after it. */
static void add_rows(const struct world *w, const char *path, uint32_t svc, int64_t at,
                     struct table *out)
{
	const struct rotation *r = svc != NONE && w->services[svc].rotation != NONE
	                         ? &w->rotations[w->services[svc].rotation] : NULL;
	const struct shift_rec **now = NULL, *next = NULL;
	size_t n = r ? shifts_covering(w, r, at, &now) : 0;
	for (size_t i = 0; r && i < r->nshifts; i++) {
		const struct shift_rec *sh = &r->shifts[i];
		if (sh->starts > at && sh->level == 1 &&
		           (!next || sh->starts < next->starts ||
		            (sh->starts == next->starts &&
		             strcmp(w->people[sh->person].name, w->people[next->person].name) < 0))) {
			next = sh;
		}
	}
	for (size_t i = 0; i < (n ? n : 1); i++) {
		struct table_cell *row = table_add_row(out);
		set_str(&row[P_PATH], path);
		if (svc != NONE) {
			set_str(&row[P_SERVICE], w->services[svc].name);
			set_str(&row[P_TEAM], w->services[svc].team);
			if (r)
				set_str(&row[P_ROTATION], r->name);
		}
		if (n) {
			const struct person *pe = &w->people[now[i]->person];
			cell_set_int(&row[P_LEVEL], now[i]->level);
			set_str(&row[P_NAME], pe->name);
			set_str(&row[P_EMAIL], pe->email);
			cell_set_int(&row[P_UNTIL], now[i]->ends);
		}
		if (next) {
			set_str(&row[P_NEXT_NAME], w->people[next->person].name);
			set_str(&row[P_NEXT_EMAIL], w->people[next->person].email);
			cell_set_int(&row[P_NEXT_AT], next->starts);
		}
	}
	free(now);
}

int pager_world_table(struct world *w, const char *const *paths, size_t npaths, const bool *is_dir,
                      int64_t at, struct table *out)
{
	table_init(out, pager_cols, sizeof(pager_cols) / sizeof(pager_cols[0]));
	for (size_t s = 0; !paths && s < w->nservices; s++)
		add_rows(w, NULL, (uint32_t)s, at, out);
	for (size_t i = 0; paths && i < npaths; i++)
		add_rows(w, paths[i], world_path(w, is_dir && is_dir[i] ? world_path_id(w, paths[i])
		                                                   : world_file_id(w, paths[i]))->service,
		         at, out);
	return 0;
}

int pager_table(struct store *st, int64_t repo_id, const char *const *paths, size_t npaths,
                const bool *is_dir, int64_t at, struct table *out)
{
	struct world w;
	table_init(out, pager_cols, sizeof(pager_cols) / sizeof(pager_cols[0]));
	int rc = world_load(&w, st, paths ? repo_id : -1, WORLD_ONCALL);
	if (rc != 0)
		return rc;
	rc = pager_world_table(&w, paths, npaths, is_dir, at, out);
	world_free(&w);
	return rc;
}
