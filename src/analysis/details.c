/*
 * Detail answers for the dashboard's detail views (and anyone else): one
 * commit (its files, each with why it is or is not a drive-by) and one
 * person (what they changed and wrote, what they carry the pager for).
 * Each is a single table whose rows carry a role, as triage's does.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

static const struct table_col detail_cols[] = {
	{ "role", "ROLE", COL_STR, false },
	{ "commit", "COMMIT", COL_STR, false },
	{ "time", "TIME", COL_TIME, false },
	{ "until", "UNTIL", COL_TIME, false },
	{ "name", "NAME", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "status", "STATUS", COL_STR, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "level", "LVL", COL_INT, true },
	{ "path", "PATH", COL_STR, false },
	{ "change", "ST", COL_STR, false },
	{ "added", "+", COL_INT, true },
	{ "deleted", "-", COL_INT, true },
	{ "lines", "LINES", COL_INT, true },
	{ "changed", "CHANGED", COL_INT, true },
	{ "gap_lines", "NOT CARRIED", COL_INT, true },
	{ "share", "SHARE", COL_PCT, true },
	{ "authored", "DOA", COL_BOOL, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "services", "SERVICES", COL_LIST, false },
	{ "drive_by", "DRIVE-BY", COL_BOOL, false },
	{ "ai_assisted", "AI", COL_BOOL, false },
	{ "reasons", "WHY", COL_STR, false },
	{ "incidents", "INCIDENTS", COL_LIST, false },
	{ "subject", "SUBJECT", COL_STR, false },
};
enum { D_ROLE, D_COMMIT, D_TIME, D_UNTIL, D_NAME, D_EMAIL, D_TEAM, D_STATUS, D_ROTATION, D_LEVEL,
       D_PATH, D_CHANGE, D_ADDED, D_DELETED, D_LINES, D_CHANGED, D_GAP, D_SHARE, D_AUTHORED, D_SERVICE, D_SERVICES, D_DRIVE_BY,
       D_AI, D_REASONS, D_INCIDENTS, D_SUBJECT };

enum { MAX_ROWS = 200 };  /* per role: a detail view, not a report */

static struct table_cell *detail_row(struct table *out, const char *role)
{
	struct table_cell *row = table_add_row(out);
	cell_set_str(&row[D_ROLE], role);
	return row;
}

/* The person's cells: who, and their status at `at` (on call anywhere,
 * else gone or active). */
static void person_cells(struct world *w, struct table_cell *row, uint32_t person,
                         const struct analysis_params *p)
{
	const struct person *pe = &w->people[person];
	const struct rotation *oc = rotation_on_call(w, person, p->at);
	cell_set_str(&row[D_NAME], pe->name);
	cell_set_str(&row[D_EMAIL], pe->email);
	if (pe->team[0])
		cell_set_str(&row[D_TEAM], pe->team);
	cell_set_str(&row[D_STATUS], oc ? "on_call" : person_status(w, person, NULL, p->at, p->gone_days));
	if (oc)
		cell_set_str(&row[D_ROTATION], oc->name);
}

static int find_commit(const struct world *w, const char *oid, size_t *out)
{
	size_t n = strlen(oid), hits = 0;
	for (size_t i = 0; n >= 4 && i < w->ncommits; i++)
		if (!strncasecmp(w->commits[i].oid, oid, n)) {
			*out = i;
			if (++hits > 1)
				return carry_error(CARRY_EUSAGE, "commit '%s' is ambiguous", oid);
		}
	return hits ? 0 : carry_error(CARRY_ENOTFOUND, "no commit '%s' in the scanned history", oid);
}

