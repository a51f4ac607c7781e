/* Terminal-safe text: examples for every class of the mapping, then
 * properties checked over many random byte strings against a reference
 * escaper written independently here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/strbuf.h"
#include "carry/termsafe.h"
#include "../../src/base/width_table.h"

#define PROPERTY_CASES 250000
#define MAX_INPUT 64

static const unsigned invisible[] = {
	0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
	0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
	0x2069, 0xFEFF,
};
#define NINVISIBLE (sizeof(invisible) / sizeof(invisible[0]))

/* ---- examples ---- */

static void expect_n(const char *in, size_t len, const char *want, size_t want_width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = ts_escape(&sb, in, len);

	if (sb.len != strlen(want) || memcmp(sb_str(&sb), want, sb.len) != 0)
		fail_msg("escaped to \"%s\", want \"%s\"", sb_str(&sb), want);
	assert_int_equal(w, want_width);
	assert_int_equal(ts_width(sb_str(&sb), sb.len), want_width);
	sb_free(&sb);
}

static void expect(const char *in, const char *want, size_t want_width)
{
	expect_n(in, strlen(in), want, want_width);
}

static void test_c0_and_del(void **state)
{
	(void)state;
	expect("\x1b[31mred", "^[[31mred", 9);
	expect_n("a\0b", 3, "a^@b", 4);
	expect("\x7f", "^?", 2);
	expect("\t\n\r", "^I^J^M", 6);
	expect("\x1f\x01", "^_^A", 4);
	expect("plain text", "plain text", 10);
	expect("", "", 0);
}

