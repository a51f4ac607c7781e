/*
 * Reading whole tables row by row for the analyses (store.h, "everything,
 * row by row"): one pass per query, the row handed to a callback while
 * the statement is on it, so nothing is copied twice.
 */
#include "carry/error.h"
#include "store_int.h"

struct store_row {
	sqlite3_stmt *s;
};

static const enum store_stmt row_stmt[] = {
	[ROWS_COMMITS] = STMT_ROWS_COMMITS,
	[ROWS_CHANGES] = STMT_ROWS_CHANGES,
	[ROWS_LINE_FILES] = STMT_ROWS_LINE_FILES,
	[ROWS_LINE_RUNS] = STMT_ROWS_LINE_RUNS,
	[ROWS_PEOPLE] = STMT_ROWS_PEOPLE,
	[ROWS_EMAILS] = STMT_ROWS_EMAILS,
	[ROWS_HANDLES] = STMT_ROWS_HANDLES,
	[ROWS_ROTATIONS] = STMT_ROWS_ROTATIONS,
	[ROWS_SHIFTS] = STMT_ROWS_SHIFTS,
	[ROWS_SERVICES] = STMT_ROWS_SERVICES,
	[ROWS_GLOBS] = STMT_ROWS_GLOBS,
	[ROWS_INCIDENTS] = STMT_ROWS_INCIDENTS,
	[ROWS_INCIDENT_PATHS] = STMT_ROWS_INCIDENT_PATHS,
};

int64_t store_row_int(const struct store_row *r, int col)
{
	return sqlite3_column_int64(r->s, col);
}

const char *store_row_text(const struct store_row *r, int col)
{
	const unsigned char *t = sqlite3_column_text(r->s, col);
	return t ? (const char *)t : "";
}

size_t store_row_len(const struct store_row *r, int col)
{
	return (size_t)sqlite3_column_bytes(r->s, col);
}

bool store_row_null(const struct store_row *r, int col)
{
	return sqlite3_column_type(r->s, col) == SQLITE_NULL;
}

int store_each_row(struct store *st, enum store_rows q, int64_t repo_id,
                   int (*cb)(const struct store_row *r, void *payload), void *payload)
{
	sqlite3_stmt *s = store_stmt(st, row_stmt[q]);
	if (!s)
		return CARRY_ERR;
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, repo_id);
	struct store_row row = { s };
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW)
		stop = cb(&row, payload);
	sqlite3_reset(s);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read the database");
}
