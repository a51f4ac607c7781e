/*
 * scan_run(): the walk, then the diff pool, with every fact going to the
 * sink from this thread.  Order of effects, chosen so that a kill at any
 * moment leaves a database the next scan finishes exactly:
 *   1. begin(target)   the unfinished scan is visible;
 *   2. forget(stale)   rewritten-away commits go, in one transaction; what
 *                      stays is still closed under "parent of";
 *   3. commit(...)     new commits, parents first, flushed in batches;
 *   4. lines           the line engine brings the origin of every line up
 *                      to HEAD from the stored deltas (one transaction);
 *   5. finish(head)    only now is HEAD recorded as scanned.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/patterns.h"
#include "diffpool.h"
#include "ingest_int.h"
#include "lines.h"

struct scan_ctx {
	const struct walk_result *w;
	struct fact_sink *sink;
	const struct scan_options *opts;
	struct scan_summary *sum;
	struct change_fact *facts;
	size_t cap;
};

static int deliver(void *payload, size_t idx, const struct pool_change *changes, size_t n,
                   const char *problem)
{
	struct scan_ctx *x = payload;
	const struct walk_commit *c = &x->w->commits[idx];
	char oid[GIT_OID_HEXSZ + 1];
	git_oid_tostr(oid, sizeof(oid), &c->oid);

	xgrow(&x->facts, &x->cap, n ? n : 1, sizeof(*x->facts));
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (changes[i].failed) {
			struct strbuf what = STRBUF_INIT;
			sb_addf(&what, "blob of %s unreadable; change not counted", changes[i].fact.path);
			int rc = x->sink->problem(x->sink->ctx, oid, what.ptr);
			sb_free(&what);
			if (rc < 0)
				return rc;
			x->sum->changes_skipped++;
			continue;
		}
		x->facts[kept++] = changes[i].fact;
	}
	if (problem) {
		int rc = x->sink->problem(x->sink->ctx, oid, problem);
		if (rc < 0)
			return rc;
		x->sum->changes_skipped++;
	}

	char (*parents)[CARRY_OID_HEXSZ + 1] = xmalloc((c->nparents ? c->nparents : 1) * sizeof(*parents));
	for (size_t i = 0; i < c->nparents; i++)
		git_oid_tostr(parents[i], sizeof(*parents), &c->parents[i]);
	struct commit_fact f = {
		.author_name = c->name,
		.author_email = c->email,
		.author_time = c->author_time,
		.author_tz = c->author_tz,
		.committer_time = c->committer_time,
		.nparents = c->nparents,
		.parents = (const char (*)[CARRY_OID_HEXSZ + 1])parents,
		.subject = c->subject,
		.ai_assisted = c->ai_assisted,
		.skipped = c->skipped,
	};
	memcpy(f.oid, oid, sizeof(f.oid));
	int rc = x->sink->commit(x->sink->ctx, &f, x->facts, kept);
	free(parents);
	if (rc < 0)
		return rc;
	if (c->skipped)
		x->sum->commits_skipped++;
	x->sum->commits_new++;
	if (x->opts->progress) {
		struct scan_progress pr = { idx + 1, x->w->ncommits };
		x->opts->progress(&pr, x->opts->progress_payload);
	}
	return 0;
}

static unsigned default_workers(void)
{
	const char *env = getenv("CARRY_THREADS");
	if (env && atoi(env) > 0)
		return (unsigned)atoi(env);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int scan_run(struct carry_repo *r, struct fact_sink *sink, const struct scan_options *opts,
             struct scan_summary *summary)
{
	struct scan_summary local;
	struct scan_summary *sum = summary ? summary : &local;
	memset(sum, 0, sizeof(*sum));
	struct patterns *pat = NULL;
	struct walk_result w = { 0 };
	char head_hex[CARRY_OID_HEXSZ + 1];
	git_oid head;
	int rc = repo_head(r, head_hex);
	if (rc < 0)
		return rc;
	git_oid_fromstr(&head, head_hex);
	if ((rc = patterns_load(&pat)) < 0)
		return rc;
	if ((rc = walk_new_commits(r, sink, &head, pat, &w)) < 0)
		goto out;
	memcpy(sum->truncated_at, w.truncated_at, sizeof(sum->truncated_at));
	sum->commits_forgotten = w.nstale;

	if ((rc = sink->begin(sink->ctx, head_hex)) < 0)
		goto out;
	for (size_t i = 0; i < w.nproblems; i++)
		if ((rc = sink->problem(sink->ctx, w.problems[i].oid, w.problems[i].what)) < 0)
			goto out;
	if (w.nstale) {
		char (*hex)[CARRY_OID_HEXSZ + 1] = xmalloc(w.nstale * sizeof(*hex));
		for (size_t i = 0; i < w.nstale; i++)
			git_oid_tostr(hex[i], sizeof(*hex), &w.stale[i]);
		rc = sink->forget(sink->ctx, (const char (*)[CARRY_OID_HEXSZ + 1])hex, w.nstale);
		free(hex);
		if (rc < 0)
			goto out;
	}
	if (w.ncommits) {
		struct scan_ctx x = { .w = &w, .sink = sink, .opts = opts, .sum = sum };
		struct pool_options po = {
			.workers = opts->threads ? opts->threads : default_workers(),
			.interrupted = opts->interrupted,
			.chunk = opts->batch ? opts->batch : SINK_DEFAULT_BATCH,
		};
		rc = diffpool_run(r, &w, &po, deliver, &x);
		free(x.facts);
		if (rc < 0) {
			/* Keep what was completed: it is a valid prefix. */
			int frc = sink->flush(sink->ctx);
			if (rc == CARRY_EINTR && frc == 0)
				carry_error(CARRY_EINTR, "%s: scan interrupted after %zu of %zu new commits; "
				            "run 'carry scan' again to finish", r->key, sum->commits_new, w.ncommits);
			goto out;
		}
	}
	if ((rc = lines_update(sink, head_hex, opts->interrupted, &sum->lines)) < 0) {
		if (rc == CARRY_EINTR)
			carry_error(CARRY_EINTR, "%s: interrupted while computing line origins; "
			            "run 'carry scan' again to finish", r->key);
		goto out;
	}
	rc = sink->finish(sink->ctx, head_hex, sum);
out:
	walk_result_free(&w);
	patterns_free(pat);
	return rc;
}
