/*
 * Owners of a file or subtree (DESIGN.md "Line origin", "Declared owners",
 * "Degree of authorship and truck factor"): surviving lines per person,
 * DOA authors, main developer, declared owners, owning team, truck factor,
 * and "owner drift" where the declared team, the main developer's team and
 * the rotation's team disagree.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

/* The first HEAD file whose path is not below `key` in byte order (the
 * order the files are loaded in). */
static size_t lower_bound(const struct world *w, const char *key)
{
	size_t lo = 0, hi = w->nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(strmap_key(&w->paths, w->files[mid].path), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The HEAD files under `path`, as indices into w->files: the file itself,
 * and the range from "path/" up to "path0" ('0' follows '/'). */
static uint32_t *files_under(const struct world *w, const char *path, size_t *n)
{
	uint32_t *out = xmalloc((w->nfiles + 1) * sizeof(*out));
	*n = 0;
	if (!path[0]) {
		for (size_t f = 0; f < w->nfiles; f++)
			out[(*n)++] = (uint32_t)f;
		return out;
	}
	struct strbuf key = STRBUF_INIT;
	size_t f = lower_bound(w, path);
	if (f < w->nfiles && !strcmp(strmap_key(&w->paths, w->files[f].path), path))
		out[(*n)++] = (uint32_t)f;
	sb_addf(&key, "%s/", path);
	f = lower_bound(w, key.ptr);
	key.ptr[key.len - 1] = '0';
	for (size_t end = lower_bound(w, key.ptr); f < end; f++)
		out[(*n)++] = (uint32_t)f;
	sb_free(&key);
	return out;
}

struct person_sum {
	int64_t lines;
	uint32_t files, authored;
};

static struct person_sum *sum_people(struct world *w, const uint32_t *files, size_t n)
{
	world_index_doa(w);
	struct person_sum *s = xcalloc(w->npeople + 1, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		const struct file *f = &w->files[files[i]];
		for (uint32_t k = 0; k < f->nauthors; k++) {
			const struct file_author *a = &w->file_authors[f->first_author + k];
			s[a->person].lines += a->lines;
			s[a->person].files++;
		}
		for (uint32_t k = 0; k < w->doa_n[files[i]]; k++)
			s[w->doa_people[w->doa_first[files[i]] + k]].authored++;
	}
	return s;
}

struct by_lines {
	const struct world *w;
	const struct person_sum *s;
};
static _Thread_local struct by_lines sort_ctx;

static int cmp_by_lines(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct person *px = &sort_ctx.w->people[x], *py = &sort_ctx.w->people[y];
	if (px->bot != py->bot)
		return px->bot ? 1 : -1;
	if (sort_ctx.s[x].lines != sort_ctx.s[y].lines)
		return sort_ctx.s[x].lines < sort_ctx.s[y].lines ? 1 : -1;
	if (sort_ctx.s[x].authored != sort_ctx.s[y].authored)
		return sort_ctx.s[x].authored < sort_ctx.s[y].authored ? 1 : -1;
	int c = strcmp(px->email, py->email);
	return c ? c : (x > y) - (x < y);
}

/* People with lines or authored files there: non-bots by lines, then bots. */
static uint32_t *ranked_people(const struct world *w, const struct person_sum *s, size_t *n)
{
	uint32_t *order = xmalloc((w->npeople + 1) * sizeof(*order));
	*n = 0;
	for (size_t p = 0; p < w->npeople; p++)
		if (s[p].lines || s[p].authored)
			order[(*n)++] = (uint32_t)p;
	sort_ctx = (struct by_lines){ w, s };
	qsort(order, *n, sizeof(*order), cmp_by_lines);
	return order;
}

static const struct table_col people_cols[] = {
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "lines", "LINES", COL_INT, true },
	{ "share", "SHARE", COL_PCT, true },
	{ "files", "FILES", COL_INT, true },
	{ "bot", "BOT", COL_BOOL, false },
	{ "authored", "AUTHORED", COL_INT, true },
	{ "declared", "DECLARED", COL_BOOL, false },
	{ "team", "TEAM", COL_STR, false },
	{ "gone", "GONE", COL_BOOL, false },
};

int owners_people_table(struct world *w, const struct analysis_params *p, const char *path,
                        struct table *out)
{
	table_init(out, people_cols, sizeof(people_cols) / sizeof(people_cols[0]));
	size_t nfiles, n;
	uint32_t *files = files_under(w, path, &nfiles);
	struct person_sum *s = sum_people(w, files, nfiles);
	uint32_t *order = ranked_people(w, s, &n);
	int64_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += w->files[files[i]].lines;
	uint32_t here = world_path_id(w, path);
	for (size_t i = 0; i < n; i++) {
		const struct person *pe = &w->people[order[i]];
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[0], pe->name);
		cell_set_str(&row[1], pe->email);
		cell_set_int(&row[2], s[order[i]].lines);
		cell_set_int(&row[3], per_mille(s[order[i]].lines, total));
		cell_set_int(&row[4], s[order[i]].files);
		cell_set_int(&row[5], pe->bot);
		cell_set_int(&row[6], s[order[i]].authored);
		cell_set_int(&row[7], world_declared_owner(w, here, order[i]));
		if (pe->team[0])
			cell_set_str(&row[8], pe->team);
		cell_set_int(&row[9], person_gone(pe, p->at, p->gone_days));
	}
	free(order);
	free(s);
	free(files);
	return 0;
}

