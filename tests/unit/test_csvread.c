/* The CSV reader (src/oncall/csvread.c): RFC 4180 through libcsv, the
 * line each row starts on, and every rejection with its exact
 * "PATH:LINE[:COLUMN]: what" message.  Files are written into a fresh
 * mkdtemp directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "../../src/oncall/csvread.h"

static char tmpdir[] = "/tmp/carry-csvread-XXXXXX";
static char path[512];
static int nfile;

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes `len` bytes to a new file in tmpdir; returns its path (valid
 * until the next call). */
static const char *put_n(const void *data, size_t len)
{
	snprintf(path, sizeof(path), "%s/f%03d.csv", tmpdir, ++nfile);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Reads `data` and expects success. */
static void read_ok(struct csv_table *t, const void *data, size_t len,
		    const char *const *required)
{
	const char *p = put_n(data, len);
	int rc = csv_read_file(t, p, required);
	if (rc != 0)
		print_error("unexpected error: %s\n", carry_error_last());
	assert_int_equal(rc, 0);
	assert_string_equal(t->path, p);
}

static void read_ok_s(struct csv_table *t, const char *s, const char *const *required)
{
	read_ok(t, s, strlen(s), required);
}

/* Reads `data` and expects CARRY_EINPUT with the message PATH + `what`
 * (`what` starts with ":LINE"), and an empty table. */
static void read_fail(const void *data, size_t len, const char *const *required,
		      const char *what)
{
	const char *p = put_n(data, len);
	struct csv_table t;
	carry_error_clear();
	int rc = csv_read_file(&t, p, required);
	assert_int_equal(rc, CARRY_EINPUT);
	char want[1024];
	snprintf(want, sizeof(want), "%s%s", p, what);
	assert_string_equal(carry_error_last(), want);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 0);
	assert_null(t.rows);
	assert_null(t.header);
	assert_null(t.row_line);
	csv_table_free(&t);
}

static void read_fail_s(const char *s, const char *const *required, const char *what)
{
	read_fail(s, strlen(s), required, what);
}

/* ---- good files ---- */

static void test_basic_and_column(void **state)
{
	(void)state;
	struct csv_table t;
	static const char *const req[] = { "email", " NAME ", NULL };
	read_ok_s(&t, " name ,Email,\tteam\t\n"
		      "Ann,ann@example.com,payments\n"
		      "  Bob  , bob@example.com ,\t\n", req);
	assert_int_equal(t.ncols, 3);
	assert_string_equal(t.header[0], "name");
	assert_string_equal(t.header[1], "Email");
	assert_string_equal(t.header[2], "team");
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "Ann");
	assert_string_equal(t.rows[0][1], "ann@example.com");
	assert_string_equal(t.rows[0][2], "payments");
	/* Values are kept exactly: no trimming. */
	assert_string_equal(t.rows[1][0], "  Bob  ");
	assert_string_equal(t.rows[1][1], " bob@example.com ");
	assert_string_equal(t.rows[1][2], "\t");
	assert_int_equal(t.row_line[0], 2);
	assert_int_equal(t.row_line[1], 3);

	assert_int_equal(csv_column(&t, "name"), 0);
	assert_int_equal(csv_column(&t, "NAME"), 0);
	assert_int_equal(csv_column(&t, "email"), 1);
	assert_int_equal(csv_column(&t, "eMaIl"), 1);
	assert_int_equal(csv_column(&t, " team "), 2);
	assert_int_equal(csv_column(&t, "teams"), -1);
	assert_int_equal(csv_column(&t, "tea"), -1);
	assert_int_equal(csv_column(&t, ""), -1);
	csv_table_free(&t);
	assert_int_equal(t.nrows, 0);
	assert_null(t.rows);
	/* Freeing twice, and columns of a freed table, are harmless. */
	csv_table_free(&t);
	assert_int_equal(csv_column(&t, "name"), -1);
}

