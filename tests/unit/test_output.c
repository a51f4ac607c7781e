/* Rendering result tables (src/cli/output.c).  Each format is read back
 * with an independent parser (jansson for JSON, libcsv for CSV, a small
 * GFM cell splitter for Markdown) and compared with what went in; text
 * output is checked for alignment by display width and for terminal
 * safety. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <csv.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/table.h"
#include "carry/termsafe.h"
#include "../../src/cli/cli.h"

/* ---- capturing stdout ---- */

/* Runs output_table with stdout redirected to a temporary file and
 * returns everything it wrote (NUL-terminated; *len excludes the NUL). */
static char *capture(const struct table *t, enum output_format f, size_t *len)
{
	fflush(stdout);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	int saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	int rc = output_table(t, f);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	if (rc != 0)
		fail_msg("output_table(format %d) returned %d: %s", (int)f, rc, carry_error_last());

	assert_int_equal(fseek(tmp, 0, SEEK_END), 0);
	long n = ftell(tmp);
	assert_true(n >= 0);
	rewind(tmp);
	char *buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, tmp), (size_t)n);
	buf[n] = '\0';
	fclose(tmp);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Splits text into lines (the '\n' removed); returns the count. */
static size_t split_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *p = text;
	while (*p) {
		char *nl = strchr(p, '\n');
		assert_non_null(nl); /* every line is terminated */
		*nl = '\0';
		assert_true(n < max);
		lines[n++] = p;
		p = nl + 1;
	}
	return n;
}

/* Decodes one UTF-8 sequence strictly; returns its length or 0. */
static size_t utf8_decode(const unsigned char *p, size_t avail, unsigned *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	size_t n;
	unsigned min;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; min = 0x80; *cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; min = 0x800; *cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; min = 0x10000; *cp = p[0] & 0x07; }
	else return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

static bool is_bidi_or_invisible(unsigned cp)
{
	return cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* Terminal safety: valid UTF-8, no C0 (but '\n'), DEL, C1 or bidi. */
static void assert_terminal_safe(const char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)out;
	size_t i = 0;
	while (i < len) {
		unsigned cp = 0;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			fail_msg("invalid UTF-8 at byte %zu (0x%02x)", i, p[i]);
		if ((cp < 0x20 && cp != '\n') || cp == 0x7f)
			fail_msg("raw control 0x%02x at byte %zu", cp, i);
		if (cp >= 0x80 && cp <= 0x9f)
			fail_msg("raw C1 control U+%04X at byte %zu", cp, i);
		if (is_bidi_or_invisible(cp))
			fail_msg("raw bidi/invisible U+%04X at byte %zu", cp, i);
		i += n;
	}
}

static char *escaped(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	ts_escapes(&sb, s);
	return sb_detach(&sb);
}

/* Hostile strings: escape sequences (CSI, OSC 8 hyperlink, C1 CSI),
 * bidi overrides, invisible characters, invalid UTF-8. */
#define HOSTILE_OSC "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07"
#define HOSTILE_MIX "\x1b[2J\xc2\x9b" "31m\xe2\x80\xae" "evil\xe2\x81\xa6\xef\xbb\xbf\xff\x7f\x01"

/* ---- text ---- */

static const struct table_col text_cols[] = {
	{ "name", "NAME", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "commits", "COMMITS", COL_INT, true },
	{ "first", "FIRST", COL_TIME, false },
	{ "tags", "TAGS", COL_LIST, false },
};

