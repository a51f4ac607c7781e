/* Terminal-safe text (see include/carry/termsafe.h for the mapping). */
#include <stdio.h>
#include <string.h>

#include "carry/termsafe.h"
#include "width_table.h"

/* What one step through the input prints: either its `n` bytes unchanged or
 * the escape in `esc`.  Escapes are printable ASCII, one column a byte. */
struct unit {
	size_t n;
	size_t width;
	char esc[16];
};

static int in_ranges(const struct width_range *r, size_t count, unsigned cp)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int ts_codepoint_width(unsigned cp)
{
	if (in_ranges(zero_width, sizeof(zero_width) / sizeof(zero_width[0]), cp))
		return 0;
	if (in_ranges(wide, sizeof(wide) / sizeof(wide[0]), cp))
		return 2;
	return 1;
}

/* Bidi controls and invisible characters: they can reorder or hide what
 * the reader sees ("Trojan Source", CVE-2021-42574).  Keep in sync with
 * ESCAPED in scripts/gen_width_table.py. */
static int is_invisible(unsigned cp)
{
	return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Length of the well-formed UTF-8 sequence starting s[0..len) and its code
 * point in *cp, or 0 when s[0] starts none.  The second-byte bounds of
 * Unicode Table 3-7 reject overlongs, surrogates and code points above
 * U+10FFFF, so only scalar values in shortest form get through. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2) /* stray continuation byte, or overlong C0/C1 lead */
		return 0;
	if (c < 0xE0) {
		n = 2;
		*cp = c & 0x1F;
	} else if (c < 0xF0) {
		n = 3;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* below: overlong */
		else if (c == 0xED)
			hi = 0x9F; /* above: surrogates */
	} else if (c < 0xF5) {
		n = 4;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90; /* below: overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above: beyond U+10FFFF */
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		*cp = *cp << 6 | (s[i] & 0x3Fu);
	}
	return n;
}

/* The unit at the start of s[0..len), len > 0.  An invalid byte is escaped
 * alone, so a bad lead byte never swallows the valid text after it. */
static void next_unit(const unsigned char *s, size_t len, struct unit *u)
{
	unsigned cp = 0;
	size_t n = utf8_decode(s, len, &cp);
	int w = 0;

	if (n == 0) {
		n = 1;
		w = snprintf(u->esc, sizeof(u->esc), "\\x%02X", s[0]);
	} else if (cp < 0x20) {
		w = snprintf(u->esc, sizeof(u->esc), "^%c", (char)(cp + 0x40));
	} else if (cp == 0x7F) {
		w = snprintf(u->esc, sizeof(u->esc), "^?");
	} else if (cp >= 0x80 && cp <= 0x9F) {
		w = snprintf(u->esc, sizeof(u->esc), "\\u{%02x}", cp);
	} else if (is_invisible(cp)) {
		w = snprintf(u->esc, sizeof(u->esc), "<U+%04X>", cp);
	} else {
		u->esc[0] = '\0';
		w = ts_codepoint_width(cp);
	}
	u->n = n;
	u->width = (size_t)w;
}

/* Bytes of printable ASCII at the start of s[0..len): the common case,
 * copied in bulk at one column a byte. */
static size_t ascii_run(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] >= 0x20 && s[i] < 0x7F)
		i++;
	return i;
}

size_t ts_escape(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, width = 0;
	struct unit u;

	while (i < len) {
		size_t run = ascii_run(p + i, len - i);
		if (run) {
			sb_add(out, p + i, run);
			i += run;
			width += run;
			continue;
		}
		next_unit(p + i, len - i, &u);
		if (u.esc[0])
			sb_adds(out, u.esc);
		else
			sb_add(out, p + i, u.n);
		i += u.n;
		width += u.width;
	}
	return width;
}

size_t ts_escapes(struct strbuf *out, const char *s)
{
	return s ? ts_escape(out, s, strlen(s)) : 0;
}

/* Counts what ts_escape would print, so it is exact on unsafe text too. */
size_t ts_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, width = 0;
	struct unit u;

	while (i < len) {
		size_t run = ascii_run(p + i, len - i);
		if (run) {
			i += run;
			width += run;
			continue;
		}
		next_unit(p + i, len - i, &u);
		i += u.n;
		width += u.width;
	}
	return width;
}

static int is_upper_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* Length of an escape-shaped string at the start of s[0..len), else 0. */
static size_t escape_len(const unsigned char *s, size_t len)
{
	size_t n;

	if (len >= 2 && s[0] == '^' && (s[1] == '?' || (s[1] >= '@' && s[1] <= '_')))
		return 2;
	if (len >= 4 && s[0] == '\\' && s[1] == 'x' && is_upper_hex(s[2]) &&
	    is_upper_hex(s[3]))
		return 4;
	if (len >= 6 && memcmp(s, "\\u{", 3) == 0 && (s[3] == '8' || s[3] == '9') &&
	    ((s[4] >= '0' && s[4] <= '9') || (s[4] >= 'a' && s[4] <= 'f')) && s[5] == '}')
		return 6;
	if (len >= 8 && memcmp(s, "<U+", 3) == 0) {
		for (n = 3; n < len && n < 9 && is_upper_hex(s[n]); n++)
			;
		if (n >= 7 && n < len && s[n] == '>')
			return n + 1;
	}
	return 0;
}

/* Escaped text does not say where its escapes are: "x^" followed by ESC
 * reads "x^^[", which also parses as "x", "^^", "[".  So ts_fit treats a
 * chain of overlapping escape-shaped strings as one unit and never cuts
 * inside any of them, whichever reading is right.  They are ASCII, so the
 * chain's width is its length. */
static size_t escape_chain_len(const unsigned char *s, size_t len)
{
	size_t end = escape_len(s, len);

	for (size_t j = 1; j < end; j++) {
		size_t e = escape_len(s + j, len - j);
		if (j + e > end)
			end = j + e;
	}
	return end;
}

size_t ts_fit(struct strbuf *out, const char *s, size_t len, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	/* The prefix kept if the text turns out not to fit: the longest one
	 * that leaves the last column to "~". */
	size_t keep = cols ? cols - 1 : 0;
	size_t mark = out->len, mark_width = 0;
	size_t i = 0, width = 0;
	struct unit u;

	while (i < len) {
		size_t n = escape_chain_len(p + i, len - i);
		if (n) {
			u.n = u.width = n;
			u.esc[0] = '\0';
		} else {
			next_unit(p + i, len - i, &u); /* escapes unsafe input */
		}
		if (width + u.width > cols) {
			out->len = mark;
			if (out->ptr)
				out->ptr[mark] = '\0';
			if (!cols)
				return mark_width;
			sb_addc(out, '~');
			return mark_width + 1;
		}
		if (u.esc[0])
			sb_adds(out, u.esc);
		else
			sb_add(out, p + i, u.n);
		i += u.n;
		width += u.width;
		if (width <= keep) {
			mark = out->len;
			mark_width = width;
		}
	}
	return width;
}
