/*
 * git's own rename detection, for the two ways carry needs it:
 *   renames_pair    what `git log -M` reports: every added file matched
 *                   against every deleted one at once, each deleted file
 *                   going to at most one added file (the change facts);
 *   renames_follow  what `git blame` follows (blame.c, find_rename): one
 *                   added file on its own, every deleted file a candidate,
 *                   so two files split from one both find it (line origins).
 * libgit2's detection scores similarity differently (hashsig) and pairs
 * differently, which made whole files disagree with git blame; this is a
 * port of diffcore-rename.c and diffcore-delta.c (git 2.39) instead.
 */
#ifndef CARRY_RENAMES_H
#define CARRY_RENAMES_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A deleted (source) or added (destination) file. */
struct rename_file {
	const char *path;
	git_oid oid;
	uint32_t mode;
	size_t tag;      /* the caller's, untouched */
};

struct rename_blob; /* a file's size and similarity signature, read lazily */

struct renames {
	git_odb *odb;
	struct rename_file *src, *dst; /* sorted by path, as git keeps them */
	size_t nsrc, ndst;
	struct rename_blob *sblob, *dblob;
	size_t *by_oid;     /* source indexes ordered by blob id, then index */
	int32_t *memo;      /* similarity per (src, dst), -1 = not computed yet */
};

/* Takes over `src` and `dst` (malloc'ed arrays, sorted here by path). */
void renames_init(struct renames *r, git_odb *odb, struct rename_file *src, size_t nsrc,
                  struct rename_file *dst, size_t ndst);
/* The deletions and additions of `diff` (a plain one: no rename
 * detection); tags are delta indexes. */
void renames_from_diff(struct renames *r, git_odb *odb, git_diff *diff);
void renames_free(struct renames *r);

/* out[d] = the source git log -M pairs with r->dst[d], or -1. */
void renames_pair(struct renames *r, long *out);
/* The source git blame follows to r->dst[d], or -1. */
long renames_follow(struct renames *r, size_t d);

/* The index of the destination at `path`, or -1. */
long renames_dst_at(const struct renames *r, const char *path);

#endif
