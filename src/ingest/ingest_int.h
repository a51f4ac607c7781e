/*
 * Inside ingest: the repository handle and the pieces of a scan (walk,
 * diff pool) that scan.c strings together.  Only src/ingest includes this.
 */
#ifndef CARRY_INGEST_INT_H
#define CARRY_INGEST_INT_H

#include <git2.h>
#include <stdbool.h>

#include "carry/ingest.h"
#include "mailmap.h"
#include "oidmap.h"

struct patterns;

struct carry_repo {
	git_repository *repo;
	char *key;        /* absolute worktree path, or git dir when bare */
	char *workdir;    /* with trailing '/', NULL when bare */
	char *gitdir;     /* what worker threads open their own handles on */
	struct mailmap *mailmap;
	struct oidmap shallow; /* commits whose parents a shallow clone lacks */
};

/* Converts libgit2's last error into ours, naming `what`. */
int repo_git_error(int code, const char *what);

/* One commit found by the walk, with what the sink will be told. */
struct walk_commit {
	git_oid oid;
	git_oid tree;
	bool has_tree;
	size_t nparents;
	git_oid *parents;       /* parents as scanned: shallow/missing dropped */
	char *name, *email;     /* mailmap-resolved, UTF-8 */
	int64_t author_time, committer_time;
	int author_tz;
	char *subject;
	bool ai_assisted;
	const char *skipped;    /* static reason, or NULL */
};

struct walk_problem {
	char oid[GIT_OID_HEXSZ + 1];
	char *what;
};

struct walk_result {
	struct walk_commit *commits; /* new commits, parents before children */
	size_t ncommits;
	git_oid *stale;              /* kept commits no longer reachable */
	size_t nstale;
	struct walk_problem *problems;
	size_t nproblems;
	char truncated_at[GIT_OID_HEXSZ + 1];
};

/* Walks from `head` down to the commits the sink knows. */
int walk_new_commits(struct carry_repo *r, struct fact_sink *sink, const git_oid *head,
                     const struct patterns *pat, struct walk_result *out);
void walk_result_free(struct walk_result *w);

/* The tree of any commit (new or kept), for diffing against a parent. */
int walk_commit_tree(git_odb *odb, const git_oid *commit, git_oid *tree);

#endif
