/*
 * git's rename detection (renames.h), step for step as
 * diffcore_rename_extended runs it for -M without copies or breaks:
 *   1. identical blobs: for each destination in path order, the first
 *      unused source with its blob id, one with the same base name
 *      preferred (modes must match unless both are regular files);
 *   2. base names: a destination and a source whose base name is unique
 *      among those left on both sides pair at >= 75% similarity;
 *   3. the rest: each destination keeps its 4 best sources, all kept
 *      pairs sorted by score (same base name first on ties, otherwise in
 *      the order found), and taken in that order at >= 50% while both
 *      sides are free; skipped when destinations x sources > 1000^2.
 * Similarity (diffcore-delta.c): each file is cut into chunks ending at a
 * newline or after 64 bytes (a CR before LF is skipped in text), each
 * chunk hashed; the bytes both files have under the same hashes, over the
 * larger file's size.  git 2.39 drops a last chunk that has no newline,
 * and so does this.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "carry/mem.h"
#include "renames.h"

#define MAX_SCORE 60000
#define MIN_SCORE 30000          /* -M's default: 50% */
#define MIN_BASENAME_SCORE 45000 /* half way from MIN_SCORE to MAX_SCORE */
#define RENAME_LIMIT 1000        /* diff.renameLimit's default */
#define CANDIDATES 4             /* kept per destination */
#define HASHBASE 107927
#define FIRST_FEW_BYTES 8000     /* git's binary sniffing window */
#define MEMO_MAX ((size_t)1 << 20)

struct span {
	uint32_t hash, bytes;
};

struct rename_blob {
	int64_t size;      /* -1 not read yet, -2 unreadable */
	struct span *sig;  /* sorted by hash, one entry per hash */
	size_t nsig;
	signed char state; /* signature: 0 not read yet, 1 made, -1 unreadable */
};

/* ---- similarity ---- */

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static struct span *signature(const unsigned char *buf, size_t size, size_t *n)
{
	size_t sniff = size < FIRST_FEW_BYTES ? size : FIRST_FEW_BYTES;
	bool text = !memchr(buf, 0, sniff);
	struct span *v = NULL;
	size_t nv = 0, cap = 0;
	uint32_t acc1 = 0, acc2 = 0, len = 0;
	while (size) {
		unsigned c = *buf++;
		uint32_t old1 = acc1;
		size--;
		if (text && c == '\r' && size && *buf == '\n')
			continue;
		acc1 = (acc1 << 7) ^ (acc2 >> 25);
		acc2 = (acc2 << 7) ^ (old1 >> 25);
		acc1 += c;
		if (++len < 64 && c != '\n')
			continue;
		xgrow(&v, &cap, nv + 1, sizeof(*v));
		v[nv++] = (struct span){ (acc1 + acc2 * 0x61) % HASHBASE, len };
		len = acc1 = acc2 = 0;
	}
	if (nv)
		qsort(v, nv, sizeof(*v), span_cmp);
	size_t k = 0;
	for (size_t i = 0; i < nv; i++) {
		if (k && v[k - 1].hash == v[i].hash)
			v[k - 1].bytes += v[i].bytes;
		else
			v[k++] = v[i];
	}
	*n = k;
	return v;
}

/* The bytes of dst that src has too, chunk hash by chunk hash. */
static uint64_t copied(const struct span *s, size_t ns, const struct span *d, size_t nd)
{
	uint64_t sc = 0;
	size_t j = 0;
	for (size_t i = 0; i < ns; i++) {
		while (j < nd && d[j].hash < s[i].hash)
			j++;
		if (j < nd && d[j].hash == s[i].hash) {
			sc += s[i].bytes < d[j].bytes ? s[i].bytes : d[j].bytes;
			j++;
		}
	}
	return sc;
}

static int score_of(uint64_t same, uint64_t src_size, uint64_t dst_size)
{
	uint64_t max = src_size > dst_size ? src_size : dst_size;
	return dst_size ? (int)(same * MAX_SCORE / max) : 0;
}

static bool blob_size(struct renames *r, struct rename_blob *b, const git_oid *oid)
{
	if (b->size == -1) {
		size_t len;
		git_object_t type;
		if (git_odb_read_header(&len, &type, r->odb, oid) < 0) {
			git_error_clear();
			b->size = -2;
		} else {
			b->size = (int64_t)len;
		}
	}
	return b->size >= 0;
}

