/* Result tables (see include/carry/table.h). */
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "carry/table.h"

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
