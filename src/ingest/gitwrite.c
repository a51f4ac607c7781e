/*
 * A small libgit2 writer (see include/carry/gitwrite.h): the demo's
 * history, tens of thousands of commits, written in seconds.
 *
 * Why it is fast: each directory of a gw_tree keeps the id of its tree
 * object until something beneath it changes, so a commit that edits two
 * files writes two blobs, the trees on their paths and the commit --
 * nothing else is hashed or looked up.  Tree and commit objects are
 * formatted here (both formats are tiny and fixed) rather than through
 * git_treebuilder / git_commit_create, which would read the parents back.
 * Objects go to libgit2's in-memory "mempack" backend through its write
 * function directly: git_odb_write() would first look for each new object
 * in the loose and pack stores, rescanning objects/pack on every miss.
 * Every PACK_BYTES of objects, what the new commits reach is packed
 * (deltas and all) into objects/pack, and the memory store is emptied.
 */
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/gitwrite.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "ingest_int.h"

/* Objects kept in memory before they are packed: bounds the writer's
 * memory at scale, and keeps each packbuilder run (delta search) short. */
#define PACK_BYTES ((size_t)32 << 20)

struct gw_dir;

struct gw_entry {
	char *name;
	struct gw_dir *dir;   /* a directory, or NULL for a file */
	git_oid blob;
	unsigned mode;        /* files: 0100644 or 0100755 */
};

struct gw_dir {
	struct gw_entry *e;   /* sorted by name (strcmp) for lookup */
	size_t n, cap;
	git_oid tree;
	bool written;         /* `tree` is the id of the entries as they are */
};

struct gw_tree {
	struct gw_dir root;
};

struct pending {
	git_oid oid;
	git_object_t type;
	git_oid tree;         /* a commit's tree */
	char *name;           /* path hint for the packbuilder's delta search */
};

struct branch {
	char *name;
	git_oid tip;
	bool born;
};

struct gitwrite {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *mem;     /* owned by odb */
	struct pending *pend;
	size_t npend, pcap, pbytes;
	struct branch *br;
	size_t nbr, bcap;
	struct strbuf scratch;
};

/* ---- objects ------------------------------------------------------------ */

static int write_object(struct gitwrite *w, const void *data, size_t len, git_object_t type,
                        const char *hint, const git_oid *tree, git_oid *out)
{
	if (git_odb_hash(out, data, len, type) < 0)
		return repo_git_error(CARRY_ERR, "gitwrite: hashing an object");
	if (w->mem->write(w->mem, out, data, len, type) < 0)
		return repo_git_error(CARRY_ERR, "gitwrite: storing an object");
	xgrow(&w->pend, &w->pcap, w->npend + 1, sizeof(*w->pend));
	struct pending *p = &w->pend[w->npend++];
	memset(p, 0, sizeof(*p));
	p->oid = *out;
	p->type = type;
	if (tree)
		p->tree = *tree;
	p->name = hint ? xstrdup(hint) : NULL;
	w->pbytes += len;
	return 0;
}

static void drop_pending(struct gitwrite *w)
{
	for (size_t i = 0; i < w->npend; i++)
		free(w->pend[i].name);
	w->npend = 0;
	w->pbytes = 0;
}

/* The pending objects by id, and which of them this pack holds. */
struct pending_set {
	struct oidmap index;  /* oid -> first index in w->pend */
	bool *packed;
};

static void set_build(struct pending_set *s, const struct gitwrite *w)
{
	s->packed = xcalloc(w->npend ? w->npend : 1, sizeof(*s->packed));
	for (size_t i = 0; i < w->npend; i++)
		if (!oidmap_get(&s->index, &w->pend[i].oid, NULL))
			oidmap_put(&s->index, &w->pend[i].oid, i);
}