static bool blob_sig(struct renames *r, struct rename_blob *b, const git_oid *oid)
{
	if (b->state == 0) {
		git_odb_object *o = NULL;
		if (git_odb_read(&o, r->odb, oid) < 0) {
			git_error_clear();
			b->state = -1;
		} else {
			b->sig = signature(git_odb_object_data(o), git_odb_object_size(o), &b->nsig);
			b->state = 1;
			git_odb_object_free(o);
		}
	}
	return b->state > 0;
}

/* diffcore-rename's estimate_similarity: 0 when the sizes alone rule
 * out `minimum`. */
static int similarity(struct renames *r, size_t s, size_t d, int minimum)
{
	const struct rename_file *fs = &r->src[s], *fd = &r->dst[d];
	struct rename_blob *bs = &r->sblob[s], *bd = &r->dblob[d];
	if (!S_ISREG(fs->mode) || !S_ISREG(fd->mode) || !blob_size(r, bs, &fs->oid) ||
	    !blob_size(r, bd, &fd->oid))
		return 0;
	uint64_t a = (uint64_t)bs->size, b = (uint64_t)bd->size;
	uint64_t max = a > b ? a : b, delta = a > b ? a - b : b - a;
	if (max * (MAX_SCORE - minimum) < delta * MAX_SCORE)
		return 0;
	int32_t *memo = r->memo ? &r->memo[s * r->ndst + d] : NULL;
	if (memo && *memo >= 0)
		return *memo;
	int score = 0;
	if (blob_sig(r, bs, &fs->oid) && blob_sig(r, bd, &fd->oid))
		score = score_of(copied(bs->sig, bs->nsig, bd->sig, bd->nsig), a, b);
	if (memo)
		*memo = score;
	return score;
}

