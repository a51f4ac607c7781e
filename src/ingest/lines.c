/*
 * The line engine (lines.h).  git blame works backwards from one file: a
 * line a commit's diff against a parent leaves unchanged is that parent's
 * to explain, the rest is the commit's own.  Run forwards, the same rule
 * gives every file at once: walking commits parents first, each commit's
 * file origins are its first parent's, with every changed file rebuilt
 * from its stored line delta (linestate.h):
 *   - a non-merge change passes the unchanged lines of the old file (the
 *     old path for a rename, as blame follows a whole-file rename; where
 *     blame's rename source differs from the change's, a W/P/N row after
 *     the changes names it) and claims the rest;
 *   - a merge's file takes a parent's file whole when that blob is
 *     identical, else each parent in order passes the lines it has
 *     unchanged and the merge claims what none has (diffpool.c decides
 *     which, the way blame.c's pass_blame does).
 * A commit's file map is shared with its first parent when that parent
 * has no other child left to process, copied (sharing every file) when it
 * has, and freed once its last child is done: memory follows the number
 * of branches alive at once, not the length of history.
 *
 * Incremental: when every commit newer than the stored origins descends
 * only from them, they are loaded and just the new commits replayed; a
 * merge of a branch that forked earlier, or rewritten history, replays
 * the whole history from the stored deltas (no diffing: seconds at most).
 */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "linemap.h"
#include "lines.h"

#define NO_PATH UINT32_MAX

struct row {
	char status;
	int parent;
	uint32_t path, old_path;
	unsigned char *lines;
	size_t len;
};

struct engine {
	struct fact_sink *sink;
	volatile int *interrupted;
	/* commits, by id (parents first) */
	int64_t *ids;
	size_t n, cap;
	uint32_t *par_off, *par; /* parents of commit i: par[par_off[i] .. par_off[i + 1]) */
	size_t npar, par_cap;
	const char *head_hex, *base_hex;
	size_t head, base;       /* indexes; SIZE_MAX = absent */
	uint32_t *remaining;     /* children (and HEAD) still to use a map */
	struct fmap **maps;
	struct pathtab paths;
	size_t next;             /* the next commit to process */
	/* rows of the commit being gathered */
	int64_t rows_commit;
	struct row *rows;
	size_t nrows, rows_cap;
	bool bad_state;          /* stored origins unusable */
	struct lines_summary *sum;
};

static size_t index_of(const struct engine *e, int64_t id)
{
	size_t lo = 0, hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->n && e->ids[lo] == id ? lo : SIZE_MAX;
}

static int on_commit(void *payload, const struct line_commit *c)
{
	struct engine *e = payload;
	xgrow(&e->ids, &e->cap, e->n + 2, sizeof(*e->ids));
	e->par_off = xrealloc(e->par_off, e->cap * sizeof(*e->par_off));
	e->par_off[e->n] = (uint32_t)e->npar;
	for (size_t k = 0; k < c->nparents; k++) {
		size_t p = index_of(e, c->parents[k]);
		if (p == SIZE_MAX)
			continue; /* not kept: as if absent, like a shallow boundary */
		xgrow(&e->par, &e->par_cap, e->npar + 1, sizeof(*e->par));
		e->par[e->npar++] = (uint32_t)p;
	}
	if (!strcmp(c->oid, e->head_hex))
		e->head = e->n;
	if (e->base_hex[0] && !strcmp(c->oid, e->base_hex))
		e->base = e->n;
	e->ids[e->n++] = c->id;
	e->par_off[e->n] = (uint32_t)e->npar;
	return 0;
}

/* ---- loading the stored origins ---- */

static int on_file(void *payload, const char *path, int64_t nlines)
{
	struct engine *e = payload;
	if (nlines < 0 || nlines > UINT32_MAX) {
		e->bad_state = true;
		return 0;
	}
	fmap_put(e->maps[e->base], pathtab_intern(&e->paths, path),
	         lfile_new((uint32_t)nlines, LFILE_UNSET));
	return 0;
}

static int on_run(void *payload, const char *path, const struct line_run *r)
{
	struct engine *e = payload;
	uint32_t id;
	struct lfile *f = pathtab_find(&e->paths, path, &id) ? fmap_get(e->maps[e->base], id) : NULL;
	size_t c = index_of(e, r->commit_id);
	if (!f || c == SIZE_MAX || r->start < 1 || r->count < 0 || r->start - 1 + r->count > f->n) {
		e->bad_state = true;
		return 0;
	}
	for (int64_t k = 0; k < r->count; k++)
		f->origin[r->start - 1 + k] = (uint32_t)c;
	return 0;
}

