/*
 * `carry import roster FILE`: people, their emails, handles and teams.
 * A person is keyed by the roster's person_id, so importing the same file
 * twice changes nothing, and an edited file updates people in place.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "carry/timeutil.h"
#include "csvread.h"

enum { C_ID, C_NAME, C_EMAILS, C_TEAM, C_JOINED, C_LEFT, C_BOT, C_HANDLES, C_COUNT };
static const char *const roster_columns[] = {
	"person_id", "name", "emails", "team", "joined_on", "left_on", "is_bot", "handles", NULL,
};

/* Splits "a; b;c" at ';' into trimmed, lower-cased, non-empty items. */
static size_t split_list(const char *s, char ***out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	while (*s) {
		const char *end = strchr(s, ';');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *a = s, *b = s + len;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (b > a) {
			xgrow(out, &cap, n + 1, sizeof(**out));
			char *item = xstrndup(a, (size_t)(b - a));
			for (char *c = item; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			(*out)[n++] = item;
		}
		s += len + (end != NULL);
	}
	return n;
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

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

/* Validates and stores one row; errors name PATH:LINE:COLUMN. */
static int put_row(struct store *st, const struct csv_table *t, size_t r, const int *col)
{
	char **f = t->rows[r];
	const char *path = t->path;
	size_t line = t->row_line[r];
	struct roster_person p = { .person_key = f[col[C_ID]], .name = f[col[C_NAME]],
	                           .team = f[col[C_TEAM]] };
	char **emails = NULL, **handles = NULL;
	int rc = CARRY_EINPUT;

	/* BAD(column, format, argument): a FILE:LINE:COLUMN error. */
#define BAD(c, fmt, arg) do { \
		carry_error(CARRY_EINPUT, "%s:%zu:%d: " fmt, path, line, col[c] + 1, arg); \
		goto out; \
	} while (0)
	if (!p.person_key[0])
		BAD(C_ID, "%s is empty", "person_id");
	if (!p.name[0])
		BAD(C_NAME, "%s is empty", "name");
	p.nemails = split_list(f[col[C_EMAILS]], &emails);
	for (size_t i = 0; i < p.nemails; i++)
		if (!strchr(emails[i], '@') || strpbrk(emails[i], " \t<>,"))
			BAD(C_EMAILS, "'%s' is not an email address", emails[i]);
	p.nhandles = split_list(f[col[C_HANDLES]], &handles);
	for (size_t i = 0; i < p.nhandles; i++) {
		if (handles[i][0] == '@')
			memmove(handles[i], handles[i] + 1, strlen(handles[i]));
		if (!handles[i][0] || strpbrk(handles[i], " \t@"))
			BAD(C_HANDLES, "'%s' is not a handle", handles[i]);
	}
	if (f[col[C_JOINED]][0]) {
		if (time_parse_iso(f[col[C_JOINED]], &p.joined_on) < 0)
			BAD(C_JOINED, "joined_on '%s' is not an ISO 8601 date", f[col[C_JOINED]]);
		p.has_joined = true;
	}
	if (f[col[C_LEFT]][0]) {
		if (time_parse_iso(f[col[C_LEFT]], &p.left_on) < 0)
			BAD(C_LEFT, "left_on '%s' is not an ISO 8601 date", f[col[C_LEFT]]);
		p.has_left = true;
	}
	if (p.has_joined && p.has_left && p.left_on < p.joined_on)
		BAD(C_LEFT, "%s is before joined_on", "left_on");
	if (parse_bool(f[col[C_BOT]], &p.is_bot) < 0)
		BAD(C_BOT, "is_bot '%s' is not true or false", f[col[C_BOT]]);
#undef BAD
	p.emails = (const char *const *)emails;
	p.handles = (const char *const *)handles;
	rc = store_roster_put(st, &p);
	if (rc == CARRY_EINPUT) {
		char where[512];
		snprintf(where, sizeof(where), "%s:%zu", path, line);
		carry_error_prefix(CARRY_EINPUT, where);
	}
out:
	free_list(emails, p.nemails);
	free_list(handles, p.nhandles);
	return rc;
}

struct id_ref {
	const char *id;
	size_t row;
};

static int cmp_id_ref(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* person_id must be unique within the file (sorted, not pairwise: a
 * hostile file may have a million rows). */
static int check_unique_ids(const struct csv_table *t, int col)
{
	struct id_ref *refs = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*refs));
	for (size_t r = 0; r < t->nrows; r++)
		refs[r] = (struct id_ref){ t->rows[r][col], r };
	qsort(refs, t->nrows, sizeof(*refs), cmp_id_ref);
	int rc = 0;
	for (size_t i = 1; i < t->nrows && rc == 0; i++)
		if (refs[i].id[0] && !strcmp(refs[i].id, refs[i - 1].id))
			rc = carry_error(CARRY_EINPUT, "%s:%zu:%d: person_id '%s' is already on line %zu",
			                 t->path, t->row_line[refs[i].row], col + 1, refs[i].id,
			                 t->row_line[refs[i - 1].row]);
	free(refs);
	return rc;
}

int import_roster(struct store *st, const char *path, bool dry_run, struct import_report *rep)
{
	struct csv_table t = { 0 };
	int col[C_COUNT];
	int rc = csv_read_file(&t, path, roster_columns);
	if (rc < 0)
		return rc;
	for (int c = 0; c < C_COUNT; c++)
		col[c] = csv_column(&t, roster_columns[c]);

	if ((rc = check_unique_ids(&t, col[C_ID])) < 0)
		goto out;
	if ((rc = store_import_begin(st)) < 0)
		goto out;
	for (size_t r = 0; r < t.nrows && rc == 0; r++)
		rc = put_row(st, &t, r, col);
	rep->rows = t.nrows;
	rep->changes = store_import_changes(st);
	int end = store_import_end(st, rc == 0 && !dry_run);
	if (rc == 0)
		rc = end;
out:
	csv_table_free(&t);
	return rc;
}