static void test_text_alignment(void **state)
{
	(void)state;
	struct table t;
	table_init(&t, text_cols, 5);
	static const char *const names[] = { "日本語太郎", "Bob", "Zoë Ünïcödé", "김민수", "x" };
	static const char *const emails[] = { "taro@example.jp", "bob@x", "zoe@example.org",
	                                      "kim@example.kr", "x@y" };
	static const int64_t commits[] = { 5, 12345, -7, 0, 100 };
	for (size_t r = 0; r < 5; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], names[r]);
		cell_set_str(&row[1], emails[r]);
		cell_set_int(&row[2], commits[r]);
		cell_set_int(&row[3], INT64_C(1714555800) - (int64_t)r * 86400 * 400);
		cell_set_str(&row[4], r == 1 ? "core\n日本" : "a");
	}
	size_t len;
	char *out = capture(&t, FORMAT_TEXT, &len);
	assert_terminal_safe(out, len);
	char *lines[16];
	size_t n = split_lines(out, lines, 16);
	assert_int_equal(n, 6);
	assert_non_null(strstr(lines[0], "NAME"));
	assert_non_null(strstr(lines[0], "EMAIL"));
	assert_non_null(strstr(lines[0], "COMMITS"));
	assert_non_null(strstr(lines[0], "FIRST"));
	/* Text shows the date of a time. */
	assert_non_null(strstr(lines[1], "2024-05-01"));
	assert_null(strstr(lines[1], "T09:30"));
	/* A list is joined by commas. */
	assert_non_null(strstr(lines[2], "core,日本"));

	/* The start column of EMAIL and FIRST, and the end column of the
	 * right-aligned COMMITS, are the same on every line. */
	size_t email_col = 0, commits_end = 0, first_col = 0;
	for (size_t i = 0; i < n; i++) {
		const char *line = lines[i];
		const char *e = strstr(line, i ? emails[i - 1] : "EMAIL");
		assert_non_null(e);
		size_t elen = strlen(i ? emails[i - 1] : "EMAIL");
		char num[32];
		if (i)
			snprintf(num, sizeof(num), "%lld", (long long)commits[i - 1]);
		const char *c = strstr(e + elen, i ? num : "COMMITS");
		assert_non_null(c);
		size_t cend = (size_t)(c - line) + strlen(i ? num : "COMMITS");
		const char *f = strstr(c + 1, i ? "-" : "FIRST");
		assert_non_null(f);
		if (i)
			f -= 4; /* back from the first '-' of YYYY-MM-DD */
		size_t ecol = ts_width(line, (size_t)(e - line));
		size_t ccol = ts_width(line, cend);
		size_t fcol = ts_width(line, (size_t)(f - line));
		if (i == 0) {
			email_col = ecol;
			commits_end = ccol;
			first_col = fcol;
			/* The widest name is 10 columns (5 wide characters). */
			assert_true(email_col >= 11);
			continue;
		}
		if (ecol != email_col)
			fail_msg("line %zu: EMAIL starts at column %zu, header at %zu\n%s", i, ecol,
			         email_col, out);
		if (ccol != commits_end)
			fail_msg("line %zu: COMMITS ends at column %zu, header at %zu", i, ccol,
			         commits_end);
		if (fcol != first_col)
			fail_msg("line %zu: FIRST starts at column %zu, header at %zu", i, fcol,
			         first_col);
	}
	/* The name column is exactly as wide as its widest cell (10 display
	 * columns for 日本語太郎) plus the gap: the header's EMAIL does not
	 * start further right than the widest name needs. */
	size_t w0 = ts_width(lines[1], strstr(lines[1], emails[0]) - lines[1]);
	assert_int_equal(w0, email_col);
	const char *after = lines[1] + strlen(names[0]);
	while (*after == ' ')
		after++;
	assert_ptr_equal(after, strstr(lines[1], emails[0]));
	assert_true(email_col - 10 >= 1 && email_col - 10 <= 4);
	/* No trailing spaces. */
	for (size_t i = 0; i < n; i++)
		assert_true(lines[i][0] && lines[i][strlen(lines[i]) - 1] != ' ');
	free(out);
	table_free(&t);
}

static void test_text_hostile(void **state)
{
	(void)state;
	struct table t;
	table_init(&t, text_cols, 5);
	static const char *const hostile[] = { HOSTILE_OSC, HOSTILE_MIX, "a\nb\r\tc", "ok" };
	for (size_t r = 0; r < 4; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], hostile[r]);
		cell_set_str(&row[1], hostile[(r + 1) % 4]);
		cell_set_int(&row[2], (int64_t)r);
		cell_set_str(&row[4], hostile[(r + 2) % 4]);
	}
	size_t len;
	char *out = capture(&t, FORMAT_TEXT, &len);
	assert_terminal_safe(out, len);
	/* One line per row: an embedded newline cannot start a fake row. */
	char *copy = xstrdup(out);
	char *lines[16];
	assert_int_equal(split_lines(copy, lines, 16), 5);
	/* The escaped forms are there, so the user still sees something. */
	for (size_t r = 0; r < 4; r++) {
		char *e = escaped(hostile[r]);
		if (!strstr(lines[r + 1], e))
			fail_msg("row %zu lacks escaped name '%s':\n%s", r, e, out);
		free(e);
	}
	/* EMAIL still lines up, by escaped display width. */
	size_t col = 0;
	for (size_t r = 0; r < 4; r++) {
		char *e = escaped(hostile[(r + 1) % 4]);
		char *nm = escaped(hostile[r]);
		const char *at = strstr(lines[r + 1] + strlen(nm), e);
		assert_non_null(at);
		size_t c = ts_width(lines[r + 1], (size_t)(at - lines[r + 1]));
		if (r == 0)
			col = c;
		assert_int_equal(c, col);
		free(e);
		free(nm);
	}
	free(copy);
	free(out);
	table_free(&t);
}