static bool state_complete(const struct fmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			for (uint32_t k = 0; k < m->vals[i]->n; k++)
				if (m->vals[i]->origin[k] == LFILE_UNSET)
					return false;
	return true;
}

/* ---- replaying one commit ---- */

struct edit {
	uint32_t path;
	struct lfile *file; /* NULL: delete */
};

static struct lfile *parent_file(struct engine *e, struct fmap *own, size_t c, int k, uint32_t path)
{
	size_t np = e->par_off[c + 1] - e->par_off[c];
	if (k < 0 || (size_t)k >= np || path == NO_PATH)
		return NULL;
	if (k == 0)
		return fmap_get(own, path); /* still the first parent's, unmodified */
	struct fmap *m = e->maps[e->par[e->par_off[c] + (size_t)k]];
	return m ? fmap_get(m, path) : NULL;
}

static void apply_checked(struct engine *e, struct lfile **out, const struct lfile *old,
                          const struct row *r, uint32_t self)
{
	if (!r->lines) { /* blob unreadable at scan time: lines unknown */
		*out = NULL;
		return;
	}
	if (lfile_apply(out, old, r->lines, r->len, self) < 0)
		e->sum->misfits++;
}

/* Whether a W/P/N row at or after rows[from] rebuilds `path`. */
static bool sourced_elsewhere(const struct row *rows, size_t from, size_t nrows, uint32_t path)
{
	for (size_t i = from; i < nrows; i++)
		if (rows[i].path == path && is_line_source(rows[i].status))
			return true;
	return false;
}

/* The edits one commit makes to its first parent's map, all computed
 * before any is made (a commit may rename a to b and b to a).  A merge's
 * rows are all W/P/N/D (merge_kind); a non-merge commit's are its changes,
 * followed by W/P/N rows for added files whose lines git blame takes from
 * another source than the change's rename pairing (diffpool.c). */
static size_t commit_edits(struct engine *e, struct fmap *own, size_t c, const struct row *rows,
                           size_t nrows, struct edit *ed)
{
	size_t ne = 0, sources = nrows;
	bool merge = e->par_off[c + 1] - e->par_off[c] > 1;
	for (size_t i = 0; !merge && i < nrows && sources == nrows; i++)
		if (is_line_source(rows[i].status))
			sources = i;
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		struct lfile *f = NULL;
		if (r->status == MERGE_WHOLE) {
			f = lfile_ref(parent_file(e, own, c, r->parent, r->old_path));
		} else if (r->status == MERGE_NEW) {
			apply_checked(e, &f, NULL, r, (uint32_t)c);
		} else if (r->status == MERGE_PASS) {
			int64_t n = r->lines ? ldelta_new_lines(r->lines, r->len) : -2;
			if (n >= 0)
				f = lfile_new((uint32_t)n, LFILE_UNSET);
			else
				e->sum->misfits += n == -2;
			/* Every parent's row for this path, in parent order. */
			size_t j = i;
			for (; j < nrows && rows[j].status == MERGE_PASS && rows[j].path == r->path; j++) {
				const struct row *q = &rows[j];
				if (f && (!q->lines || lfile_pass(f, parent_file(e, own, c, q->parent, q->old_path),
				                                  q->lines, q->len) < 0))
					e->sum->misfits++;
			}
			i = j - 1;
			if (f)
				lfile_fill(f, (uint32_t)c);
		} else if (!merge && r->status != CHANGE_DELETED) {
			if (r->status == CHANGE_RENAMED)
				ed[ne++] = (struct edit){ r->old_path, NULL };
			if (sources < nrows && sourced_elsewhere(rows, sources, nrows, r->path))
				continue;
			uint32_t from = r->status == CHANGE_RENAMED ? r->old_path
			              : r->status == CHANGE_MODIFIED ? r->path : NO_PATH;
			apply_checked(e, &f, parent_file(e, own, c, 0, from), r, (uint32_t)c);
		} /* a deletion or MERGE_DROP: f stays NULL, the file goes */
		ed[ne++] = (struct edit){ r->path, f };
	}
	return ne;
}

