/*
 * The dashboard (DESIGN.md: `carry` with no command): an ncurses app over
 * the analyses.  Only src/tui/ includes curses.
 */
#ifndef CARRY_TUI_H
#define CARRY_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "carry/analysis.h"

struct world;
struct store;
struct strbuf;

/* What the dashboard shows: filled by tui_source.open and .load. */
struct tui_context {
	struct world *w;         /* all the analyses read (NULL while it loads) */
	struct world *files;     /* HEAD's files only, loaded at once: the tree */
	struct store *st;
	int64_t repo_id;
	char repo_name[256];     /* shown in the top line */
	char head[41];           /* the scanned HEAD, hex */
	int64_t scanned_at;      /* when the last scan finished (0: unknown) */
	struct analysis_params params; /* "now" (at) and the thresholds; the window is the dashboard's */
	const char *triage;      /* an incident to open first (carry triage ID --tui), or NULL */
};

/* Where the facts come from: the CLI scans with libgit2 and loads the
 * world; the dashboard only asks. */
struct tui_source {
	void *arg;
	/* Brings the facts up to date, reporting progress (commits done of
	 * total) as it goes; stops after a flush with CARRY_EINTR once *stop
	 * is set. */
	int (*scan)(void *arg, void (*progress)(size_t done, size_t total, void *ui), void *ui,
	            volatile int *stop);
	/* After a scan: the store, HEAD and HEAD's files into ctx (quick);
	 * closes what an earlier open and load gave. */
	int (*open)(void *arg, struct tui_context *ctx);
	/* All the analyses read, on a connection of its own: called on a
	 * second thread while the dashboard already answers keys. */
	int (*load)(void *arg, struct world **out);
	/* Appends a commit's raw message (untrusted text). */
	int (*message)(void *arg, const char *oid, struct strbuf *out);
};

/* Scans with a progress bar (q quits), then runs the dashboard until the
 * user quits; the terminal is restored on return and on SIGINT, SIGTERM,
 * SIGHUP and fatal signals.  CARRY_ERR with a message when there is no
 * usable terminal.  With $CARRY_TUI_TRACE set, appends timings to that
 * file (bench/dashboard_bench.py reads them). */
int tui_run(struct tui_context *ctx, const struct tui_source *src);

#endif
