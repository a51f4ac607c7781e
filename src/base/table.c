/* Result tables (see include/carry/table.h). */
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/table.h"
#include "carry/timeutil.h"

void table_init(struct table *t, const struct table_col *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
}

struct table_cell *table_add_row(struct table *t)
{
	xgrow(&t->cells, &t->cap, (t->nrows + 1) * t->ncols, sizeof(*t->cells));
	struct table_cell *row = t->cells + t->nrows * t->ncols;
	for (size_t i = 0; i < t->ncols; i++)
		row[i] = (struct table_cell){ .null = true };
	t->nrows++;
	return row;
}

struct table_cell *table_at(const struct table *t, size_t row, size_t col)
{
	return t->cells + row * t->ncols + col;
}

void cell_set_str(struct table_cell *c, const char *s)
{
	free(c->s);
	c->s = s ? xstrdup(s) : NULL;
	c->null = s == NULL;
}

void cell_set_int(struct table_cell *c, int64_t v)
{
	c->i = v;
	c->null = false;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].s);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

void table_keep_rows(struct table *t, const bool *keep)
{
	size_t n = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		struct table_cell *row = t->cells + r * t->ncols;
		if (!keep[r]) {
			for (size_t c = 0; c < t->ncols; c++)
				free(row[c].s);
			continue;
		}
		if (n != r)
			memmove(t->cells + n * t->ncols, row, t->ncols * sizeof(*row));
		n++;
	}
	t->nrows = n;
}

void table_cell_text(struct strbuf *out, const struct table_col *col, const struct table_cell *c,
                     bool date_only)
{
	if (c->null)
		return;
	char buf[32];
	switch (col->type) {
	case COL_STR:
		sb_adds(out, c->s ? c->s : "");
		break;
	case COL_LIST:
		for (const char *p = c->s ? c->s : ""; *p; p++)
			sb_addc(out, *p == '\n' ? ',' : *p);
		break;
	case COL_INT:
		sb_addf(out, "%lld", (long long)c->i);
		break;
	case COL_TIME:
		if (date_only)
			time_format_date(c->i, buf);
		else
			time_format_iso(c->i, buf);
		sb_adds(out, buf);
		break;
	case COL_BOOL:
		sb_adds(out, c->i ? "yes" : "no");
		break;
	case COL_PCT:
		sb_addf(out, "%lld.%lld%%", (long long)(c->i / 10), (long long)(c->i % 10));
		break;
	}
}
