/*
 * RFC 4180 CSV through libcsv (see src/oncall/csvread.h).
 *
 * The file is read whole, checked for NUL bytes and invalid UTF-8, and
 * then fed to libcsv one physical line at a time.  libcsv's callbacks do
 * not say where in the input they are, but a row can only end at the end
 * of a line, so feeding line by line tells the callbacks which line they
 * are on: a row starts on the first line that has a byte of it, and a
 * field starts on the line of the comma before it.
 *
 * Lines end at LF, CRLF or a lone CR (libcsv ends rows at any of them),
 * and are numbered from 1.  libcsv's space trimming is switched off, so
 * field values are kept byte for byte; only header names are trimmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "carry/ascii.h"
#include "carry/error.h"
#include "carry/file.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "csvread.h"

struct reader {
	struct csv_table *t;
	const char *path;
	size_t line;       /* line of the chunk being parsed */
	size_t row_line;   /* where the current row started */
	size_t field_line; /* where the current field started */
	int row_open;      /* libcsv has seen a byte of the current row */
	int err;           /* set once an error has been recorded */
	int have_header;
	const char *const *required;
	size_t nfields;    /* fields of the current row so far */
	size_t off[CSV_MAX_FIELDS]; /* where each stored field starts in buf */
	struct strbuf buf; /* the row's stored fields, each NUL-terminated */
	size_t rows_cap;
	size_t lines_cap;
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Compares a[0..alen) with b[0..blen) ignoring ASCII case. */
static int name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (ascii_lower((char)(unsigned char)a[i]) != ascii_lower((char)(unsigned char)b[i]))
			return 0;
	return 1;
}

/* Sets *len to the length of s without surrounding blanks; returns the start. */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* One allocation holding `n` pointers followed by the strings of
 * r->buf they point to; freed with a single free(). */
static char **pack_row(const struct reader *r, size_t n)
{
	size_t ptrs = n * sizeof(char *);
	char **row = xmalloc(ptrs + r->buf.len);
	char *data = (char *)row + ptrs;
	if (r->buf.len)
		memcpy(data, r->buf.ptr, r->buf.len);
	for (size_t i = 0; i < n; i++)
		row[i] = data + r->off[i];
	return row;
}

static void fail(struct reader *r)
{
	r->err = CARRY_EINPUT;
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->err)
		return;
	size_t col = ++r->nfields;
	if (col > CSV_MAX_FIELDS) {
		carry_error(CARRY_EINPUT, "%s:%zu:%zu: more than %d fields in a row",
			    r->path, r->field_line, col, CSV_MAX_FIELDS);
		fail(r);
		return;
	}
	if (len > CSV_MAX_FIELD) {
		carry_error(CARRY_EINPUT, "%s:%zu:%zu: field longer than %d bytes",
			    r->path, r->field_line, col, CSV_MAX_FIELD);
		fail(r);
		return;
	}
	/* The next field starts right after this one's comma; if this
	 * field ended the row, the next row's first chunk sets it again. */
	r->field_line = r->line;
	/* Fields past the header's count make the row ragged; only count them. */
	if (r->have_header && col > r->t->ncols)
		return;
	r->off[col - 1] = r->buf.len;
	sb_add(&r->buf, s ? s : "", s ? len : 0);
	sb_addc(&r->buf, '\0');
}

static void end_header(struct reader *r)
{
	struct csv_table *t = r->t;
	size_t n = r->nfields;
	/* Trim the names in place, in the buffer, before packing. */
	for (size_t i = 0; i < n; i++) {
		char *name = r->buf.ptr + r->off[i];
		size_t len;
		const char *s = trim(name, &len);
		memmove(name, s, len);
		name[len] = '\0';
	}
	t->header = pack_row(r, n);
	t->ncols = n;
	r->have_header = 1;

	for (size_t i = 1; i < n; i++) {
		const char *a = t->header[i];
		for (size_t j = 0; j < i; j++) {
			const char *b = t->header[j];
			if (name_eq(a, strlen(a), b, strlen(b))) {
				carry_error(CARRY_EINPUT,
					    "%s:%zu:%zu: duplicate column '%s' (also column %zu)",
					    r->path, r->row_line, i + 1, a, j + 1);
				fail(r);
				return;
			}
		}
	}
	for (const char *const *req = r->required; req && *req; req++) {
		size_t len;
		const char *want = trim(*req, &len);
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = name_eq(want, len, t->header[i], strlen(t->header[i]));
		if (!found) {
			carry_error(CARRY_EINPUT, "%s:%zu: missing column '%.*s'",
				    r->path, r->row_line, (int)len, want);
			fail(r);
			return;
		}
	}
}

