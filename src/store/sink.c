/*
 * The store's fact sink (include/carry/sink.h): scan facts become rows.
 * Writes happen in BEGIN IMMEDIATE transactions of at most `batch`
 * commits; because commits arrive parents first and a batch is one
 * transaction, the kept set stays closed under "parent of" whatever moment
 * the process dies at, and the next scan resumes from it exactly.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "sink_int.h"

static int sink_known(void *ctx, sink_known_cb cb, void *payload)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt(k->st, STMT_KNOWN_COMMITS);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, k->repo_id);

	char cur[CARRY_OID_HEXSZ + 1] = "";
	char (*parents)[CARRY_OID_HEXSZ + 1] = NULL;
	size_t n = 0, cap = 0;
	int rc, err = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *oid = (const char *)sqlite3_column_text(s, 0);
		const char *par = (const char *)sqlite3_column_text(s, 1);
		if (strcmp(oid, cur) != 0) {
			if (cur[0] && (err = cb(payload, cur, (const char (*)[CARRY_OID_HEXSZ + 1])parents, n)) < 0)
				break;
			snprintf(cur, sizeof(cur), "%s", oid);
			n = 0;
		}
		if (par) {
			xgrow(&parents, &cap, n + 1, sizeof(*parents));
			snprintf(parents[n++], sizeof(*parents), "%s", par);
		}
	}
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = store_db_error(k->st, "cannot read kept commits");
	if (!err && cur[0])
		err = cb(payload, cur, (const char (*)[CARRY_OID_HEXSZ + 1])parents, n);
	sqlite3_reset(s);
	free(parents);
	return err;
}

static int sink_begin(void *ctx, const char *target)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt(k->st, STMT_REPO_BEGIN_SCAN);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, k->repo_id);
	store_bind_text(s, 2, target);
	return store_step_done(k->st, s, "cannot record the scan");
}

static int sink_flush(void *ctx)
{
	struct store_sink *k = ctx;
	k->pending = 0;
	return store_txn_commit(k->st);
}

static int sink_forget(void *ctx, const char (*oids)[CARRY_OID_HEXSZ + 1], size_t n)
{
	struct store_sink *k = ctx;
	if (store_txn_begin(k->st) < 0)
		return CARRY_ERR;
	/* Origins may name the forgotten commits: the line engine replays. */
	if (store_lines_forget(k->st, k->repo_id) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(k->st, STMT_COMMIT_FORGET);
		if (!s)
			goto fail;
		sqlite3_bind_int64(s, 1, k->repo_id);
		sqlite3_bind_text(s, 2, oids[i], -1, SQLITE_STATIC);
		if (store_step_done(k->st, s, "cannot forget a rewritten commit") < 0)
			goto fail;
	}
	return sink_flush(k);
fail:
	store_txn_rollback(k->st);
	return CARRY_ERR;
}

