/*
 * Pager gap (DESIGN.md "Pager gap"): the share of changed lines (added +
 * deleted) in a window made by authors who were not on the path's rotation
 * around the change.  A path without a service or rotation has nobody on
 * it, so all of its changed lines are in the gap.  And the service view
 * built on it: per service, its gap, truck factors, orphaned share and who
 * is on call.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

int64_t (*gap_by_path(struct world *w, int64_t since, int64_t until))[2]
{
	int64_t (*sums)[2] = xcalloc(w->paths.count + 1, sizeof(*sums));
	size_t n;
	uint32_t *xs = changes_in(w, since, until, &n);
	for (size_t i = 0; i < n; i++) {
		const struct change *c = &w->changes[xs[i]];
		sums[c->path][0] += (int64_t)c->added + c->deleted;
		if (change_in_gap(w, xs[i]))
			sums[c->path][1] += (int64_t)c->added + c->deleted;
	}
	free(xs);
	return sums;
}

int64_t (*gap_by_service(struct world *w, int64_t since, int64_t until))[2]
{
	size_t npaths = w->paths.count;
	int64_t (*by_path)[2] = gap_by_path(w, since, until);
	int64_t (*sums)[2] = xcalloc(w->nservices + 1, sizeof(*sums));
	for (size_t i = 0; i < npaths; i++) {
		if (!by_path[i][0] && !by_path[i][1])
			continue;
		uint32_t svc = world_path(w, (uint32_t)i)->service;
		int64_t *s = sums[svc == NONE ? w->nservices : svc];
		s[0] += by_path[i][0];
		s[1] += by_path[i][1];
	}
	free(by_path);
	return sums;
}

static const struct table_col team_cols[] = {
	{ "team", "TEAM", COL_STR, false },
	{ "services", "SERVICES", COL_LIST, false },
	{ "changed", "CHANGED", COL_INT, true },
	{ "gap_lines", "GAP LINES", COL_INT, true },
	{ "pager_gap", "PAGER GAP", COL_PCT, true },
};

int teams_table(struct world *w, const struct analysis_params *p, struct table *out)
{
	table_init(out, team_cols, sizeof(team_cols) / sizeof(team_cols[0]));
	int64_t (*gap)[2] = gap_by_service(w, p->since, p->until);
	const char **names = xmalloc((w->teams.count + 1) * sizeof(*names));
	for (size_t t = 0; t < w->teams.count; t++)
		names[t] = strmap_key(&w->teams, (uint32_t)t);
	qsort(names, w->teams.count, sizeof(*names), path_order);
	for (size_t t = 0; t < w->teams.count; t++) {
		const char *team = names[t];
		int64_t sum[2] = { 0, 0 };
		struct strbuf list = STRBUF_INIT;
		for (size_t s = 0; s < w->nservices; s++)
			if (w->services[s].team == team) {
				sum[0] += gap[s][0];
				sum[1] += gap[s][1];
				sb_addf(&list, "%s%s", list.len ? "\n" : "", w->services[s].name);
			}
		if (list.len) {
			struct table_cell *row = table_add_row(out);
			cell_set_str(&row[0], team);
			cell_set_str(&row[1], list.ptr);
			cell_set_int(&row[2], sum[0]);
			cell_set_int(&row[3], sum[1]);
			cell_set_int(&row[4], per_mille(sum[1], sum[0]));
		}
		sb_free(&list);
	}
	free(names);
	free(gap);
	return 0;
}

uint32_t on_call_primary(const struct world *w, const struct rotation *r, int64_t t)
{
	const struct shift_rec **now = NULL;
	uint32_t who = shifts_covering(w, r, t, &now) ? now[0]->person : NONE;
	free(now);
	return who;
}

static const struct table_col service_cols[] = {
	{ "service", "SERVICE", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "files", "FILES", COL_INT, true },
	{ "lines", "LINES", COL_INT, true },
	{ "changed", "CHANGED", COL_INT, true },
	{ "gap_lines", "GAP LINES", COL_INT, true },
	{ "pager_gap", "PAGER GAP", COL_PCT, true },
	{ "truck_factor", "TF", COL_INT, true },
	{ "rotation_truck_factor", "ROT TF", COL_INT, true },
	{ "orphan_share", "ORPHANED", COL_PCT, true },
	{ "name", "ON CALL", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
};

int services_table(struct world *w, const struct analysis_params *p, struct table *out)
{
	table_init(out, service_cols, sizeof(service_cols) / sizeof(service_cols[0]));
	int64_t (*gap)[2] = gap_by_service(w, p->since, p->until);
	int64_t (*head)[3] = xcalloc(w->nservices + 1, sizeof(*head)); /* files, lines, orphaned */
	for (size_t f = 0; f < w->nfiles; f++) {
		uint32_t svc = world_path(w, w->files[f].path)->service;
		int64_t *h = head[svc == NONE ? w->nservices : svc];
		int64_t lines[2];
		h[0]++;
		h[1] += w->files[f].lines;
		if (file_orphaned(w, f, p, p->at, lines))
			h[2] += w->files[f].lines;
	}
	for (size_t s = 0; s <= w->nservices; s++) {
		if (s == w->nservices && !head[s][0] && !gap[s][0])
			continue;
		struct table_cell *row = table_add_row(out);
		if (s < w->nservices) {
			const struct service *svc = &w->services[s];
			cell_set_str(&row[0], svc->name);
			if (svc->team[0])
				cell_set_str(&row[1], svc->team);
			if (svc->rotation != NONE) {
				const struct rotation *r = &w->rotations[svc->rotation];
				cell_set_str(&row[2], r->name);
				uint32_t who = on_call_primary(w, r, p->at);
				if (who != NONE) {
					cell_set_str(&row[11], w->people[who].name);
					cell_set_str(&row[12], w->people[who].email);
				}
			}
			cell_set_int(&row[8], service_truck_factor(w, (uint32_t)s, p->at, false));
			cell_set_int(&row[9], service_truck_factor(w, (uint32_t)s, p->at, true));
		} else {
			cell_set_str(&row[0], "(none)");
		}
		cell_set_int(&row[3], head[s][0]);
		cell_set_int(&row[4], head[s][1]);
		cell_set_int(&row[5], gap[s][0]);
		cell_set_int(&row[6], gap[s][1]);
		cell_set_int(&row[7], per_mille(gap[s][1], gap[s][0]));
		cell_set_int(&row[10], per_mille(head[s][2], head[s][1]));
	}
	free(head);
	free(gap);
	return 0;
}