/* Replays commit c, whose stored change rows are rows[0..nrows). */
static void process(struct engine *e, size_t c, const struct row *rows, size_t nrows)
{
	uint32_t *par = &e->par[e->par_off[c]];
	size_t np = e->par_off[c + 1] - e->par_off[c];
	struct fmap *own;
	bool stolen = false;
	if (!np) {
		own = fmap_copy(NULL);
	} else if (e->remaining[par[0]] == 1 && e->maps[par[0]]) {
		own = e->maps[par[0]]; /* its last child: take it over */
		e->maps[par[0]] = NULL;
		e->remaining[par[0]] = 0;
		stolen = true;
	} else {
		own = fmap_copy(e->maps[par[0]]);
	}
	struct edit *ed = xmalloc((nrows * 2 + 1) * sizeof(*ed));
	size_t ne = commit_edits(e, own, c, rows, nrows, ed);
	for (size_t i = 0; i < ne; i++) /* deletions first: a rename's old path may be reused */
		if (!ed[i].file)
			fmap_put(own, ed[i].path, NULL);
	for (size_t i = 0; i < ne; i++)
		if (ed[i].file)
			fmap_put(own, ed[i].path, ed[i].file);
	free(ed);
	e->maps[c] = own;
	for (size_t k = stolen ? 1 : 0; k < np; k++)
		if (e->remaining[par[k]] && --e->remaining[par[k]] == 0) {
			fmap_free(e->maps[par[k]]);
			e->maps[par[k]] = NULL;
		}
	e->sum->commits++;
}

/* Processes the commits before index `upto` that have no stored rows. */
static int advance(struct engine *e, size_t upto)
{
	for (; e->next < upto; e->next++) {
		if (e->interrupted && *e->interrupted && (e->next & 255) == 0)
			return CARRY_EINTR;
		process(e, e->next, NULL, 0);
	}
	return 0;
}

/* Processes everything up to the commit whose rows are gathered, that
 * commit with its rows, and drops them. */
static int flush_rows(struct engine *e)
{
	size_t c = e->nrows ? index_of(e, e->rows_commit) : SIZE_MAX;
	int rc = 0;
	if (c != SIZE_MAX && c >= e->next && (rc = advance(e, c)) == 0) {
		process(e, c, e->rows, e->nrows);
		e->next = c + 1;
	}
	for (size_t i = 0; i < e->nrows; i++)
		free(e->rows[i].lines);
	e->nrows = 0;
	return rc;
}

static int on_row(void *payload, const struct line_row *r)
{
	struct engine *e = payload;
	int rc;
	if (r->commit_id != e->rows_commit && (rc = flush_rows(e)) < 0)
		return rc;
	e->rows_commit = r->commit_id;
	xgrow(&e->rows, &e->rows_cap, e->nrows + 1, sizeof(*e->rows));
	struct row *w = &e->rows[e->nrows++];
	*w = (struct row){
		.status = r->status,
		.parent = r->parent,
		.path = pathtab_intern(&e->paths, r->path),
		.old_path = r->old_path ? pathtab_intern(&e->paths, r->old_path) : NO_PATH,
	};
	if (r->lines) {
		w->lines = xmalloc(r->lines_len ? r->lines_len : 1);
		memcpy(w->lines, r->lines, r->lines_len);
		w->len = r->lines_len;
	}
	return 0;
}

/* ---- saving ---- */

static void file_runs(const struct engine *e, const struct lfile *f, struct line_run **runs,
                      size_t *n, size_t *cap)
{
	*n = 0;
	for (uint32_t k = 0; k < f->n;) {
		uint32_t j = k;
		while (j < f->n && f->origin[j] == f->origin[k])
			j++;
		xgrow(runs, cap, *n + 1, sizeof(**runs));
		(*runs)[(*n)++] = (struct line_run){ k + 1, j - k, e->ids[f->origin[k]] };
		k = j;
	}
}

