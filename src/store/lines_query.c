/*
 * Reading the line engine's results: one file's origins (`carry blame`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "sink_int.h"

int store_blame(struct store *st, int64_t repo_id, const char *path, struct blame_file *out)
{
	memset(out, 0, sizeof(*out));
	int rc = store_lines_head(st, repo_id, out->lines_head);
	if (rc < 0)
		return rc;
	if (!out->lines_head[0])
		return CARRY_ENOTFOUND;

	sqlite3_stmt *s = store_stmt_repo(st, STMT_BLAME_FILE, repo_id);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->nlines = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return CARRY_ENOTFOUND;
	if (rc != SQLITE_ROW)
		return store_db_error(st, "cannot read line origins");

	if (!(s = store_stmt_repo(st, STMT_BLAME_RUNS, repo_id)))
		return CARRY_ERR;
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	size_t cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		xgrow(&out->runs, &cap, out->nruns + 1, sizeof(*out->runs));
		struct blame_run *r = &out->runs[out->nruns++];
		r->start = sqlite3_column_int64(s, 0);
		r->count = sqlite3_column_int64(s, 1);
		snprintf(r->oid, sizeof(r->oid), "%s", (const char *)sqlite3_column_text(s, 2));
		r->name = xstrdup((const char *)sqlite3_column_text(s, 3));
		r->email = xstrdup((const char *)sqlite3_column_text(s, 4));
		r->time = sqlite3_column_int64(s, 5);
		r->tz = sqlite3_column_int(s, 6);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read line origins");
}

void blame_file_free(struct blame_file *f)
{
	for (size_t i = 0; i < f->nruns; i++) {
		free(f->runs[i].name);
		free(f->runs[i].email);
	}
	free(f->runs);
	memset(f, 0, sizeof(*f));
}