static void end_data_row(struct reader *r)
{
	struct csv_table *t = r->t;
	if (r->nfields != t->ncols) {
		carry_error(CARRY_EINPUT, "%s:%zu: %zu field%s, the header has %zu",
			    r->path, r->row_line, r->nfields,
			    r->nfields == 1 ? "" : "s", t->ncols);
		fail(r);
		return;
	}
	if (t->nrows >= CSV_MAX_ROWS) {
		carry_error(CARRY_EINPUT, "%s:%zu: more than %d rows",
			    r->path, r->row_line, CSV_MAX_ROWS);
		fail(r);
		return;
	}
	xgrow(&t->rows, &r->rows_cap, t->nrows + 1, sizeof(*t->rows));
	xgrow(&t->row_line, &r->lines_cap, t->nrows + 1, sizeof(*t->row_line));
	t->rows[t->nrows] = pack_row(r, t->ncols);
	t->row_line[t->nrows] = r->row_line;
	t->nrows++;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	(void)c;
	if (r->err)
		return;
	if (!r->have_header)
		end_header(r);
	else
		end_data_row(r);
	r->nfields = 0;
	sb_reset(&r->buf);
	r->row_open = 0;
}

/* Length of the line terminator at p[0..n) (LF, CRLF, lone CR), or 0. */
static size_t eol_len(const char *p, size_t n)
{
	if (!n)
		return 0;
	if (p[0] == '\n')
		return 1;
	if (p[0] == '\r')
		return n > 1 && p[1] == '\n' ? 2 : 1;
	return 0;
}

/* Length of the valid UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && s[1] < 0xA0) ||  /* overlong */
	    (c == 0xED && s[1] > 0x9F) ||  /* UTF-16 surrogate */
	    (c == 0xF0 && s[1] < 0x90) ||  /* overlong */
	    (c == 0xF4 && s[1] > 0x8F))    /* above U+10FFFF */
		return 0;
	return len;
}

/* Rejects NUL bytes and invalid UTF-8, naming the line. */
static int check_bytes(const char *path, const char *buf, size_t n)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t line = 1;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c >= 0x20 && c < 0x80) {
			i++;
		} else if (c == '\n' || c == '\r') {
			i += eol_len(buf + i, n - i);
			line++;
		} else if (c == 0) {
			return carry_error(CARRY_EINPUT, "%s:%zu: NUL byte", path, line);
		} else if (c < 0x80) {
			i++;
		} else {
			size_t len = utf8_len(s + i, n - i);
			if (!len)
				return carry_error(CARRY_EINPUT,
						   "%s:%zu: invalid UTF-8 (byte 0x%02X)",
						   path, line, c);
			i += len;
		}
	}
	return 0;
}

static int parse(struct reader *r, const char *buf, size_t n)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return carry_error(CARRY_ERR, "%s: cannot initialise the CSV parser", r->path);
	csv_set_space_func(&p, no_space);

	size_t i = 0;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	r->line = 1;
	while (i < n && !r->err) {
		size_t end = i;
		while (end < n && buf[end] != '\n' && buf[end] != '\r')
			end++;
		size_t content = end - i;
		end += eol_len(buf + end, n - end);

		if (!r->row_open && content) {
			r->row_open = 1;
			r->row_line = r->field_line = r->line;
		}
		/* A line with no bytes outside a row is skipped (libcsv would
		 * skip it too). */
		if (r->row_open) {
			size_t len = end - i;
			size_t done = csv_parse(&p, buf + i, len, on_field, on_row, r);
			if (done != len && !r->err) {
				if (csv_error(&p) == CSV_EPARSE)
					carry_error(CARRY_EINPUT, "%s:%zu:%zu: %s", r->path,
						    r->line, r->nfields + 1,
						    buf[i + done] == '"'
						    ? "quote inside an unquoted field"
						    : "text after the closing quote");
				else
					carry_error(CARRY_EINPUT, "%s:%zu: %s", r->path,
						    r->line, csv_strerror(csv_error(&p)));
				fail(r);
			}
		}
		r->line++;
		i = end;
	}
	if (!r->err && csv_fini(&p, on_field, on_row, r) != 0 && !r->err) {
		carry_error(CARRY_EINPUT, "%s:%zu: unterminated quoted field",
			    r->path, r->field_line);
		fail(r);
	}
	csv_free(&p);
	if (!r->err && !r->have_header)
		return carry_error(CARRY_EINPUT, "%s:1: empty file, no header row", r->path);
	return r->err;
}

int csv_read_file(struct csv_table *out, const char *path, const char *const *required)
{
	memset(out, 0, sizeof(*out));
	out->path = path;

	struct strbuf data = STRBUF_INIT;
	int rc = read_file(&data, path, CSV_MAX_BYTES);
	if (rc == 0)
		rc = check_bytes(path, sb_str(&data), data.len);
	if (rc == 0) {
		struct reader *r = xcalloc(1, sizeof(*r));
		r->t = out;
		r->path = path;
		r->required = required;
		rc = parse(r, sb_str(&data), data.len);
		sb_free(&r->buf);
		free(r);
	}
	sb_free(&data);
	if (rc != 0)
		csv_table_free(out);
	return rc;
}

int csv_column(const struct csv_table *t, const char *name)
{
	if (!t || !name || !t->header)
		return -1;
	size_t len;
	const char *want = trim(name, &len);
	for (size_t i = 0; i < t->ncols; i++)
		if (name_eq(want, len, t->header[i], strlen(t->header[i])))
			return (int)i;
	return -1;
}

void csv_table_free(struct csv_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->row_line);
	free(t->header);
	memset(t, 0, sizeof(*t));
}