static void test_text_nulls_and_empty(void **state)
{
	(void)state;
	struct table t;
	table_init(&t, text_cols, 5);
	size_t len;
	char *out = capture(&t, FORMAT_TEXT, &len);
	/* No rows: the header alone. */
	char *lines[4];
	assert_int_equal(split_lines(out, lines, 4), 1);
	assert_non_null(strstr(lines[0], "NAME"));
	free(out);
	table_add_row(&t); /* all null */
	out = capture(&t, FORMAT_TEXT, &len);
	assert_int_equal(split_lines(out, lines, 4), 2);
	/* A row of nulls prints nothing visible (and no "(null)"). */
	for (const char *p = lines[1]; *p; p++)
		assert_int_equal(*p, ' ');
	free(out);
	table_free(&t);
}

/* ---- JSON ---- */

static const struct table_col json_cols[] = {
	{ "name", "NAME", COL_STR, false },
	{ "commits", "COMMITS", COL_INT, true },
	{ "first", "FIRST", COL_TIME, false },
	{ "ai_assisted", "AI", COL_BOOL, false },
	{ "gone_share", "GONE", COL_PCT, true },
	{ "reasons", "REASONS", COL_LIST, false },
};
#define NJSON (sizeof(json_cols) / sizeof(json_cols[0]))

static json_t *load_json(const char *out)
{
	json_error_t err;
	json_t *doc = json_loads(out, 0, &err);
	if (!doc)
		fail_msg("JSON does not parse (%s at line %d):\n%s", err.text, err.line, out);
	assert_true(json_is_array(doc));
	return doc;
}

static void expect_json_str(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	size_t n = json_string_length(v);
	if (n != strlen(want) || memcmp(json_string_value(v), want, n) != 0)
		fail_msg("\"%s\" is \"%s\", want \"%s\"", key, json_string_value(v), want);
}

static void expect_json_int(json_t *obj, const char *key, json_int_t want)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	if (json_integer_value(v) != want)
		fail_msg("\"%s\" is %lld, want %lld", key, (long long)json_integer_value(v),
		         (long long)want);
}

