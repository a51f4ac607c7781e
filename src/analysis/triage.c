/*
 * Incident triage (DESIGN.md "Incident suspects"): for an incident on
 * service S starting at T, the non-merge commits that touched S's paths
 * (or the incident's own path list, CODEOWNERS pattern syntax) in
 * [T - lookback, T], ranked drive-bys first, then by churn, then newest
 * first; each author's status at `at`; who carries S's pager at `at`; and
 * the people who know the touched files (their DOA authors), on call or not.
 */
#include <stdlib.h>
#include <string.h>

#include "../oncall/codeowners.h"
#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "world.h"

static const struct table_col triage_cols[] = {
	{ "role", "ROLE", COL_STR, false },
	{ "rank", "#", COL_INT, true },
	{ "commit", "COMMIT", COL_STR, false },
	{ "time", "TIME", COL_TIME, false },
	{ "name", "NAME", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "status", "STATUS", COL_STR, false },
	{ "drive_by", "DRIVE-BY", COL_BOOL, false },
	{ "ai_assisted", "AI", COL_BOOL, false },
	{ "churn", "CHURN", COL_INT, true },
	{ "files", "FILES", COL_LIST, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "level", "LVL", COL_INT, true },
	{ "subject", "SUBJECT", COL_STR, false },
};
enum { T_ROLE, T_RANK, T_COMMIT, T_TIME, T_NAME, T_EMAIL, T_STATUS, T_DRIVE_BY, T_AI, T_CHURN,
       T_FILES, T_ROTATION, T_LEVEL, T_SUBJECT };

static _Thread_local const struct world *order_world;  /* for qsort: per thread */

/* Drive-bys first, then churn, then newest (author time; then by id, so
 * the order never depends on how the history was walked). */
static int cmp_suspect(const void *a, const void *b)
{
	const struct suspect *x = a, *y = b;
	const struct commit *cx = &order_world->commits[x->commit];
	const struct commit *cy = &order_world->commits[y->commit];
	if (x->drive_by != y->drive_by)
		return x->drive_by ? -1 : 1;
	if (x->churn != y->churn)
		return x->churn < y->churn ? 1 : -1;
	if (cx->time != cy->time)
		return cx->time < cy->time ? 1 : -1;
	return strcmp(cx->oid, cy->oid);
}

struct expert {
	uint32_t person, files;
	int group;  /* 0 on call, 1 reachable, 2 gone */
	const struct rotation *on_call;
};

static int cmp_expert(const void *a, const void *b)
{
	const struct expert *x = a, *y = b;
	if (x->group != y->group)
		return x->group - y->group;
	if (x->files != y->files)
		return x->files < y->files ? 1 : -1;
	return (x->person > y->person) - (x->person < y->person);
}

static bool touches_incident(struct world *w, const struct incident_rec *in, uint32_t path)
{
	if (in->service != NONE && world_path(w, path)->service == in->service)
		return true;
	for (size_t i = 0; i < in->npaths; i++)
		if (codeowners_pattern_matches(in->paths[i], strmap_key(&w->paths, path)))
			return true;
	return false;
}

static void person_cells(struct table_cell *row, const struct person *pe)
{
	cell_set_str(&row[T_NAME], pe->name);
	cell_set_str(&row[T_EMAIL], pe->email);
}

const struct incident_rec *find_incident(const struct world *w, const char *id)
{
	for (size_t i = 0; i < w->nincidents; i++)
		if (!strcmp(w->incidents[i].id, id))
			return &w->incidents[i];
	return NULL;
}

struct suspect *incident_suspects(struct world *w, const struct analysis_params *p,
                                  const struct incident_rec *in, bool *touched_path, size_t *n)
{
	int64_t from = in->started - (int64_t)p->lookback_hours * 3600;
	struct suspect *sus = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t ci = 0; ci < w->ncommits; ci++) {
		const struct commit *cm = &w->commits[ci];
		if (cm->merge || cm->time < from || cm->time > in->started)
			continue;
		struct suspect s = { (uint32_t)ci, false, 0 };
		bool hit = false;
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			uint32_t x = cm->first_change + k;
			const struct change *c = &w->changes[x];
			if (!touches_incident(w, in, c->path))
				continue;
			hit = true;
			if (touched_path)
				touched_path[c->path] = true;
			s.churn += (int64_t)c->added + c->deleted;
			s.drive_by |= change_is_drive_by(w, x, p);
		}
		if (hit) {
			xgrow(&sus, &cap, *n + 1, sizeof(*sus));
			sus[(*n)++] = s;
		}
	}
	order_world = w;
	if (*n)
		qsort(sus, *n, sizeof(*sus), cmp_suspect);
	return sus;
}

