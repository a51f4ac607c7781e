/*
 * The fact sink: how the history scan (src/ingest) hands what it learns to
 * whatever keeps it.  The store implements it (store_sink_init); tests may
 * implement their own.  Ingest never sees SQL and the store never sees
 * libgit2: this struct is the whole conversation between them.
 *
 * The protocol of one scan:
 *   known()            every commit already kept, with its parents, so the
 *                      scan can work out which commits are new and which
 *                      kept ones are no longer reachable from HEAD;
 *   begin(target)      a scan towards `target` starts (recorded, so an
 *                      interrupted scan is visible);
 *   forget(oids)       drop kept commits no longer reachable (rewritten
 *                      history), in one transaction;
 *   commit(...)        one commit's facts; commits arrive parents first;
 *   flush()            make everything since the last flush durable, in
 *                      one transaction: a crash loses at most the commits
 *                      since the last flush, and the kept set always stays
 *                      closed under "parent of" (a kept commit's parents are
 *                      kept), which is what lets the next scan resume;
 *   finish(head)       the scan reached `head`: record it as scanned.
 * Before finish(), the line engine reads the stored facts back and saves
 * the origin of every line at `head` (lines_* below).
 * Every callback returns 0 or a negative carry error code (error.h).
 */
#ifndef CARRY_SINK_H
#define CARRY_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARRY_OID_HEXSZ 40

/* Commits per flush when nobody says otherwise (CARRY_SCAN_BATCH). */
#define SINK_DEFAULT_BATCH 2000

struct commit_fact {
	char oid[CARRY_OID_HEXSZ + 1];
	const char *author_name;  /* mailmap-resolved, UTF-8 */
	const char *author_email; /* mailmap-resolved */
	int64_t author_time;      /* Unix seconds */
	int author_tz;            /* minutes east of UTC */
	int64_t committer_time;
	size_t nparents;          /* parents as scanned: shallow/missing ones dropped */
	const char (*parents)[CARRY_OID_HEXSZ + 1];
	const char *subject;      /* first paragraph, lines joined by a space, as git's %s */
	bool ai_assisted;
	const char *skipped;      /* why this commit's facts are unusable, or NULL */
};

enum change_status {
	CHANGE_ADDED = 'A',
	CHANGE_MODIFIED = 'M',
	CHANGE_DELETED = 'D',
	CHANGE_RENAMED = 'R',
	CHANGE_TYPECHANGE = 'T',
};

/* What a merge commit does to one file that differs from its first
 * parent, as git blame sees it (the status of a merge's change_fact).
 * A non-merge commit has W/P/N rows too, after its changes, for an added
 * file whose lines git blame takes from another source than the change's
 * rename pairing (git log -M pairs a deleted file with one added file,
 * git blame lets every added file look for its own). */
enum merge_kind {
	MERGE_WHOLE = 'W', /* the file of parent `parent` at old_path, unchanged */
	MERGE_PASS = 'P',  /* lines unchanged from parent `parent` (one per parent, in order) */
	MERGE_NEW = 'N',   /* no parent has it: every line is the merge's */
	MERGE_DROP = 'D',  /* gone, or no lines to blame */
};

/* Whether a row says where a file's lines come from (W/P/N) rather than
 * being a change: such rows go to merge_lines, whatever the commit. */
static inline bool is_line_source(char status)
{
	return status == MERGE_WHOLE || status == MERGE_PASS || status == MERGE_NEW;
}

struct change_fact {
	const char *path;      /* new path (old path for deletions) */
	const char *old_path;  /* previous path of a rename, else NULL */
	char status;           /* enum change_status; for a merge, enum merge_kind */
	int64_t added, deleted; /* non-merge commits only */
	bool binary;
	int parent;            /* merges: which parent (0-based) */
	/* The line delta (src/ingest/linestate.h), NULL when unknown or for a
	 * deletion. */
	const unsigned char *lines;
	size_t lines_len;
};