/* Inserts a pending object and, for a tree, the pending objects it names. */
static int pack_reached(struct gitwrite *w, struct pending_set *s, git_packbuilder *pb,
                        const git_oid *oid)
{
	size_t i;
	if (!oidmap_get(&s->index, oid, &i))
		return 0;  /* packed earlier */
	const struct pending *p = &w->pend[i];
	if (s->packed[i])
		return 0;  /* packed earlier, or already in this pack */
	s->packed[i] = true;
	if (git_packbuilder_insert(pb, &p->oid, p->name) < 0)
		return repo_git_error(CARRY_ERR, "gitwrite: packing objects");
	if (p->type != GIT_OBJECT_TREE)
		return 0;
	/* Read from the memory store itself, and parsed here (the format is
	 * ours): through git_tree_lookup every tree would also fill
	 * libgit2's object cache, hundreds of megabytes at scale. */
	void *data = NULL;
	size_t len = 0;
	git_object_t type;
	if (w->mem->read(&data, &len, &type, w->mem, oid) < 0)
		return repo_git_error(CARRY_ERR, "gitwrite: reading back a tree");
	const char *at = data, *end = at + len;
	int rc = 0;
	while (rc == 0 && at < end) {
		const char *nul = memchr(at, '\0', (size_t)(end - at));
		if (!nul || (size_t)(end - nul) < 1 + GIT_OID_RAWSZ) {
			rc = carry_error(CARRY_ERR, "gitwrite: a tree it wrote does not parse");
			break;
		}
		git_oid entry;
		memcpy(entry.id, nul + 1, GIT_OID_RAWSZ);
		rc = pack_reached(w, s, pb, &entry);
		at = nul + 1 + GIT_OID_RAWSZ;
	}
	git_odb_backend_data_free(w->mem, data);
	return rc;
}

/* The pack is built in memory and indexed in one piece: handed to the
 * indexer object by object (git_packbuilder_write), libgit2 1.5 maps and
 * unmaps a window of the file for each, which costs more than all else. */
static int write_pack(git_packbuilder *pb, const char *dir)
{
	git_buf buf = { 0 };
	git_indexer *idx = NULL;
	git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
	git_indexer_progress stats;
	int rc = 0;
	if (git_packbuilder_write_buf(&buf, pb) < 0)
		rc = repo_git_error(CARRY_ERR, "gitwrite: packing objects");
	if (rc == 0 && (git_indexer_new(&idx, dir, 0, NULL, &opts) < 0 ||
	                git_indexer_append(idx, buf.ptr, buf.size, &stats) < 0 ||
	                git_indexer_commit(idx, &stats) < 0))
		rc = repo_git_error(CARRY_ERR, dir);
	git_indexer_free(idx);
	git_buf_dispose(&buf);
	return rc;
}

/* Packs into objects/pack what the commits made since the last pack
 * reach among the objects in memory, then empties the memory store.  A
 * blob replaced before its commit was made is reached by nothing and is
 * left out, so `git fsck` finds no dangling objects. */
static int flush_objects(struct gitwrite *w)
{
	if (!w->npend)
		return 0;
	git_packbuilder *pb = NULL;
	struct pending_set set = { 0 };
	struct strbuf dir = STRBUF_INIT;
	int rc = 0;
	sb_addf(&dir, "%sobjects/pack", git_repository_path(w->repo));
	if (git_packbuilder_new(&pb, w->repo) < 0) {
		rc = repo_git_error(CARRY_ERR, "gitwrite: packing objects");
		goto out;
	}
	git_packbuilder_set_threads(pb, 0);
	set_build(&set, w);
	for (size_t i = 0; i < w->npend && rc == 0; i++) {
		if (w->pend[i].type != GIT_OBJECT_COMMIT)
			continue;
		if ((rc = pack_reached(w, &set, pb, &w->pend[i].oid)) == 0)
			rc = pack_reached(w, &set, pb, &w->pend[i].tree);
	}
	if (rc == 0 && git_packbuilder_object_count(pb))
		rc = write_pack(pb, dir.ptr);
	if (rc == 0 && git_mempack_reset(w->mem) < 0)
		rc = repo_git_error(CARRY_ERR, "gitwrite: emptying the memory store");
	if (rc == 0)
		drop_pending(w);
out:
	oidmap_free(&set.index);
	free(set.packed);
	git_packbuilder_free(pb);
	sb_free(&dir);
	return rc;
}

/* ---- trees -------------------------------------------------------------- */

static void dir_free(struct gw_dir *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->e[i].dir) {
			dir_free(d->e[i].dir);
			free(d->e[i].dir);
		}
		free(d->e[i].name);
	}
	free(d->e);
	d->e = NULL;
	d->n = d->cap = 0;
}

