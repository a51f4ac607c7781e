/*
 * git blame's diff, as a line delta (see blamediff.h).
 */
#include <git2.h>
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
 * same class with and without the tail, xdiff runs on the same input
 * either way and changes the same number of lines, so one diff serves
 * both; otherwise the untrimmed diff is run for the counts (measured on
 * redis: a second diff for every trimmed change cost 45% more CPU). */

struct span {
	const char *p;
	size_t len;
};

static size_t split_lines(const char *d, size_t len, struct span **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (const char *p = d, *end = d + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl + 1 : end;
		xgrow(out, &cap, n + 1, sizeof(**out));
		(*out)[n++] = (struct span){ p, (size_t)(e - p) };
		p = e;
	}
	return n;
}

/* Never 0: 0 marks an empty slot. */
static uint64_t span_hash(struct span s)
{
	return hash_bytes(s.p, s.len) | 1;
}

static bool span_eq(struct span a, struct span b)
{
	return a.len == b.len && !memcmp(a.p, b.p, a.len);
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

/* Counts, for the distinct lines of the middle parts, their equals in
 * the other file and in the tail (open addressing by line hash). */
struct middle {
	uint64_t *keys;
	long (*cnt)[3]; /* in a, in b, in the tail */
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

static bool trim_keeps_counts(const char *a, size_t alen, const char *b, size_t blen, size_t trim)
{
	struct span *la, *lb, *lt;
	size_t na = split_lines(a, alen - trim, &la), nb = split_lines(b, blen - trim, &lb);
	size_t nt = split_lines(a + alen - trim, trim, &lt);
	size_t pre = 0, suf = 0, lim = na < nb ? na : nb;
	while (pre < lim && span_eq(la[pre], lb[pre]))
		pre++;
	while (suf < lim - pre && span_eq(la[na - 1 - suf], lb[nb - 1 - suf]))
		suf++;
	bool same = eq_limit((long)na) == eq_limit((long)(na + nt)) &&
	            eq_limit((long)nb) == eq_limit((long)(nb + nt));
	size_t mid = (na - pre - suf) + (nb - pre - suf);
	struct middle m = { 0 };
	if (same && mid) {
		for (m.cap = 64; m.cap < mid * 2; m.cap *= 2)
			;
		m.keys = xcalloc(m.cap, sizeof(*m.keys));
		m.cnt = xcalloc(m.cap, sizeof(*m.cnt));
		for (size_t i = pre; i < na - suf; i++)
			middle_slot(&m, span_hash(la[i]), true);
		for (size_t i = pre; i < nb - suf; i++)
			middle_slot(&m, span_hash(lb[i]), true);
		const struct span *files[3] = { la, lb, lt };
		size_t lens[3] = { na, nb, nt };
		for (int f = 0; f < 3; f++)
			for (size_t i = 0; i < lens[f]; i++) {
				long *c = middle_slot(&m, span_hash(files[f][i]), false);
				if (c)
					c[f]++;
			}
		/* A line of a is classified by its equals in b, and b's by a's. */
		for (int f = 0; f < 2 && same; f++) {
			const struct span *l = f ? lb : la;
			size_t n = f ? nb : na;
			long lim_t = eq_limit((long)n), lim_u = eq_limit((long)(n + nt));
			for (size_t i = pre; i < n - suf && same; i++) {
				long *c = middle_slot(&m, span_hash(l[i]), false);
				long other = c[f ? 0 : 1];
				same = line_class(other, lim_t) == line_class(other + c[2], lim_u);
			}
		}
	}
	free(m.keys);
	free(m.cnt);
	free(la);
	free(lb);
	free(lt);
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