static void bind_lines(sqlite3_stmt *s, int col, const struct change_fact *ch)
{
	if (ch->lines)
		sqlite3_bind_blob(s, col, ch->lines, (int)ch->lines_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static int store_change(struct store *st, sqlite3_int64 id, size_t seq, const struct change_fact *ch)
{
	char status[2] = { ch->status, '\0' };
	sqlite3_stmt *s = store_stmt(st, STMT_CHANGE_INSERT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(s, 3, ch->path, -1, SQLITE_STATIC);
	store_bind_text(s, 4, ch->old_path);
	sqlite3_bind_text(s, 5, status, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, ch->added);
	sqlite3_bind_int64(s, 7, ch->deleted);
	sqlite3_bind_int(s, 8, ch->binary);
	bind_lines(s, 9, ch);
	return store_step_done(st, s, "cannot store a change");
}

/* A merge's changes say where its files' lines come from (merge_lines), as
 * do a non-merge commit's W/P/N rows (line sources other than its renames). */
static int store_merge_line(struct store *st, sqlite3_int64 id, size_t seq,
                            const struct change_fact *ch)
{
	char kind[2] = { ch->status, '\0' };
	sqlite3_stmt *s = store_stmt(st, STMT_MERGE_LINE_INSERT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
	sqlite3_bind_text(s, 3, ch->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 5, ch->parent);
	store_bind_text(s, 6, ch->old_path);
	bind_lines(s, 7, ch);
	return store_step_done(st, s, "cannot store a merge's line sources");
}

static int sink_commit(void *ctx, const struct commit_fact *c,
                       const struct change_fact *changes, size_t nchanges)
{
	struct store_sink *k = ctx;
	struct store *st = k->st;
	if (store_txn_begin(st) < 0)
		return CARRY_ERR;

	sqlite3_stmt *s = store_stmt(st, STMT_COMMIT_INSERT);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, k->repo_id);
	sqlite3_bind_text(s, 2, c->oid, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, c->author_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, c->author_email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, c->author_time);
	sqlite3_bind_int(s, 6, c->author_tz);
	sqlite3_bind_int64(s, 7, c->committer_time);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)c->nparents);
	sqlite3_bind_text(s, 9, c->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 10, c->ai_assisted);
	store_bind_text(s, 11, c->skipped);
	if (store_step_done(st, s, "cannot store a commit") < 0)
		goto fail;
	sqlite3_int64 id = sqlite3_last_insert_rowid(st->db);

	for (size_t i = 0; i < c->nparents; i++) {
		s = store_stmt(st, STMT_PARENT_INSERT);
		if (!s)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		sqlite3_bind_text(s, 3, c->parents[i], -1, SQLITE_STATIC);
		if (store_step_done(st, s, "cannot store a parent") < 0)
			goto fail;
	}
	for (size_t i = 0; i < nchanges; i++) {
		const struct change_fact *ch = &changes[i];
		bool source = c->nparents > 1 || is_line_source(ch->status);
		if ((source ? store_merge_line(st, id, i, ch) : store_change(st, id, i, ch)) < 0)
			goto fail;
	}
	if (++k->pending >= k->batch)
		return sink_flush(k);
	return 0;
fail:
	store_txn_rollback(st);
	return CARRY_ERR;
}

static int sink_problem(void *ctx, const char *oid, const char *what)
{
	struct store_sink *k = ctx;
	sqlite3_stmt *s = store_stmt(k->st, STMT_PROBLEM_INSERT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, k->repo_id);
	sqlite3_bind_text(s, 2, oid ? oid : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, what, -1, SQLITE_STATIC);
	return store_step_done(k->st, s, "cannot record a scan problem");
}

static int sink_finish(void *ctx, const char *head, const struct scan_summary *sum)
{
	struct store_sink *k = ctx;
	if (store_txn_begin(k->st) < 0)
		return CARRY_ERR;
	sqlite3_stmt *s = store_stmt(k->st, STMT_REPO_FINISH_SCAN);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, k->repo_id);
	sqlite3_bind_text(s, 2, head, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(s, 4, sum ? sum->truncated_at : "", -1, SQLITE_STATIC);
	if (store_step_done(k->st, s, "cannot record the scanned head") < 0)
		goto fail;
	return sink_flush(k);
fail:
	store_txn_rollback(k->st);
	return CARRY_ERR;
}

int store_sink_new(struct store_sink **out, struct store *st, int64_t repo_id,
                   unsigned batch_commits)
{
	struct store_sink *k = xcalloc(1, sizeof(*k));
	k->st = st;
	k->repo_id = repo_id;
	k->batch = batch_commits ? batch_commits : SINK_DEFAULT_BATCH;
	k->iface = (struct fact_sink){
		.ctx = k,
		.known = sink_known,
		.begin = sink_begin,
		.forget = sink_forget,
		.commit = sink_commit,
		.problem = sink_problem,
		.flush = sink_flush,
		.finish = sink_finish,
		.lines_head = sink_lines_head,
		.lines_commits = sink_lines_commits,
		.lines_state = sink_lines_state,
		.lines_rows = sink_lines_rows,
		.lines_save = sink_lines_save,
	};
	*out = k;
	return 0;
}

struct fact_sink *store_sink_iface(struct store_sink *s)
{
	return &s->iface;
}

void store_sink_free(struct store_sink *s)
{
	if (!s)
		return;
	/* An unflushed batch is dropped: the scan did not reach a flush. */
	store_txn_rollback(s->st);
	free(s);
}