/* ---- pairing ---- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool basename_same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (la && lb) {
		char c1 = a[--la], c2 = b[--lb];
		if (c1 != c2)
			return false;
		if (c1 == '/')
			return true;
	}
	return (!la || a[la - 1] == '/') && (!lb || b[lb - 1] == '/');
}

/* Step 1 for destination d. */
static long identical_source(const struct renames *r, size_t d, const bool *used)
{
	const struct rename_file *t = &r->dst[d];
	size_t lo = 0, hi = r->nsrc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (git_oid_cmp(&r->src[r->by_oid[mid]].oid, &t->oid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	long best = -1;
	int tries = 100; /* "too many identical alternatives? pick one" */
	for (size_t k = lo; k < r->nsrc && git_oid_equal(&r->src[r->by_oid[k]].oid, &t->oid); k++) {
		size_t s = r->by_oid[k];
		const struct rename_file *f = &r->src[s];
		if (((!S_ISREG(f->mode) || !S_ISREG(t->mode)) && f->mode != t->mode) || used[s])
			continue;
		if (basename_same(f->path, t->path))
			return (long)s;
		if (best < 0)
			best = (long)s;
		if (!--tries)
			break;
	}
	return best;
}

struct named {
	const char *base;
	size_t idx;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->base, y->base);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static bool named_unique(const struct named *v, size_t n, size_t k)
{
	return (k == 0 || strcmp(v[k - 1].base, v[k].base)) &&
	       (k + 1 == n || strcmp(v[k + 1].base, v[k].base));
}

/* Step 2; returns the pairs made.  Each pairing involves a base name
 * unique on both sides, so the order they are tried in cannot matter. */
static size_t basename_pairs(struct renames *r, const size_t *dl, size_t nd, long *out, bool *used)
{
	struct named *sv = xmalloc((r->nsrc + 1) * sizeof(*sv)), *dv = xmalloc((nd + 1) * sizeof(*dv));
	size_t ns = 0, nv = 0, found = 0;
	for (size_t s = 0; s < r->nsrc; s++)
		if (!used[s])
			sv[ns++] = (struct named){ base_name(r->src[s].path), s };
	for (size_t i = 0; i < nd; i++)
		if (out[i] < 0)
			dv[nv++] = (struct named){ base_name(r->dst[dl[i]].path), i };
	qsort(sv, ns, sizeof(*sv), named_cmp);
	qsort(dv, nv, sizeof(*dv), named_cmp);
	size_t j = 0;
	for (size_t k = 0; k < ns; k++) {
		while (j < nv && strcmp(dv[j].base, sv[k].base) < 0)
			j++;
		if (j == nv || strcmp(dv[j].base, sv[k].base) || !named_unique(sv, ns, k) ||
		    !named_unique(dv, nv, j))
			continue;
		size_t i = dv[j].idx, s = sv[k].idx;
		if (similarity(r, s, dl[i], MIN_BASENAME_SCORE) < MIN_BASENAME_SCORE)
			continue;
		out[i] = (long)s;
		used[s] = true;
		found++;
	}
	free(sv);
	free(dv);
	return found;
}

struct cand {
	long src, dst; /* dst < 0: an empty slot */
	int score, name_score;
	size_t order;
};

/* diffcore-rename's score_compare: better first, empty slots last. */
static int cand_cmp(const struct cand *a, const struct cand *b)
{
	if (a->dst < 0)
		return 0 <= b->dst;
	if (b->dst < 0)
		return -1;
	if (a->score == b->score)
		return b->name_score - a->name_score;
	return b->score - a->score;
}

static int cand_sort(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = cand_cmp(x, y);
	return c ? c : (x->order > y->order) - (x->order < y->order); /* git sorts stably */
}

static void record_if_better(struct cand *m, const struct cand *o)
{
	int worst = 0;
	for (int i = 1; i < CANDIDATES; i++)
		if (cand_cmp(&m[i], &m[worst]) > 0)
			worst = i;
	if (cand_cmp(&m[worst], o) > 0)
		m[worst] = *o;
}

/* Step 3 over the `left` destinations still without a source. */
static void best_pairs(struct renames *r, const size_t *dl, size_t nd, long *out, bool *used,
                       size_t left)
{
	size_t *rs = xmalloc((r->nsrc + 1) * sizeof(*rs)), nrs = 0;
	for (size_t s = 0; s < r->nsrc; s++)
		if (!used[s])
			rs[nrs++] = s;
	if (!nrs || (uint64_t)left * nrs > (uint64_t)RENAME_LIMIT * RENAME_LIMIT) {
		free(rs);
		return;
	}
	struct cand *mx = xcalloc(left * CANDIDATES, sizeof(*mx));
	size_t dc = 0;
	for (size_t i = 0; i < nd; i++) {
		if (out[i] >= 0)
			continue;
		struct cand *m = &mx[dc++ * CANDIDATES];
		for (int k = 0; k < CANDIDATES; k++)
			m[k].dst = -1;
		for (size_t j = 0; j < nrs; j++) {
			struct cand c = {
				.src = (long)rs[j],
				.dst = (long)i,
				.score = similarity(r, rs[j], dl[i], MIN_SCORE),
				.name_score = basename_same(r->src[rs[j]].path, r->dst[dl[i]].path),
			};
			record_if_better(m, &c);
		}
	}
	size_t nm = dc * CANDIDATES;
	for (size_t k = 0; k < nm; k++)
		mx[k].order = k;
	qsort(mx, nm, sizeof(*mx), cand_sort);
	for (size_t k = 0; k < nm && mx[k].dst >= 0 && mx[k].score >= MIN_SCORE; k++) {
		if (out[mx[k].dst] >= 0 || used[mx[k].src])
			continue;
		out[mx[k].dst] = mx[k].src;
		used[mx[k].src] = true;
	}
	free(mx);
	free(rs);
}

/* Sources for the destinations dl[0..nd), into out[0..nd). */
static void detect(struct renames *r, const size_t *dl, size_t nd, long *out)
{
	for (size_t i = 0; i < nd; i++)
		out[i] = -1;
	if (!r->nsrc || !nd)
		return;
	bool *used = xcalloc(r->nsrc, sizeof(*used));
	size_t left = nd;
	for (size_t i = 0; i < nd; i++) {
		long s = identical_source(r, dl[i], used);
		if (s >= 0) {
			out[i] = s;
			used[s] = true;
			left--;
		}
	}
	if (left)
		left -= basename_pairs(r, dl, nd, out, used);
	if (left)
		best_pairs(r, dl, nd, out, used, left);
	free(used);
}

void renames_pair(struct renames *r, long *out)
{
	size_t *dl = xmalloc((r->ndst + 1) * sizeof(*dl));
	for (size_t d = 0; d < r->ndst; d++)
		dl[d] = d;
	detect(r, dl, r->ndst, out);
	free(dl);
}

long renames_follow(struct renames *r, size_t d)
{
	long out;
	detect(r, &d, 1, &out);
	return out;
}

/* ---- set-up ---- */

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rename_file *)a)->path, ((const struct rename_file *)b)->path);
}