static int save(struct engine *e, const struct fmap *loaded, bool all)
{
	const struct fmap *m = e->maps[e->head];
	struct line_file_out *out = NULL;
	struct line_run **runs = NULL;
	size_t n = 0, cap = 0, rcap = 0;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		e->sum->files++;
		if (!all && fmap_get(loaded, m->keys[i] - 1) == m->vals[i])
			continue; /* unchanged since the stored origins */
		xgrow(&out, &cap, n + 1, sizeof(*out));
		xgrow(&runs, &rcap, n + 1, sizeof(*runs));
		runs[n] = NULL;
		size_t nr, rc = 0;
		file_runs(e, m->vals[i], &runs[n], &nr, &rc);
		out[n] = (struct line_file_out){ e->paths.names[m->keys[i] - 1], m->vals[i]->n, runs[n], nr };
		n++;
	}
	for (size_t i = 0; !all && loaded && i < loaded->cap; i++) {
		if (!loaded->keys[i] || fmap_get(m, loaded->keys[i] - 1))
			continue;
		xgrow(&out, &cap, n + 1, sizeof(*out));
		xgrow(&runs, &rcap, n + 1, sizeof(*runs));
		runs[n] = NULL;
		out[n++] = (struct line_file_out){ e->paths.names[loaded->keys[i] - 1], -1, NULL, 0 };
	}
	int rc = e->sink->lines_save(e->sink->ctx, e->head_hex, all, out, n);
	for (size_t i = 0; i < n; i++)
		free(runs[i]);
	free(runs);
	free(out);
	return rc;
}

/* ---- the whole update ---- */

static void engine_free(struct engine *e)
{
	for (size_t i = 0; e->maps && i < e->n; i++)
		fmap_free(e->maps[i]);
	for (size_t i = 0; i < e->nrows; i++)
		free(e->rows[i].lines);
	free(e->rows);
	free(e->maps);
	free(e->remaining);
	free(e->ids);
	free(e->par_off);
	free(e->par);
	pathtab_free(&e->paths);
}

/* Whether every commit after the base descends only from it and other
 * newer commits: then the stored origins are a valid start. */
static bool incremental_ok(const struct engine *e)
{
	if (e->base == SIZE_MAX || e->base > e->head)
		return false;
	for (size_t c = e->base + 1; c < e->n; c++)
		for (uint32_t k = e->par_off[c]; k < e->par_off[c + 1]; k++)
			if (e->par[k] < e->base)
				return false;
	return true;
}

static int replay(struct engine *e, bool full, const struct fmap *loaded)
{
	size_t start = full ? 0 : e->base + 1;
	memset(e->remaining, 0, e->n * sizeof(*e->remaining));
	for (size_t c = start; c < e->n; c++)
		for (uint32_t k = e->par_off[c]; k < e->par_off[c + 1]; k++)
			e->remaining[e->par[k]]++;
	e->remaining[e->head]++;
	e->next = start;
	struct line_reader rd = { .payload = e, .row = on_row };
	int rc = e->sink->lines_rows(e->sink->ctx, full ? 0 : e->ids[e->base], &rd);
	if (rc == 0)
		rc = flush_rows(e);
	if (rc == 0)
		rc = advance(e, e->n);
	if (rc == 0)
		rc = save(e, loaded, full);
	return rc;
}

int lines_update(struct fact_sink *sink, const char *head, volatile int *interrupted,
                 struct lines_summary *out)
{
	struct lines_summary local;
	struct lines_summary *sum = out ? out : &local;
	memset(sum, 0, sizeof(*sum));
	char base[CARRY_OID_HEXSZ + 1];
	int rc = sink->lines_head(sink->ctx, base);
	if (rc < 0 || !strcmp(base, head))
		return rc;
	struct engine e = { .sink = sink, .interrupted = interrupted, .head_hex = head,
	                    .base_hex = base, .head = SIZE_MAX, .base = SIZE_MAX, .sum = sum };
	struct line_reader rd = { .payload = &e, .commit = on_commit };
	if ((rc = sink->lines_commits(sink->ctx, &rd)) < 0)
		goto out;
	if (e.head == SIZE_MAX) {
		rc = carry_error(CARRY_ERR, "line engine: the scanned HEAD %s is not stored", head);
		goto out;
	}
	e.maps = xcalloc(e.n, sizeof(*e.maps));
	e.remaining = xcalloc(e.n, sizeof(*e.remaining));
	struct fmap *loaded = NULL;
	bool full = !incremental_ok(&e);
	if (!full) {
		e.maps[e.base] = fmap_copy(NULL);
		struct line_reader st = { .payload = &e, .file = on_file, .run = on_run };
		if ((rc = sink->lines_state(sink->ctx, &st)) < 0)
			goto out;
		if (e.bad_state || !state_complete(e.maps[e.base])) {
			full = true;
			fmap_free(e.maps[e.base]);
			e.maps[e.base] = NULL;
		} else {
			loaded = fmap_copy(e.maps[e.base]);
		}
	}
	sum->full = full;
	rc = replay(&e, full, loaded);
	fmap_free(loaded);
	sum->ran = rc == 0;
out:
	engine_free(&e);
	return rc;
}
