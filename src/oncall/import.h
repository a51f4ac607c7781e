/*
 * What every CSV importer shares: read the file (csvread.c), run one
 * callback per data row inside one store transaction, and end it with
 * commit, or rollback on any error or --dry-run.  Row callbacks report
 * problems through field_error(), which names FILE:LINE:COLUMN.
 */
#ifndef CARRY_ONCALL_IMPORT_H
#define CARRY_ONCALL_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "carry/oncall.h"
#include "csvread.h"

struct csv_import {
	const char *const *columns;  /* required columns, NULL-terminated */
	/* Optional: checks the whole table before anything is written. */
	int (*check)(const struct csv_table *t, const int *col, void *ctx);
	/* Called once, inside the transaction, before the first row. */
	int (*begin)(struct store *st, const struct csv_table *t, const int *col, void *ctx);
	int (*row)(struct store *st, const struct csv_table *t, size_t r, const int *col, void *ctx);
	/* Called once after the last row, still inside the transaction. */
	int (*end)(struct store *st, const struct csv_table *t, const int *col, void *ctx);
	void *ctx;
};

int import_csv(struct store *st, const char *path, bool dry_run, const struct csv_import *imp,
               struct import_report *rep);

/* CARRY_EINPUT "FILE:LINE:COLUMN: message" for row r, column index c
 * (-1: no column). */
int field_error(const struct csv_table *t, size_t r, int c, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Prefixes the last error with FILE:LINE of row r (for store errors). */
int row_error(const struct csv_table *t, size_t r, int code);

/* Parses an ISO 8601 time field; empty is CARRY_ENOTFOUND when !required. */
int field_time(const struct csv_table *t, size_t r, int c, bool required, int64_t *out);

/* Row indexes sorted by column c (case-insensitively when `nocase`),
 * equal values in file order: groups rows by a key in O(n log n), as a
 * hostile file may have a million rows.  Free the result. */
size_t *rows_sorted_by(const struct csv_table *t, int c, bool nocase);

/* CARRY_EINPUT naming the second row when column c repeats a value. */
int check_unique(const struct csv_table *t, int c, const char *what);

/* Splits "a; b;c" at ';' into trimmed, non-empty items (lower-cased when
 * asked); free with free_list. */
size_t split_list(const char *s, bool lower, char ***out);
void free_list(char **items, size_t n);

#endif
