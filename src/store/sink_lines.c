/*
 * The line engine's side of the fact sink: stored facts read back in the
 * order the engine replays them, and the origins at HEAD written in one
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "sink_int.h"

int store_lines_forget(struct store *st, int64_t repo_id)
{
	static const enum store_stmt steps[] = {
		STMT_LINES_FORGET_RUNS, STMT_LINES_FORGET_FILES, STMT_LINES_FORGET_HEAD,
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *s = store_stmt_repo(st, steps[i], repo_id);
		if (!s)
			return CARRY_ERR;
		if (store_step_done(st, s, "cannot drop stored line origins") < 0)
			return CARRY_ERR;
	}
	return 0;
}

int store_lines_head(struct store *st, int64_t repo_id, char head[CARRY_OID_HEXSZ + 1])
{
	sqlite3_stmt *s = store_stmt_repo(st, STMT_LINES_HEAD, repo_id);
	if (!s)
		return CARRY_ERR;
	int rc = sqlite3_step(s);
	head[0] = '\0';
	if (rc == SQLITE_ROW)
		snprintf(head, CARRY_OID_HEXSZ + 1, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read line origins");
}

int sink_lines_head(void *ctx, char head[CARRY_OID_HEXSZ + 1])
{
	struct store_sink *k = ctx;
	return store_lines_head(k->st, k->repo_id, head);
}

/* Steps `s` to the end, calling `row` for each row; 0 or an error. */
static int each_row(struct store *st, sqlite3_stmt *s, int (*row)(sqlite3_stmt *, void *), void *arg,
                    const char *what)
{
	int rc, err = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((err = row(s, arg)) < 0)
			break;
	if (!err && rc != SQLITE_DONE)
		err = store_db_error(st, what);
	sqlite3_reset(s);
	return err;
}

struct commits_acc {
	const struct line_reader *r;
	struct line_commit c;
	char oid[CARRY_OID_HEXSZ + 1];
	int64_t *parents;
	size_t cap;
};

static int commit_row(sqlite3_stmt *s, void *arg)
{
	struct commits_acc *a = arg;
	int64_t id = sqlite3_column_int64(s, 0);
	if (id != a->c.id) {
		if (a->c.id && a->r->commit(a->r->payload, &a->c) < 0)
			return CARRY_ERR;
		a->c.id = id;
		a->c.nparents = 0;
		snprintf(a->oid, sizeof(a->oid), "%s", (const char *)sqlite3_column_text(s, 1));
	}
	if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
		xgrow(&a->parents, &a->cap, a->c.nparents + 1, sizeof(*a->parents));
		a->parents[a->c.nparents++] = sqlite3_column_int64(s, 2);
	}
	a->c.parents = a->parents;
	return 0;
}

int sink_lines_commits(void *ctx, const struct line_reader *r)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt_repo(k->st, STMT_LINES_COMMITS, k->repo_id);
	if (!s)
		return CARRY_ERR;
	struct commits_acc a = { .r = r };
	a.c.oid = a.oid;
	int rc = each_row(k->st, s, commit_row, &a, "cannot read kept commits");
	if (rc == 0 && a.c.id)
		rc = r->commit(r->payload, &a.c) < 0 ? CARRY_ERR : 0;
	free(a.parents);
	return rc;
}

static int file_row(sqlite3_stmt *s, void *arg)
{
	const struct line_reader *r = arg;
	return r->file(r->payload, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1));
}

static int run_row(sqlite3_stmt *s, void *arg)
{
	const struct line_reader *r = arg;
	struct line_run run = {
		.start = sqlite3_column_int64(s, 1),
		.count = sqlite3_column_int64(s, 2),
		.commit_id = sqlite3_column_int64(s, 3),
	};
	return r->run(r->payload, (const char *)sqlite3_column_text(s, 0), &run);
}

int sink_lines_state(void *ctx, const struct line_reader *r)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt_repo(k->st, STMT_LINES_STATE_FILES, k->repo_id);
	if (!s)
		return CARRY_ERR;
	int rc = each_row(k->st, s, file_row, (void *)r, "cannot read stored line origins");
	if (rc < 0 || !(s = store_stmt_repo(k->st, STMT_LINES_STATE_RUNS, k->repo_id)))
		return rc < 0 ? rc : CARRY_ERR;
	return each_row(k->st, s, run_row, (void *)r, "cannot read stored line origins");
}

static int change_row(sqlite3_stmt *s, void *arg)
{
	const struct line_reader *r = arg;
	const char *status = (const char *)sqlite3_column_text(s, 1);
	struct line_row row = {
		.commit_id = sqlite3_column_int64(s, 0),
		.status = status ? status[0] : '?',
		.parent = sqlite3_column_int(s, 2),
		.path = (const char *)sqlite3_column_text(s, 3),
		.old_path = (const char *)sqlite3_column_text(s, 4),
		.lines = sqlite3_column_blob(s, 5),
		.lines_len = (size_t)sqlite3_column_bytes(s, 5),
	};
	return r->row(r->payload, &row);
}

int sink_lines_rows(void *ctx, int64_t after, const struct line_reader *r)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt_repo(k->st, STMT_LINES_ROWS, k->repo_id);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 2, after);
	return each_row(k->st, s, change_row, (void *)r, "cannot read stored changes");
}

static int bind_step(struct store *st, enum store_stmt which, int64_t repo_id, const char *path)
{
	sqlite3_stmt *s = store_stmt_repo(st, which, repo_id);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	return store_step_done(st, s, "cannot store line origins");
}

static int save_file(struct store *st, int64_t repo_id, const struct line_file_out *f)
{
	if (f->nlines < 0)
		return 0;
	sqlite3_stmt *s = store_stmt_repo(st, STMT_LINES_PUT_FILE, repo_id);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 2, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, f->nlines);
	if (store_step_done(st, s, "cannot store line origins") < 0)
		return CARRY_ERR;
	for (size_t i = 0; i < f->nruns; i++) {
		if (!(s = store_stmt_repo(st, STMT_LINES_PUT_RUN, repo_id)))
			return CARRY_ERR;
		sqlite3_bind_text(s, 2, f->path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, f->runs[i].start);
		sqlite3_bind_int64(s, 4, f->runs[i].count);
		sqlite3_bind_int64(s, 5, f->runs[i].commit_id);
		if (store_step_done(st, s, "cannot store line origins") < 0)
			return CARRY_ERR;
	}
	return 0;
}

int sink_lines_save(void *ctx, const char *head, bool all, const struct line_file_out *files,
                    size_t n)
{
	struct store_sink *k = ctx;
	struct store *st = k->st;
	if (store_txn_begin(st) < 0)
		return CARRY_ERR;
	if (all && store_lines_forget(st, k->repo_id) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (!all && (bind_step(st, STMT_LINES_DROP_FILE_RUNS, k->repo_id, files[i].path) < 0 ||
		             bind_step(st, STMT_LINES_DROP_FILE, k->repo_id, files[i].path) < 0))
			goto fail;
		if (save_file(st, k->repo_id, &files[i]) < 0)
			goto fail;
	}
	if (bind_step(st, STMT_LINES_SET_HEAD, k->repo_id, head) < 0)
		goto fail;
	return store_txn_commit(st);
fail:
	store_txn_rollback(st);
	return CARRY_ERR;
}