static void test_quoted_commas(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "a,b,c\n\"x, y\",\",\",\"\"\n\",,\",z,\" q \"\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "x, y");
	assert_string_equal(t.rows[0][1], ",");
	assert_string_equal(t.rows[0][2], "");
	assert_string_equal(t.rows[1][0], ",,");
	assert_string_equal(t.rows[1][1], "z");
	assert_string_equal(t.rows[1][2], " q ");
	csv_table_free(&t);
}

static void test_quoted_newlines(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "id,note\n"            /* 1 */
		      "1,\"first\n"          /* 2: row 1 starts */
		      "second\n"             /* 3 */
		      "\n"                   /* 4: an empty line inside quotes is data */
		      "third\"\n"            /* 5 */
		      "2,plain\n"            /* 6 */
		      "\"3\n"                /* 7: the first field spans lines */
		      "x\",\"a\nb\"\n"       /* 8, 9 */
		      "4,end\n", NULL);      /* 10 */
	assert_int_equal(t.nrows, 4);
	assert_string_equal(t.rows[0][1], "first\nsecond\n\nthird");
	assert_int_equal(t.row_line[0], 2);
	assert_string_equal(t.rows[1][1], "plain");
	assert_int_equal(t.row_line[1], 6);
	assert_string_equal(t.rows[2][0], "3\nx");
	assert_string_equal(t.rows[2][1], "a\nb");
	assert_int_equal(t.row_line[2], 7);
	assert_int_equal(t.row_line[3], 10);
	csv_table_free(&t);

	/* A CRLF inside quotes is kept as it is. */
	read_ok_s(&t, "a\r\n\"x\r\ny\"\r\nz\r\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "x\r\ny");
	assert_int_equal(t.row_line[0], 2);
	assert_int_equal(t.row_line[1], 4);
	csv_table_free(&t);
}

static void test_doubled_quotes(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n\"\"\"x\"\"\",\"a\"\"\"\"b\"\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "say \"hi\"");
	assert_string_equal(t.rows[0][1], "\"");
	assert_string_equal(t.rows[1][0], "\"x\"");
	assert_string_equal(t.rows[1][1], "a\"\"b");
	csv_table_free(&t);
}

static void test_crlf(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "a,b\r\n1,2\r\n\"3\",\"4\"\r\n5,\r\n", NULL);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(t.header[1], "b");
	assert_int_equal(t.nrows, 3);
	assert_string_equal(t.rows[0][1], "2");
	assert_string_equal(t.rows[1][0], "3");
	assert_string_equal(t.rows[1][1], "4");
	assert_string_equal(t.rows[2][0], "5");
	assert_string_equal(t.rows[2][1], "");
	assert_int_equal(t.row_line[0], 2);
	assert_int_equal(t.row_line[1], 3);
	assert_int_equal(t.row_line[2], 4);
	csv_table_free(&t);
}

static void test_bom(void **state)
{
	(void)state;
	struct csv_table t;
	static const char *const req[] = { "email", NULL };
	read_ok_s(&t, "\xEF\xBB\xBF" "email,name\nx@y,\xEF\xBB\xBFZ\n", req);
	assert_string_equal(t.header[0], "email");
	assert_int_equal(csv_column(&t, "email"), 0);
	/* Only a leading BOM is taken off. */
	assert_string_equal(t.rows[0][1], "\xEF\xBB\xBFZ");
	assert_int_equal(t.row_line[0], 2);
	csv_table_free(&t);

	/* A quoted first field after the BOM. */
	read_ok_s(&t, "\xEF\xBB\xBF\"email\"\r\n\"a@b\"\r\n", req);
	assert_string_equal(t.header[0], "email");
	assert_string_equal(t.rows[0][0], "a@b");
	csv_table_free(&t);

	/* A BOM and nothing else is an empty file. */
	read_fail_s("\xEF\xBB\xBF", NULL, ":1: empty file, no header row");
}