static void dir_copy(struct gw_dir *to, const struct gw_dir *from)
{
	*to = *from;
	to->e = from->n ? xmalloc(from->n * sizeof(*to->e)) : NULL;
	to->cap = from->n;
	for (size_t i = 0; i < from->n; i++) {
		to->e[i] = from->e[i];
		to->e[i].name = xstrdup(from->e[i].name);
		if (from->e[i].dir) {
			to->e[i].dir = xmalloc(sizeof(*to->e[i].dir));
			dir_copy(to->e[i].dir, from->e[i].dir);
		}
	}
}

/* The index of `name` in d, or where it would go (with *found false). */
static size_t dir_find(const struct gw_dir *d, const char *name, size_t len, bool *found)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = d->e[mid].name;
		int c = strncmp(m, name, len);
		if (c == 0 && m[len] != '\0')
			c = 1;
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct gw_entry *dir_insert(struct gw_dir *d, size_t at, const char *name, size_t len)
{
	xgrow(&d->e, &d->cap, d->n + 1, sizeof(*d->e));
	memmove(&d->e[at + 1], &d->e[at], (d->n - at) * sizeof(*d->e));
	d->n++;
	memset(&d->e[at], 0, sizeof(d->e[at]));
	d->e[at].name = xstrndup(name, len);
	return &d->e[at];
}

static void dir_erase(struct gw_dir *d, size_t at)
{
	free(d->e[at].name);
	memmove(&d->e[at], &d->e[at + 1], (d->n - at - 1) * sizeof(*d->e));
	d->n--;
}

/* Whether `path` is one git could check out: components separated by
 * single '/', none empty, ".", "..", or ".git". */
static bool valid_path(const char *path)
{
	const char *p = path;
	if (!*p)
		return false;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)) ||
		    (n == 4 && !strncmp(p, ".git", 4)))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* The directory holding the last component of `path`, created on the way
 * when `create`; every directory passed is marked changed when `touch`.
 * *base is the last component.  NULL when a component is a file or
 * missing. */
static struct gw_dir *parent_of(struct gw_dir *root, const char *path, bool create, bool touch,
                                const char **base)
{
	struct gw_dir *d = root;
	const char *p = path;
	for (;;) {
		if (touch)
			d->written = false;
		const char *slash = strchr(p, '/');
		if (!slash) {
			*base = p;
			return d;
		}
		size_t len = (size_t)(slash - p);
		bool found;
		size_t at = dir_find(d, p, len, &found);
		if (!found) {
			if (!create)
				return NULL;
			struct gw_entry *e = dir_insert(d, at, p, len);
			e->dir = xcalloc(1, sizeof(*e->dir));
		} else if (!d->e[at].dir) {
			return NULL;
		}
		d = d->e[at].dir;
		p = slash + 1;
	}
}

/* Looks a path up without changing anything. */
static const struct gw_entry *lookup(const struct gw_dir *root, const char *path)
{
	const struct gw_dir *d = root;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		bool found;
		size_t at = dir_find(d, p, len, &found);
		if (!found)
			return NULL;
		if (!slash)
			return &d->e[at];
		if (!d->e[at].dir)
			return NULL;
		d = d->e[at].dir;
		p = slash + 1;
	}
}

/* Places a file entry (blob already written) at `path`. */
static int put_entry(struct gw_tree *t, const char *path, const git_oid *blob, unsigned mode)
{
	const char *base;
	if (!valid_path(path))
		return carry_error(CARRY_ERR, "gitwrite: '%s' is not a valid path", path);
	struct gw_dir *d = parent_of(&t->root, path, true, true, &base);
	if (!d)
		return carry_error(CARRY_ERR, "gitwrite: '%s' runs through a file", path);
	bool found;
	size_t at = dir_find(d, base, strlen(base), &found);
	if (found && d->e[at].dir)
		return carry_error(CARRY_ERR, "gitwrite: '%s' is a directory", path);
	struct gw_entry *e = found ? &d->e[at] : dir_insert(d, at, base, strlen(base));
	e->blob = *blob;
	e->mode = mode;
	return 0;
}

/* Removes the entry at `path` (file, or directory when `dirs_too`) and
 * the directories it leaves empty; hands a removed directory to *moved
 * instead of freeing it when moved is not NULL. */
