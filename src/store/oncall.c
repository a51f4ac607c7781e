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
	return store_fill_table(st, store_stmt(st, STMT_PEOPLE_LIST), people_cols,
	                  sizeof(people_cols) / sizeof(*people_cols), out, "cannot list people");
}

int store_rotation_id(struct store *st, const char *name, bool create, int64_t *out)
{
	if (create) {
		sqlite3_stmt *s = store_stmt(st, STMT_ROTATION_PUT);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		if (store_step_done(st, s, "cannot add a rotation") < 0)
			return CARRY_ERR;
	}
	return find_id(st, STMT_ROTATION_FIND, name, out);
}

int store_person_by_email(struct store *st, const char *email, const char *name,
                          int64_t *out, bool *created)
{
	*created = false;
	int rc = find_id(st, STMT_EMAIL_PERSON, email, out);
	if (rc != CARRY_ENOTFOUND)
		return rc;
	sqlite3_stmt *s = store_stmt(st, STMT_PERSON_UNKNOWN_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name && *name ? name : email, -1, SQLITE_STATIC);
	if (store_step_done(st, s, "cannot add a person") < 0)
		return CARRY_ERR;
	*out = sqlite3_last_insert_rowid(st->db);
	s = store_stmt(st, STMT_EMAIL_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, *out);
	if (store_step_done(st, s, "cannot add an email") < 0)
		return CARRY_ERR;
	*created = true;
	return 0;
}

int shift_cmp(const void *a, const void *b)
{
	const struct shift *x = a, *y = b;
#define CMP(f) if (x->f != y->f) return x->f < y->f ? -1 : 1
	CMP(starts_at);
	CMP(ends_at);
	CMP(person_id);
	CMP(level);
#undef CMP
	return 0;
}

int store_shift_put(struct store *st, int64_t rotation_id, const struct shift *sh)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SHIFT_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, rotation_id);
	sqlite3_bind_int64(s, 2, sh->person_id);
	sqlite3_bind_int64(s, 3, sh->starts_at);
	sqlite3_bind_int64(s, 4, sh->ends_at);
	sqlite3_bind_int(s, 5, sh->level);
	return store_step_done(st, s, "cannot add a shift");
}

int store_shifts_keep_only(struct store *st, int64_t rotation_id, int64_t from, int64_t to,
                           const struct shift *keep, size_t n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SHIFTS_IN_RANGE);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_int64(s, 1, rotation_id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	int64_t *doomed = NULL;
	size_t ndoomed = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct shift have = { sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
		                      sqlite3_column_int64(s, 3), sqlite3_column_int(s, 4) };
		if (!bsearch(&have, keep, n, sizeof(*keep), shift_cmp)) {
			xgrow(&doomed, &cap, ndoomed + 1, sizeof(*doomed));
			doomed[ndoomed++] = sqlite3_column_int64(s, 0);
		}
	}
	sqlite3_reset(s);
	rc = rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read shifts");
	for (size_t i = 0; rc == 0 && i < ndoomed; i++) {
		s = store_stmt(st, STMT_SHIFT_DELETE);
		if (!s) {
			rc = CARRY_ERR;
			break;
		}
		sqlite3_bind_int64(s, 1, doomed[i]);
		rc = store_step_done(st, s, "cannot replace shifts");
	}
	free(doomed);
	return rc;
}

/* Runs a statement whose only parameter is `text` (or none when NULL). */
static int run_text(struct store *st, enum store_stmt id, const char *text, const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id);
	if (!s)
		return CARRY_ERR;
	if (text)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	return store_step_done(st, s, what);
}

int store_services_keep_only(struct store *st, const char *names)
{
	return run_text(st, STMT_SERVICES_KEEP_ONLY, names, "cannot replace services");
}

int store_service_put(struct store *st, const char *name, const char *team, const char *rotation,
                      int64_t *out)
{
	int64_t tid = 0, rid = 0;
	if (team[0] && team_id(st, team, &tid) < 0)
		return CARRY_ERR;
	if (rotation[0] && store_rotation_id(st, rotation, true, &rid) < 0)
		return CARRY_ERR;
	sqlite3_stmt *s = store_stmt(st, STMT_SERVICE_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (team[0])
		sqlite3_bind_int64(s, 2, tid);
	if (rotation[0])
		sqlite3_bind_int64(s, 3, rid);
	if (store_step_done(st, s, "cannot add a service") < 0)
		return CARRY_ERR;
	return find_id(st, STMT_SERVICE_FIND, name, out);
}

/* Are the stored globs exactly these, in this order? */
static int globs_equal(struct store *st, const struct service_glob *globs, size_t n, bool *equal)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SERVICE_GLOBS_LIST);
	if (!s)
		return CARRY_ERR;
	size_t i = 0;
	int rc;
	*equal = true;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (i >= n || sqlite3_column_int64(s, 0) != globs[i].service_id ||
		    strcmp((const char *)sqlite3_column_text(s, 1), globs[i].glob) != 0)
			*equal = false;
		i++;
	}
	sqlite3_reset(s);
	if (i != n)
		*equal = false;
	return rc == SQLITE_DONE ? 0 : store_db_error(st, "cannot read service paths");
}

