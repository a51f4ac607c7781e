/*
 * Where the lines of a merge commit's files come from, decided as git
 * blame decides it (blame.c, pass_blame), for every file of the merge
 * that differs from its first parent:
 *   pass 0: each parent's file at the same path (still a regular file);
 *   pass 1: for parents without it, a whole-file rename to it (git's
 *           find_rename: exact renames first, then 50% similarity);
 * the first parent found with the identical blob takes the file whole;
 * otherwise each parent in order passes the lines it has unchanged (a
 * parent whose blob repeats an earlier one's adds nothing), and the lines
 * no parent has are the merge's own.
 */
#ifndef CARRY_MERGESRC_H
#define CARRY_MERGESRC_H

#include <git2.h>
#include <stddef.h>

struct merge_source {
	size_t parent;
	char *path;      /* the parent's path of the file */
	git_oid oid;
};

struct merge_plan {
	char kind;             /* enum merge_kind (sink.h) */
	char *path;            /* the merge's path (the old one for MERGE_DROP) */
	git_oid oid;           /* the merge's blob */
	uint32_t mode;
	struct merge_source *src; /* WHOLE: one; PASS: in parent order */
	size_t nsrc;
};

/* Plans every file of the merge whose tree is trees[np] and whose parents'
 * trees are trees[0..np).  0, or -1 with libgit2's error set. */
int merge_plans(git_repository *repo, git_tree **trees, size_t np,
                struct merge_plan **out, size_t *n);
void merge_plans_free(struct merge_plan *p, size_t n);

#endif