static bool remove_entry(struct gw_dir *d, const char *path, bool dirs_too, struct gw_entry *moved)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : strlen(path);
	bool found;
	size_t at = dir_find(d, path, len, &found);
	if (!found)
		return false;
	struct gw_entry *e = &d->e[at];
	if (slash) {
		if (!e->dir || !remove_entry(e->dir, slash + 1, dirs_too, moved))
			return false;
		d->written = false;
		if (e->dir->n == 0) {
			dir_free(e->dir);
			free(e->dir);
			dir_erase(d, at);
		}
		return true;
	}
	if (e->dir && !dirs_too)
		return false;
	d->written = false;
	if (moved) {
		*moved = *e;
		moved->name = NULL;
	} else if (e->dir) {
		dir_free(e->dir);
		free(e->dir);
	}
	dir_erase(d, at);
	return true;
}

struct gw_tree *gw_tree_new(void)
{
	return xcalloc(1, sizeof(struct gw_tree));
}

struct gw_tree *gw_tree_clone(const struct gw_tree *t)
{
	struct gw_tree *c = xcalloc(1, sizeof(*c));
	dir_copy(&c->root, &t->root);
	return c;
}

void gw_tree_free(struct gw_tree *t)
{
	if (!t)
		return;
	dir_free(&t->root);
	free(t);
}

int gw_tree_put(struct gitwrite *w, struct gw_tree *t, const char *path, const void *data,
                size_t len, bool executable)
{
	git_oid blob;
	if (!valid_path(path))
		return carry_error(CARRY_ERR, "gitwrite: '%s' is not a valid path", path);
	int rc = write_object(w, data, len, GIT_OBJECT_BLOB, path, NULL, &blob);
	return rc < 0 ? rc : put_entry(t, path, &blob, executable ? 0100755 : 0100644);
}

bool gw_tree_remove(struct gw_tree *t, const char *path)
{
	return remove_entry(&t->root, path, false, NULL);
}

int gw_tree_take(struct gw_tree *dst, const struct gw_tree *src, const char *path)
{
	const struct gw_entry *e = lookup(&src->root, path);
	if (e && e->dir)
		return carry_error(CARRY_ERR, "gitwrite: '%s' is a directory", path);
	if (e)
		return put_entry(dst, path, &e->blob, e->mode);
	remove_entry(&dst->root, path, false, NULL);
	return 0;
}

int gw_tree_rename(struct gw_tree *t, const char *from, const char *to)
{
	size_t flen = strlen(from);
	if (!valid_path(to) || !strcmp(from, to) || (!strncmp(to, from, flen) && to[flen] == '/'))
		return carry_error(CARRY_ERR, "gitwrite: cannot move '%s' to '%s'", from, to);
	if (!lookup(&t->root, from))
		return carry_error(CARRY_ERR, "gitwrite: '%s' does not exist", from);
	if (lookup(&t->root, to))
		return carry_error(CARRY_ERR, "gitwrite: '%s' exists", to);
	/* `to` must not run through a file either. */
	for (const char *s = strchr(to, '/'); s; s = strchr(s + 1, '/')) {
		char *prefix = xstrndup(to, (size_t)(s - to));
		const struct gw_entry *e = lookup(&t->root, prefix);
		free(prefix);
		if (e && !e->dir)
			return carry_error(CARRY_ERR, "gitwrite: '%s' runs through a file", to);
	}
	struct gw_entry moved = { 0 };
	remove_entry(&t->root, from, true, &moved);
	const char *base;
	struct gw_dir *d = parent_of(&t->root, to, true, true, &base);
	bool found;
	size_t at = dir_find(d, base, strlen(base), &found);
	struct gw_entry *e = dir_insert(d, at, base, strlen(base));
	e->dir = moved.dir;
	e->blob = moved.blob;
	e->mode = moved.mode;
	return 0;
}

/* git's tree order: names compared bytewise, a directory as if its name
 * ended in '/'. */
static int git_order(const void *a, const void *b)
{
	const struct gw_entry *x = *(const struct gw_entry *const *)a;
	const struct gw_entry *y = *(const struct gw_entry *const *)b;
	size_t lx = strlen(x->name), ly = strlen(y->name), n = lx < ly ? lx : ly;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	unsigned char cx = lx > n ? (unsigned char)x->name[n] : x->dir ? '/' : '\0';
	unsigned char cy = ly > n ? (unsigned char)y->name[n] : y->dir ? '/' : '\0';
	return (cx > cy) - (cx < cy);
}