int store_service_globs_set(struct store *st, const struct service_glob *globs, size_t n)
{
	bool equal;
	int rc = globs_equal(st, globs, n, &equal);
	if (rc < 0 || equal)
		return rc;
	if ((rc = run_text(st, STMT_SERVICE_GLOBS_CLEAR, NULL, "cannot replace services")) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, STMT_SERVICE_GLOB_ADD);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_int64(s, 2, globs[i].service_id);
		sqlite3_bind_text(s, 3, globs[i].glob, -1, SQLITE_STATIC);
		if ((rc = store_step_done(st, s, "cannot add a service path")) < 0)
			return rc;
	}
	return 0;
}

int store_incident_put(struct store *st, const struct incident *in)
{
	int64_t sid = 0;
	if (in->service[0]) {
		int rc = find_id(st, STMT_SERVICE_FIND, in->service, &sid);
		if (rc == CARRY_ENOTFOUND)
			return carry_error(CARRY_EINPUT, "unknown service '%s' (import the services first)",
			                   in->service);
		if (rc < 0)
			return rc;
	}
	sqlite3_stmt *s = store_stmt(st, STMT_INCIDENT_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, in->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, in->title, -1, SQLITE_STATIC);
	if (in->service[0])
		sqlite3_bind_int64(s, 3, sid);
	sqlite3_bind_text(s, 4, in->severity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, in->started_at);
	if (in->resolved)
		sqlite3_bind_int64(s, 6, in->resolved_at);
	sqlite3_bind_text(s, 7, in->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, in->url, -1, SQLITE_STATIC);
	if (store_step_done(st, s, "cannot add an incident") < 0)
		return CARRY_ERR;
	struct strbuf list = STRBUF_INIT;
	newline_list(&list, in->paths, in->npaths);
	s = store_stmt(st, STMT_INCIDENT_PATHS_DROP_OTHERS);
	int rc = CARRY_ERR;
	if (s) {
		sqlite3_bind_text(s, 1, in->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, list.ptr, -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "cannot update incident paths");
	}
	sb_free(&list);
	for (size_t i = 0; rc == 0 && i < in->npaths; i++) {
		s = store_stmt(st, STMT_INCIDENT_PATH_PUT);
		if (!s)
			return CARRY_ERR;
		sqlite3_bind_text(s, 1, in->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, in->paths[i], -1, SQLITE_STATIC);
		rc = store_step_done(st, s, "cannot add an incident path");
	}
	return rc;
}

static const struct table_col service_cols[] = {
	{ "service", "SERVICE", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "path_globs", "PATHS", COL_LIST, false },
};

int store_services(struct store *st, struct table *out)
{
	return store_fill_table(st, store_stmt(st, STMT_SERVICES_LIST), service_cols,
	                  sizeof(service_cols) / sizeof(*service_cols), out, "cannot list services");
}

static const struct table_col rotation_cols[] = {
	{ "rotation", "ROTATION", COL_STR, false },
	{ "shifts", "SHIFTS", COL_INT, true },
	{ "first", "FROM", COL_TIME, false },
	{ "last", "UNTIL", COL_TIME, false },
	{ "people", "PEOPLE", COL_INT, true },
	{ "services", "SERVICES", COL_INT, true },
};

int store_rotations(struct store *st, struct table *out)
{
	return store_fill_table(st, store_stmt(st, STMT_ROTATIONS_LIST), rotation_cols,
	                  sizeof(rotation_cols) / sizeof(*rotation_cols), out, "cannot list rotations");
}

static const struct table_col incident_cols[] = {
	{ "incident_id", "ID", COL_STR, false },
	{ "title", "TITLE", COL_STR, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "severity", "SEV", COL_STR, false },
	{ "started_at", "STARTED", COL_TIME, false },
	{ "resolved_at", "RESOLVED", COL_TIME, false },
	{ "status", "STATUS", COL_STR, false },
	{ "paths", "PATHS", COL_LIST, false },
	{ "url", "URL", COL_STR, false },
};

int store_incidents(struct store *st, int64_t since, int64_t until, struct table *out)
{
	sqlite3_stmt *s = store_stmt(st, STMT_INCIDENTS_LIST);
	if (s) {
		sqlite3_bind_int64(s, 1, since);
		sqlite3_bind_int64(s, 2, until);
	}
	return store_fill_table(st, s, incident_cols, sizeof(incident_cols) / sizeof(*incident_cols), out,
	                  "cannot list incidents");
}

int store_person_by_name(struct store *st, const char *name, int64_t *out, bool *created)
{
	*created = false;
	sqlite3_stmt *s = store_stmt(st, STMT_NAME_PERSON);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int rc, n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (n++ == 0)
			*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_error(st, "cannot look up a person");
	if (n > 1)
		return carry_error(CARRY_EINPUT, "two people are called '%s'; the schedule must name "
		                   "them by email", name);
	if (n == 1)
		return 0;
	s = store_stmt(st, STMT_PERSON_NAMED_PUT);
	if (!s)
		return CARRY_ERR;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (store_step_done(st, s, "cannot add a person") < 0)
		return CARRY_ERR;
	*created = true;
	return find_id(st, STMT_NAME_PERSON, name, out);
}
