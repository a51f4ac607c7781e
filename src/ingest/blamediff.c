/*
 * git blame's diff, as a line delta (see blamediff.h).
 */
#include <git2.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "blamediff.h"
#include "carry/mem.h"
#include "linestate.h"

/* git's trim_common_tail (xdiff-interface.c), to the byte: whole 1024-byte
 * blocks that end both files identically, then given back up to and
 * including the first newline, so the cut falls at a line boundary. */
size_t blame_trim_tail(const char *a, size_t alen, const char *b, size_t blen)
{
	const size_t blk = 1024;
	size_t trimmed = 0, recovered = 0;
	const char *ap = a + alen, *bp = b + blen;
	size_t smaller = alen < blen ? alen : blen;
	while (blk + trimmed <= smaller && !memcmp(ap - blk, bp - blk, blk)) {
		trimmed += blk;
		ap -= blk;
		bp -= blk;
	}
	while (recovered < trimmed)
		if (ap[recovered++] == '\n')
			break;
	return trimmed - recovered;
}

int64_t text_line_count(const char *data, size_t len)
{
	int64_t n = 0;
	for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	if (len && data[len - 1] != '\n')
		n++;
	return n;
}

/* ---- when blame's diff also gives numstat's counts ----
 *
 * Cutting the common tail changes no line xdiff compares: it would strip
 * those lines itself (xdl_trim_ends).  What it can change is how xdiff
 * classifies the lines between the common prefix and suffix before
 * diffing (xprepare.c, xdl_cleanup_records): a line with no equal in the
 * other file is discarded outright, one with at least mlim equals
 * (mlim = min(bogosqrt(lines of its file), 1024)) may be, and both the
 * counts and mlim include the tail.  When every such line lands in the
 * same class with and without the tail (each with its own mlim), xdiff
 * runs on the same input either way and changes the same number of lines,
 * so one diff serves both; otherwise the untrimmed diff is run for the
 * counts.  Measured on redis: a second diff for every trimmed change cost
 * 45% more CPU; this check leaves it to 5,900 of 17,500 trimmed changes
 * (a middle line as common as a blank one often changes class). */

/* Newlines in s[0..n). */
static long newlines(const char *s, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

static uint64_t load64(const char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

/* Bytes a and b share at their start / at their end (at most n). */
static size_t same_head(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n && load64(a + i) == load64(b + i))
		i += 8;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static size_t same_tail(const char *a_end, const char *b_end, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n && load64(a_end - i - 8) == load64(b_end - i - 8))
		i += 8;
	while (i < n && a_end[-(ptrdiff_t)i - 1] == b_end[-(ptrdiff_t)i - 1])
		i++;
	return i;
}

/* A line's hash, 8 bytes at a time; never 0 (0 marks an empty slot). */
static uint64_t line_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		h = (h ^ load64(p)) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (h ^ (h >> 29)) | 1;
}

static long bogosqrt(long n)
{
	long i;
	for (i = 1; n > 0; n >>= 2)
		i <<= 1;
	return i;
}

static long eq_limit(long nrec)
{
	long m = bogosqrt(nrec);
	return m > 1024 ? 1024 : m;
}

static int line_class(long nm, long mlim)
{
	return nm == 0 ? 0 : nm >= mlim ? 2 : 1;
}

/* The distinct lines of the middle parts, with their equals in the
 * trimmed a, the trimmed b and the tail (open addressing by line hash). */
struct middle {
	uint64_t *keys;
	long (*cnt)[3];
	size_t cap;
};

static long *middle_slot(struct middle *m, uint64_t h, bool add)
{
	size_t i = (size_t)h & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != h)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		if (!add)
			return NULL;
		m->keys[i] = h;
	}
	return m->cnt[i];
}

/* The length of the line at p, through its newline. */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return (size_t)((nl ? nl + 1 : end) - p);
}

/* Enters each line of s[0..n) in the table. */
static void add_lines(struct middle *m, const char *s, size_t n)
{
	for (const char *p = s, *end = s + n; p < end;) {
		size_t len = line_len(p, end);
		middle_slot(m, line_hash(p, len), true);
		p += len;
	}
}

/* Adds 1 to column `col` (and `col2` unless < 0) of each middle line
 * found among the lines of s[0..n). */
static void count_in(struct middle *m, const char *s, size_t n, int col, int col2)
{
	for (const char *p = s, *end = s + n; p < end;) {
		size_t len = line_len(p, end);
		long *c = middle_slot(m, line_hash(p, len), false);
		if (c) {
			c[col]++;
			if (col2 >= 0)
				c[col2]++;
		}
		p += len;
	}
}

/* Whether each middle line of one side (its equals in the other side are
 * column `other`) keeps its class with the tail put back. */
