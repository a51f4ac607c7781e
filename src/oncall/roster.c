/*
 * `carry import roster FILE`: people, their emails, handles and teams.
 * A person is keyed by the roster's person_id, so importing the same file
 * twice changes nothing, and an edited file updates people in place.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "import.h"

enum { C_ID, C_NAME, C_EMAILS, C_TEAM, C_JOINED, C_LEFT, C_BOT, C_HANDLES };
static const char *const roster_columns[] = {
	"person_id", "name", "emails", "team", "joined_on", "left_on", "is_bot", "handles", NULL,
};

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "1", "y" };
	static const char *const no[] = { "false", "no", "0", "n", "" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	return -1;
}

static int check_unique_ids(const struct csv_table *t, const int *col, void *ctx)
{
	(void)ctx;
	return check_unique(t, col[C_ID], "person_id");
}

static int put_row(struct store *st, const struct csv_table *t, size_t r, const int *col, void *ctx)
{
	(void)ctx;
	char **f = t->rows[r];
	struct roster_person p = { .person_key = f[col[C_ID]], .name = f[col[C_NAME]],
	                           .team = f[col[C_TEAM]] };
	char **emails = NULL, **handles = NULL;
	int rc;

	if (!p.person_key[0]) {
		rc = field_error(t, r, col[C_ID], "person_id is empty");
		goto out;
	}
	if (!p.name[0]) {
		rc = field_error(t, r, col[C_NAME], "name is empty");
		goto out;
	}
	p.nemails = split_list(f[col[C_EMAILS]], true, &emails);
	for (size_t i = 0; i < p.nemails; i++)
		if (!strchr(emails[i], '@') || strpbrk(emails[i], " \t<>,")) {
			rc = field_error(t, r, col[C_EMAILS], "'%s' is not an email address", emails[i]);
			goto out;
		}
	p.nhandles = split_list(f[col[C_HANDLES]], true, &handles);
	for (size_t i = 0; i < p.nhandles; i++) {
		if (handles[i][0] == '@')
			memmove(handles[i], handles[i] + 1, strlen(handles[i]));
		if (!handles[i][0] || strpbrk(handles[i], " \t@")) {
			rc = field_error(t, r, col[C_HANDLES], "'%s' is not a handle", handles[i]);
			goto out;
		}
	}
	if ((rc = field_time(t, r, col[C_JOINED], false, &p.joined_on)) < 0 && rc != CARRY_ENOTFOUND)
		goto out;
	p.has_joined = rc == 0;
	if ((rc = field_time(t, r, col[C_LEFT], false, &p.left_on)) < 0 && rc != CARRY_ENOTFOUND)
		goto out;
	p.has_left = rc == 0;
	if (p.has_joined && p.has_left && p.left_on < p.joined_on) {
		rc = field_error(t, r, col[C_LEFT], "left_on is before joined_on");
		goto out;
	}
	if (parse_bool(f[col[C_BOT]], &p.is_bot) < 0) {
		rc = field_error(t, r, col[C_BOT], "is_bot '%s' is not true or false", f[col[C_BOT]]);
		goto out;
	}
	p.emails = (const char *const *)emails;
	p.handles = (const char *const *)handles;
	rc = store_roster_put(st, &p);
	if (rc == CARRY_EINPUT)
		row_error(t, r, rc);
out:
	free_list(emails, p.nemails);
	free_list(handles, p.nhandles);
	return rc;
}

int import_roster(struct store *st, const char *path, bool dry_run, struct import_report *rep)
{
	struct csv_import imp = { .columns = roster_columns, .check = check_unique_ids,
	                          .row = put_row };
	return import_csv(st, path, dry_run, &imp, rep);
}
