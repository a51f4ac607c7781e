/*
 * git blame's diff, as a line delta (see blamediff.h).
 */
#include <git2.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "blamediff.h"
#include "carry/hash.h"
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
 * so one diff serves both.  Otherwise (on redis, 5,900 of 17,500 trimmed
 * changes: a line as common as a blank one often changes class) the
 * counts come from a second diff in which a stand-in replaces the tail:
 * as many lines, with each middle line as often as in the real tail, so
 * xdiff classifies every line as it would with the real one, while the
 * stand-in is mostly 2-byte filler lines.  Measured on redis, a second
 * diff of the whole files instead cost 2 s of the scan's 18. */

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

/* Never 0: 0 marks an empty slot. */
static uint64_t line_hash(const char *p, size_t n)
{
	return hash_bytes(p, n) | 1;
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

#define LEN_BITS 4096

/* The distinct lines of the middle parts, with their equals in the
 * trimmed a, the trimmed b and the tail (open addressing by line hash). */
struct middle_line {
	uint64_t key;  /* 0: empty slot */
	const char *p; /* its first occurrence */
	size_t len;
	long cnt[3];
};

struct middle {
	struct middle_line *slot;
	size_t cap;
	/* The lengths of the middle lines, so that most other lines are told
	 * apart without hashing them: bit n set when a line has n bytes (any
	 * length from LEN_BITS on sets the last bit). */
	uint64_t lens[LEN_BITS / 64];
};

static size_t len_bit(size_t len)
{
	return len < LEN_BITS ? len : LEN_BITS - 1;
}

static struct middle_line *middle_find(const struct middle *m, const char *p, size_t len)
{
	size_t b = len_bit(len);
	if (!(m->lens[b / 64] >> (b % 64) & 1))
		return NULL;
	uint64_t h = line_hash(p, len);
	for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->slot[i].key == h)
			return &m->slot[i];
		if (!m->slot[i].key)
			return NULL;
	}
}

static void middle_add(struct middle *m, const char *p, size_t len)
{
	uint64_t h = line_hash(p, len);
	size_t i = (size_t)h & (m->cap - 1), b = len_bit(len);
	while (m->slot[i].key && m->slot[i].key != h)
		i = (i + 1) & (m->cap - 1);
	if (!m->slot[i].key)
		m->slot[i] = (struct middle_line){ .key = h, .p = p, .len = len };
	m->lens[b / 64] |= (uint64_t)1 << (b % 64);
}

/* The length of the line at p, through its newline. */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return (size_t)((nl ? nl + 1 : end) - p);
}

static void add_lines(struct middle *m, const char *s, size_t n)
{
	for (const char *p = s, *end = s + n; p < end;) {
		size_t len = line_len(p, end);
		middle_add(m, p, len);
		p += len;
	}
}

/* Adds 1 to column `col` (and `col2` unless < 0) of each middle line
 * found among the lines of s[0..n). */
static void count_in(struct middle *m, const char *s, size_t n, int col, int col2)
{
	for (const char *p = s, *end = s + n; p < end;) {
		size_t len = line_len(p, end);
		struct middle_line *l = middle_find(m, p, len);
		if (l) {
			l->cnt[col]++;
			if (col2 >= 0)
				l->cnt[col2]++;
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
		const long *c = middle_find(m, p, len)->cnt;
		if (line_class(c[other], lim_t) != line_class(c[other] + c[2], lim_u))
			return false;
		p += len;
	}
	return true;
}

/* The tail xdiff cannot tell from the real one where the counts are
 * concerned: every middle line as many times as the tail has it, then
 * lines no middle line equals, as many lines in all as the tail has. */
static char *stand_in(const struct middle *m, long nt, size_t *len)
{
	size_t n = 0, cap = 0;
	long lines = 0;
	char *out = NULL;
	for (size_t i = 0; i < m->cap; i++) {
		const struct middle_line *l = &m->slot[i];
		for (long k = 0; l->key && k < l->cnt[2]; k++, lines++) {
			xgrow(&out, &cap, n + l->len, 1);
			memcpy(out + n, l->p, l->len);
			n += l->len;
		}
	}
	/* The filler: \x01 bytes and a newline, as few as no middle line has. */
	size_t fl = 2;
	char *filler = xmalloc(fl);
	for (;;) {
		memset(filler, 1, fl - 1);
		filler[fl - 1] = '\n';
		if (!middle_find(m, filler, fl))
			break;
		filler = xrealloc(filler, ++fl);
	}
	xgrow(&out, &cap, n + fl * (size_t)(nt - lines) + 1, 1);
	for (; lines < nt; lines++, n += fl)
		memcpy(out + n, filler, fl);
	free(filler);
	*len = n;
	return out;
}

/* NULL when trimming keeps every middle line's class (the trimmed diff's
 * counts are numstat's); else a stand-in for the tail (stand_in). */
static char *counts_tail(const char *a, size_t alen, const char *b, size_t blen, size_t trim,
                         size_t *len)
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
		return NULL;
	struct middle m = { 0 };
	for (m.cap = 64; m.cap < mid * 2; m.cap *= 2)
		;
	m.slot = xcalloc(m.cap, sizeof(*m.slot));
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
	char *out = same ? NULL : stand_in(&m, nt, len);
	free(m.slot);
	return out;
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

/* The untrimmed diff's counts, into hs: the trimmed parts a[0..at) and
 * b[0..bt) each followed by the stand-in tail t (counts_tail). */
static int tail_counts(const char *a, size_t at, const char *b, size_t bt, const char *t, size_t tl,
                       const git_diff_options *o, struct hunks *hs)
{
	char *x = xmalloc(at + tl + 1), *y = xmalloc(bt + tl + 1);
	memcpy(x, a, at);
	memcpy(x + at, t, tl);
	memcpy(y, b, bt);
	memcpy(y + bt, t, tl);
	struct hunks counts = { 0 };
	int rc = git_diff_buffers(x, at + tl, NULL, y, bt + tl, NULL, o, NULL, NULL, collect_hunk,
	                          NULL, &counts);
	if (rc < 0) {
		git_error_clear();
	} else {
		hs->added = counts.added;
		hs->deleted = counts.deleted;
	}
	free(counts.h);
	free(x);
	free(y);
	return rc < 0 ? -1 : 0;
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
		if (added) {
			size_t tl = 0;
			char *t = trim ? counts_tail(a, alen, b, blen, trim, &tl) : NULL;
			bool ok = !t || tail_counts(a, alen - trim, b, blen - trim, t, tl, &o, &hs) == 0;
			free(t);
			if (ok) {
				*added = hs.added;
				*deleted = hs.deleted;
				*counted = true;
			}
		}
	}
	free(hs.h);
	return rc;
}
