/*
 * The named-statement table: each statement of STORE_STATEMENTS is
 * prepared once, on first use, and reused; callers always bind parameters.
 */
#include <string.h>

#include "carry/error.h"
#include "store_int.h"

static const char *const statement_sql[STMT__COUNT] = {
#define X(name, sql) [STMT_##name] = sql,
	STORE_STATEMENTS(X)
#undef X
};

int store_db_error(struct store *st, const char *what)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : "out of memory";
	return carry_error(CARRY_ERR, "%s: %s: %s", st->path, what, msg);
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id)
{
	sqlite3_stmt *s = st->stmts[id];
	if (!s) {
		if (sqlite3_prepare_v3(st->db, statement_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		                       &s, NULL) != SQLITE_OK) {
			store_db_error(st, "cannot prepare a statement");
			return NULL;
		}
		st->stmts[id] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

sqlite3_stmt *store_stmt_repo(struct store *st, enum store_stmt id, int64_t repo_id)
{
	sqlite3_stmt *s = store_stmt(st, id);
	if (s)
		sqlite3_bind_int64(s, 1, repo_id);
	return s;
}

int store_step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_db_error(st, what);
		sqlite3_reset(s);
		return CARRY_ERR;
	}
	sqlite3_reset(s);
	return 0;
}

void store_bind_text(sqlite3_stmt *s, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(s, idx, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, idx);
}

int store_txn_begin(struct store *st)
{
	if (st->txn_depth)
		return 0;
	sqlite3_stmt *s = store_stmt(st, STMT_BEGIN_IMMEDIATE);
	if (!s || store_step_done(st, s, "cannot start a transaction") < 0)
		return CARRY_ERR;
	st->txn_depth = 1;
	return 0;
}

int store_txn_commit(struct store *st)
{
	if (!st->txn_depth)
		return 0;
	sqlite3_stmt *s = store_stmt(st, STMT_COMMIT);
	if (!s || store_step_done(st, s, "cannot commit") < 0) {
		store_txn_rollback(st);
		return CARRY_ERR;
	}
	st->txn_depth = 0;
	return 0;
}

void store_txn_rollback(struct store *st)
{
	if (!st->txn_depth)
		return;
	sqlite3_stmt *s = store_stmt(st, STMT_ROLLBACK);
	if (s)
		sqlite3_step(s);
	if (s)
		sqlite3_reset(s);
	st->txn_depth = 0;
}

/* Fills a table from a statement whose columns match `cols` in order. */
int store_fill_table(struct store *st, sqlite3_stmt *s, const struct table_col *cols, size_t ncols,
                      struct table *out, const char *what)
{
	table_init(out, cols, ncols);
	if (!s)
		return CARRY_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct table_cell *row = table_add_row(out);
		for (size_t c = 0; c < ncols; c++) {
			if (sqlite3_column_type(s, (int)c) == SQLITE_NULL)
				continue;
			if (cols[c].type == COL_STR || cols[c].type == COL_LIST)
				cell_set_str(&row[c], (const char *)sqlite3_column_text(s, (int)c));
			else
				cell_set_int(&row[c], sqlite3_column_int64(s, (int)c));
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_error(st, what);
}
