/*
 * `carry check`: is the database sound?  SQLite's own integrity and
 * foreign-key checks, the schema compared with the one this build would
 * create, and carry's invariants (the kept commits of a repository are
 * closed under "parent of"; merges carry no changes).
 */
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "store_int.h"

/* Appends each row's first column, one per line; returns the row count or
 * CARRY_ERR. */
static int collect(struct store *st, sqlite3_stmt *s, struct strbuf *out, const char *prefix)
{
	int rc, n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int cols = sqlite3_column_count(s);
		sb_adds(out, prefix);
		for (int c = 0; c < cols; c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);
			sb_addf(out, "%s%s", c ? " " : "", v ? v : "NULL");
		}
		sb_addc(out, '\n');
		n++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? n : store_db_error(st, "check failed");
}

/* The schema this build creates, read back from a fresh in-memory database. */
static int expected_schema(struct store *st, struct strbuf *out)
{
	struct store mem = { 0 };
	mem.path = (char *)":memory:";
	int rc = CARRY_ERR;
	if (sqlite3_open(":memory:", &mem.db) != SQLITE_OK || store_migrate(&mem) < 0) {
		store_db_error(&mem, "cannot build the reference schema");
		goto out;
	}
	sqlite3_stmt *s = store_stmt(&mem, STMT_CHECK_SCHEMA);
	if (s && collect(&mem, s, out, "") >= 0)
		rc = 0;
out:
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(mem.stmts[i]);
	sqlite3_close(mem.db);
	(void)st;
	return rc;
}

int store_check(struct store *st, struct strbuf *report)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	size_t start = report->len;
	int rc = CARRY_ERR;

	sqlite3_stmt *s = store_stmt(st, STMT_CHECK_INTEGRITY);
	if (!s || collect(st, s, &got, "") < 0)
		goto out;
	if (strcmp(sb_str(&got), "ok\n") != 0)
		sb_addf(report, "integrity: %s", sb_str(&got));

	s = store_stmt(st, STMT_CHECK_FOREIGN_KEYS);
	if (!s || collect(st, s, report, "foreign key violation: ") < 0)
		goto out;

	sb_reset(&got);
	s = store_stmt(st, STMT_CHECK_SCHEMA);
	if (!s || collect(st, s, &got, "") < 0 || expected_schema(st, &want) < 0)
		goto out;
	if (strcmp(sb_str(&got), sb_str(&want)) != 0)
		sb_addf(report, "schema differs from the one this carry creates (version %d)\n",
		        store_schema_version());

	s = store_stmt(st, STMT_CHECK_CLOSURE);
	if (!s || collect(st, s, report, "commit whose parent is not kept: ") < 0)
		goto out;
	s = store_stmt(st, STMT_CHECK_PARENT_COUNT);
	if (!s || collect(st, s, report, "parent count disagrees with parents: ") < 0)
		goto out;
	s = store_stmt(st, STMT_CHECK_MERGE_CHANGES);
	if (!s || collect(st, s, report, "merge commit with changes: ") < 0)
		goto out;
	rc = report->len == start ? 0 : CARRY_ERR;
	if (rc < 0)
		carry_error(CARRY_ERR, "%s: check found problems", st->path);
out:
	sb_free(&got);
	sb_free(&want);
	return rc;
}