static void test_c1(void **state)
{
	(void)state;
	expect("\xc2\x9b" "31m", "\\u{9b}31m", 9);
	expect("\xc2\x80\xc2\x9f", "\\u{80}\\u{9f}", 12);
	expect("\xc2\xa0", "\xc2\xa0", 1); /* NBSP is printable */
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	expect("\x80", "\\x80", 4);                          /* stray continuation */
	expect("\xff\xfe", "\\xFF\\xFE", 8);
	expect("\xc0\xaf", "\\xC0\\xAF", 8);                 /* overlong '/' */
	expect("\xe0\x80\xaf", "\\xE0\\x80\\xAF", 12);       /* overlong '/' */
	expect("\xf0\x80\x80\xaf", "\\xF0\\x80\\x80\\xAF", 16);
	expect("\xed\xa0\x80", "\\xED\\xA0\\x80", 12);       /* surrogate D800 */
	expect("\xed\xbf\xbf", "\\xED\\xBF\\xBF", 12);       /* surrogate DFFF */
	expect("\xe2\x82" "A", "\\xE2\\x82" "A", 9);         /* truncated, text goes on */
	expect("ok\xf0\x9f\x98", "ok\\xF0\\x9F\\x98", 14);   /* truncated at the end */
	expect("\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80", 16); /* U+110000 */
	expect("\xf5\x80\x80\x80", "\\xF5\\x80\\x80\\x80", 16);
	expect("\xc3" "\xa9", "\xc3\xa9", 1);                /* valid é */
	expect("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 1);   /* U+10FFFF is fine */
}

static size_t encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void test_bidi_and_invisible(void **state)
{
	char in[4], want[16];

	(void)state;
	for (size_t i = 0; i < NINVISIBLE; i++) {
		size_t n = encode(invisible[i], in);
		snprintf(want, sizeof(want), "<U+%04X>", invisible[i]);
		expect_n(in, n, want, 8);
	}
	/* Trojan Source: the override would make the comment hide the code. */
	expect("/* \xe2\x80\xae } \xe2\x81\xa6 if (admin) */",
	       "/* <U+202E> } <U+2066> if (admin) */", 36);
	/* A ZWJ emoji sequence shows its joiners. */
	expect("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
	       "\xf0\x9f\x91\xa8<U+200D>\xf0\x9f\x91\xa9", 12);
}

static void test_widths(void **state)
{
	(void)state;
	expect("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87", 4); /* 中文 */
	expect("e\xcc\x81", "e\xcc\x81", 1);                 /* e + combining acute */
	expect("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 2);   /* 😀 */
	expect("\xe2\x9c\x85", "\xe2\x9c\x85", 2);           /* ✅ */
	expect("\xed\x95\x9c", "\xed\x95\x9c", 2);           /* 한 */
	expect("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab",       /* 한 as jamo */
	       "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 2);
	expect("\xef\xbc\xa1", "\xef\xbc\xa1", 2);           /* fullwidth A */
	expect("\xef\xbd\xb1", "\xef\xbd\xb1", 1);           /* halfwidth katakana */

	assert_int_equal(ts_codepoint_width('a'), 1);
	assert_int_equal(ts_codepoint_width(0x4E2D), 2);
	assert_int_equal(ts_codepoint_width(0x0301), 0);
	assert_int_equal(ts_codepoint_width(0x20DD), 0);     /* Me: enclosing circle */
	assert_int_equal(ts_codepoint_width(0x2060), 0);     /* Cf: word joiner */
	assert_int_equal(ts_codepoint_width(0x00AD), 1);     /* soft hyphen: drawn */
	assert_int_equal(ts_codepoint_width(0x1160), 0);
	assert_int_equal(ts_codepoint_width(0x11FF), 0);
	assert_int_equal(ts_codepoint_width(0x1100), 2);
	assert_int_equal(ts_codepoint_width(0x200B), 0);
	assert_int_equal(ts_codepoint_width(0xFE0F), 0);     /* variation selector */
	assert_int_equal(ts_codepoint_width(0x1F600), 2);
	assert_int_equal(ts_codepoint_width(0x302A), 0);     /* Mn although EAW W */
	assert_int_equal(ts_codepoint_width(0x2FFFD), 2);    /* unassigned plane 2 */
	assert_int_equal(ts_codepoint_width(0x3000), 2);     /* ideographic space */
	assert_int_equal(ts_codepoint_width(0x00E9), 1);
	assert_int_equal(ts_codepoint_width(0x10FFFF), 1);
}

/* The binary search needs sorted, disjoint ranges; check every code point
 * against a walk over the ranges. */
static int scan(const struct width_range *r, size_t n, size_t *at, unsigned cp)
{
	while (*at < n && r[*at].hi < cp)
		++*at; /* cp only grows */
	return *at < n && cp >= r[*at].lo;
}

static void test_width_table(void **state)
{
	size_t nz = sizeof(zero_width) / sizeof(zero_width[0]);
	size_t nw = sizeof(wide) / sizeof(wide[0]), az = 0, aw = 0;

	(void)state;
	for (size_t i = 0; i < nz; i++) {
		assert_true(zero_width[i].lo <= zero_width[i].hi);
		if (i)
			assert_true(zero_width[i - 1].hi + 1 < zero_width[i].lo);
	}
	for (size_t i = 0; i < nw; i++) {
		assert_true(wide[i].lo <= wide[i].hi);
		if (i)
			assert_true(wide[i - 1].hi + 1 < wide[i].lo);
	}
	for (unsigned cp = 0; cp <= 0x10FFFF; cp++) {
		int z = scan(zero_width, nz, &az, cp), w = scan(wide, nw, &aw, cp);
		assert_false(z && w);
		assert_int_equal(ts_codepoint_width(cp), z ? 0 : w ? 2 : 1);
	}
}

static void test_escapes_and_idempotence(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* Escape-looking text is ordinary text and stays as it is. */
	expect("^[ \\x41 \\u{9b} <U+202E>", "^[ \\x41 \\u{9b} <U+202E>", 23);
	assert_int_equal(ts_escapes(&sb, "a\x1b" "b"), 4);
	assert_string_equal(sb_str(&sb), "a^[b");
	assert_int_equal(ts_escapes(&sb, NULL), 0);
	assert_string_equal(sb_str(&sb), "a^[b");
	sb_free(&sb);
}

static void expect_fit(const char *in, size_t cols, const char *want, size_t want_width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w;

	sb_adds(&sb, "|"); /* ts_fit appends */
	w = ts_fit(&sb, in, strlen(in), cols);
	if (strcmp(sb_str(&sb) + 1, want) != 0)
		fail_msg("fit \"%s\" in %zu -> \"%s\", want \"%s\"", in, cols,
			 sb_str(&sb) + 1, want);
	assert_int_equal(w, want_width);
	sb_free(&sb);
}

static void test_fit(void **state)
{
	(void)state;
	expect_fit("hello world", 11, "hello world", 11);
	expect_fit("hello world", 20, "hello world", 11);
	expect_fit("hello world", 5, "hell~", 5);
	expect_fit("hello world", 1, "~", 1);
	expect_fit("hello world", 0, "", 0);
	expect_fit("", 0, "", 0);
	expect_fit("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4, "\xe4\xb8\xad~", 3);
	expect_fit("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5, "\xe4\xb8\xad\xe6\x96\x87~", 5);
	expect_fit("e\xcc\x81xy", 2, "e\xcc\x81~", 2);     /* keeps the accent */
	expect_fit("ab^[cd", 4, "ab~", 3);                  /* never half an escape */
	expect_fit("ab\\xC3cd", 5, "ab~", 3);
	expect_fit("a<U+202E>bc", 10, "a<U+202E>~", 10);
	expect_fit("a<U+202E>b", 8, "a~", 2);
	expect_fit("x^^[y", 4, "x~", 2);    /* "^^[" is "^" + ESC or RS + "[" */
	expect_fit("\x1b[31m", 3, "^[~", 3); /* unsafe input is escaped */
}

/* ---- properties ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned below(unsigned n)
{
	return (unsigned)(rng() % n);
}

/* Code points worth hitting more often than uniform sampling would. */
static unsigned interesting_cp(void)
{
	static const unsigned pick[] = {
		0x00, 0x1B, 0x7F, 0x80, 0x9B, 0x9F, 0xA0, 0xAD, 0xE9, 0x0301,
		0x061C, 0x1100, 0x1160, 0x11FF, 0x200B, 0x200D, 0x2028, 0x202E,
		0x2066, 0x2069, 0x2060, 0x3000, 0x302A, 0x4E2D, 0xAC00, 0xFE0F,
		0xFEFF, 0xFF21, 0xFFFD, 0x1F600, 0x1F3FD, 0x20000, 0xE0041,
		0x10FFFF,
	};
	unsigned cp;

	switch (below(4)) {
	case 0:
		return invisible[below(NINVISIBLE)];
	case 1:
		return pick[below(sizeof(pick) / sizeof(pick[0]))];
	case 2:
		return 0x80 + below(0x800 - 0x80);
	default:
		do
			cp = below(0x110000);
		while (cp >= 0xD800 && cp <= 0xDFFF);
		return cp;
	}
}

static size_t random_input(char *buf)
{
	static const char *const frag[] = {
		"\x1b[31m", "\x1b]0;title\x07", "\x1b[2J", "\x9b", "\xc2\x9b",
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xf8\x88\x80\x80\x80", "\xe2\x80", "\xf0\x9f\x98", "^[", "^",
		"^^", "\\x1B", "\\x", "\\u{9b}", "\\u{", "<U+202E>", "<U+10FFFF>",
		"<U+", ">", "\\", "~",
	};
	size_t target = below(MAX_INPUT + 1), n = 0;
	char tmp[16];

	while (n < target) {
		size_t k;
		switch (below(6)) {
		case 0:
			tmp[0] = (char)below(256);
			k = 1;
			break;
		case 1:
			tmp[0] = (char)(0x20 + below(0x5F));
			k = 1;
			break;
		case 2:
		case 3:
			k = encode(interesting_cp(), tmp);
			break;
		default: {
			const char *f = frag[below(sizeof(frag) / sizeof(frag[0]))];
			k = strlen(f);
			memcpy(tmp, f, k);
		}
		}
		if (k > target - n)
			k = target - n; /* may cut a sequence: more invalid input */
		memcpy(buf + n, tmp, k);
		n += k;
	}
	return n;
}

/* Reference decoder: generic bit pattern, then reject what is not the
 * shortest form of a scalar value. */
static size_t ref_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	unsigned v;

	if (s[0] < 0x80)
		n = 1, v = s[0];
	else if ((s[0] & 0xE0) == 0xC0)
		n = 2, v = s[0] & 0x1Fu;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3, v = s[0] & 0x0Fu;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4, v = s[0] & 0x07u;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3Fu);
	}
	if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static int ref_invisible(unsigned cp)
{
	for (size_t i = 0; i < NINVISIBLE; i++)
		if (invisible[i] == cp)
			return 1;
	return 0;
}

/* Reference escaper.  at_width[o] is the width of out[0..o) when o ends a
 * unit (a character or a whole escape), else -1. */
static size_t ref_escape(const char *in, size_t len, struct strbuf *out, long *at_width)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t width = 0;

	sb_reset(out);
	at_width[0] = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp = 0;
		size_t n = ref_decode(s + i, len - i, &cp), start = out->len;
		int plain = 0;
		if (!n) {
			n = 1;
			sb_addf(out, "\\x%02X", s[i]);
		} else if (cp < 0x20 || cp == 0x7F) {
			sb_addc(out, '^');
			sb_addc(out, cp == 0x7F ? '?' : (char)('@' + cp));
		} else if (cp >= 0x80 && cp <= 0x9F) {
			sb_addf(out, "\\u{%x}", cp);
		} else if (ref_invisible(cp)) {
			sb_addf(out, "<U+%04X>", cp);
		} else {
			sb_add(out, s + i, n);
			plain = 1;
		}
		/* An escape is ASCII: a column a byte. */
		width += plain ? (size_t)ts_codepoint_width(cp) : out->len - start;
		for (size_t o = start + 1; o < out->len; o++)
			at_width[o] = -1;
		at_width[out->len] = (long)width;
		i += n;
	}
	return width;
}

static void fail_case(const char *what, const char *in, size_t len)
{
	char hex[4 * MAX_INPUT + 1];

	for (size_t i = 0; i < len && i < MAX_INPUT; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)in[i]);
	hex[2 * (len < MAX_INPUT ? len : MAX_INPUT)] = '\0';
	fail_msg("%s; input (hex): %s", what, hex);
}

/* (1): printable ASCII and safe UTF-8 only. */
static int is_safe(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		unsigned cp = 0;
		size_t n = ref_decode(s + i, len - i, &cp);
		if (!n || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
		    ref_invisible(cp))
			return 0;
		i += n;
	}
	return 1;
}