/* Called by known() once per kept commit. */
typedef int (*sink_known_cb)(void *payload, const char *oid,
                             const char (*parents)[CARRY_OID_HEXSZ + 1],
                             size_t nparents);

/* What the line engine did (src/ingest/lines.c). */
struct lines_summary {
	bool ran;            /* origins were brought up to date */
	bool full;           /* by a replay of the whole history */
	size_t commits;      /* commits replayed */
	size_t files;        /* files with lines at HEAD */
	size_t misfits;      /* stored deltas that did not fit (their lines were
	                      * counted as the commit's own) */
};

struct scan_summary {
	size_t commits_new;      /* commits stored by this scan */
	size_t commits_forgotten;
	size_t commits_skipped;  /* malformed, kept with `skipped` set */
	size_t changes_skipped;  /* changes whose blobs could not be read */
	char truncated_at[CARRY_OID_HEXSZ + 1]; /* a shallow boundary, or "" */
	struct lines_summary lines;
};

/* ---- reading facts back: the line engine (src/ingest/lines.c) ----
 * The line engine replays stored line deltas rather than diffing again, so
 * a merge of a branch that forked long ago, or rewritten history, costs a
 * replay of stored facts and no git access. */

struct line_commit {
	int64_t id;            /* ids grow parents first */
	const char *oid;
	const int64_t *parents; /* ids, in parent order */
	size_t nparents;
};

/* One change_fact as stored. */
struct line_row {
	int64_t commit_id;
	char status;           /* enum change_status, or enum merge_kind for merges */
	int parent;
	const char *path, *old_path;
	const unsigned char *lines;
	size_t lines_len;
};

/* Consecutive lines [start, start + count) of a file (1-based) written by
 * one commit. */
struct line_run {
	int64_t start, count;
	int64_t commit_id;
};

struct line_file_out {
	const char *path;
	int64_t nlines;        /* < 0: the file has no lines any more */
	const struct line_run *runs;
	size_t nruns;
};

struct line_reader {
	void *payload;
	int (*commit)(void *payload, const struct line_commit *c);
	int (*file)(void *payload, const char *path, int64_t nlines);
	int (*run)(void *payload, const char *path, const struct line_run *r);
	int (*row)(void *payload, const struct line_row *r);
};

struct fact_sink {
	void *ctx;
	int (*known)(void *ctx, sink_known_cb cb, void *payload);
	int (*begin)(void *ctx, const char *target);
	int (*forget)(void *ctx, const char (*oids)[CARRY_OID_HEXSZ + 1], size_t n);
	int (*commit)(void *ctx, const struct commit_fact *c,
	              const struct change_fact *changes, size_t nchanges);
	/* A problem worth showing the user later (missing object, malformed
	 * commit); `oid` may be NULL. */
	int (*problem)(void *ctx, const char *oid, const char *what);
	int (*flush)(void *ctx);
	int (*finish)(void *ctx, const char *head, const struct scan_summary *s);

	/* The commit the stored line origins describe; "" when none (never
	 * computed, or history was rewritten since). */
	int (*lines_head)(void *ctx, char head[CARRY_OID_HEXSZ + 1]);
	/* Every kept commit with its parents, by id: reader->commit. */
	int (*lines_commits)(void *ctx, const struct line_reader *r);
	/* The stored origins: reader->file for every file, then ->run for
	 * each of its runs in order. */
	int (*lines_state)(void *ctx, const struct line_reader *r);
	/* The stored change rows of commits with id > after, by commit id and
	 * then in order: reader->row. */
	int (*lines_rows)(void *ctx, int64_t after, const struct line_reader *r);
	/* Stores origins at `head`, in one transaction: with `all` these
	 * files replace every stored one; else only these files change. */
	int (*lines_save)(void *ctx, const char *head, bool all,
	                  const struct line_file_out *files, size_t n);
};

#endif