static void test_json_values(void **state)
{
	(void)state;
	static const char *const strs[] = {
		"Plain Name",
		"日本語 😀 Zoë",
		"quote\" backslash\\ slash/ </script>",
		"\x1b[31mred\x1b[0m\ttab\nnewline\rcr\x01\x7f",
		HOSTILE_OSC "\xe2\x80\xae" "evil\xe2\x81\xa6",
	};
	static const int64_t ints[] = { 0, -5, INT64_MAX, INT64_MIN, INT64_C(9007199254740993) };
	static const int64_t times[] = { INT64_C(1714555800), 0, -1, INT64_C(-2208988800),
	                                 INT64_C(253402300799) };
	static const char *const isos[] = { "2024-05-01T09:30:00Z", "1970-01-01T00:00:00Z",
	                                    "1969-12-31T23:59:59Z", "1900-01-01T00:00:00Z",
	                                    "9999-12-31T23:59:59Z" };
	struct table t;
	table_init(&t, json_cols, NJSON);
	for (size_t r = 0; r < 5; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], strs[r]);
		cell_set_int(&row[1], ints[r]);
		cell_set_int(&row[2], times[r]);
		cell_set_int(&row[3], r % 2);
		cell_set_int(&row[4], (int64_t)r * 250);
		cell_set_str(&row[5], r == 0 ? "authors_gone\nno_pager" : r == 1 ? "" : "no_pager");
	}
	table_add_row(&t); /* a row of nulls */

	size_t len;
	char *out = capture(&t, FORMAT_JSON, &len);
	/* ASCII only (so no raw C1 or bidi characters) and no raw C0
	 * controls such as ESC: safe even on a terminal.  (DEL needs no
	 * escape in JSON.) */
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)out[i];
		if (ch > 0x7f || (ch < 0x20 && ch != '\n'))
			fail_msg("raw byte 0x%02x at %zu in JSON output", ch, i);
	}
	/* Keys keep the column order. */
	const char *k1 = strstr(out, "\"name\""), *k2 = strstr(out, "\"commits\""),
	           *k3 = strstr(out, "\"reasons\"");
	assert_true(k1 && k2 && k3 && k1 < k2 && k2 < k3);

	json_t *doc = load_json(out);
	assert_int_equal(json_array_size(doc), 6);
	for (size_t r = 0; r < 5; r++) {
		json_t *o = json_array_get(doc, r);
		assert_true(json_is_object(o));
		assert_int_equal(json_object_size(o), NJSON);
		expect_json_str(o, "name", strs[r]);
		expect_json_int(o, "commits", ints[r]);
		expect_json_str(o, "first", isos[r]);
		json_t *b = json_object_get(o, "ai_assisted");
		assert_true(json_is_boolean(b));
		assert_int_equal(json_is_true(b), r % 2);
		json_t *pct = json_object_get(o, "gone_share");
		assert_true(json_is_number(pct));
		assert_true(json_number_value(pct) > (double)r * 0.25 - 1e-9 &&
		            json_number_value(pct) < (double)r * 0.25 + 1e-9);
		json_t *list = json_object_get(o, "reasons");
		assert_true(json_is_array(list));
		if (r == 0) {
			assert_int_equal(json_array_size(list), 2);
			assert_string_equal(json_string_value(json_array_get(list, 0)), "authors_gone");
			assert_string_equal(json_string_value(json_array_get(list, 1)), "no_pager");
		} else if (r == 1) {
			assert_int_equal(json_array_size(list), 0);
		} else {
			assert_int_equal(json_array_size(list), 1);
			assert_string_equal(json_string_value(json_array_get(list, 0)), "no_pager");
		}
	}
	json_t *nulls = json_array_get(doc, 5);
	assert_int_equal(json_object_size(nulls), NJSON);
	for (size_t c = 0; c < NJSON; c++) {
		json_t *v = json_object_get(nulls, json_cols[c].key);
		if (!json_is_null(v))
			fail_msg("null cell of \"%s\" is not JSON null", json_cols[c].key);
	}
	json_decref(doc);
	free(out);
	table_free(&t);

	/* No rows: an empty array. */
	table_init(&t, json_cols, NJSON);
	out = capture(&t, FORMAT_JSON, &len);
	doc = load_json(out);
	assert_int_equal(json_array_size(doc), 0);
	json_decref(doc);
	free(out);
	table_free(&t);
}

static void test_json_invalid_utf8(void **state)
{
	(void)state;
	static const struct table_col cols[] = {
		{ "name", "NAME", COL_STR, false },
		{ "reasons", "REASONS", COL_LIST, false },
	};
	static const struct { const char *in, *want; } cases[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		{ "\xfe", "\xef\xbf\xbd" },
		{ "\x80x", "\xef\xbf\xbdx" },
		{ "Zo\xeb", "Zo\xef\xbf\xbd" },                           /* Latin-1 */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a surrogate */
		{ "ok \xc3\xa9 \xe6\x97\xa5", "ok \xc3\xa9 \xe6\x97\xa5" },  /* valid stays */
	};
	const size_t ncases = sizeof(cases) / sizeof(cases[0]);
	struct table t;
	table_init(&t, cols, 2);
	for (size_t i = 0; i < ncases; i++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], cases[i].in);
		struct strbuf l = STRBUF_INIT;
		sb_adds(&l, "ok\n");
		sb_adds(&l, cases[i].in);
		cell_set_str(&row[1], sb_str(&l));
		sb_free(&l);
	}
	/* Truncated sequences: only check they become U+FFFD around intact text. */
	struct table_cell *row = table_add_row(&t);
	cell_set_str(&row[0], "x\xe2\x82");
	cell_set_str(&row[1], "\xf0\x9f\x98y");

	char *out = capture(&t, FORMAT_JSON, NULL);
	json_t *doc = load_json(out);
	assert_int_equal(json_array_size(doc), ncases + 1);
	for (size_t i = 0; i < ncases; i++) {
		json_t *o = json_array_get(doc, i);
		expect_json_str(o, "name", cases[i].want);
		json_t *list = json_object_get(o, "reasons");
		assert_int_equal(json_array_size(list), 2);
		assert_string_equal(json_string_value(json_array_get(list, 0)), "ok");
		assert_string_equal(json_string_value(json_array_get(list, 1)), cases[i].want);
	}
	json_t *o = json_array_get(doc, ncases);
	const char *s = json_string_value(json_object_get(o, "name"));
	assert_non_null(s);
	assert_memory_equal(s, "x\xef\xbf\xbd", 4);
	assert_non_null(strstr(s + 1, "\xef\xbf\xbd"));
	json_t *list = json_object_get(o, "reasons");
	assert_int_equal(json_array_size(list), 1);
	s = json_string_value(json_array_get(list, 0));
	assert_non_null(s);
	assert_memory_equal(s, "\xef\xbf\xbd", 3);
	assert_int_equal(s[strlen(s) - 1], 'y');
	json_decref(doc);
	free(out);
	table_free(&t);
}