static size_t sum_widths(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t sum = 0;

	for (size_t i = 0; i < len;) {
		unsigned cp = 0;
		size_t n = ref_decode(s + i, len - i, &cp);
		sum += (size_t)ts_codepoint_width(cp);
		i += n ? n : 1;
	}
	return sum;
}

static int hexdig(int c, int upper)
{
	return (c >= '0' && c <= '9') ||
	       (upper ? c >= 'A' && c <= 'F' : c >= 'a' && c <= 'f');
}

/* Length of an escape-shaped string at s[0..len), or 0. */
static size_t ref_escape_shape(const char *s, size_t len)
{
	if (len >= 2 && s[0] == '^' && s[1] && strchr("?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_", s[1]))
		return 2;
	if (len >= 4 && s[0] == '\\' && s[1] == 'x' && hexdig(s[2], 1) && hexdig(s[3], 1))
		return 4;
	if (len >= 6 && !strncmp(s, "\\u{", 3) && (s[3] == '8' || s[3] == '9') &&
	    hexdig(s[4], 0) && s[5] == '}')
		return 6;
	for (size_t digits = 4; digits <= 6; digits++) {
		size_t k = 3;
		if (len < digits + 4 || strncmp(s, "<U+", 3))
			break;
		while (k < 3 + digits && hexdig(s[k], 1))
			k++;
		if (k == 3 + digits && s[k] == '>')
			return k + 1;
	}
	return 0;
}