/* ---- one summary row per path ---- */

static const struct table_col path_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "files", "FILES", COL_INT, true },
	{ "lines", "LINES", COL_INT, true },
	{ "main_name", "MAIN DEVELOPER", COL_STR, false },
	{ "main_email", "EMAIL", COL_STR, false },
	{ "main_share", "SHARE", COL_PCT, true },
	{ "authors", "DOA AUTHORS", COL_LIST, false },
	{ "declared", "DECLARED", COL_LIST, false },
	{ "team", "TEAM", COL_STR, false },
	{ "declared_team", "DECLARED TEAM", COL_STR, false },
	{ "developer_team", "DEV TEAM", COL_STR, false },
	{ "rotation_team", "ROTATION TEAM", COL_STR, false },
	{ "drift", "DRIFT", COL_BOOL, false },
	{ "truck_factor", "TF", COL_INT, true },
	{ "service", "SERVICE", COL_STR, false },
	{ "rotation_truck_factor", "ROT TF", COL_INT, true },
	{ "changed", "CHANGED", COL_INT, true },
	{ "pager_gap", "PAGER GAP", COL_PCT, true },
};
enum { S_PATH, S_FILES, S_LINES, S_MAIN, S_MAIN_EMAIL, S_MAIN_SHARE, S_AUTHORS, S_DECLARED,
       S_TEAM, S_DECLARED_TEAM, S_DEV_TEAM, S_ROT_TEAM, S_DRIFT, S_TF, S_SERVICE, S_ROT_TF,
       S_CHANGED, S_GAP };

bool *rotation_members(const struct world *w, const struct rotation *r, int64_t at)
{
	bool *m = xcalloc(w->npeople + 1, sizeof(*m));
	for (size_t i = 0; i < r->nshifts; i++)
		if (shift_overlaps(&r->shifts[i], at - 30 * DAY, at + 30 * DAY))
			m[r->shifts[i].person] = true;
	return m;
}

/* The team most of the rotation's members belong to (ties: by name). */
static const char *rotation_team(const struct world *w, const bool *members)
{
	const char *best = NULL;
	size_t best_n = 0;
	for (size_t t = 0; t < w->teams.count; t++) {
		const char *team = strmap_key(&w->teams, (uint32_t)t);
		size_t n = 0;
		for (size_t p = 0; p < w->npeople; p++)
			n += members[p] && w->people[p].team == team;
		if (n > best_n || (n && n == best_n && strcmp(team, best) < 0))
			best = team, best_n = n;
	}
	return best;
}

static int compute_service_tf(struct world *w, uint32_t service, int64_t at, bool rotation_only)
{
	uint32_t *files = xmalloc((w->nfiles + 1) * sizeof(*files));
	size_t n = 0;
	for (size_t f = 0; f < w->nfiles; f++)
		if (world_path(w, w->files[f].path)->service == service)
			files[n++] = (uint32_t)f;
	bool *members = NULL;
	uint32_t rot = w->services[service].rotation;
	if (rotation_only)
		members = rot == NONE ? xcalloc(w->npeople + 1, sizeof(bool))
		                      : rotation_members(w, &w->rotations[rot], at);
	int tf = truck_factor(w, files, n, members);
	free(members);
	free(files);
	return tf;
}

/* Cached per service for one `at`: a listing of many paths asks about the
 * same few services again and again. */
int service_truck_factor(struct world *w, uint32_t service, int64_t at, bool rotation_only)
{
	if (!w->svc_tf || w->svc_tf_at != at) {
		free(w->svc_tf);
		w->svc_tf = xmalloc((w->nservices + 1) * 2 * sizeof(*w->svc_tf));
		for (size_t i = 0; i < w->nservices * 2; i++)
			w->svc_tf[i] = -1;
		w->svc_tf_at = at;
	}
	int *slot = &w->svc_tf[service * 2 + rotation_only];
	if (*slot < 0)
		*slot = compute_service_tf(w, service, at, rotation_only);
	return *slot;
}

static void collect_owner(const char *owner, void *payload)
{
	sb_addf(payload, "%s%s", ((struct strbuf *)payload)->len ? "\n" : "", owner);
}

