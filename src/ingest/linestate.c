/*
 * Line origins of one file and the hunk application git blame does, run
 * forwards (see linestate.h).
 */
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "linestate.h"

struct lfile *lfile_new(uint32_t n, uint32_t fill)
{
	struct lfile *f = xmalloc(sizeof(*f) + (size_t)n * sizeof(f->origin[0]));
	f->refs = 1;
	f->n = n;
	for (uint32_t i = 0; i < n; i++)
		f->origin[i] = fill;
	return f;
}

struct lfile *lfile_ref(struct lfile *f)
{
	if (f)
		f->refs++;
	return f;
}

void lfile_unref(struct lfile *f)
{
	if (f && --f->refs == 0)
		free(f);
}

static void put_varint(unsigned char **buf, size_t *len, size_t *cap, uint64_t v)
{
	xgrow(buf, cap, *len + 10, 1);
	do {
		unsigned char b = v & 0x7f;
		v >>= 7;
		(*buf)[(*len)++] = b | (v ? 0x80 : 0);
	} while (v);
}

static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		unsigned char b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

void ldelta_encode(unsigned char **out, size_t *len, int64_t new_lines,
                   const struct ldelta_hunk *h, size_t nh)
{
	size_t cap = 0;
	*out = NULL;
	*len = 0;
	put_varint(out, len, &cap, new_lines < 0 ? 0 : (uint64_t)new_lines + 1);
	uint32_t old_end = 0;
	for (size_t i = 0; new_lines >= 0 && i < nh; i++) {
		put_varint(out, len, &cap, h[i].old_start - old_end);
		put_varint(out, len, &cap, h[i].old_count);
		put_varint(out, len, &cap, h[i].new_count);
		old_end = h[i].old_start + h[i].old_count;
	}
}

int64_t ldelta_new_lines(const unsigned char *d, size_t len)
{
	uint64_t v;
	const unsigned char *p = d;
	if (!d || get_varint(&p, d + len, &v) < 0 || v > UINT32_MAX)
		return -2;
	return (int64_t)v - 1;
}

/* Walks the delta twice: first to check it fits, then to pass lines, so
 * a misfit changes nothing. */
int lfile_pass(struct lfile *out, const struct lfile *old, const unsigned char *delta, size_t len)
{
	uint32_t old_n = old ? old->n : 0;
	for (int apply = 0; apply < 2; apply++) {
		const unsigned char *p = delta, *end = delta + len;
		uint64_t header, gap, oc, nc;
		if (get_varint(&p, end, &header) < 0 || header == 0 || header - 1 != out->n)
			return -1;
		uint64_t a = 0, b = 0; /* next old line, next new line */
		while (p < end) {
			if (get_varint(&p, end, &gap) < 0 || get_varint(&p, end, &oc) < 0 ||
			    get_varint(&p, end, &nc) < 0)
				return -1;
			if (a + gap + oc > old_n || b + gap + nc > out->n)
				return -1;
			for (uint64_t k = 0; apply && k < gap; k++)
				if (out->origin[b + k] == LFILE_UNSET)
					out->origin[b + k] = old->origin[a + k];
			a += gap + oc;
			b += gap + nc;
		}
		if (old_n - a != out->n - b)
			return -1;
		for (uint64_t k = 0; apply && a + k < old_n; k++)
			if (out->origin[b + k] == LFILE_UNSET)
				out->origin[b + k] = old->origin[a + k];
	}
	return 0;
}

void lfile_fill(struct lfile *out, uint32_t self)
{
	for (uint32_t i = 0; i < out->n; i++)
		if (out->origin[i] == LFILE_UNSET)
			out->origin[i] = self;
}

int lfile_apply(struct lfile **out, const struct lfile *old, const unsigned char *delta,
                size_t len, uint32_t self)
{
	int64_t n = ldelta_new_lines(delta, len);
	*out = NULL;
	if (n == -1)
		return 0;
	if (n < 0)
		return -1;
	struct lfile *f = lfile_new((uint32_t)n, LFILE_UNSET);
	int rc = lfile_pass(f, old, delta, len);
	lfile_fill(f, self);
	*out = f;
	return rc;
}