static void test_mixed_line_ends(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "a,b\r\n1,2\n3,4\r\n\n\r\n5,6\n7,8", NULL);
	assert_int_equal(t.nrows, 4);
	assert_string_equal(t.rows[0][1], "2");
	assert_string_equal(t.rows[1][1], "4");
	assert_string_equal(t.rows[2][0], "5");
	assert_string_equal(t.rows[3][1], "8");
	assert_int_equal(t.row_line[0], 2);
	assert_int_equal(t.row_line[1], 3);
	assert_int_equal(t.row_line[2], 6);
	assert_int_equal(t.row_line[3], 7);
	csv_table_free(&t);

	/* A lone CR ends a row and a line too (libcsv ends rows there). */
	read_ok_s(&t, "a\rb\r\rc\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "b");
	assert_string_equal(t.rows[1][0], "c");
	assert_int_equal(t.row_line[0], 2);
	assert_int_equal(t.row_line[1], 4);
	csv_table_free(&t);
}

static void test_no_trailing_newline(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "a,b\n1,2\n3,4", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[1][0], "3");
	assert_string_equal(t.rows[1][1], "4");
	assert_int_equal(t.row_line[1], 3);
	csv_table_free(&t);

	/* Ending in a comma, in a closing quote. */
	read_ok_s(&t, "a,b\n3,", NULL);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0][1], "");
	csv_table_free(&t);
	read_ok_s(&t, "a,b\n3,\"x\ny\"", NULL);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0][1], "x\ny");
	csv_table_free(&t);

	/* A ragged last row without a newline is still caught. */
	read_fail_s("a,b\n1,2\n3", NULL, ":3: 1 field, the header has 2");
}

static void test_empty_lines(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "\n\r\na,b\n\n1,2\n\r\n\n3,4\n\n\n", NULL);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(t.header[0], "a");
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.row_line[0], 5);
	assert_int_equal(t.row_line[1], 8);
	csv_table_free(&t);

	/* A line with just a comma is a row of empty fields, not skipped. */
	read_ok_s(&t, "a,b\n,\n1,2\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "");
	assert_string_equal(t.rows[0][1], "");
	assert_int_equal(t.row_line[1], 3);
	csv_table_free(&t);
	read_fail_s("a,b,c\n1,2,3\n,\n", NULL, ":3: 2 fields, the header has 3");

	/* A line of spaces is a field, not an empty line. */
	read_fail_s("a,b\n1,2\n  \n", NULL, ":3: 1 field, the header has 2");

	/* A one-column file: an empty quoted field is a row, an empty line is not. */
	read_ok_s(&t, "a\n\"\"\n\nx\n", NULL);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][0], "");
	assert_string_equal(t.rows[1][0], "x");
	assert_int_equal(t.row_line[1], 4);
	csv_table_free(&t);
}

static void test_header_only_and_empty(void **state)
{
	(void)state;
	struct csv_table t;
	static const char *const req[] = { "b", NULL };
	read_ok_s(&t, "a,b\n", req);
	assert_int_equal(t.ncols, 2);
	assert_int_equal(t.nrows, 0);
	csv_table_free(&t);
	read_ok_s(&t, "a,b", req);
	assert_int_equal(t.ncols, 2);
	assert_int_equal(t.nrows, 0);
	csv_table_free(&t);
	read_ok_s(&t, "a,b\r\n\r\n\r\n", req);
	assert_int_equal(t.nrows, 0);
	csv_table_free(&t);

	read_fail_s("", NULL, ":1: empty file, no header row");
	read_fail_s("\n\n\r\n", req, ":1: empty file, no header row");
}

