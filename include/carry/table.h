/*
 * A result table: what an analysis or a store query hands to the CLI (and
 * later the dashboard) to render as text, JSON, CSV or Markdown.  Columns
 * are named with the snake_case JSON keys of DESIGN.md and typed so each
 * format can render a value exactly (integers stay integers in JSON, times
 * become ISO 8601 UTC strings).  The table owns every string in it.
 */
#ifndef CARRY_TABLE_H
#define CARRY_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_type {
	COL_STR,   /* untrusted UTF-8 text; escaped per output format */
	COL_INT,   /* int64 */
	COL_TIME,  /* int64 Unix seconds, printed as ISO 8601 UTC */
	COL_BOOL,  /* JSON true/false, text yes/no */
	COL_PCT,   /* int64 per-mille (0..1000), printed 12.3% / 0.123 in JSON */
	COL_LIST,  /* strings joined by ',' in text/CSV, a JSON array */
};

struct table_col {
	const char *key;     /* JSON key / CSV header (static string) */
	const char *title;   /* text/Markdown header (static string) */
	enum col_type type;
	bool right;          /* right-align in text output */
};

struct table_cell {
	bool null;           /* no value: JSON null, empty elsewhere */
	int64_t i;
	char *s;             /* COL_STR / COL_LIST (LIST: items separated by '\n') */
};

struct table {
	const struct table_col *cols;
	size_t ncols;
	struct table_cell *cells; /* row-major, nrows * ncols */
	size_t nrows, cap;
};

void table_init(struct table *t, const struct table_col *cols, size_t ncols);
/* Appends an empty row (all cells null) and returns its first cell. */
struct table_cell *table_add_row(struct table *t);
struct table_cell *table_at(const struct table *t, size_t row, size_t col);
void cell_set_str(struct table_cell *c, const char *s);
void cell_set_int(struct table_cell *c, int64_t v);
void table_free(struct table *t);
/* Keeps the rows r with keep[r], in order; frees the others' cells. */
void table_keep_rows(struct table *t, const bool *keep);

struct strbuf;
/* A cell as plain text, before any escaping: strings as they are, lists
 * joined by ',', times as ISO 8601 UTC (only the date with `date_only`),
 * booleans yes/no, per mille as 12.3%, null as nothing. */
void table_cell_text(struct strbuf *out, const struct table_col *col, const struct table_cell *c,
                     bool date_only);

#endif