static bool side_keeps(struct middle *m, const char *s, size_t n, int other, long lim_t, long lim_u)
{
	for (const char *p = s, *end = s + n; p < end;) {
		size_t len = line_len(p, end);
		long *c = middle_slot(m, line_hash(p, len), false);
		if (line_class(c[other], lim_t) != line_class(c[other] + c[2], lim_u))
			return false;
		p += len;
	}
	return true;
}

static bool trim_keeps_counts(const char *a, size_t alen, const char *b, size_t blen, size_t trim)
{
	/* The trimmed parts end right after a newline; the tail is common. */
	size_t at = alen - trim, bt = blen - trim, lim = at < bt ? at : bt;
	long na = newlines(a, at), nb = newlines(b, bt), nt = text_line_count(a + at, trim);
	/* The middle: past the lines the trimmed parts share at their start
	 * and end (at the end one line fewer than may be shared, which only
	 * checks one line more). */
	size_t head = same_head(a, b, lim);
	while (head && a[head - 1] != '\n')
		head--;
	size_t tail = same_tail(a + at, b + bt, lim - head);
	while (tail && a[at - tail] != '\n')
		tail--;
	tail = tail ? tail - 1 : 0;
	const char *ma = a + head, *mb = b + head;
	size_t nma = at - tail - head, nmb = bt - tail - head;
	size_t mid = (size_t)(newlines(ma, nma) + newlines(mb, nmb));
	if (!mid)
		return true;
	struct middle m = { 0 };
	for (m.cap = 64; m.cap < mid * 2; m.cap *= 2)
		;
	m.keys = xcalloc(m.cap, sizeof(*m.keys));
	m.cnt = xcalloc(m.cap, sizeof(*m.cnt));
	add_lines(&m, ma, nma);
	add_lines(&m, mb, nmb);
	count_in(&m, a, head, 0, 1); /* the shared start is in both */
	count_in(&m, ma, nma, 0, -1);
	count_in(&m, mb, nmb, 1, -1);
	count_in(&m, a + at - tail, tail, 0, 1);
	count_in(&m, a + at, trim, 2, -1);
	/* A line of a is classified by its equals in b, and b's by a's. */
	bool same = side_keeps(&m, ma, nma, 1, eq_limit(na), eq_limit(na + nt)) &&
	            side_keeps(&m, mb, nmb, 0, eq_limit(nb), eq_limit(nb + nt));
	free(m.keys);
	free(m.cnt);
	return same;
}

struct hunks {
	struct ldelta_hunk *h;
	size_t n, cap;
	int64_t added, deleted;
};

static int collect_hunk(const git_diff_delta *d, const git_diff_hunk *gh, void *payload)
{
	struct hunks *hs = payload;
	(void)d;
	xgrow(&hs->h, &hs->cap, hs->n + 1, sizeof(*hs->h));
	/* libgit2 numbers lines from 1 and, for an empty side, names the line
	 * before; xdiff (and the delta) want the 0-based first line. */
	hs->h[hs->n++] = (struct ldelta_hunk){
		.old_start = (uint32_t)(gh->old_lines ? gh->old_start - 1 : gh->old_start),
		.old_count = (uint32_t)gh->old_lines,
		.new_start = (uint32_t)(gh->new_lines ? gh->new_start - 1 : gh->new_start),
		.new_count = (uint32_t)gh->new_lines,
	};
	hs->added += gh->new_lines;
	hs->deleted += gh->old_lines;
	return 0;
}

int blame_delta(const char *a, size_t alen, const char *b, size_t blen,
                unsigned char **delta, size_t *delta_len,
                int64_t *added, int64_t *deleted, bool *counted)
{
	struct hunks hs = { 0 };
	int rc = 0;
	*counted = false;
	if (!b) {
		ldelta_encode(delta, delta_len, -1, NULL, 0);
		return 0;
	}
	int64_t new_lines = text_line_count(b, blen);
	if (!a || !alen) {
		struct ldelta_hunk all = { 0, 0, 0, (uint32_t)new_lines };
		ldelta_encode(delta, delta_len, new_lines, &all, new_lines ? 1 : 0);
		if (added) {
			*added = new_lines;
			*deleted = 0;
			*counted = true;
		}
		return 0;
	}
	size_t trim = blame_trim_tail(a, alen, b, blen);
	git_diff_options o = GIT_DIFF_OPTIONS_INIT;
	o.context_lines = 0;
	o.interhunk_lines = 0;
	o.flags = GIT_DIFF_FORCE_TEXT | GIT_DIFF_INDENT_HEURISTIC;
	if (git_diff_buffers(a, alen - trim, NULL, b, blen - trim, NULL, &o, NULL, NULL,
	                     collect_hunk, NULL, &hs) < 0) {
		git_error_clear();
		rc = -1;
	} else {
		ldelta_encode(delta, delta_len, new_lines, hs.h, hs.n);
		if (added && (!trim || trim_keeps_counts(a, alen, b, blen, trim))) {
			*added = hs.added;
			*deleted = hs.deleted;
			*counted = true;
		}
	}
	free(hs.h);
	return rc;
}
