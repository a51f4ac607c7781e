/* The on-call side of the store: people, teams and what imports write. */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "store_int.h"

int store_import_begin(struct store *st)
{
	int rc = store_txn_begin(st);
	if (rc == 0)
		st->changes_at_begin = sqlite3_total_changes64(st->db);
	return rc;
}

int store_import_end(struct store *st, bool commit)
{
	if (commit)
		return store_txn_commit(st);
	store_txn_rollback(st);
	return 0;
}

int64_t store_import_changes(struct store *st)
{
	return sqlite3_total_changes64(st->db) - st->changes_at_begin;
}

/* Runs `id` with one text parameter and returns its first column as an
 * id in *out; CARRY_ENOTFOUND when there is no row. */
static int find_id(struct store *st, enum store_stmt id, const char *key, int64_t *out)
{
	sqlite3_stmt *s = store_stmt(st, id);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? CARRY_ENOTFOUND : store_db_error(st, "lookup failed");
}

static int team_id(struct store *st, const char *name, int64_t *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_TEAM_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (store_step_done(st, s, "cannot add a team") < 0)
		return CARRY_ERR;
	return find_id(st, STMT_TEAM_FIND, name, out);
}

/* The list as "\nitem\nitem\n", for the DROP_OTHERS statements. */
static void newline_list(struct strbuf *sb, const char *const *items, size_t n)
{
	sb_addc(sb, '\n');
	for (size_t i = 0; i < n; i++)
		sb_addf(sb, "%s\n", items[i]);
}

static int put_emails(struct store *st, int64_t pid, const struct roster_person *p)
{
	for (size_t i = 0; i < p->nemails; i++) {
		sqlite3_stmt *s = store_stmt(st, STMT_EMAIL_OWNER);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_text(s, 1, p->emails[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		int64_t owner = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
		char *owner_key = rc == SQLITE_ROW ? xstrdup((const char *)sqlite3_column_text(s, 1)) : NULL;
		bool owner_on_roster = rc == SQLITE_ROW && sqlite3_column_int(s, 2);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_error(st, "cannot look up an email");
		if (owner >= 0 && owner != pid) {
			if (owner_on_roster) {
				int e = carry_error(CARRY_EINPUT, "email %s already belongs to person '%s'",
				                    p->emails[i], owner_key);
				free(owner_key);
				return e;
			}
			/* Someone met only in a schedule turns out to be this person. */
			sqlite3_stmt *m = store_stmt(st, STMT_PERSON_ABSORB_SHIFTS);
			if (!m)
				return CARRY_ERR;
			sqlite3_bind_int64(m, 1, owner);
			sqlite3_bind_int64(m, 2, pid);
			if (store_step_done(st, m, "cannot merge a person") < 0)
				return CARRY_ERR;
			m = store_stmt(st, STMT_PERSON_DELETE);
			if (!m)
				return CARRY_ERR;
			sqlite3_bind_int64(m, 1, owner);
			if (store_step_done(st, m, "cannot merge a person") < 0)
				return CARRY_ERR;
		}
		free(owner_key);
		s = store_stmt(st, STMT_EMAIL_PUT);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_text(s, 1, p->emails[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, pid);
		if (store_step_done(st, s, "cannot add an email") < 0)
			return CARRY_ERR;
	}
	return 0;
}

static int put_handles(struct store *st, int64_t pid, const struct roster_person *p)
{
	for (size_t i = 0; i < p->nhandles; i++) {
		int64_t owner;
		int rc = find_id(st, STMT_HANDLE_OWNER, p->handles[i], &owner);
		if (rc == 0 && owner != pid)
			return carry_error(CARRY_EINPUT, "handle @%s already belongs to another person",
			                   p->handles[i]);
		if (rc < 0 && rc != CARRY_ENOTFOUND)
			return rc;
		sqlite3_stmt *s = store_stmt(st, STMT_HANDLE_PUT);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_text(s, 1, p->handles[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, pid);
		if (store_step_done(st, s, "cannot add a handle") < 0)
			return CARRY_ERR;
	}
	return 0;
}

static int drop_others(struct store *st, enum store_stmt id, int64_t pid,
                       const char *const *items, size_t n)
{
	struct strbuf list = STRBUF_INIT;
	newline_list(&list, items, n);
	sqlite3_stmt *s = store_stmt(st, id);
	int rc = CARRY_ERR;
	if (s) {
		sqlite3_bind_int64(s, 1, pid);
		sqlite3_bind_text(s, 2, list.ptr, -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "cannot update a person");
	}
	sb_free(&list);
	return rc;
}

int store_roster_put(struct store *st, const struct roster_person *p)
{
	int64_t tid = 0, pid;
	if (p->team[0] && team_id(st, p->team, &tid) < 0)
		return CARRY_ERR;
	sqlite3_stmt *s = store_stmt(st, STMT_PERSON_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, p->person_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->name, -1, SQLITE_STATIC);
	if (p->team[0])
		sqlite3_bind_int64(s, 3, tid);
	if (p->has_joined)
		sqlite3_bind_int64(s, 4, p->joined_on);
	if (p->has_left)
		sqlite3_bind_int64(s, 5, p->left_on);
	sqlite3_bind_int(s, 6, p->is_bot);
	if (store_step_done(st, s, "cannot add a person") < 0)
		return CARRY_ERR;
	int rc = find_id(st, STMT_PERSON_FIND, p->person_key, &pid);
	if (rc < 0)
		return rc == CARRY_ENOTFOUND ? store_db_error(st, "person vanished") : rc;
	if ((rc = drop_others(st, STMT_EMAIL_DROP_OTHERS, pid, p->emails, p->nemails)) < 0 ||
	    (rc = drop_others(st, STMT_HANDLE_DROP_OTHERS, pid, p->handles, p->nhandles)) < 0 ||
	    (rc = put_emails(st, pid, p)) < 0 || (rc = put_handles(st, pid, p)) < 0)
		return rc;
	return 0;
}

static const struct table_col people_cols[] = {
	{ "name", "NAME", COL_STR, false },
	{ "emails", "EMAILS", COL_LIST, false },
	{ "team", "TEAM", COL_STR, false },
	{ "joined_on", "JOINED", COL_TIME, false },
	{ "left_on", "LEFT", COL_TIME, false },
	{ "is_bot", "BOT", COL_BOOL, false },
	{ "on_roster", "ROSTER", COL_BOOL, false },
	{ "handles", "HANDLES", COL_LIST, false },
};

int store_people(struct store *st, struct table *out)
{
	table_init(out, people_cols, sizeof(people_cols) / sizeof(people_cols[0]));
	sqlite3_stmt *s = store_stmt(st, STMT_PEOPLE_LIST);
	if (!s)
		return CARRY_ERR;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct table_cell *row = table_add_row(out);
		for (int c = 0; c < 8; c++) {
			if (sqlite3_column_type(s, c) == SQLITE_NULL)
				continue;
			if (people_cols[c].type == COL_STR || people_cols[c].type == COL_LIST)
				cell_set_str(&row[c], (const char *)sqlite3_column_text(s, c));
			else
				cell_set_int(&row[c], sqlite3_column_int64(s, c));
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot list people");
}