/* (4) for text e (safe, width w, units in at_width) in `cols` columns. */
static void check_fit(const char *in, size_t inlen, const struct strbuf *e,
		      size_t w, const long *at_width, size_t cols)
{
	struct strbuf f = STRBUF_INIT;
	static char straddled[16 * MAX_INPUT + 1];
	size_t got = ts_fit(&f, e->ptr, e->len, cols), plen, keep, best = 0;

	if (got > cols || ts_width(sb_str(&f), f.len) != got)
		fail_case("ts_fit too wide or wrong width", in, inlen);
	if (w <= cols) {
		if (f.len != e->len || memcmp(sb_str(&f), e->ptr, e->len) || got != w)
			fail_case("ts_fit cut text that fits", in, inlen);
		sb_free(&f);
		return;
	}
	plen = f.len;
	if (cols) {
		if (!plen || f.ptr[plen - 1] != '~')
			fail_case("ts_fit cut without ~", in, inlen);
		plen--;
	}
	if (plen > e->len || memcmp(sb_str(&f), e->ptr, plen))
		fail_case("ts_fit output is not a prefix", in, inlen);
	if (at_width[plen] < 0)
		fail_case("ts_fit split a character or escape", in, inlen);
	/* Longest prefix with width <= cols-1 that cuts no escape-shaped
	 * string, whichever way the text is read. */
	memset(straddled, 0, e->len + 1);
	for (size_t k = 0; k < e->len; k++)
		for (size_t j = 1, n = ref_escape_shape(e->ptr + k, e->len - k); j < n; j++)
			straddled[k + j] = 1;
	if (straddled[plen])
		fail_case("ts_fit split an escape-shaped string", in, inlen);
	keep = cols ? cols - 1 : 0;
	for (size_t o = 0; o <= e->len; o++)
		if (at_width[o] >= 0 && !straddled[o] && (size_t)at_width[o] <= keep)
			best = o;
	if (best != plen)
		fail_case("ts_fit did not keep the longest prefix", in, inlen);
	sb_free(&f);
}