/* ---- CSV ---- */

struct csv_read {
	char *cells[64][8];
	size_t ncells[64];
	size_t row;
};

static void csv_on_field(void *s, size_t len, void *data)
{
	struct csv_read *rd = data;
	assert_true(rd->row < 64 && rd->ncells[rd->row] < 8);
	rd->cells[rd->row][rd->ncells[rd->row]++] = xstrndup(s ? s : "", len);
}

static void csv_on_row(int c, void *data)
{
	(void)c;
	struct csv_read *rd = data;
	rd->row++;
}

static void csv_read_all(const char *out, size_t len, struct csv_read *rd)
{
	memset(rd, 0, sizeof(*rd));
	struct csv_parser p;
	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	if (csv_parse(&p, out, len, csv_on_field, csv_on_row, rd) != len)
		fail_msg("CSV does not parse: %s\n%s", csv_strerror(csv_error(&p)), out);
	assert_int_equal(csv_fini(&p, csv_on_field, csv_on_row, rd), 0);
	csv_free(&p);
}

static void csv_read_free(struct csv_read *rd)
{
	for (size_t r = 0; r < 64; r++)
		for (size_t c = 0; c < rd->ncells[r]; c++)
			free(rd->cells[r][c]);
}

static const struct table_col csv_cols[] = {
	{ "name", "NAME", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "added", "ADDED", COL_INT, true },
	{ "first", "FIRST", COL_TIME, false },
	{ "reasons", "REASONS", COL_LIST, false },
};
#define NCSV (sizeof(csv_cols) / sizeof(csv_cols[0]))