struct by_oid {
	git_oid oid;
	size_t idx;
};

static int by_oid_cmp(const void *a, const void *b)
{
	const struct by_oid *x = a, *y = b;
	int c = git_oid_cmp(&x->oid, &y->oid);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

void renames_init(struct renames *r, git_odb *odb, struct rename_file *src, size_t nsrc,
                  struct rename_file *dst, size_t ndst)
{
	*r = (struct renames){ .odb = odb, .src = src, .dst = dst, .nsrc = nsrc, .ndst = ndst };
	if (nsrc)
		qsort(src, nsrc, sizeof(*src), file_cmp);
	if (ndst)
		qsort(dst, ndst, sizeof(*dst), file_cmp);
	r->sblob = xcalloc(nsrc + 1, sizeof(*r->sblob));
	r->dblob = xcalloc(ndst + 1, sizeof(*r->dblob));
	for (size_t i = 0; i < nsrc; i++)
		r->sblob[i].size = -1;
	for (size_t i = 0; i < ndst; i++)
		r->dblob[i].size = -1;
	struct by_oid *v = xmalloc((nsrc + 1) * sizeof(*v));
	for (size_t i = 0; i < nsrc; i++)
		v[i] = (struct by_oid){ src[i].oid, i };
	if (nsrc)
		qsort(v, nsrc, sizeof(*v), by_oid_cmp);
	r->by_oid = xmalloc((nsrc + 1) * sizeof(*r->by_oid));
	for (size_t i = 0; i < nsrc; i++)
		r->by_oid[i] = v[i].idx;
	free(v);
	if (nsrc && ndst && nsrc * ndst <= MEMO_MAX) {
		r->memo = xmalloc(nsrc * ndst * sizeof(*r->memo));
		memset(r->memo, 0xff, nsrc * ndst * sizeof(*r->memo));
	}
}

void renames_free(struct renames *r)
{
	for (size_t i = 0; i < r->nsrc; i++)
		free(r->sblob[i].sig);
	for (size_t i = 0; i < r->ndst; i++)
		free(r->dblob[i].sig);
	free(r->sblob);
	free(r->dblob);
	free(r->by_oid);
	free(r->memo);
	free(r->src);
	free(r->dst);
	memset(r, 0, sizeof(*r));
}

long renames_dst_at(const struct renames *r, const char *path)
{
	size_t lo = 0, hi = r->ndst;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->dst[mid].path, path);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void renames_from_diff(struct renames *r, git_odb *odb, git_diff *diff)
{
	size_t n = git_diff_num_deltas(diff), ns = 0, nd = 0;
	struct rename_file *src = xmalloc((n + 1) * sizeof(*src)), *dst = xmalloc((n + 1) * sizeof(*dst));
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *x = git_diff_get_delta(diff, i);
		if (x->status == GIT_DELTA_DELETED)
			src[ns++] = (struct rename_file){ x->old_file.path, x->old_file.id, x->old_file.mode, i };
		else if (x->status == GIT_DELTA_ADDED)
			dst[nd++] = (struct rename_file){ x->new_file.path, x->new_file.id, x->new_file.mode, i };
	}
	/* libgit2 reports a type change (file <-> symlink) as a deletion and
	 * an addition of one path; git sees one changed file, which is
	 * neither a rename source nor a destination. */
	if (ns && nd) {
		qsort(src, ns, sizeof(*src), file_cmp);
		qsort(dst, nd, sizeof(*dst), file_cmp);
		size_t i = 0, j = 0, ks = 0, kd = 0;
		while (i < ns || j < nd) {
			int c = i == ns ? 1 : j == nd ? -1 : strcmp(src[i].path, dst[j].path);
			if (c < 0)
				src[ks++] = src[i++];
			else if (c > 0)
				dst[kd++] = dst[j++];
			else
				i++, j++;
		}
		ns = ks;
		nd = kd;
	}
	renames_init(r, odb, src, ns, dst, nd);
}
