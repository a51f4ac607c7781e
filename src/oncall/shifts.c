/*
 * `carry import shifts FILE`: rotation,email,starts_at,ends_at,level.
 * Shifts are half-open [starts_at, ends_at); overlapping levels are kept.
 * Re-importing replaces, per rotation, the shifts that start within the
 * file's time range for that rotation, so the same file twice changes
 * nothing and a corrected export replaces what it covers.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/ascii.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "import.h"

enum { C_ROTATION, C_EMAIL, C_START, C_END, C_LEVEL };
static const char *const shift_columns[] = { "rotation", "email", "starts_at", "ends_at", "level", NULL };

struct parsed {
	int64_t rotation_id;
	struct shift sh;
};

struct shifts_ctx {
	struct parsed *rows;
	struct import_report *rep;
};

static int parse_level(const char *s, int *out)
{
	if (!s[0]) {
		*out = 1;
		return 0;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 99)
		return -1;
	*out = (int)v;
	return 0;
}

/* Everything is checked before anything is written. */
static int check(const struct csv_table *t, const int *col, void *ctx)
{
	struct shifts_ctx *x = ctx;
	x->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*x->rows));
	for (size_t r = 0; r < t->nrows; r++) {
		struct shift *p = &x->rows[r].sh;
		char **f = t->rows[r];
		int rc;
		if (!f[col[C_ROTATION]][0])
			return field_error(t, r, col[C_ROTATION], "rotation is empty");
		if (!strchr(f[col[C_EMAIL]], '@'))
			return field_error(t, r, col[C_EMAIL], "'%s' is not an email address", f[col[C_EMAIL]]);
		if ((rc = field_time(t, r, col[C_START], true, &p->starts_at)) < 0 ||
		    (rc = field_time(t, r, col[C_END], true, &p->ends_at)) < 0)
			return rc;
		if (p->ends_at <= p->starts_at)
			return field_error(t, r, col[C_END], "ends_at is not after starts_at");
		if (parse_level(f[col[C_LEVEL]], &p->level) < 0)
			return field_error(t, r, col[C_LEVEL], "level '%s' is not a number from 1 to 99",
			                   f[col[C_LEVEL]]);
	}
	return 0;
}

static int put_row(struct store *st, const struct csv_table *t, size_t r, const int *col, void *ctx)
{
	struct shifts_ctx *x = ctx;
	int64_t rot = 0, person = 0;
	bool created;
	char *email = xstrdup(t->rows[r][col[C_EMAIL]]);
	for (char *c = email; *c; c++)
		*c = ascii_lower(*c);
	int rc = store_rotation_id(st, t->rows[r][col[C_ROTATION]], true, &rot);
	if (rc == 0)
		rc = store_person_by_email(st, email, NULL, &person, &created);
	if (rc == 0 && created)
		sb_addf(&x->rep->notes, "%s:%zu: %s is not on the roster; kept as an unknown person\n",
		        t->path, t->row_line[r], email);
	x->rows[r].rotation_id = rot;
	x->rows[r].sh.person_id = person;
	if (rc == 0)
		rc = store_shift_put(st, rot, &x->rows[r].sh);
	free(email);
	return rc < 0 ? row_error(t, r, rc) : 0;
}

/* Per rotation, the shifts starting within the file's range for it that
 * the file does not list are dropped. */
static int end(struct store *st, const struct csv_table *t, const int *col, void *ctx)
{
	struct shifts_ctx *x = ctx;
	size_t *idx = rows_sorted_by(t, col[C_ROTATION], true);
	struct shift *keep = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*keep));
	int rc = 0;
	for (size_t i = 0; i < t->nrows && rc == 0;) {
		int64_t rot = x->rows[idx[i]].rotation_id, from = INT64_MAX, to = INT64_MIN;
		size_t n = 0;
		for (; i < t->nrows && x->rows[idx[i]].rotation_id == rot; i++) {
			const struct shift *sh = &x->rows[idx[i]].sh;
			keep[n++] = *sh;
			from = sh->starts_at < from ? sh->starts_at : from;
			to = sh->ends_at > to ? sh->ends_at : to;
		}
		qsort(keep, n, sizeof(*keep), shift_cmp);
		rc = store_shifts_keep_only(st, rot, from, to, keep, n);
	}
	free(keep);
	free(idx);
	return rc;
}

int import_shifts(struct store *st, const char *path, bool dry_run, struct import_report *rep)
{
	struct shifts_ctx x = { .rep = rep };
	struct csv_import imp = { .columns = shift_columns, .check = check, .row = put_row,
	                          .end = end, .ctx = &x };
	int rc = import_csv(st, path, dry_run, &imp, rep);
	free(x.rows);
	return rc;
}
