/* Shared CSV import scaffolding (see import.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/ascii.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "carry/timeutil.h"
#include "import.h"

int field_error(const struct csv_table *t, size_t r, int c, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	int rc;
	if (c >= 0)
		rc = carry_error(CARRY_EINPUT, "%s:%zu:%d: %s", t->path, t->row_line[r], c + 1, msg.ptr);
	else
		rc = carry_error(CARRY_EINPUT, "%s:%zu: %s", t->path, t->row_line[r], msg.ptr);
	sb_free(&msg);
	return rc;
}

int row_error(const struct csv_table *t, size_t r, int code)
{
	char where[512];
	snprintf(where, sizeof(where), "%s:%zu", t->path, t->row_line[r]);
	return carry_error_prefix(code, where);
}

int field_time(const struct csv_table *t, size_t r, int c, bool required, int64_t *out)
{
	const char *v = t->rows[r][c];
	if (!v[0]) {
		if (required)
			return field_error(t, r, c, "%s is empty", t->header[c]);
		return CARRY_ENOTFOUND;
	}
	if (time_parse_iso(v, out) < 0)
		return field_error(t, r, c, "%s '%s' is not an ISO 8601 time", t->header[c], v);
	return 0;
}

struct sort_key {
	const struct csv_table *t;
	int c;
	bool nocase;
};

/* qsort has no context argument: the key is set around each sort, and
 * imports run one at a time. */
static struct sort_key sort_key;

static int cmp_rows(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const char *vx = sort_key.t->rows[x][sort_key.c], *vy = sort_key.t->rows[y][sort_key.c];
	int r = sort_key.nocase ? strcasecmp(vx, vy) : strcmp(vx, vy);
	return r ? r : (x > y) - (x < y);
}

size_t *rows_sorted_by(const struct csv_table *t, int c, bool nocase)
{
	size_t *idx = xmalloc((t->nrows ? t->nrows : 1) * sizeof(*idx));
	for (size_t r = 0; r < t->nrows; r++)
		idx[r] = r;
	sort_key = (struct sort_key){ t, c, nocase };
	qsort(idx, t->nrows, sizeof(*idx), cmp_rows);
	return idx;
}

int check_unique(const struct csv_table *t, int c, const char *what)
{
	size_t *idx = rows_sorted_by(t, c, false);
	int rc = 0;
	for (size_t i = 1; i < t->nrows && rc == 0; i++) {
		const char *v = t->rows[idx[i]][c];
		if (v[0] && !strcmp(v, t->rows[idx[i - 1]][c]))
			rc = field_error(t, idx[i], c, "%s '%s' is already on line %zu", what, v,
			                 t->row_line[idx[i - 1]]);
	}
	free(idx);
	return rc;
}

size_t split_list(const char *s, bool lower, char ***out)
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
			for (char *c = item; lower && *c; c++)
				*c = ascii_lower(*c);
			(*out)[n++] = item;
		}
		s += len + (end != NULL);
	}
	return n;
}

void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

int import_csv(struct store *st, const char *path, bool dry_run, const struct csv_import *imp,
               struct import_report *rep)
{
	struct csv_table t = { 0 };
	int col[CSV_MAX_FIELDS];
	int rc = csv_read_file(&t, path, imp->columns);
	if (rc < 0)
		return rc;
	for (size_t c = 0; imp->columns[c]; c++)
		col[c] = csv_column(&t, imp->columns[c]);
	if (imp->check && (rc = imp->check(&t, col, imp->ctx)) < 0)
		goto out;
	if ((rc = store_import_begin(st)) < 0)
		goto out;
	if (imp->begin)
		rc = imp->begin(st, &t, col, imp->ctx);
	for (size_t r = 0; r < t.nrows && rc == 0; r++)
		rc = imp->row(st, &t, r, col, imp->ctx);
	if (rc == 0 && imp->end)
		rc = imp->end(st, &t, col, imp->ctx);
	rep->rows = t.nrows;
	rep->changes = store_import_changes(st);
	int end = store_import_end(st, rc == 0 && !dry_run);
	if (rc == 0)
		rc = end;
out:
	csv_table_free(&t);
	return rc;
}