static void test_properties(void **state)
{
	struct strbuf e = STRBUF_INIT, again = STRBUF_INIT, ref = STRBUF_INIT;
	struct strbuf raw = STRBUF_INIT;
	static long at_width[16 * MAX_INPUT + 1];
	char in[MAX_INPUT];
	size_t cases = 0, fits = 0;

	(void)state;
	for (int c = 0; c < PROPERTY_CASES; c++) {
		size_t len = random_input(in), w, w2, rw, cols;

		sb_reset(&e);
		w = ts_escape(&e, in, len);
		rw = ref_escape(in, len, &ref, at_width);
		if (e.len != ref.len || memcmp(sb_str(&e), sb_str(&ref), e.len) || w != rw)
			fail_case("ts_escape differs from the reference", in, len);
		/* (1) */
		if (!is_safe(sb_str(&e), e.len))
			fail_case("unsafe output", in, len);
		/* (2) */
		sb_reset(&again);
		w2 = ts_escape(&again, sb_str(&e), e.len);
		if (again.len != e.len || memcmp(sb_str(&again), sb_str(&e), e.len) || w2 != w)
			fail_case("not idempotent", in, len);
		/* (3) */
		if (ts_width(sb_str(&e), e.len) != w || sum_widths(sb_str(&e), e.len) != w ||
		    ts_width(in, len) != w)
			fail_case("width mismatch", in, len);
		/* (4), at a random width and at the edges */
		cols = below((unsigned)w + 3);
		check_fit(in, len, &e, w, at_width, cols);
		check_fit(in, len, &e, w, at_width, w);
		if (w)
			check_fit(in, len, &e, w, at_width, w - 1);
		fits += w ? 3 : 2;
		/* ts_fit of raw input is safe too */
		sb_reset(&raw);
		if (ts_fit(&raw, in, len, cols) > cols || !is_safe(sb_str(&raw), raw.len))
			fail_case("ts_fit of raw input unsafe or too wide", in, len);
		cases++;
	}
	print_message("[ INFO     ] %zu random inputs, %zu ts_fit checks\n", cases, fits);
	sb_free(&e);
	sb_free(&again);
	sb_free(&ref);
	sb_free(&raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c0_and_del),
		cmocka_unit_test(test_c1),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_bidi_and_invisible),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_width_table),
		cmocka_unit_test(test_escapes_and_idempotence),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_properties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
