/*
 * git blame's diff, as a line delta (see blamediff.h).
 */
#include <git2.h>
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
		if (added && !trim) {
			*added = hs.added;
			*deleted = hs.deleted;
			*counted = true;
		}
	}
	free(hs.h);
	return rc;
}
