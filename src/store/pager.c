/* The store's answers to "who carries the pager": service globs, services
 * of a team, and the shifts covering a moment. */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "store_int.h"

static char *col_str(sqlite3_stmt *s, int c)
{
	const char *v = (const char *)sqlite3_column_text(s, c);
	return xstrdup(v ? v : "");
}

void service_ref_clear(struct service_ref *s)
{
	free(s->name);
	free(s->team);
	free(s->rotation);
	memset(s, 0, sizeof(*s));
}

/* Reads columns (id, name, team, rotation, rotation_id) from `first`. */
static void read_service(sqlite3_stmt *s, int first, struct service_ref *out)
{
	out->id = sqlite3_column_int64(s, first);
	out->name = col_str(s, first + 1);
	out->team = col_str(s, first + 2);
	out->rotation = col_str(s, first + 3);
	out->rotation_id = sqlite3_column_int64(s, first + 4);
}

int store_service_globs(struct store *st,
                        int (*cb)(const char *glob, const struct service_ref *s, void *payload),
                        void *payload)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PAGER_GLOBS);
	if (!s)
		return CARRY_ERR;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct service_ref ref;
		read_service(s, 1, &ref);
		stop = cb((const char *)sqlite3_column_text(s, 0), &ref, payload);
		service_ref_clear(&ref);
	}
	sqlite3_reset(s);
	return stop || rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read services");
}

int store_services_of_team(struct store *st, const char *team, struct service_ref *out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PAGER_SERVICES_OF_TEAM);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, team, -1, SQLITE_STATIC);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((*n)++ == 0)
			read_service(s, 0, out);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read services");
}

int store_all_services(struct store *st,
                       int (*cb)(const struct service_ref *s, void *payload), void *payload)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PAGER_ALL_SERVICES);
	if (!s)
		return CARRY_ERR;
	int rc, err = 0;
	/* Collected first: the callback may run other statements. */
	struct service_ref *refs = NULL;
	size_t n = 0, cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		xgrow(&refs, &cap, n + 1, sizeof(*refs));
		read_service(s, 0, &refs[n++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		err = store_db_error(st, "cannot read services");
	for (size_t i = 0; i < n; i++) {
		if (!err)
			err = cb(&refs[i], payload);
		service_ref_clear(&refs[i]);
	}
	free(refs);
	return err;
}

static void read_on_call(sqlite3_stmt *s, struct on_call *c)
{
	c->level = sqlite3_column_int(s, 0);
	c->name = col_str(s, 1);
	c->email = col_str(s, 2);
	c->until = sqlite3_column_int64(s, 3);
}

void on_call_clear(struct on_call *c)
{
	free(c->name);
	free(c->email);
	memset(c, 0, sizeof(*c));
}

int store_on_call(struct store *st, int64_t rotation_id, int64_t t, struct on_call **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PAGER_ON_CALL);
	*out = NULL;
	*n = 0;
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, rotation_id);
	sqlite3_bind_int64(s, 2, t);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		xgrow(out, &cap, *n + 1, sizeof(**out));
		read_on_call(s, &(*out)[(*n)++]);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read shifts");
}

int store_next_on_call(struct store *st, int64_t rotation_id, int64_t t, struct on_call *out,
                       bool *found)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PAGER_NEXT);
	*found = false;
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, rotation_id);
	sqlite3_bind_int64(s, 2, t);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_on_call(s, out);
		*found = true;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read shifts");
}

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
