/*
 * The diff pool: turns walked commits into per-file line counts using all
 * cores.  One thread diffs trees (with git's default rename detection) and
 * deals each changed file to a worker process; a path keeps going to the
 * same worker, whose blob cache then turns "the old side of this change"
 * into "the new side of the previous change", read once, unless that
 * worker falls behind by bytes.  The calling thread gets each commit's
 * changes back in commit order through `ready`, and is the only thread
 * that calls it.
 */
#ifndef CARRY_DIFFPOOL_H
#define CARRY_DIFFPOOL_H

#include "carry/sink.h"
#include "ingest_int.h"

struct pool_change {
	struct change_fact fact;
	char *path, *old_path;  /* owned; fact points at them */
	unsigned char *lines;   /* owned; the line delta */
	size_t lines_len;
	bool failed;            /* a blob could not be read: counts unknown */
};

/* Called in commit order; returns 0 to go on or a negative code to stop. */
typedef int (*pool_ready_cb)(void *payload, size_t commit_idx,
                             const struct pool_change *changes, size_t n,
                             const char *problem);

struct pool_options {
	unsigned workers;
	volatile int *interrupted; /* polled; when set the pool stops early */
	size_t cache_bytes;        /* blob cache per worker */
	size_t chunk;              /* commits counted newest-first at a time (<= the
	                            * sink's batch: nothing of a chunk is delivered
	                            * before all of it is counted); 0 = 1 */
};

/* Runs the pipeline over w->commits.  Returns 0 when every commit was
 * delivered, CARRY_EINTR when interrupted, or the callback's error. */
int diffpool_run(struct carry_repo *r, const struct walk_result *w,
                 const struct pool_options *opts, pool_ready_cb ready, void *payload);

#endif
