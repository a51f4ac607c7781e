/*
 * Writing a git repository without git: the history `carry demo` builds.
 *
 * A gw_tree is an in-memory file state (path -> blob) whose directories
 * remember their tree ids, so a commit writes only the trees on the paths
 * that changed since the last commit of that state.  Commits are made on
 * named branches kept in memory: a commit's first parent is its branch's
 * tip, its second (for a merge) the tip of the branch it merges, and the
 * branch moves to it.  Objects are gathered in memory and written to disk
 * as packfiles every so often, only those commits reach (a blob replaced
 * before its commit leaves no dangling object); gitwrite_finish() writes
 * the branches as refs, points HEAD at one and checks out its worktree,
 * so that `git status` is clean.  Names, emails, times and messages are
 * written as given, so the same calls give the same commit ids.
 *
 * Only src/ingest links libgit2; this header keeps it out of sight.
 */
#ifndef CARRY_GITWRITE_H
#define CARRY_GITWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gitwrite;
struct gw_tree;

struct gitwrite_person {
	const char *name, *email;  /* no '<', '>' or newline */
	int64_t time;              /* Unix seconds */
	int tz;                    /* minutes east of UTC, as in +0130 */
};

struct gitwrite_commit {
	const char *branch;        /* made on this branch (its tip is the first parent) */
	const char *merge;         /* NULL, or the branch merged (its tip: second parent) */
	struct gitwrite_person author;
	const struct gitwrite_person *committer; /* NULL: the author */
	const char *message;       /* a final newline is added when missing */
};

/* Creates a non-bare repository at `dir` (made with its parents when
 * missing; CARRY_EINPUT when a repository is already there). */
int gitwrite_create(struct gitwrite **out, const char *dir);

/* Writes what is still in memory, every branch as refs/heads/NAME, HEAD
 * pointing at `head_branch`, and checks that branch out (worktree and
 * index); `head` gets its commit id in hex.  The repository is complete
 * afterwards. */
int gitwrite_finish(struct gitwrite *w, const char *head_branch, char head[41]);

/* Frees the writer; objects not yet finished are lost. */
void gitwrite_free(struct gitwrite *w);

/* A new branch at the tip of `from` (NULL: unborn, the next commit on it
 * is a root commit).  CARRY_ERR when `name` exists or `from` does not. */
int gitwrite_branch(struct gitwrite *w, const char *name, const char *from);

/* Forgets a branch (a merged feature branch, as a forge deletes it). */
int gitwrite_branch_drop(struct gitwrite *w, const char *name);

/* Commits tree `t` as described. */
int gitwrite_commit(struct gitwrite *w, struct gw_tree *t, const struct gitwrite_commit *c);

/* --- file states --------------------------------------------------------- */

struct gw_tree *gw_tree_new(void);
/* An independent copy (a branch forked from another's state). */
struct gw_tree *gw_tree_clone(const struct gw_tree *t);
void gw_tree_free(struct gw_tree *t);

/* Writes the blob and sets `path` (components separated by '/', none
 * empty, ".", ".." or ".git") to it, creating directories; replaces a
 * file there.  CARRY_ERR when the path is invalid or runs through a file. */
int gw_tree_put(struct gitwrite *w, struct gw_tree *t, const char *path, const void *data,
                size_t len, bool executable);

/* Removes the file `path`; directories left empty vanish, as in git.
 * False when there was no such file. */
bool gw_tree_remove(struct gw_tree *t, const char *path);

/* Moves a file or a whole directory; CARRY_ERR when `from` is missing or
 * `to` exists.  The blobs are unchanged (a pure rename). */
int gw_tree_rename(struct gw_tree *t, const char *from, const char *to);

/* Makes the file `path` of `dst` what it is in `src`: the same blob, or
 * gone when `src` has no such file (how a merge takes a branch's work). */
int gw_tree_take(struct gw_tree *dst, const struct gw_tree *src, const char *path);

#endif