static void test_csv_roundtrip(void **state)
{
	(void)state;
	struct row_in {
		const char *name, *email;
		int64_t added;
		bool null_time;
		int64_t time;
		const char *list;
	};
	static const struct row_in in[] = {
		{ "a,b", "say \"hi\"", -5, false, INT64_C(1714555800), "x\ny" },
		{ "line1\nline2", "=SUM(A1:A9)", 0, false, -1, "=bad\nok" },
		{ "+1", "-x", INT64_MAX, false, 0, "plain" },
		{ "@cmd", "\tx", INT64_MIN, false, INT64_C(-2208988800), "" },
		{ "\rx", "plain text", 42, true, 0, NULL },
		{ "日本語 \x1b[31m\"", "trailing,\r\n", -1, false, 86400, "a,b\n\"c\"" },
		{ "", " =not first", 7, false, 1, "-neg" },
		{ "x=1", "'quoted", 8, false, 2, "+p\n-q" },
	};
	/* What each cell reads back as: the text of the cell, a single quote
	 * in front of a text cell a spreadsheet would run as a formula. */
	static const char *const want[][NCSV] = {
		{ "a,b", "say \"hi\"", "-5", "2024-05-01T09:30:00Z", "x,y" },
		{ "line1\nline2", "'=SUM(A1:A9)", "0", "1969-12-31T23:59:59Z", "'=bad,ok" },
		{ "'+1", "'-x", "9223372036854775807", "1970-01-01T00:00:00Z", "plain" },
		{ "'@cmd", "'\tx", "-9223372036854775808", "1900-01-01T00:00:00Z", "" },
		{ "'\rx", "plain text", "42", "", "" },
		{ "日本語 \x1b[31m\"", "trailing,\r\n", "-1", "1970-01-02T00:00:00Z", "a,b,\"c\"" },
		{ "", " =not first", "7", "1970-01-01T00:00:01Z", "'-neg" },
		{ "x=1", "'quoted", "8", "1970-01-01T00:00:02Z", "'+p,-q" },
	};
	const size_t nrows = sizeof(in) / sizeof(in[0]);
	struct table t;
	table_init(&t, csv_cols, NCSV);
	for (size_t r = 0; r < nrows; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], in[r].name);
		cell_set_str(&row[1], in[r].email);
		cell_set_int(&row[2], in[r].added);
		if (!in[r].null_time)
			cell_set_int(&row[3], in[r].time);
		cell_set_str(&row[4], in[r].list);
	}
	size_t len;
	char *out = capture(&t, FORMAT_CSV, &len);

	/* RFC 4180 on the wire: CRLF records, quotes doubled, fields with
	 * commas, quotes or line breaks enclosed in quotes. */
	assert_true(len >= 2 && out[len - 2] == '\r' && out[len - 1] == '\n');
	const char *eol = strstr(out, "\r\n");
	assert_non_null(eol);
	assert_null(memchr(out, '\n', (size_t)(eol - out))); /* the header is one line */
	assert_non_null(strstr(out, "\"say \"\"hi\"\"\""));
	assert_non_null(strstr(out, "\"a,b\""));
	assert_non_null(strstr(out, "\"line1\nline2\""));

	struct csv_read rd;
	csv_read_all(out, len, &rd);
	assert_int_equal(rd.row, nrows + 1);
	assert_int_equal(rd.ncells[0], NCSV);
	for (size_t c = 0; c < NCSV; c++)
		assert_string_equal(rd.cells[0][c], csv_cols[c].key);
	for (size_t r = 0; r < nrows; r++) {
		assert_int_equal(rd.ncells[r + 1], NCSV);
		for (size_t c = 0; c < NCSV; c++)
			if (strcmp(rd.cells[r + 1][c], want[r][c]) != 0)
				fail_msg("row %zu column %s reads back as \"%s\", want \"%s\"", r,
				         csv_cols[c].key, rd.cells[r + 1][c], want[r][c]);
	}
	csv_read_free(&rd);
	free(out);
	table_free(&t);

	/* No rows: the header alone. */
	table_init(&t, csv_cols, NCSV);
	out = capture(&t, FORMAT_CSV, &len);
	csv_read_all(out, len, &rd);
	assert_int_equal(rd.row, 1);
	assert_int_equal(rd.ncells[0], NCSV);
	assert_string_equal(rd.cells[0][0], "name");
	assert_string_equal(rd.cells[0][4], "reasons");
	csv_read_free(&rd);
	free(out);
	table_free(&t);
}

/* ---- Markdown ---- */

/* Splits one GFM table row into cells at unescaped '|', unescaping each
 * cell and failing when a character with Markdown meaning is left bare. */
static size_t md_cells(const char *line, char **cells, size_t max)
{
	size_t n = 0, len = strlen(line);
	assert_true(len >= 2 && line[0] == '|' && line[len - 1] == '|');
	struct strbuf cur = STRBUF_INIT;
	for (size_t i = 1; i < len; i++) {
		char ch = line[i];
		if (ch == '\\' && i + 1 < len) {
			sb_addc(&cur, line[++i]);
			continue;
		}
		if (ch == '|') {
			assert_true(n < max);
			/* "| cell |": one space of padding each side. */
			const char *s = sb_str(&cur);
			size_t l = cur.len;
			if (l && s[0] == ' ')
				s++, l--;
			if (l && s[l - 1] == ' ')
				l--;
			cells[n++] = xstrndup(s, l);
			sb_reset(&cur);
			continue;
		}
		if (strchr("[]()*_`<>\\", ch))
			fail_msg("bare '%c' at byte %zu of Markdown row: %s", ch, i, line);
		sb_addc(&cur, ch);
	}
	assert_int_equal(cur.len, 0);
	sb_free(&cur);
	return n;
}

