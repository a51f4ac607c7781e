/* `carry scan [--full]`: bring the repository's facts up to date. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/timeutil.h"
#include "carry/ingest.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "cli.h"

static volatile sig_atomic_t interrupted_signal;
static volatile int interrupted;

static void on_signal(int sig)
{
	interrupted_signal = sig;
	interrupted = 1;
}

struct progress {
	struct timespec start, last;
	bool shown;
};

static void show_progress(const struct scan_progress *p, void *payload)
{
	struct progress *pr = payload;
	if (!pr->start.tv_sec && !pr->start.tv_nsec)
		clock_gettime(CLOCK_MONOTONIC, &pr->start);
	if (p->done != p->total && seconds_since(&pr->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
	double el = seconds_since(&pr->start);
	double rate = el > 0 ? (double)p->done / el : 0;
	double left = rate > 0 ? (double)(p->total - p->done) / rate : 0;
	fprintf(stderr, "\rscan: %zu/%zu commits (%zu%%)  %.0f/s  %.0fs left \033[K",
	        p->done, p->total, p->total ? p->done * 100 / p->total : 100, rate, left);
	pr->shown = true;
}

static unsigned env_batch(void)
{
	const char *s = getenv("CARRY_SCAN_BATCH");
	return s && atoi(s) > 0 ? (unsigned)atoi(s) : 0;
}

/* The declared owners come with the scanned HEAD: keep its CODEOWNERS,
 * or forget the old one when HEAD has none; a file imported by hand
 * stays until another import replaces it. */
static int keep_codeowners(struct carry_repo *repo, struct store *st, int64_t repo_id, bool quiet)
{
	struct strbuf origin = STRBUF_INIT, content = STRBUF_INIT, had = STRBUF_INIT, old = STRBUF_INIT;
	struct import_report rep = { 0 };
	int rc = store_codeowners_get(st, repo_id, &had, &old);
	if (rc == 0 && strncmp(had.ptr, "HEAD:", 5) != 0)
		goto out; /* imported by hand */
	if (rc < 0 && rc != CARRY_ENOTFOUND)
		goto out;
	bool stored = rc == 0;
	rc = repo_codeowners(repo, &origin, &content);
	if (rc == 0 && stored && !strcmp(sb_str(&had), sb_str(&origin)) && old.len == content.len &&
	    !memcmp(sb_str(&old), sb_str(&content), content.len))
		goto out; /* kept already: a scan of an unchanged HEAD writes nothing */
	if (rc == 0)
		rc = import_codeowners(st, repo_id, origin.ptr, sb_str(&content), content.len, false, &rep);
	else if (rc == CARRY_ENOTFOUND && stored)
		rc = store_codeowners_put(st, repo_id, NULL, NULL, 0);
	if (rep.notes.len && !quiet)
		cli_print_notes(rep.notes.ptr);
out:
	sb_free(&rep.notes);
	sb_free(&origin);
	sb_free(&content);
	sb_free(&had);
	sb_free(&old);
	return rc == CARRY_ENOTFOUND ? 0 : rc;
}

int cmd_scan(struct invocation *inv)
{
	struct progress pr = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	bool shown = !inv->quiet && isatty(STDERR_FILENO);
	int rc = cli_scan(inv, shown ? show_progress : NULL, &pr, &interrupted);
	if (pr.shown)
		fputs("\r\033[K", stderr);
	if (interrupted_signal && rc == CARRY_EINTR) {
		cli_say(NULL, carry_error_last());
		signal(interrupted_signal, SIG_DFL);
		raise(interrupted_signal);
	}
	return rc;
}

/* The last completed scan was of this very HEAD (migrations and --full
 * clear it; an unfinished scan leaves scan_target): nothing to walk, and
 * the line origins are those of this HEAD already.  1 when
 * up to date, 0 when a scan is needed, or an error.  This is what makes
 * opening the dashboard on a large repository immediate. */