int commit_table(struct world *w, const struct analysis_params *p, const char *oid,
                 struct table *out)
{
	table_init(out, detail_cols, sizeof(detail_cols) / sizeof(detail_cols[0]));
	size_t ci = 0;
	int rc = find_commit(w, oid, &ci);
	if (rc < 0)
		return rc;
	const struct commit *cm = &w->commits[ci];
	struct table_cell *row = detail_row(out, "commit");
	person_cells(w, row, cm->person, p);
	cell_set_str(&row[D_NAME], cm->name);  /* as this commit names its author */
	cell_set_str(&row[D_COMMIT], cm->oid);
	cell_set_int(&row[D_TIME], cm->time);
	cell_set_int(&row[D_AI], cm->ai);
	cell_set_str(&row[D_SUBJECT], cm->subject);
	struct strbuf why = STRBUF_INIT, incidents = STRBUF_INIT;
	for (uint32_t k = 0; k < cm->nchanges; k++) {
		uint32_t x = cm->first_change + k;
		const struct change *c = &w->changes[x];
		uint32_t svc = world_path(w, c->path)->service;
		char status[2] = { c->status, '\0' };
		row = detail_row(out, "file");
		cell_set_str(&row[D_COMMIT], cm->oid);
		cell_set_str(&row[D_PATH], strmap_key(&w->paths, c->path));
		cell_set_str(&row[D_CHANGE], status);
		cell_set_int(&row[D_ADDED], c->added);
		cell_set_int(&row[D_DELETED], c->deleted);
		if (svc != NONE)
			cell_set_str(&row[D_SERVICE], w->services[svc].name);
		if (!cm->merge) {
			sb_reset(&why);
			cell_set_int(&row[D_DRIVE_BY], drive_by_reasons(w, x, p, &why));
			cell_set_str(&row[D_REASONS], sb_str(&why));
		}
		sb_reset(&incidents);
		incidents_after(w, svc, cm->time, &incidents);
		if (incidents.len)
			cell_set_str(&row[D_INCIDENTS], incidents.ptr);
	}
	sb_free(&why);
	sb_free(&incidents);
	return 0;
}

static _Thread_local const struct world *order_world;  /* for qsort: per thread */
static _Thread_local const int64_t *order_lines;

static int cmp_lines(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (order_lines[x] != order_lines[y])
		return order_lines[x] < order_lines[y] ? 1 : -1;
	return strcmp(strmap_key(&order_world->paths, order_world->files[x].path),
	              strmap_key(&order_world->paths, order_world->files[y].path));
}

/* Newest first by author time, then by id (never by walk order). */
static int cmp_newest(const void *a, const void *b)
{
	const struct commit *x = &order_world->commits[*(const uint32_t *)a];
	const struct commit *y = &order_world->commits[*(const uint32_t *)b];
	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	return strcmp(x->oid, y->oid);
}

/* The files the person has surviving lines in, most lines first. */
static void person_files(struct world *w, uint32_t person, struct table *out)
{
	world_index_doa(w);
	int64_t *lines = xcalloc(w->nfiles + 1, sizeof(*lines));
	uint32_t *order = xmalloc((w->nfiles + 1) * sizeof(*order));
	size_t n = 0;
	for (size_t f = 0; f < w->nfiles; f++)
		for (uint32_t k = 0; k < w->files[f].nauthors; k++)
			if (w->file_authors[w->files[f].first_author + k].person == person) {
				lines[f] = w->file_authors[w->files[f].first_author + k].lines;
				order[n++] = (uint32_t)f;
			}
	order_world = w;
	order_lines = lines;
	if (n)
		qsort(order, n, sizeof(*order), cmp_lines);
	for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
		const struct file *fi = &w->files[order[i]];
		struct table_cell *row = detail_row(out, "file");
		bool doa = false;
		for (uint32_t k = 0; k < w->doa_n[order[i]]; k++)
			doa |= w->doa_people[w->doa_first[order[i]] + k] == person;
		uint32_t svc = world_path(w, fi->path)->service;
		cell_set_str(&row[D_PATH], strmap_key(&w->paths, fi->path));
		cell_set_int(&row[D_LINES], lines[order[i]]);
		cell_set_int(&row[D_SHARE], per_mille(lines[order[i]], fi->lines));
		cell_set_int(&row[D_AUTHORED], doa);
		if (svc != NONE)
			cell_set_str(&row[D_SERVICE], w->services[svc].name);
	}
	free(order);
	free(lines);
}

