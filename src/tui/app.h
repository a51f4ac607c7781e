/*
 * The dashboard's state, shared by its parts: app.c (the loop, requests
 * and reactions), draw.c (every frame, from this state alone), views.c
 * (commit, person and triage detail views) and find.c (search, filter,
 * sort).  Only screen.c talks to curses.
 */
#ifndef CARRY_TUI_APP_H
#define CARRY_TUI_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/analysis.h"
#include "carry/table.h"
#include "carry/tui.h"
#include "panes.h"
#include "screen.h"
#include "tree.h"

enum focus { FOCUS_TREE, FOCUS_PANE };

/* ---- detail views (views.c) ---- */

enum view_kind { VIEW_COMMIT, VIEW_PERSON, VIEW_TRIAGE };
enum line_kind { LINE_TEXT, LINE_TITLE, LINE_HEADER, LINE_ROW };

struct view_line {
	enum line_kind kind;
	enum style_hint { HINT_NORMAL, HINT_DIM, HINT_STRONG } hint; /* LINE_TEXT */
	char *text;        /* LINE_TEXT, LINE_TITLE */
	size_t section;    /* LINE_HEADER, LINE_ROW: into view_sections */
	size_t row;        /* LINE_ROW: into the view's table */
};

struct view {
	enum view_kind kind;
	char key[160];     /* commit id, email or incident id */
	struct table table;
	struct view_line *lines;
	size_t nlines, cap;
	size_t cursor, top;
};

/* What Enter on a section's row opens. */
enum open_what { OPEN_NOTHING, OPEN_COMMIT, OPEN_PERSON, OPEN_PATH };

struct view_section {
	enum view_kind kind;
	const char *role, *title;
	enum open_what open;
	struct pane_column cols[8];
};

/* ---- the whole state ---- */

enum prompt { PROMPT_NONE, PROMPT_SEARCH, PROMPT_FILTER };

struct match {
	size_t node;       /* a tree node, or SIZE_MAX for a person */
	char *email;       /* a person */
};

enum { MAX_VIEWS = 16 };

/* The world loads on a second thread while the tree already answers. */
struct loader {
	pthread_t thread;
	bool running;
	atomic_int done;
	int rc;
	char error[512];
	struct world *w;
};

struct app {
	struct tui_context *ctx;
	const struct tui_source *src;
	struct tree tree;
	struct loader loader;
	size_t *visible, nvisible;
	size_t cursor, top;        /* in visible */
	enum focus focus;
	size_t pane, window;
	bool help;
	size_t help_top;           /* the help's first line shown */
	struct analysis_params params;

	struct table table;        /* the current pane's answer */
	size_t *rows, nrows;       /* its rows as shown: filtered, sorted */
	size_t prow, ptop;         /* the pane's cursor, in rows */
	size_t sort;               /* 0: the analysis' order; k: the pane's column k - 1 */
	char filter[128];          /* team or person ("" none) */

	struct view views[MAX_VIEWS];
	size_t nviews;

	bool badges;               /* the tree's badges are for this window */
	bool teams;                /* the tree's teams are loaded (they do not change with it) */
	enum prompt prompt;
	char input[128];
	char query[128];           /* the last search */
	struct match *matches;
	size_t nmatches, match;

	char on_call[128];         /* who carries the selected path's pager now */
	int64_t *activity;         /* changed lines per bucket of the window */
	size_t nactivity;
	int64_t gap[2];            /* the selected path's pager gap: all, off-rotation */
	char error[256];           /* the pane's error, if any */
	bool waiting;              /* ... or that it waits for the history to load */
	bool load_failed;          /* the history could not be loaded (loader.error) */
	char status[256];          /* a one-frame message on the bottom line */
};

static inline const struct tree_node *app_selected(const struct app *a)
{
	return &a->tree.nodes[a->visible[a->cursor]];
}

/* What handling a request asks of the loop. */
enum reaction { REDRAW = 1, RELOAD = 2, QUIT = 4, RESCAN = 8 };

/* app.c */
const char *app_window_name(const struct app *a);
/* The help screen's lines: keys, what they do. */
size_t app_help(const char *const (**doc)[2]);
int app_find_col(const struct table *t, const char *key);
void app_reveal(struct app *a, size_t node);

/* draw.c */
void draw(struct app *a);
void draw_scan(const char *repo, size_t done, size_t total, bool stopping);
int draw_tree_cols(int cols);
int draw_spark_cols(int cols);
/* What is at (y, x): a tree line, a pane row or a view line (*line). */
enum hit { HIT_NOTHING, HIT_TREE, HIT_PANE, HIT_VIEW };
enum hit draw_hit(const struct app *a, int y, int x, size_t *line);

/* views.c */
extern const struct view_section view_sections[];
extern const size_t nview_sections;
int view_push(struct app *a, enum view_kind kind, const char *key);
void view_pop(struct app *a);
void views_clear(struct app *a);
/* Enter on the top view's cursor line: opens what the row names. */
void view_open(struct app *a);

/* find.c */
unsigned prompt_key(struct app *a, int key);
void search_free(struct app *a);
/* The badges of every tree node for the window (tree.c keeps them). */
void badges_load(struct app *a);
/* Forgets them (the window changed): none is better than a wrong one. */
void badges_clear(struct app *a);
void search_step(struct app *a, int direction);
/* Finds the matches of a->query again (the tree was rebuilt). */
void search_run(struct app *a);
void pane_rows(struct app *a);
/* Copies at most n - 1 bytes of src, never cutting a UTF-8 character. */
void utf8_copy(char *dst, size_t n, const char *src);

#endif
