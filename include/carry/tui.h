/*
 * The dashboard (DESIGN.md: `carry` with no command): an ncurses app over
 * the analyses.  Only src/tui/ includes curses.
 */
#ifndef CARRY_TUI_H
#define CARRY_TUI_H

#include <stdint.h>

struct world;
struct store;

struct tui_context {
	struct world *w;
	struct store *st;
	int64_t repo_id;
	const char *repo_name;   /* shown in the top line */
	const char *head;        /* the scanned HEAD, hex */
	int64_t scanned_at;      /* when the last scan finished (0: unknown) */
	int64_t at;              /* "now" */
};

/* Runs the dashboard until the user quits; the terminal is restored on
 * return and on SIGINT, SIGTERM, SIGHUP and fatal signals.  CARRY_ERR with
 * a message when there is no usable terminal. */
int tui_run(const struct tui_context *ctx);

#endif