static void test_extra_columns(void **state)
{
	(void)state;
	struct csv_table t;
	static const char *const req[] = { "email", "team", NULL };
	read_ok_s(&t, "x,team,y,EMAIL,z\n1,t,2,e,3\n", req);
	assert_int_equal(t.ncols, 5);
	assert_int_equal(csv_column(&t, "team"), 1);
	assert_int_equal(csv_column(&t, "email"), 3);
	assert_string_equal(t.rows[0][csv_column(&t, "email")], "e");
	assert_string_equal(t.rows[0][4], "3");
	csv_table_free(&t);

	/* No required columns at all. */
	static const char *const none[] = { NULL };
	read_ok_s(&t, "x\n1\n", none);
	assert_int_equal(t.nrows, 1);
	csv_table_free(&t);
}

static void test_utf8_accepted(void **state)
{
	(void)state;
	struct csv_table t;
	read_ok_s(&t, "name,city\nJos\xC3\xA9,\xE6\x9D\xB1\xE4\xBA\xAC\n"
		      "\xF0\x9F\x98\x80,\xEF\xBF\xBD\n", NULL);
	assert_string_equal(t.rows[0][0], "Jos\xC3\xA9");
	assert_string_equal(t.rows[1][0], "\xF0\x9F\x98\x80");
	csv_table_free(&t);
}

/* ---- rejected files ---- */

static void test_ragged(void **state)
{
	(void)state;
	read_fail_s("a,b,c,d\n1,2,3,4\n1,2,3\n", NULL, ":3: 3 fields, the header has 4");
	read_fail_s("a,b\n1,2,3\n", NULL, ":2: 3 fields, the header has 2");
	/* The line is the one the row started on. */
	read_fail_s("a,b\n1,2\n\"x\ny\"\n", NULL, ":3: 1 field, the header has 2");
	read_fail_s("a,b\n1,2\n\n\n1,\"x\ny\",z\n", NULL, ":5: 3 fields, the header has 2");
	/* A trailing comma makes one more field. */
	read_fail_s("a,b\r\n1,2,\r\n", NULL, ":2: 3 fields, the header has 2");
}

static void test_nul_byte(void **state)
{
	(void)state;
	static const char data[] = "a,b\n1,2\n3,x\0y\n";
	read_fail(data, sizeof(data) - 1, NULL, ":3: NUL byte");
	static const char hdr[] = "a\0,b\n";
	read_fail(hdr, sizeof(hdr) - 1, NULL, ":1: NUL byte");
	/* Inside quotes too, counting the lines inside the field. */
	static const char q[] = "a\r\n\"x\r\n\0\"\r\n";
	read_fail(q, sizeof(q) - 1, NULL, ":3: NUL byte");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	read_fail_s("a,b\n1,2\nx,\xFF\n", NULL, ":3: invalid UTF-8 (byte 0xFF)");
	read_fail_s("a,b\r\n\xE9t\xE9,2\r\n", NULL, ":2: invalid UTF-8 (byte 0xE9)");
	/* Overlong, surrogate, above U+10FFFF, a lone continuation byte. */
	read_fail_s("a\n\xC0\x80\n", NULL, ":2: invalid UTF-8 (byte 0xC0)");
	read_fail_s("a\n\xE0\x80\xAF\n", NULL, ":2: invalid UTF-8 (byte 0xE0)");
	read_fail_s("a\n\xED\xA0\x80\n", NULL, ":2: invalid UTF-8 (byte 0xED)");
	read_fail_s("a\n\xF4\x90\x80\x80\n", NULL, ":2: invalid UTF-8 (byte 0xF4)");
	read_fail_s("a\n\x80\n", NULL, ":2: invalid UTF-8 (byte 0x80)");
	/* Cut short by a newline, or by the end of the file. */
	read_fail_s("a\n\xC3\n", NULL, ":2: invalid UTF-8 (byte 0xC3)");
	read_fail_s("a\n\n\xF0\x9F\x98", NULL, ":3: invalid UTF-8 (byte 0xF0)");
	/* A broken BOM is not a BOM. */
	read_fail_s("\xEF\xBB" "a\n", NULL, ":1: invalid UTF-8 (byte 0xEF)");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	read_fail_s("a,b\n1,2\n3,\"open\nmore\nstill", NULL, ":3: unterminated quoted field");
	read_fail_s("a,b\n1,2\n3,\"open\nmore\n", NULL, ":3: unterminated quoted field");
	/* The line is where the field started, not where its row did. */
	read_fail_s("a,b,c\n\"x\ny\",\"z\n", NULL, ":3: unterminated quoted field");
	read_fail_s("a,b\r\n\"x\r\n\r\n", NULL, ":2: unterminated quoted field");
	read_fail_s("\"a", NULL, ":1: unterminated quoted field");
}

