/*
 * Ingest: everything carry learns from git, through libgit2 (the only
 * libgit2 user).  scan_run() walks every commit reachable from HEAD that
 * the sink does not know yet, parents first, resolves identities through
 * the repository's .mailmap as `git log --use-mailmap` does, diffs each
 * non-merge commit against its parent with git's default rename detection,
 * and hands the facts to a fact_sink (sink.h).  The diffing runs on worker
 * threads; the sink is only ever called from the calling thread.
 */
#ifndef CARRY_INGEST_H
#define CARRY_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/sink.h"
#include "carry/strbuf.h"

struct carry_repo;

/* Opens the repository at or around `path` (NULL: the working directory),
 * as git does.  Errors are CARRY_EINPUT with a message naming the path
 * (not a repository, owned by another user: safe.directory, ...). */
int repo_open(struct carry_repo **out, const char *path);
void repo_close(struct carry_repo *r);
/* The key the store files this repository under: the absolute worktree
 * path, or the git directory of a bare repository. */
const char *repo_key(const struct carry_repo *r);
/* The worktree root with a trailing '/', or NULL for a bare repository. */
const char *repo_workdir(const struct carry_repo *r);
/* HEAD's commit id in hex; CARRY_ENOTFOUND when HEAD is unborn. */
int repo_head(struct carry_repo *r, char out[CARRY_OID_HEXSZ + 1]);

/* The CODEOWNERS file of HEAD, where GitHub looks for it (.github/, the
 * root, docs/, then GitLab's .gitlab/; first found).  Appends its content
 * and "HEAD:PATH" to origin; CARRY_ENOTFOUND when there is none. */
int repo_codeowners(struct carry_repo *r, struct strbuf *origin, struct strbuf *content);

/* Appends the content of `path` in commit `commit` (hex);
 * CARRY_ENOTFOUND (with a message) when it is not a file there. */
int repo_file_at(struct carry_repo *r, const char *commit, const char *path, struct strbuf *content);

/* Appends the raw message of commit `commit` (full hex), as git stores it:
 * untrusted text.  CARRY_ENOTFOUND (with a message) when it is missing. */
int repo_commit_message(struct carry_repo *r, const char *commit, struct strbuf *out);

/* Calls cb for every file (blob or link) of HEAD's tree whose path is
 * `prefix` or lies under it ("" for all), in tree order. */
int repo_head_files(struct carry_repo *r, const char *prefix,
                    void (*cb)(const char *path, void *payload), void *payload);

struct scan_progress {
	size_t done, total;   /* commits */
};
typedef void (*scan_progress_cb)(const struct scan_progress *p, void *payload);

struct scan_options {
	unsigned threads;            /* diff workers; 0 = one per core */
	scan_progress_cb progress;   /* called from the calling thread, may be NULL */
	void *progress_payload;
	volatile int *interrupted;   /* set by a signal handler: stop after a flush */
	unsigned batch;              /* commits the sink writes per transaction (0 = 2000):
	                              * work is grouped so a kill loses at most this many */
};

/* Brings the sink up to date with HEAD.  Returns 0, CARRY_ENOTFOUND for an
 * unborn HEAD (nothing to scan), CARRY_EINTR when interrupted, or another
 * negative code.  `summary` may be NULL. */
int scan_run(struct carry_repo *r, struct fact_sink *sink,
             const struct scan_options *opts, struct scan_summary *summary);

#endif