static void summary_row(struct world *w, const struct analysis_params *p, const char *path,
                        int64_t (*changed)[2], size_t npaths, struct table *out)
{
	size_t nfiles, n;
	uint32_t *files = files_under(w, path, &nfiles);
	struct person_sum *s = sum_people(w, files, nfiles);
	uint32_t *order = ranked_people(w, s, &n);
	struct table_cell *row = table_add_row(out);
	int64_t total = 0;
	for (size_t i = 0; i < nfiles; i++)
		total += w->files[files[i]].lines;
	cell_set_str(&row[S_PATH], path[0] ? path : ".");
	cell_set_int(&row[S_FILES], (int64_t)nfiles);
	cell_set_int(&row[S_LINES], total);
	const struct person *main = n && !w->people[order[0]].bot && s[order[0]].lines
	                          ? &w->people[order[0]] : NULL;
	if (main) {
		cell_set_str(&row[S_MAIN], main->name);
		cell_set_str(&row[S_MAIN_EMAIL], main->email);
		cell_set_int(&row[S_MAIN_SHARE], per_mille(s[order[0]].lines, total));
		if (main->team[0])
			cell_set_str(&row[S_DEV_TEAM], main->team);
	}
	/* DOA authors: the people authoring most files there, at most five. */
	struct strbuf list = STRBUF_INIT;
	uint32_t shown = 0;
	for (uint32_t top = UINT32_MAX; shown < 5;) {
		uint32_t next = 0;
		for (size_t i = 0; i < n; i++)
			if (s[order[i]].authored < top && s[order[i]].authored > next)
				next = s[order[i]].authored;
		if (!next)
			break;
		for (size_t i = 0; i < n && shown < 5; i++)
			if (s[order[i]].authored == next && !w->people[order[i]].bot) {
				sb_addf(&list, "%s%s", list.len ? "\n" : "", w->people[order[i]].name);
				shown++;
			}
		top = next;
	}
	if (list.len)
		cell_set_str(&row[S_AUTHORS], list.ptr);
	sb_reset(&list);
	uint32_t here = world_path_id(w, path);
	const struct path_info *pi = world_path(w, here);
	path_codeowners(w, here, collect_owner, &list);
	if (list.len)
		cell_set_str(&row[S_DECLARED], list.ptr);
	sb_free(&list);
	if (pi->declared_team)
		cell_set_str(&row[S_DECLARED_TEAM], pi->declared_team);
	const char *rteam = NULL;
	if (pi->service != NONE) {
		const struct service *svc = &w->services[pi->service];
		cell_set_str(&row[S_SERVICE], svc->name);
		if (svc->rotation != NONE) {
			bool *m = rotation_members(w, &w->rotations[svc->rotation], p->at);
			rteam = rotation_team(w, m);
			free(m);
		}
		cell_set_int(&row[S_ROT_TF], service_truck_factor(w, pi->service, p->at, true));
	}
	if (rteam)
		cell_set_str(&row[S_ROT_TEAM], rteam);
	/* The owning team: the service's, else the declared one, else the main
	 * developer's. */
	const char *team = pi->service != NONE && w->services[pi->service].team[0]
	                 ? w->services[pi->service].team
	                 : pi->declared_team ? pi->declared_team : main && main->team[0] ? main->team : NULL;
	if (team)
		cell_set_str(&row[S_TEAM], team);
	const char *teams[3] = { pi->declared_team, main && main->team[0] ? main->team : NULL, rteam };
	bool drift = false;
	for (int i = 0; i < 3; i++)
		for (int k = i + 1; k < 3; k++)
			drift |= teams[i] && teams[k] && strcasecmp(teams[i], teams[k]) != 0;
	cell_set_int(&row[S_DRIFT], drift);
	cell_set_int(&row[S_TF], truck_factor(w, files, nfiles, NULL));
	int64_t gap[2] = { 0, 0 };
	for (size_t i = 0; i < npaths; i++)
		if ((changed[i][0] || changed[i][1]) && path_within(strmap_key(&w->paths, (uint32_t)i), path)) {
			gap[0] += changed[i][0];
			gap[1] += changed[i][1];
		}
	cell_set_int(&row[S_CHANGED], gap[0]);
	cell_set_int(&row[S_GAP], per_mille(gap[1], gap[0]));
	free(order);
	free(s);
	free(files);
}

int owners_paths_table(struct world *w, const struct analysis_params *p, const char *path,
                       bool dirs, bool files, struct table *out)
{
	table_init(out, path_cols, sizeof(path_cols) / sizeof(path_cols[0]));
	size_t npaths = w->paths.count;
	int64_t (*changed)[2] = gap_by_path(w, p->since, p->until);
	summary_row(w, p, path, changed, npaths, out);
	if (!dirs && !files) {
		free(changed);
		return 0;
	}
	struct strmap seen = { 0 };
	for (size_t f = 0; f < w->nfiles; f++) {
		const char *fp = strmap_key(&w->paths, w->files[f].path);
		if (!path_within(fp, path) || !strcmp(fp, path))
			continue;
		if (files)
			strmap_intern(&seen, fp, strlen(fp));
		for (size_t len = strlen(fp); dirs && len-- > strlen(path) + (path[0] != 0);)
			if (fp[len] == '/')
				strmap_intern(&seen, fp, len);
	}
	char **names = xmalloc((seen.count + 1) * sizeof(*names));
	for (size_t i = 0; i < seen.count; i++)
		names[i] = seen.keys[i];
	qsort(names, seen.count, sizeof(*names), path_order);
	for (size_t i = 0; i < seen.count; i++)
		summary_row(w, p, names[i], changed, npaths, out);
	free(changed);
	free(names);
	strmap_free(&seen);
	return 0;
}
