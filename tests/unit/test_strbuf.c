/* The base layer's plumbing: strbuf (src/base/strbuf.c), allocation
 * helpers (mem.c), result tables (table.c) and the last-error machinery
 * with its exit-status mapping (error.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/table.h"

/* Every invariant a strbuf promises, checked after each operation. */
static void sb_invariants(const struct strbuf *sb)
{
	if (sb->ptr == NULL) {
		assert_int_equal(sb->len, 0);
		assert_int_equal(sb->cap, 0);
		return;
	}
	assert_true(sb->cap >= sb->len + 1);
	assert_int_equal(sb->ptr[sb->len], '\0');
}

/* ---- strbuf ---- */

static void test_sb_empty(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_null(sb.ptr);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	sb_invariants(&sb);

	/* Detaching an empty buffer gives a fresh, freeable "". */
	char *p = sb_detach(&sb);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	assert_null(sb.ptr);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);

	/* Adding nothing still leaves a valid, empty, terminated string. */
	sb_add(&sb, "", 0);
	sb_invariants(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	sb_adds(&sb, "");
	assert_int_equal(sb.len, 0);
	sb_addf(&sb, "%s", "");
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	p = sb_detach(&sb);
	assert_string_equal(p, "");
	free(p);

	/* reset and free on a never-used buffer are harmless. */
	sb_reset(&sb);
	sb_free(&sb);
	sb_free(&sb);
	assert_null(sb.ptr);
	assert_string_equal(sb_str(&sb), "");
}

