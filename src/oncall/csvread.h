/*
 * Reading RFC 4180 CSV files for the importers, through libcsv: quoted
 * commas and newlines, doubled quotes, CRLF or LF, a UTF-8 BOM.  Every row
 * comes with the line it started on, so errors can say FILE:LINE:COLUMN.
 * Hostile files are bounded: limits on field size, fields per row and rows.
 */
#ifndef CARRY_CSVREAD_H
#define CARRY_CSVREAD_H

#include <stddef.h>

#define CSV_MAX_FIELD (64 * 1024)   /* bytes in one field */
#define CSV_MAX_FIELDS 256          /* fields in one row */
#define CSV_MAX_ROWS 1000000        /* data rows in one file */
#define CSV_MAX_BYTES (256 << 20)   /* bytes in one file (held whole in memory) */

struct csv_table {
	const char *path;    /* as given, for messages (borrowed) */
	size_t ncols;        /* from the header row */
	char **header;       /* ncols names, trimmed */
	size_t nrows;
	char ***rows;        /* nrows arrays of ncols NUL-terminated fields */
	size_t *row_line;    /* line (1-based) where each data row starts */
};

/* Reads and parses the whole file.  The header row must contain every
 * name in `required` (NULL-terminated; order free, extra columns allowed,
 * names compared case-insensitively after trimming).  Errors, as
 * CARRY_EINPUT with the message "PATH:LINE[:COLUMN]: what":
 *   unreadable file, empty file, invalid UTF-8, NUL byte, unterminated
 *   quote, a row with a different number of fields than the header
 *   (ragged), a missing required column, a duplicate column, limits. */
int csv_read_file(struct csv_table *out, const char *path, const char *const *required);

/* The column index of `name` (case-insensitive), or -1. */
int csv_column(const struct csv_table *t, const char *name);

void csv_table_free(struct csv_table *t);

#endif