/* The services whose pager a rotation carries, as a list. */
static void rotation_services(const struct world *w, size_t r, struct table_cell *cell)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t s = 0; s < w->nservices; s++)
		if (w->services[s].rotation == r)
			sb_addf(&sb, "%s%s", sb.len ? "\n" : "", w->services[s].name);
	if (sb.len)
		cell_set_str(cell, sb.ptr);
	sb_free(&sb);
}

int person_table(struct world *w, const struct analysis_params *p, const char *email,
                 struct table *out)
{
	table_init(out, detail_cols, sizeof(detail_cols) / sizeof(detail_cols[0]));
	uint32_t person = NONE;
	for (size_t i = 0; i < w->npeople && person == NONE; i++)
		if (!strcasecmp(w->people[i].email, email))
			person = (uint32_t)i;
	if (person == NONE)
		return carry_error(CARRY_ENOTFOUND, "no person '%s' (see 'carry people')", email);
	const struct person *pe = &w->people[person];
	struct table_cell *row = detail_row(out, "person");
	person_cells(w, row, person, p);
	if (pe->ncommits)
		cell_set_int(&row[D_TIME], pe->commit_times[pe->ncommits - 1]);

	/* What they carry: their shifts from the window's start to 14 days
	 * ahead, by start. */
	int64_t ahead = p->at + 14 * 86400;
	for (size_t r = 0; r < w->nrotations; r++)
		for (size_t i = 0; i < w->rotations[r].nshifts; i++) {
			const struct shift_rec *sh = &w->rotations[r].shifts[i];
			if (sh->person != person || !shift_overlaps(sh, p->since, ahead))
				continue;
			row = detail_row(out, "shift");
			cell_set_str(&row[D_ROTATION], w->rotations[r].name);
			cell_set_int(&row[D_LEVEL], sh->level);
			cell_set_int(&row[D_TIME], sh->starts);
			cell_set_int(&row[D_UNTIL], sh->ends);
			cell_set_str(&row[D_STATUS], shift_overlaps(sh, p->at, p->at) ? "now"
			             : sh->starts > p->at ? "next" : "past");
			rotation_services(w, r, &row[D_SERVICES]);
		}

	/* What they changed in the window, newest first; the lines of it on
	 * code whose rotation they were not on are their pager gap (as the
	 * report's people section counts it). */
	uint32_t *mine = xmalloc((w->ncommits + 1) * sizeof(*mine));
	size_t n = 0;
	int64_t changed = 0, gap = 0;
	for (size_t ci = 0; ci < w->ncommits; ci++)
		if (w->commits[ci].person == person && w->commits[ci].time >= p->since &&
		    w->commits[ci].time <= p->until) {
			mine[n++] = (uint32_t)ci;
			for (uint32_t k = 0; k < w->commits[ci].nchanges; k++) {
				uint32_t x = w->commits[ci].first_change + k;
				int64_t lines = (int64_t)w->changes[x].added + w->changes[x].deleted;
				changed += lines;
				gap += change_in_gap(w, x) ? lines : 0;
			}
		}
	cell_set_int(&out->cells[D_CHANGED], changed);  /* the person row */
	cell_set_int(&out->cells[D_GAP], gap);
	order_world = w;
	if (n)
		qsort(mine, n, sizeof(*mine), cmp_newest);
	for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
		const struct commit *cm = &w->commits[mine[i]];
		bool drive_by = false;
		int64_t added = 0, deleted = 0;
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			added += w->changes[cm->first_change + k].added;
			deleted += w->changes[cm->first_change + k].deleted;
			drive_by |= !cm->merge && change_is_drive_by(w, cm->first_change + k, p);
		}
		row = detail_row(out, "commit");
		cell_set_str(&row[D_COMMIT], cm->oid);
		cell_set_int(&row[D_TIME], cm->time);
		cell_set_int(&row[D_ADDED], added);
		cell_set_int(&row[D_DELETED], deleted);
		cell_set_int(&row[D_DRIVE_BY], drive_by);
		cell_set_int(&row[D_AI], cm->ai);
		cell_set_str(&row[D_SUBJECT], cm->subject);
	}
	free(mine);
	person_files(w, person, out);
	return 0;
}
