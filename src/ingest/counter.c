/*
 * The counting side of the diff pool: what runs in each worker process.
 * It reads file pairs from a pipe, loads both blobs through an LRU cache
 * and counts added and deleted lines exactly as `git log --numstat` does
 * (xdiff through libgit2; binary when either side has a NUL in its first
 * 8000 bytes; a submodule as one "Subproject commit" line), and computes
 * the line delta git blame's diff gives (blamediff.c) for the line engine.
 * blame's diff serves for the counts too whenever trimming its common tail
 * provably changes nothing numstat would count (else blamediff.c counts
 * with a stand-in for the tail).
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blamediff.h"
#include "carry/mem.h"
#include "counter.h"
#include "linestate.h"
#include "oidmap.h"

#define BINARY_PROBE 8000 /* git looks for NUL in this many leading bytes */

/* ---- blob cache: LRU by object id, bounded in bytes ---- */

struct cache_entry {
	git_oid oid;
	git_odb_object *obj;
	size_t prev, next; /* LRU list, SIZE_MAX = none */
	bool used;
};

struct blob_cache {
	struct oidmap index; /* oid -> entry */
	struct cache_entry *entries;
	size_t n, cap, free_head;
	size_t lru_head, lru_tail; /* head = most recent */
	size_t bytes, budget;
};

static void lru_unlink(struct blob_cache *c, size_t i)
{
	struct cache_entry *e = &c->entries[i];
	if (e->prev != SIZE_MAX)
		c->entries[e->prev].next = e->next;
	else
		c->lru_head = e->next;
	if (e->next != SIZE_MAX)
		c->entries[e->next].prev = e->prev;
	else
		c->lru_tail = e->prev;
}

static void lru_push_front(struct blob_cache *c, size_t i)
{
	struct cache_entry *e = &c->entries[i];
	e->prev = SIZE_MAX;
	e->next = c->lru_head;
	if (c->lru_head != SIZE_MAX)
		c->entries[c->lru_head].prev = i;
	c->lru_head = i;
	if (c->lru_tail == SIZE_MAX)
		c->lru_tail = i;
}

static void cache_evict_one(struct blob_cache *c)
{
	size_t i = c->lru_tail;
	struct cache_entry *e = &c->entries[i];
	lru_unlink(c, i);
	c->bytes -= git_odb_object_size(e->obj);
	git_odb_object_free(e->obj);
	e->obj = NULL;
	e->used = false;
	/* The index has no delete; a stale slot is recognised on lookup. */
	e->next = c->free_head;
	c->free_head = i;
}

/* The object for `oid`, owned by the cache; NULL when unreadable. */
static git_odb_object *cache_get(struct blob_cache *c, git_odb *odb, const git_oid *oid)
{
	size_t i;
	if (oidmap_get(&c->index, oid, &i) && c->entries[i].used &&
	    git_oid_equal(&c->entries[i].oid, oid)) {
		lru_unlink(c, i);
		lru_push_front(c, i);
		return c->entries[i].obj;
	}
	git_odb_object *obj;
	if (git_odb_read(&obj, odb, oid) < 0) {
		git_error_clear();
		return NULL;
	}
	size_t size = git_odb_object_size(obj);
	while (c->bytes + size > c->budget && c->lru_tail != SIZE_MAX)
		cache_evict_one(c);
	if (c->free_head != SIZE_MAX) {
		i = c->free_head;
		c->free_head = c->entries[i].next;
	} else {
		xgrow(&c->entries, &c->cap, c->n + 1, sizeof(*c->entries));
		i = c->n++;
	}
	c->entries[i] = (struct cache_entry){ .oid = *oid, .obj = obj, .used = true };
	oidmap_put(&c->index, oid, i);
	lru_push_front(c, i);
	c->bytes += size;
	return obj;
}

static void cache_free(struct blob_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].used)
			git_odb_object_free(c->entries[i].obj);
	free(c->entries);
	oidmap_free(&c->index);
}

/* ---- counting lines, computing line deltas ---- */

static bool is_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
}

static int hunk_cb(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	struct count_response *out = payload;
	(void)d;
	out->added += h->new_lines;
	out->deleted += h->old_lines;
	return 0;
}

static bool is_blob_mode(uint32_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
	       mode == GIT_FILEMODE_LINK;
}

/* Counts one file pair the way `git log --numstat` reports it. */
static void count_only(const char *od, size_t ol, const char *nd, size_t nl,
                       struct count_response *o, const git_diff_options *dopts)
{
	if (is_binary(od, ol) || is_binary(nd, nl)) {
		o->binary = true;
	} else if (!ol) {
		o->added = text_line_count(nd, nl);
	} else if (!nl) {
		o->deleted = text_line_count(od, ol);
	} else if (git_diff_buffers(od, ol, NULL, nd, nl, NULL, dopts, NULL, NULL, hunk_cb,
	                            NULL, o) < 0) {
		git_error_clear();
		o->failed = true;
	}
}

/* One request: counts and/or the line delta, loading each blob once.
 * *delta is malloc'd (or NULL). */