static int up_to_date(struct carry_repo *repo, struct store *st, int64_t repo_id)
{
	char head[CARRY_OID_HEXSZ + 1];
	struct repo_state state;
	int rc = repo_head(repo, head);
	if (rc == CARRY_ENOTFOUND)
		return 0;  /* unborn: scan_run says so */
	if (rc < 0 || (rc = store_repo_state(st, repo_id, &state)) < 0)
		return rc;
	return !state.scan_target[0] && !strcmp(state.head, head);
}

/* The one-line summary of a scan (`sum` NULL: nothing was new). */
static void say_done(struct carry_repo *repo, struct store *st, int64_t repo_id, const struct scan_summary *sum, const struct timespec *start)
{
	struct repo_state state;
	if (store_repo_state(st, repo_id, &state) < 0)
		return;
	char msg[384], lines[128] = "";
	if (sum && sum->lines.ran)
		snprintf(lines, sizeof(lines), "; line origins of %zu file(s) from %zu commit(s)%s",
		         sum->lines.files, sum->lines.commits, sum->lines.full ? " replayed" : "");
	snprintf(msg, sizeof(msg), "%zu new commit(s), %lld kept, %zu forgotten; head %.12s%s in %.1fs",
	         sum ? sum->commits_new : 0, (long long)state.commits, sum ? sum->commits_forgotten : 0,
	         state.head, lines, seconds_since(start));
	cli_say(repo_key(repo), msg);
}

int cli_scan(struct invocation *inv, void (*progress)(const struct scan_progress *, void *),
             void *payload, volatile int *stop)
{
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct store_sink *sink = NULL;
	struct scan_summary sum;
	struct timespec start;
	int64_t repo_id;
	int rc;

	if ((rc = cli_open_repo(inv, &repo)) < 0 || (rc = cli_open_store(inv, &st)) < 0)
		goto out;
	if ((rc = store_repo_id(st, repo_key(repo), true, &repo_id)) < 0)
		goto out;
	if (inv->full && (rc = store_repo_forget_all(st, repo_id)) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (!inv->full && (rc = up_to_date(repo, st, repo_id)) != 0) {
		/* CODEOWNERS too: a scan killed between recording HEAD and
		 * keeping it must not leave it behind for good. */
		if (rc > 0 && (rc = keep_codeowners(repo, st, repo_id, inv->quiet)) == 0 && !inv->quiet)
			say_done(repo, st, repo_id, NULL, &start);
		goto out;
	}
	if ((rc = store_sink_new(&sink, st, repo_id, env_batch())) < 0)
		goto out;

	struct scan_options opts = { .interrupted = stop, .batch = env_batch(),
	                             .progress = progress, .progress_payload = payload };
	rc = scan_run(repo, store_sink_iface(sink), &opts, &sum);
	if (rc == CARRY_ENOTFOUND) {
		/* An empty repository is not an error: there is nothing yet. */
		if (!inv->quiet)
			cli_say(NULL, carry_error_last());
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	if ((rc = keep_codeowners(repo, st, repo_id, inv->quiet)) < 0)
		goto out;
	if (sum.truncated_at[0]) {
		char msg[128];
		snprintf(msg, sizeof(msg), "history truncated at %s (shallow clone)", sum.truncated_at);
		cli_say(NULL, msg);
	}
	if (sum.commits_skipped || sum.changes_skipped) {
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "warning: %zu commit(s) skipped (malformed, or a parent missing) and %zu change(s) "
		         "skipped (unreadable objects); 'carry check' lists them",
		         sum.commits_skipped, sum.changes_skipped);
		cli_say(repo_key(repo), msg);
	}
	if (sum.lines.misfits) {
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "warning: %zu stored line delta(s) did not fit the file they change; "
		         "those lines are counted as that commit's own", sum.lines.misfits);
		cli_say(repo_key(repo), msg);
	}
	if (!inv->quiet)
		say_done(repo, st, repo_id, &sum, &start);
out:
	store_sink_free(sink);
	store_close(st);
	repo_close(repo);
	return rc;
}
