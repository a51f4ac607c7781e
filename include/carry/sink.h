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

struct change_fact {
	const char *path;      /* new path (old path for deletions) */
	const char *old_path;  /* previous path of a rename, else NULL */
	char status;           /* enum change_status */
	int64_t added, deleted;
	bool binary;
};

/* Called by known() once per kept commit. */
typedef int (*sink_known_cb)(void *payload, const char *oid,
                             const char (*parents)[CARRY_OID_HEXSZ + 1],
                             size_t nparents);

struct scan_summary {
	size_t commits_new;      /* commits stored by this scan */
	size_t commits_forgotten;
	size_t commits_skipped;  /* malformed, kept with `skipped` set */
	size_t changes_skipped;  /* changes whose blobs could not be read */
	char truncated_at[CARRY_OID_HEXSZ + 1]; /* a shallow boundary, or "" */
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
};

#endif