/* Writes the trees of every changed directory beneath d, then d's. */
static int write_dir(struct gitwrite *w, struct gw_dir *d, struct strbuf *path)
{
	if (d->written)
		return 0;
	size_t plen = path->len;
	for (size_t i = 0; i < d->n; i++) {
		if (!d->e[i].dir || d->e[i].dir->written)
			continue;
		sb_adds(path, d->e[i].name);
		sb_addc(path, '/');
		int rc = write_dir(w, d->e[i].dir, path);
		path->len = plen;
		path->ptr[plen] = '\0';
		if (rc < 0)
			return rc;
	}
	const struct gw_entry **order = xmalloc((d->n ? d->n : 1) * sizeof(*order));
	for (size_t i = 0; i < d->n; i++)
		order[i] = &d->e[i];
	qsort(order, d->n, sizeof(*order), git_order);
	struct strbuf *s = &w->scratch;
	sb_reset(s);
	for (size_t i = 0; i < d->n; i++) {
		const struct gw_entry *e = order[i];
		sb_addf(s, "%o %s", e->dir ? 040000u : e->mode, e->name);
		sb_addc(s, '\0');
		sb_add(s, e->dir ? e->dir->tree.id : e->blob.id, GIT_OID_RAWSZ);
	}
	free(order);
	int rc = write_object(w, s->ptr ? s->ptr : "", s->len, GIT_OBJECT_TREE,
	                      plen ? path->ptr : "/", NULL, &d->tree);
	if (rc == 0)
		d->written = true;
	return rc;
}

/* ---- commits and branches ---------------------------------------------- */

static struct branch *find_branch(const struct gitwrite *w, const char *name)
{
	for (size_t i = 0; i < w->nbr; i++)
		if (!strcmp(w->br[i].name, name))
			return &w->br[i];
	return NULL;
}

int gitwrite_branch(struct gitwrite *w, const char *name, const char *from)
{
	if (find_branch(w, name))
		return carry_error(CARRY_ERR, "gitwrite: branch '%s' exists", name);
	struct strbuf ref = STRBUF_INIT;
	int valid = 0;
	sb_addf(&ref, "refs/heads/%s", name);
	if (git_reference_name_is_valid(&valid, ref.ptr) < 0)
		valid = 0;
	sb_free(&ref);
	if (!valid)
		return carry_error(CARRY_ERR, "gitwrite: '%s' is not a branch name", name);
	const struct branch *f = from ? find_branch(w, from) : NULL;
	if (from && !f)
		return carry_error(CARRY_ERR, "gitwrite: no branch '%s'", from);
	struct branch b = { xstrdup(name), { { 0 } }, false };
	if (f) {
		b.tip = f->tip;
		b.born = f->born;
	}
	xgrow(&w->br, &w->bcap, w->nbr + 1, sizeof(*w->br));  /* f is gone after this */
	w->br[w->nbr++] = b;
	return 0;
}

int gitwrite_branch_drop(struct gitwrite *w, const char *name)
{
	struct branch *b = find_branch(w, name);
	if (!b)
		return carry_error(CARRY_ERR, "gitwrite: no branch '%s'", name);
	free(b->name);
	*b = w->br[--w->nbr];
	return 0;
}

static int add_signature(struct strbuf *s, const char *what, const struct gitwrite_person *p)
{
	if (!p->name || !p->email || strpbrk(p->name, "<>\n") || strpbrk(p->email, "<>\n") ||
	    !*p->email)
		return carry_error(CARRY_ERR, "gitwrite: invalid %s identity '%s <%s>'", what,
		                   p->name ? p->name : "", p->email ? p->email : "");
	int tz = p->tz < 0 ? -p->tz : p->tz;
	sb_addf(s, "%s %s <%s> %lld %c%02d%02d\n", what, p->name, p->email, (long long)p->time,
	        p->tz < 0 ? '-' : '+', tz / 60, tz % 60);
	return 0;
}

