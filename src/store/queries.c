/* Repository bookkeeping and read queries over the kept facts. */
#include <stdio.h>
#include <string.h>

#include "carry/error.h"
#include "store_int.h"

int store_repo_id(struct store *st, const char *key, bool create, int64_t *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_REPO_FIND);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, "cannot look up the repository");
	if (!create)
		return carry_error(CARRY_ENOTFOUND, "%s has not been scanned yet: run 'carry scan'", key);
	s = store_stmt(st, STMT_REPO_CREATE);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (store_step_done(st, s, "cannot add the repository") < 0)
		return CARRY_ERR;
	*out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static void copy_oid(char dst[CARRY_OID_HEXSZ + 1], sqlite3_stmt *s, int col)
{
	const char *v = (const char *)sqlite3_column_text(s, col);
	snprintf(dst, CARRY_OID_HEXSZ + 1, "%s", v ? v : "");
}

int store_repo_state(struct store *st, int64_t repo_id, struct repo_state *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *s = store_stmt(st, STMT_REPO_STATE);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, repo_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		copy_oid(out->head, s, 0);
		copy_oid(out->scan_target, s, 1);
		out->scanned_at = sqlite3_column_int64(s, 2);
		copy_oid(out->truncated_at, s, 3);
		out->commits = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return carry_error(CARRY_ENOTFOUND, "no repository with id %lld", (long long)repo_id);
	return rc == SQLITE_ROW ? 0 : store_db_error(st, "cannot read the repository state");
}

int store_repo_forget_all(struct store *st, int64_t repo_id)
{
	static const enum store_stmt steps[] = {
		STMT_REPO_FORGET_ALL, STMT_REPO_FORGET_PROBLEMS, STMT_REPO_RESET_HEAD,
		STMT_LINES_FORGET_RUNS, STMT_LINES_FORGET_FILES, STMT_LINES_FORGET_HEAD,
	};
	if (store_txn_begin(st) < 0)
		return CARRY_ERR;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *s = store_stmt(st, steps[i]);
		if (!s)
			goto fail;
		sqlite3_bind_int64(s, 1, repo_id);
		if (store_step_done(st, s, "cannot forget the repository's facts") < 0)
			goto fail;
	}
	return store_txn_commit(st);
fail:
	store_txn_rollback(st);
	return CARRY_ERR;
}

static const struct table_col author_cols[] = {
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "commits", "COMMITS", COL_INT, true },
	{ "added", "ADDED", COL_INT, true },
	{ "deleted", "DELETED", COL_INT, true },
	{ "files", "FILES", COL_INT, true },
	{ "first", "FIRST", COL_TIME, false },
	{ "last", "LAST", COL_TIME, false },
};

int store_authors(struct store *st, int64_t repo_id, const char *path,
                  int64_t since, int64_t until, struct table *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_AUTHORS);
	if (s) {
		sqlite3_bind_int64(s, 1, repo_id);
		sqlite3_bind_int64(s, 2, since);
		sqlite3_bind_int64(s, 3, until);
		sqlite3_bind_text(s, 4, path ? path : "", -1, SQLITE_STATIC);
	}
	return store_fill_table(st, s, author_cols, sizeof(author_cols) / sizeof(author_cols[0]), out,
	                        "cannot compute authors");
}