static void test_markdown(void **state)
{
	(void)state;
	static const struct table_col cols[] = {
		{ "name", "NAME", COL_STR, false },
		{ "commits", "COMMITS", COL_INT, true },
		{ "path", "PATH", COL_STR, false },
	};
	static const char *const names[] = {
		"a|b](http://evil.example)[x*y_z`<script>`",
		"[click me](javascript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"line\nbreak | not a row",
		"**bold** _it_ ~~s~~ # h & &amp; \\|",
		HOSTILE_OSC,
		"trailing backslash \\",
		"plain Name",
	};
	const size_t nrows = sizeof(names) / sizeof(names[0]);
	struct table t;
	table_init(&t, cols, 3);
	for (size_t r = 0; r < nrows; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], names[r]);
		cell_set_int(&row[1], -(int64_t)r);
		cell_set_str(&row[2], r % 2 ? "src/[a](b).c" : "docs/*x*_y_.md");
	}
	size_t len;
	char *out = capture(&t, FORMAT_MD, &len);
	assert_terminal_safe(out, len);
	char *copy = xstrdup(out);
	char *lines[32];
	assert_int_equal(split_lines(copy, lines, 32), nrows + 2);

	char *cells[8];
	assert_int_equal(md_cells(lines[0], cells, 8), 3);
	assert_string_equal(cells[0], "NAME");
	assert_string_equal(cells[1], "COMMITS");
	assert_string_equal(cells[2], "PATH");
	for (size_t c = 0; c < 3; c++)
		free(cells[c]);
	/* The delimiter row: right alignment for the number column. */
	assert_int_equal(md_cells(lines[1], cells, 8), 3);
	assert_string_equal(cells[0], "---");
	assert_string_equal(cells[1], "---:");
	assert_string_equal(cells[2], "---");
	for (size_t c = 0; c < 3; c++)
		free(cells[c]);

	for (size_t r = 0; r < nrows; r++) {
		size_t n = md_cells(lines[r + 2], cells, 8);
		if (n != 3)
			fail_msg("row %zu has %zu cells: %s", r, n, lines[r + 2]);
		char *want = escaped(names[r]);
		if (strcmp(cells[0], want) != 0)
			fail_msg("row %zu name reads back as \"%s\", want \"%s\"", r, cells[0], want);
		free(want);
		char num[24];
		snprintf(num, sizeof(num), "%lld", -(long long)r);
		assert_string_equal(cells[1], num);
		assert_string_equal(cells[2], r % 2 ? "src/[a](b).c" : "docs/*x*_y_.md");
		for (size_t c = 0; c < n; c++)
			free(cells[c]);
	}
	/* Nothing that could become a link, image or HTML tag (md_cells
	 * checked every bracket and angle bracket is escaped). */
	assert_null(strstr(out, "]("));
	free(copy);
	free(out);
	table_free(&t);
}

/* table_keep_rows keeps the chosen rows in order, cells intact (ASan
 * sees the dropped rows' strings freed, none twice). */
static void test_keep_rows(void **state)
{
	(void)state;
	struct table t;
	table_init(&t, text_cols, 5);
	const char *names[] = { "a", "b", "c", "d", "e" };
	for (size_t r = 0; r < 5; r++) {
		struct table_cell *row = table_add_row(&t);
		cell_set_str(&row[0], names[r]);
		cell_set_int(&row[2], (int64_t)r);
	}
	const bool keep[] = { false, true, false, true, true };
	table_keep_rows(&t, keep);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(table_at(&t, 0, 0)->s, "b");
	assert_string_equal(table_at(&t, 1, 0)->s, "d");
	assert_string_equal(table_at(&t, 2, 0)->s, "e");
	assert_int_equal(table_at(&t, 2, 2)->i, 4);
	assert_true(table_at(&t, 2, 1)->null);
	/* Another row still goes after the kept ones. */
	cell_set_str(&table_add_row(&t)[0], "f");
	assert_string_equal(table_at(&t, 3, 0)->s, "f");
	const bool none[] = { false, false, false, false };
	table_keep_rows(&t, none);
	assert_int_equal(t.nrows, 0);
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_alignment),
		cmocka_unit_test(test_keep_rows),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_text_nulls_and_empty),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_csv_roundtrip),
		cmocka_unit_test(test_markdown),
	};
	return cmocka_run_group_tests(tests, 0, NULL);
}