int gitwrite_commit(struct gitwrite *w, struct gw_tree *t, const struct gitwrite_commit *c)
{
	struct branch *b = find_branch(w, c->branch);
	struct branch *m = c->merge ? find_branch(w, c->merge) : NULL;
	if (!b)
		return carry_error(CARRY_ERR, "gitwrite: no branch '%s'", c->branch);
	if (c->merge && (!m || !m->born))
		return carry_error(CARRY_ERR, "gitwrite: nothing to merge from '%s'", c->merge);
	struct strbuf path = STRBUF_INIT;
	int rc = write_dir(w, &t->root, &path);
	sb_free(&path);
	if (rc < 0)
		return rc;
	struct strbuf s = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), &t->root.tree);
	sb_addf(&s, "tree %s\n", hex);
	if (b->born) {
		git_oid_tostr(hex, sizeof(hex), &b->tip);
		sb_addf(&s, "parent %s\n", hex);
	}
	if (m) {
		git_oid_tostr(hex, sizeof(hex), &m->tip);
		sb_addf(&s, "parent %s\n", hex);
	}
	if ((rc = add_signature(&s, "author", &c->author)) == 0)
		rc = add_signature(&s, "committer", c->committer ? c->committer : &c->author);
	if (rc == 0) {
		const char *msg = c->message ? c->message : "";
		size_t n = strlen(msg);
		sb_addc(&s, '\n');
		sb_add(&s, msg, n);
		if (!n || msg[n - 1] != '\n')
			sb_addc(&s, '\n');
		git_oid oid;
		rc = write_object(w, s.ptr, s.len, GIT_OBJECT_COMMIT, NULL, &t->root.tree, &oid);
		if (rc == 0) {
			b->tip = oid;
			b->born = true;
		}
	}
	sb_free(&s);
	if (rc == 0 && w->pbytes >= PACK_BYTES)
		rc = flush_objects(w);
	return rc;
}

/* ---- the repository ----------------------------------------------------- */

int gitwrite_create(struct gitwrite **out, const char *dir)
{
	*out = NULL;
	git_libgit2_init();
	struct gitwrite *w = xcalloc(1, sizeof(*w));
	git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	int err = git_repository_init_ext(&w->repo, dir, &opts);
	if (err < 0) {
		int rc = repo_git_error(err == GIT_EEXISTS ? CARRY_EINPUT : CARRY_ERR, dir);
		gitwrite_free(w);
		return rc;
	}
	if (git_repository_odb(&w->odb, w->repo) < 0 || git_mempack_new(&w->mem) < 0 ||
	    git_odb_add_backend(w->odb, w->mem, 999) < 0) {
		int rc = repo_git_error(CARRY_ERR, dir);
		gitwrite_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int gitwrite_finish(struct gitwrite *w, const char *head_branch, char head_hex[41])
{
	int rc = flush_objects(w);
	if (rc < 0)
		return rc;
	const struct branch *head = find_branch(w, head_branch);
	if (!head || !head->born)
		return carry_error(CARRY_ERR, "gitwrite: branch '%s' has no commit", head_branch);
	struct strbuf ref = STRBUF_INIT;
	for (size_t i = 0; i < w->nbr && rc == 0; i++) {
		if (!w->br[i].born)
			continue;
		git_reference *r = NULL;
		sb_reset(&ref);
		sb_addf(&ref, "refs/heads/%s", w->br[i].name);
		if (git_reference_create(&r, w->repo, ref.ptr, &w->br[i].tip, 1, NULL) < 0)
			rc = repo_git_error(CARRY_ERR, ref.ptr);
		git_reference_free(r);
	}
	sb_reset(&ref);
	sb_addf(&ref, "refs/heads/%s", head_branch);
	if (rc == 0 && git_repository_set_head(w->repo, ref.ptr) < 0)
		rc = repo_git_error(CARRY_ERR, "gitwrite: HEAD");
	sb_free(&ref);
	if (rc == 0) {
		git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
		co.checkout_strategy = GIT_CHECKOUT_FORCE;
		if (git_checkout_head(w->repo, &co) < 0)
			rc = repo_git_error(CARRY_ERR, "gitwrite: checking out HEAD");
	}
	if (rc == 0)
		git_oid_tostr(head_hex, 41, &head->tip);
	return rc;
}

void gitwrite_free(struct gitwrite *w)
{
	if (!w)
		return;
	drop_pending(w);
	free(w->pend);
	for (size_t i = 0; i < w->nbr; i++)
		free(w->br[i].name);
	free(w->br);
	sb_free(&w->scratch);
	git_odb_free(w->odb);
	git_repository_free(w->repo);
	free(w);
	git_libgit2_shutdown();
}