static void test_sb_growth(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	const size_t n = 300000;
	for (size_t i = 0; i < n; i++) {
		sb_addc(&sb, (char)('a' + i % 26));
		if (i % 9973 == 0)
			sb_invariants(&sb);
	}
	sb_invariants(&sb);
	assert_int_equal(sb.len, n);
	assert_int_equal(strlen(sb_str(&sb)), n);
	for (size_t i = 0; i < n; i++)
		if (sb.ptr[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is '%c', want '%c'", i, sb.ptr[i], (char)('a' + i % 26));

	/* Mixed appends keep order and content. */
	sb_reset(&sb);
	sb_invariants(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
	assert_true(sb.cap > n); /* reset keeps the allocation */
	sb_adds(&sb, "abc");
	sb_addc(&sb, '-');
	sb_addf(&sb, "%d/%s/%05.1f", -42, "x", 3.14159);
	sb_add(&sb, "tail", 2);
	assert_string_equal(sb_str(&sb), "abc--42/x/003.1ta");
	assert_int_equal(sb.len, strlen("abc--42/x/003.1ta"));
	sb_invariants(&sb);

	/* sb_grow reserves without changing the content. */
	struct strbuf g = STRBUF_INIT;
	sb_adds(&g, "keep");
	sb_grow(&g, 100000);
	assert_true(g.cap >= 4 + 100000 + 1);
	assert_int_equal(g.len, 4);
	assert_string_equal(sb_str(&g), "keep");
	char *before = g.ptr;
	for (int i = 0; i < 100000; i++)
		sb_addc(&g, 'z');
	assert_ptr_equal(g.ptr, before); /* no reallocation was needed */
	assert_int_equal(g.len, 100004);
	sb_free(&g);

	/* Appending a buffer's own content to itself (the pointer moves
	 * when it grows) is not a promise; appending a copy is. */
	char *copy = xstrdup(sb_str(&sb));
	for (int i = 0; i < 10; i++)
		sb_adds(&sb, copy);
	assert_int_equal(sb.len, 11 * strlen(copy));
	free(copy);
	sb_free(&sb);
	assert_null(sb.ptr);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
	/* Usable again after sb_free. */
	sb_adds(&sb, "again");
	assert_string_equal(sb_str(&sb), "again");
	sb_free(&sb);
}

static void test_sb_embedded_nul(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_add(&sb, "a\0b", 3);
	sb_addc(&sb, '\0');
	sb_add(&sb, "\0\0c", 3);
	sb_invariants(&sb);
	assert_int_equal(sb.len, 7);
	assert_memory_equal(sb.ptr, "a\0b\0\0\0c", 8); /* including the terminator */
	/* sb_adds stops at the first NUL (a C string), sb_add does not. */
	sb_adds(&sb, "de\0f");
	assert_int_equal(sb.len, 9);
	assert_memory_equal(sb.ptr + 7, "de", 3);
	/* %c with 0 writes a NUL byte that counts. */
	sb_addf(&sb, "%c%s", 0, "g");
	assert_int_equal(sb.len, 11);
	assert_memory_equal(sb.ptr + 9, "\0g", 3);

	char *p = sb_detach(&sb);
	assert_memory_equal(p, "a\0b\0\0\0cde\0g", 12);
	free(p);
	assert_null(sb.ptr);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb_str(&sb), "");
}

static void fmt_wrapper(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fmt_wrapper(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

static void test_sb_addf_long(void **state)
{
	(void)state;
	const size_t big = 3u << 19; /* 1.5 MiB */
	char *src = xmalloc(big + 1);
	for (size_t i = 0; i < big; i++)
		src[i] = (char)('A' + (i * 7) % 26);
	src[big] = '\0';

	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "<<");
	sb_addf(&sb, "%s|%d|%s", src, 12345, "end");
	sb_invariants(&sb);
	assert_int_equal(sb.len, 2 + big + strlen("|12345|end"));
	assert_memory_equal(sb.ptr, "<<", 2);
	assert_memory_equal(sb.ptr + 2, src, big);
	assert_string_equal(sb.ptr + 2 + big, "|12345|end");

	/* A width larger than 1 MiB: the padding is all there. */
	sb_reset(&sb);
	sb_addf(&sb, "%*d", 2000000, 7);
	assert_int_equal(sb.len, 2000000);
	assert_int_equal(sb.ptr[1999999], '7');
	for (size_t i = 0; i < 1999999; i++)
		if (sb.ptr[i] != ' ')
			fail_msg("byte %zu is 0x%02x, want a space", i, (unsigned char)sb.ptr[i]);

	/* Through sb_vaddf, twice in a row on the same buffer. */
	sb_reset(&sb);
	fmt_wrapper(&sb, "%s", src);
	fmt_wrapper(&sb, "%s-%lld", src, (long long)INT64_MIN);
	assert_int_equal(sb.len, 2 * big + 1 + strlen("-9223372036854775808"));
	assert_memory_equal(sb.ptr + big, src, big);
	assert_string_equal(sb.ptr + 2 * big, "--9223372036854775808");
	sb_invariants(&sb);

	free(src);
	sb_free(&sb);
}

/* ---- mem ---- */

static void test_mem(void **state)
{
	(void)state;
	char *s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("a\0bc", 4); /* copies n bytes, terminates after them */
	assert_memory_equal(s, "a\0bc", 5);
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);

	int *v = NULL;
	size_t cap = 0;
	xgrow(&v, &cap, 1, sizeof(*v));
	assert_non_null(v);
	assert_true(cap >= 1);
	size_t old = cap;
	xgrow(&v, &cap, old, sizeof(*v)); /* already enough: unchanged */
	assert_int_equal(cap, old);
	for (size_t need = 2; need < 100000; need = need * 3 + 1) {
		xgrow(&v, &cap, need, sizeof(*v));
		assert_true(cap >= need);
		v[need - 1] = (int)need; /* writable up to need */
	}
	free(v);

	unsigned char *z = xcalloc(1000, 3);
	for (size_t i = 0; i < 3000; i++)
		assert_int_equal(z[i], 0);
	free(z);
	free(xmalloc(0));
	free(xcalloc(0, 0));
}

/* ---- table ---- */

static const struct table_col cols3[] = {
	{ "name", "NAME", COL_STR, false },
	{ "count", "COUNT", COL_INT, true },
	{ "tags", "TAGS", COL_LIST, false },
};

static void test_table(void **state)
{
	(void)state;
	struct table t;
	memset(&t, 0xa5, sizeof(t));
	table_init(&t, cols3, 3);
	assert_ptr_equal(t.cols, cols3);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.nrows, 0);

	const size_t nrows = 1000;
	for (size_t r = 0; r < nrows; r++) {
		struct table_cell *row = table_add_row(&t);
		assert_int_equal(t.nrows, r + 1);
		assert_ptr_equal(row, table_at(&t, r, 0));
		for (size_t c = 0; c < 3; c++) {
			assert_true(row[c].null);
			assert_null(row[c].s);
		}
		char name[32];
		snprintf(name, sizeof(name), "row %zu", r);
		cell_set_str(&row[0], name);
		cell_set_int(&row[1], (int64_t)r * -3);
		if (r % 2)
			cell_set_str(&row[2], "a\nb");
	}
	/* Earlier rows survive the reallocations made by later ones. */
	for (size_t r = 0; r < nrows; r++) {
		char name[32];
		snprintf(name, sizeof(name), "row %zu", r);
		assert_false(table_at(&t, r, 0)->null);
		assert_string_equal(table_at(&t, r, 0)->s, name);
		assert_false(table_at(&t, r, 1)->null);
		assert_int_equal(table_at(&t, r, 1)->i, (int64_t)r * -3);
		assert_int_equal(table_at(&t, r, 2)->null, r % 2 == 0);
		if (r % 2)
			assert_string_equal(table_at(&t, r, 2)->s, "a\nb");
	}

	/* The table owns a copy, not the caller's pointer. */
	char mine[] = "mutable";
	struct table_cell *c = table_at(&t, 5, 0);
	cell_set_str(c, mine);
	assert_ptr_not_equal(c->s, mine);
	mine[0] = 'X';
	assert_string_equal(c->s, "mutable");
	/* Replacing a string, and setting NULL, makes the cell null. */
	cell_set_str(c, "second");
	assert_string_equal(c->s, "second");
	cell_set_str(c, NULL);
	assert_true(c->null);
	assert_null(c->s);
	cell_set_int(c, 0);
	assert_false(c->null);
	assert_int_equal(c->i, 0);

	table_free(&t);
	assert_int_equal(t.nrows, 0);
	assert_null(t.cells);
	/* Usable again, and freeing twice (or NULL) is harmless. */
	struct table_cell *row = table_add_row(&t);
	cell_set_str(&row[0], "again");
	assert_int_equal(t.nrows, 1);
	assert_string_equal(table_at(&t, 0, 0)->s, "again");
	table_free(&t);
	table_free(&t);
	table_free(NULL);
}

/* ---- errors ---- */

static void test_error_messages(void **state)
{
	(void)state;
	carry_error_clear();
	assert_string_equal(carry_error_last(), "");

	assert_int_equal(carry_error(CARRY_EINPUT, "%s:%d: bad %s", "roster.csv", 7, "email"),
	                 CARRY_EINPUT);
	assert_string_equal(carry_error_last(), "roster.csv:7: bad email");

	assert_int_equal(carry_error_prefix(CARRY_EUSAGE, "--since"), CARRY_EUSAGE);
	assert_string_equal(carry_error_last(), "--since: roster.csv:7: bad email");
	assert_int_equal(carry_error_prefix(CARRY_ERR, "outer"), CARRY_ERR);
	assert_string_equal(carry_error_last(), "outer: --since: roster.csv:7: bad email");

	/* A later error replaces the earlier one completely. */
	assert_int_equal(carry_error(CARRY_ERR, "short"), CARRY_ERR);
	assert_string_equal(carry_error_last(), "short");
	assert_int_equal(carry_error(CARRY_ENOTFOUND, "%s", ""), CARRY_ENOTFOUND);
	assert_string_equal(carry_error_last(), "");

	carry_error(CARRY_ERR, "x");
	carry_error_clear();
	assert_string_equal(carry_error_last(), "");

	/* A huge message is truncated, not overflowed, and prefixing it
	 * keeps the prefix in front. */
	char *huge = xmalloc(5001);
	memset(huge, 'm', 5000);
	huge[5000] = '\0';
	carry_error(CARRY_ERR, "%s", huge);
	size_t n = strlen(carry_error_last());
	assert_true(n > 100 && n < 5000);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(carry_error_last()[i], 'm');
	carry_error_prefix(CARRY_ERR, "pre");
	assert_memory_equal(carry_error_last(), "pre: mmm", 8);
	assert_true(strlen(carry_error_last()) <= n + 5);
	free(huge);
	carry_error_clear();
}

static void *thread_sets_error(void *arg)
{
	(void)arg;
	if (strcmp(carry_error_last(), "") != 0)
		return (void *)1; /* a new thread starts with no error */
	carry_error(CARRY_ERR, "from the worker");
	return strcmp(carry_error_last(), "from the worker") == 0 ? NULL : (void *)2;
}

static void test_error_thread_local(void **state)
{
	(void)state;
	carry_error(CARRY_EINPUT, "main thread");
	pthread_t th;
	void *res = (void *)99;
	assert_int_equal(pthread_create(&th, NULL, thread_sets_error, NULL), 0);
	assert_int_equal(pthread_join(th, &res), 0);
	assert_null(res);
	assert_string_equal(carry_error_last(), "main thread");
	carry_error_clear();
}

static void test_exit_status(void **state)
{
	(void)state;
	assert_int_equal(carry_exit_status(0), 0);
	assert_int_equal(carry_exit_status(CARRY_OK), 0);
	assert_int_equal(carry_exit_status(CARRY_EUSAGE), 2);
	assert_int_equal(carry_exit_status(CARRY_EINPUT), 3);
	assert_int_equal(carry_exit_status(CARRY_ERR), 1);
	assert_int_equal(carry_exit_status(CARRY_ENOTFOUND), 1);
	assert_int_equal(carry_exit_status(-1000), 1);
	/* The codes themselves are part of the contract. */
	assert_int_equal(CARRY_ERR, -1);
	assert_int_equal(CARRY_EUSAGE, -3);
	assert_int_equal(CARRY_EINPUT, -4);
	/* carry_error's return feeds straight into the mapping. */
	assert_int_equal(carry_exit_status(carry_error(CARRY_EUSAGE, "bad option")), 2);
	assert_int_equal(carry_exit_status(carry_error(CARRY_EINPUT, "bad file")), 3);
	assert_int_equal(carry_exit_status(carry_error_prefix(CARRY_EINPUT, "f.csv")), 3);
	carry_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sb_empty),
		cmocka_unit_test(test_sb_growth),
		cmocka_unit_test(test_sb_embedded_nul),
		cmocka_unit_test(test_sb_addf_long),
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_error_thread_local),
		cmocka_unit_test(test_exit_status),
	};
	return cmocka_run_group_tests(tests, 0, NULL);
}