static void serve_pair(const struct count_request *it, struct count_response *o,
                       unsigned char **delta, struct blob_cache *cache, git_odb *odb,
                       const git_diff_options *dopts)
{
	bool has_old = !git_oid_is_zero(&it->old_oid), has_new = !git_oid_is_zero(&it->new_oid);
	bool old_gitlink = has_old && it->old_mode == GIT_FILEMODE_COMMIT;
	bool new_gitlink = has_new && it->new_mode == GIT_FILEMODE_COMMIT;
	bool same_blob = has_old && has_new && git_oid_equal(&it->old_oid, &it->new_oid);
	size_t dlen = 0;
	*delta = NULL;
	/* A submodule (gitlink) diffs as one "Subproject commit <id>" line;
	 * a mode change or pure rename counts 0 0. */
	if (it->want_counts && (old_gitlink || new_gitlink) && !same_blob) {
		o->deleted = old_gitlink;
		o->added = new_gitlink;
	}
	bool need_counts = it->want_counts && !old_gitlink && !new_gitlink && !same_blob;
	bool need_lines = it->want_lines && has_new && mode_has_lines(it->new_mode);
	if (it->want_lines && !need_lines) {
		ldelta_encode(delta, &dlen, -1, NULL, 0);
		o->lines_len = (uint32_t)dlen;
	}
	if (!need_counts && !need_lines)
		return;

	git_odb_object *oldo = NULL, *newo = NULL;
	if (has_old && is_blob_mode(it->old_mode) && !(oldo = cache_get(cache, odb, &it->old_oid))) {
		o->failed = true;
		return;
	}
	/* Pin the old side: loading the new one may evict it. */
	if (oldo)
		git_odb_object_dup(&oldo, oldo);
	if (has_new && is_blob_mode(it->new_mode) && !(newo = cache_get(cache, odb, &it->new_oid))) {
		o->failed = true;
		git_odb_object_free(oldo);
		return;
	}
	const char *od = oldo ? git_odb_object_data(oldo) : "";
	size_t ol = oldo ? git_odb_object_size(oldo) : 0;
	const char *nd = newo ? git_odb_object_data(newo) : "";
	size_t nl = newo ? git_odb_object_size(newo) : 0;

	bool counted = false;
	if (need_lines) {
		/* Binary files have no lines: a binary new side has none to
		 * blame, a binary (or symlink) old side none to pass on. */
		bool new_text = !is_binary(nd, nl);
		bool old_text = oldo && mode_has_lines(it->old_mode) && !is_binary(od, ol);
		/* blame's diff is numstat's only when it sees the same two sides */
		bool same_sides = new_text && (old_text || !oldo);
		if (blame_delta(old_text ? od : NULL, old_text ? ol : 0, new_text ? nd : NULL, nl,
		                delta, &dlen, need_counts && same_sides ? &o->added : NULL,
		                &o->deleted, &counted) < 0)
			o->failed = true;
		o->lines_len = (uint32_t)dlen;
	}
	if (need_counts && !counted && !o->failed) {
		o->added = o->deleted = 0;
		count_only(od, ol, nd, nl, o, dopts);
	}
	git_odb_object_free(oldo);
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

bool pipe_has(const struct pipe_reader *r, size_t n)
{
	return r->len - r->pos >= n;
}

int pipe_read(struct pipe_reader *r, void *dst, size_t n)
{
	unsigned char *d = dst;
	while (n) {
		if (r->pos == r->len) {
			if (n >= sizeof(r->buf)) /* large: straight into place */
				return read_all(r->fd, d, n);
			ssize_t k = read(r->fd, r->buf, sizeof(r->buf));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return -1;
			r->pos = 0;
			r->len = (size_t)k;
		}
		size_t take = r->len - r->pos < n ? r->len - r->pos : n;
		memcpy(d, r->buf + r->pos, take);
		r->pos += take;
		d += take;
		n -= take;
	}
	return 0;
}

/* Answers wait in `pending` until the requests read so far are served
 * (or it is full): one write(2) for many. */
static void queue_answer(unsigned char **pending, size_t *len, size_t *cap,
                         const struct count_response *rs, const unsigned char *delta)
{
	xgrow(pending, cap, *len + sizeof(*rs) + rs->lines_len, 1);
	memcpy(*pending + *len, rs, sizeof(*rs));
	if (rs->lines_len)
		memcpy(*pending + *len + sizeof(*rs), delta, rs->lines_len);
	*len += sizeof(*rs) + rs->lines_len;
}

void counter_main(const char *gitdir, int in, int out, size_t cache_bytes)
{
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct blob_cache cache = { .free_head = SIZE_MAX, .lru_head = SIZE_MAX,
	                            .lru_tail = SIZE_MAX, .budget = cache_bytes };
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	dopts.context_lines = 0;
	dopts.interhunk_lines = 0;
	dopts.flags = GIT_DIFF_FORCE_TEXT;
	/* Ctrl-C reaches the whole process group: the parent decides when to
	 * stop, and closes our input when it does. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (git_repository_open_ext(&repo, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, repo) < 0)
		odb = NULL;
#ifdef __GLIBC__
	/* Every blob libgit2 inflates is a fresh allocation, often over
	 * glibc's mmap threshold: each would be mapped, faulted in page by
	 * page and unmapped again (measured: an eighth of all scan time in
	 * the kernel).  Keep them in the heap and the heap from shrinking. */
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif

	struct count_request rq;
	static struct pipe_reader rd;
	unsigned char *pending = NULL;
	size_t plen = 0, pcap = 0;
	rd.fd = in;
	for (;;) {
		/* About to wait for requests: the answers so far go out first. */
		if (plen && (!pipe_has(&rd, sizeof(rq)) || plen >= sizeof(rd.buf))) {
			if (write_all(out, pending, plen) < 0)
				break;
			plen = 0;
		}
		if (pipe_read(&rd, &rq, sizeof(rq)) < 0 || rq.quit)
			break;
		struct count_response rs = { 0 };
		unsigned char *delta = NULL;
		if (odb)
			serve_pair(&rq, &rs, &delta, &cache, odb, &dopts);
		else
			rs.failed = true;
		if (rs.failed)
			rs.lines_len = 0;
		queue_answer(&pending, &plen, &pcap, &rs, delta);
		free(delta);
	}
	if (plen)
		write_all(out, pending, plen);
	free(pending);
	cache_free(&cache);
	git_odb_free(odb);
	git_repository_free(repo);
}