static void test_stray_quotes(void **state)
{
	(void)state;
	read_fail_s("a,b\n1,ab\"c\n", NULL, ":2:2: quote inside an unquoted field");
	read_fail_s("a,b\n\"ab\"c,d\n", NULL, ":2:1: text after the closing quote");
	read_fail_s("a,b\n\"ab\" ,d\n", NULL, ":2:1: text after the closing quote");
	/* On the line of the bad character, in a field that began earlier. */
	read_fail_s("a,b\n1,\"x\ny\"z\n", NULL, ":3:2: text after the closing quote");
}

static void test_missing_column(void **state)
{
	(void)state;
	static const char *const req[] = { "name", "email", NULL };
	read_fail_s("name,e-mail\nx,y\n", req, ":1: missing column 'email'");
	read_fail_s("\n\nname\n", req, ":3: missing column 'email'");
	static const char *const req2[] = { " team ", NULL };
	read_fail_s("name,teams\n", req2, ":1: missing column 'team'");

	/* Names compare case-insensitively, after trimming. */
	struct csv_table t;
	static const char *const req3[] = { "Email", "NAME", NULL };
	read_ok_s(&t, "  name , EMAIL\n", req3);
	assert_int_equal(csv_column(&t, "email"), 1);
	csv_table_free(&t);
}

static void test_duplicate_column(void **state)
{
	(void)state;
	read_fail_s("a,b,a\n1,2,3\n", NULL, ":1:3: duplicate column 'a' (also column 1)");
	read_fail_s("name,Email,x,email\n", NULL,
		    ":1:4: duplicate column 'email' (also column 2)");
	read_fail_s("\r\nid, id \r\n", NULL, ":2:2: duplicate column 'id' (also column 1)");
	read_fail_s(",\n", NULL, ":1:2: duplicate column '' (also column 1)");
}