int triage_table(struct world *w, const struct analysis_params *p, const char *id,
                 struct table *out)
{
	table_init(out, triage_cols, sizeof(triage_cols) / sizeof(triage_cols[0]));
	const struct incident_rec *in = find_incident(w, id);
	if (!in)
		return carry_error(CARRY_ENOTFOUND, "triage: no incident '%s' (see 'carry incidents')", id);
	const struct rotation *rot = in->service != NONE && w->services[in->service].rotation != NONE
	                           ? &w->rotations[w->services[in->service].rotation] : NULL;
	bool *touched_path = xcalloc(w->paths.count + 1, sizeof(*touched_path));
	size_t nsus;
	struct suspect *sus = incident_suspects(w, p, in, touched_path, &nsus);
	struct strbuf files = STRBUF_INIT;
	for (size_t i = 0; i < nsus; i++) {
		const struct commit *cm = &w->commits[sus[i].commit];
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[T_ROLE], "suspect");
		cell_set_int(&row[T_RANK], (int64_t)i + 1);
		cell_set_str(&row[T_COMMIT], cm->oid);
		cell_set_int(&row[T_TIME], cm->time);
		cell_set_str(&row[T_NAME], cm->name);
		cell_set_str(&row[T_EMAIL], cm->email);
		cell_set_str(&row[T_STATUS], person_status(w, cm->person, rot, p->at, p->gone_days));
		cell_set_int(&row[T_DRIVE_BY], sus[i].drive_by);
		cell_set_int(&row[T_AI], cm->ai);
		cell_set_int(&row[T_CHURN], sus[i].churn);
		sb_reset(&files);
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			uint32_t path = w->changes[cm->first_change + k].path;
			if (touches_incident(w, in, path))
				sb_addf(&files, "%s%s", files.len ? "\n" : "", strmap_key(&w->paths, path));
		}
		cell_set_str(&row[T_FILES], sb_str(&files));
		cell_set_str(&row[T_SUBJECT], cm->subject);
	}
	sb_free(&files);

	/* Who carries the pager now, by level (as `carry pager` lists them). */
	const struct shift_rec **now = NULL;
	size_t n = rot ? shifts_covering(w, rot, p->at, &now) : 0;
	for (size_t i = 0; i < n; i++) {
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[T_ROLE], "on_call");
		person_cells(row, &w->people[now[i]->person]);
		cell_set_str(&row[T_STATUS], "on_call");
		cell_set_str(&row[T_ROTATION], rot->name);
		cell_set_int(&row[T_LEVEL], now[i]->level);
		cell_set_int(&row[T_TIME], now[i]->ends);
	}
	free(now);

	/* Who knows the touched files: their DOA authors, those on call (any
	 * rotation) first, the gone last, each group by files known. */
	world_index_doa(w);
	uint32_t *known = xcalloc(w->npeople + 1, sizeof(*known));
	for (size_t f = 0; f < w->nfiles; f++)
		if (touched_path[w->files[f].path])
			for (uint32_t k = 0; k < w->doa_n[f]; k++)
				known[w->doa_people[w->doa_first[f] + k]]++;
	struct expert *ex = xmalloc((w->npeople + 1) * sizeof(*ex));
	size_t nex = 0;
	for (size_t pe = 0; pe < w->npeople; pe++) {
		if (!known[pe])
			continue;
		const struct rotation *oc = rotation_on_call(w, (uint32_t)pe, p->at);
		bool gone = person_gone(&w->people[pe], p->at, p->gone_days);
		ex[nex++] = (struct expert){ (uint32_t)pe, known[pe], oc ? 0 : gone ? 2 : 1, oc };
	}
	if (nex)
		qsort(ex, nex, sizeof(*ex), cmp_expert);
	for (size_t i = 0; i < nex; i++) {
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[T_ROLE], "expert");
		person_cells(row, &w->people[ex[i].person]);
		cell_set_str(&row[T_STATUS], ex[i].on_call ? "on_call"
		             : person_status(w, ex[i].person, rot, p->at, p->gone_days));
		if (ex[i].on_call)
			cell_set_str(&row[T_ROTATION], ex[i].on_call->name);
		cell_set_int(&row[T_CHURN], ex[i].files);
	}
	free(ex);
	free(known);
	free(touched_path);
	free(sus);
	return 0;
}

void world_index_incident(struct world *w, struct incident_rec *in)
{
	if (in->indexed)
		return;
	in->indexed = true;
	size_t cap = 0;
	for (size_t f = 0; in->npaths && f < w->nfiles; f++)
		for (size_t i = 0; i < in->npaths; i++)
			if (codeowners_pattern_matches(in->paths[i], strmap_key(&w->paths, w->files[f].path))) {
				xgrow(&in->named, &cap, in->nnamed + 1, sizeof(*in->named));
				in->named[in->nnamed++] = (uint32_t)f;
				break;
			}
}

/* Does the incident name, among its own paths, a HEAD file beneath `path`? */
static bool names_beneath(struct world *w, struct incident_rec *in, const char *path)
{
	world_index_incident(w, in);
	for (size_t i = 0; i < in->nnamed; i++)
		if (path_within(strmap_key(&w->paths, w->files[in->named[i]].path), path))
			return true;
	return false;
}

int incidents_table(struct world *w, struct store *st, const struct analysis_params *p,
                    const char *path, struct table *out)
{
	int rc = store_incidents(st, p->since, p->until, out);
	if (rc < 0 || !path[0])
		return rc;
	/* The services of the files beneath `path`, once: an incident touches
	 * the subtree when it touches one of them (as touches_incident says:
	 * their service, or one its own paths name). */
	bool *service_here = xcalloc(w->nservices + 1, sizeof(*service_here));
	for (size_t f = 0; f < w->nfiles; f++)
		if (path_within(strmap_key(&w->paths, w->files[f].path), path)) {
			uint32_t svc = world_path(w, w->files[f].path)->service;
			if (svc != NONE)
				service_here[svc] = true;
		}
	bool *keep = xcalloc(out->nrows + 1, sizeof(*keep));
	size_t id = 0;
	while (id < out->ncols && strcmp(out->cols[id].key, "incident_id") != 0)
		id++;
	for (size_t r = 0; id < out->ncols && r < out->nrows; r++) {
		const struct incident_rec *found = find_incident(w, table_at(out, r, id)->s);
		struct incident_rec *in = found ? &w->incidents[found - w->incidents] : NULL;
		keep[r] = in && ((in->service != NONE && service_here[in->service]) ||
		                 names_beneath(w, in, path));
	}
	table_keep_rows(out, keep);
	free(keep);
	free(service_here);
	return 0;
}
