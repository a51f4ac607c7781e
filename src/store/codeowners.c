/* The CODEOWNERS file kept per repository, as written (its meaning is
 * src/oncall/codeowners.c's business). */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "store_int.h"

int store_codeowners_put(struct store *st, int64_t repo_id, const char *origin,
                         const char *content, size_t len)
{
	sqlite3_stmt *s = store_stmt(st, content ? STMT_CODEOWNERS_PUT : STMT_CODEOWNERS_DROP);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, repo_id);
	if (content) {
		sqlite3_bind_text(s, 2, origin, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, content, (int)len, SQLITE_STATIC);
	}
	return store_step_done(st, s, "cannot store CODEOWNERS");
}

int store_codeowners_get(struct store *st, int64_t repo_id, struct strbuf *origin,
                         struct strbuf *content)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CODEOWNERS_GET);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, repo_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sb_adds(origin, (const char *)sqlite3_column_text(s, 0));
		sb_add(content, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? CARRY_ENOTFOUND : store_db_error(st, "cannot read CODEOWNERS");
}