static void test_limits(void **state)
{
	(void)state;
	struct csv_table t;
	struct strbuf sb = STRBUF_INIT;

	/* A field of exactly CSV_MAX_FIELD bytes is fine... */
	sb_adds(&sb, "a,b\n1,\"");
	for (size_t i = 0; i < CSV_MAX_FIELD; i++)
		sb_addc(&sb, i % 100 == 99 ? '\n' : 'x');
	sb_adds(&sb, "\"\n");
	read_ok(&t, sb.ptr, sb.len, NULL);
	assert_int_equal(strlen(t.rows[0][1]), CSV_MAX_FIELD);
	csv_table_free(&t);

	/* ...one of 70 KiB is not. */
	sb_reset(&sb);
	sb_adds(&sb, "a,b\n1,2\n3,");
	for (size_t i = 0; i < 70 * 1024; i++)
		sb_addc(&sb, 'y');
	sb_adds(&sb, "\n");
	read_fail(sb.ptr, sb.len, NULL, ":3:2: field longer than 65536 bytes");
	/* Also in the header. */
	sb_reset(&sb);
	for (size_t i = 0; i < 70 * 1024; i++)
		sb_addc(&sb, 'h');
	read_fail(sb.ptr, sb.len, NULL, ":1:1: field longer than 65536 bytes");

	/* CSV_MAX_FIELDS columns are fine, one more is not. */
	sb_reset(&sb);
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		sb_addf(&sb, "%sc%d", i ? "," : "", i);
	sb_adds(&sb, "\n");
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		sb_addf(&sb, "%s%d", i ? "," : "", i);
	sb_adds(&sb, "\n");
	read_ok(&t, sb.ptr, sb.len, NULL);
	assert_int_equal(t.ncols, CSV_MAX_FIELDS);
	assert_string_equal(t.rows[0][CSV_MAX_FIELDS - 1], "255");
	assert_int_equal(csv_column(&t, "c255"), 255);
	csv_table_free(&t);

	sb_reset(&sb);
	for (int i = 0; i <= CSV_MAX_FIELDS; i++)
		sb_addf(&sb, "%sc%d", i ? "," : "", i);
	sb_adds(&sb, "\n");
	read_fail(sb.ptr, sb.len, NULL, ":1:257: more than 256 fields in a row");
	sb_reset(&sb);
	sb_adds(&sb, "a\n1\n2\n");
	for (int i = 0; i <= CSV_MAX_FIELDS; i++)
		sb_adds(&sb, ",");
	sb_adds(&sb, "\n");
	read_fail(sb.ptr, sb.len, NULL, ":4:257: more than 256 fields in a row");

	/* CSV_MAX_ROWS data rows are fine, one more is not. */
	sb_reset(&sb);
	sb_adds(&sb, "n\n");
	for (int i = 0; i < CSV_MAX_ROWS; i++)
		sb_add(&sb, "1\n", 2);
	read_ok(&t, sb.ptr, sb.len, NULL);
	assert_int_equal(t.nrows, CSV_MAX_ROWS);
	assert_int_equal(t.row_line[CSV_MAX_ROWS - 1], CSV_MAX_ROWS + 1);
	csv_table_free(&t);
	sb_add(&sb, "2\n", 2);
	read_fail(sb.ptr, sb.len, NULL, ":1000002: more than 1000000 rows");

	sb_free(&sb);
}

static void test_unreadable(void **state)
{
	(void)state;
	struct csv_table t;
	char missing[600];
	snprintf(missing, sizeof(missing), "%s/no-such-file.csv", tmpdir);
	assert_int_equal(csv_read_file(&t, missing, NULL), CARRY_EINPUT);
	char want[700];
	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	assert_string_equal(carry_error_last(), want);
	assert_int_equal(t.nrows, 0);
	csv_table_free(&t);

	assert_int_equal(csv_read_file(&t, tmpdir, NULL), CARRY_EINPUT);
	snprintf(want, sizeof(want), "%s: Is a directory", tmpdir);
	assert_string_equal(carry_error_last(), want);
	csv_table_free(&t);
}

/* 100k roster-like rows; reported, not timed against a limit. */
static void test_many_rows(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "person_id,name,emails,team,joined_on,left_on,is_bot,handles\r\n");
	for (int i = 0; i < 100000; i++)
		sb_addf(&sb, "p%d,\"Person, Number %d\",p%d@example.com;p%d@old.example.com,"
			     "team-%d,2020-01-%02d,,%s,\"@p%d\"\r\n",
			i, i, i, i, i % 37, i % 28 + 1, i % 50 ? "false" : "true", i);
	const char *p = put_n(sb.ptr, sb.len);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct csv_table t;
	static const char *const req[] = { "person_id", "emails", "handles", NULL };
	int rc = csv_read_file(&t, p, req);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(rc, 0);
	print_message("    100k rows (%zu bytes) in %.1f ms\n", sb.len,
		      (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	assert_int_equal(t.nrows, 100000);
	assert_string_equal(t.rows[99999][1], "Person, Number 99999");
	assert_string_equal(t.rows[99999][5], "");
	assert_int_equal(t.row_line[99999], 100001);
	csv_table_free(&t);
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_and_column),
		cmocka_unit_test(test_quoted_commas),
		cmocka_unit_test(test_quoted_newlines),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_mixed_line_ends),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_header_only_and_empty),
		cmocka_unit_test(test_extra_columns),
		cmocka_unit_test(test_utf8_accepted),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_stray_quotes),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_duplicate_column),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_many_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
