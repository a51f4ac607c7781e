/*
 * The dashboard's loop.  One table of requests (REQUESTS below) gives the
 * key bindings and the help screen, so they cannot drift apart.  A key
 * becomes a request; handling a request changes the state and returns
 * what must happen next (redraw, reload the pane, quit); drawing happens
 * in one place, draw(), from the state alone.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/timeutil.h"
#include "carry/tui.h"
#include "panes.h"
#include "screen.h"
#include "tree.h"

/* name, keys shown in help, what it does */
#define REQUESTS(R) \
	R(UP, "k Up", "move up") \
	R(DOWN, "j Down", "move down") \
	R(PAGE_UP, "PgUp", "page up") \
	R(PAGE_DOWN, "PgDn", "page down") \
	R(OPEN, "Enter l Right", "open a directory") \
	R(CLOSE, "h Left", "close a directory, or go to its parent") \
	R(NEXT_PANE, "Tab", "next pane") \
	R(PANE_1, "1", "Owners: who wrote it, share bars, DOA authors") \
	R(PANE_2, "2", "Drive-bys: changes by people who neither own nor carry it") \
	R(PANE_3, "3", "Orphans: files whose authors are gone or no one carries") \
	R(PANE_4, "4", "Pager: who carries the pager now, and next") \
	R(PANE_5, "5", "Incidents in the window") \
	R(WINDOW, "w", "cycle the window: 7d, 30d, 90d, 1y, all") \
	R(HELP, "?", "this help") \
	R(QUIT, "q", "quit (or leave the help)")

enum request {
	REQ_NONE,
#define R(name, keys, help) REQ_##name,
	REQUESTS(R)
#undef R
};

static const struct {
	const char *keys, *help;
} request_doc[] = {
	{ NULL, NULL },
#define R(name, keys, help) { keys, help },
	REQUESTS(R)
#undef R
};

static const struct {
	int key;
	enum request req;
} bindings[] = {
	{ 'k', REQ_UP }, { KEY_UP, REQ_UP }, { 'j', REQ_DOWN }, { KEY_DOWN, REQ_DOWN },
	{ KEY_PPAGE, REQ_PAGE_UP }, { KEY_NPAGE, REQ_PAGE_DOWN },
	{ '\n', REQ_OPEN }, { '\r', REQ_OPEN }, { KEY_ENTER, REQ_OPEN }, { 'l', REQ_OPEN },
	{ KEY_RIGHT, REQ_OPEN }, { 'h', REQ_CLOSE }, { KEY_LEFT, REQ_CLOSE },
	{ '\t', REQ_NEXT_PANE }, { '1', REQ_PANE_1 }, { '2', REQ_PANE_2 }, { '3', REQ_PANE_3 },
	{ '4', REQ_PANE_4 }, { '5', REQ_PANE_5 }, { 'w', REQ_WINDOW }, { '?', REQ_HELP },
	{ 'q', REQ_QUIT },
};

/* What handling a request asks of the loop. */
enum reaction { REDRAW = 1, RELOAD = 2, QUIT = 4 };

static const struct {
	const char *name;
	int days; /* 0: all history */
} windows[] = { { "7d", 7 }, { "30d", 30 }, { "90d", 90 }, { "1y", 365 }, { "all", 0 } };

struct app {
	const struct tui_context *ctx;
	struct tree tree;
	size_t *visible, nvisible;
	size_t cursor, top;   /* in visible */
	size_t pane, window;
	bool help;
	struct analysis_params params;
	struct table table;   /* the current pane's answer */
	bool loaded;
	char on_call[128];    /* who carries the selected path's pager now */
	char error[256];
};

enum { MIN_ROWS = 10, MIN_COLS = 60 };

static const struct tree_node *selected(const struct app *a)
{
	return &a->tree.nodes[a->visible[a->cursor]];
}

static void set_window(struct app *a)
{
	int days = windows[a->window].days;
	analysis_params_default(&a->params, a->ctx->at, days ? days : 1);
	if (!days)
		a->params.since = INT64_MIN;
}

static int find_col(const struct table *t, const char *key)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].key, key))
			return (int)c;
	return -1;
}

static void load_pane(struct app *a)
{
	table_free(&a->table);
	a->error[0] = '\0';
	const struct tree_node *n = selected(a);
	struct pane_query q = { a->ctx->w, a->ctx->st, a->ctx->repo_id, &a->params, n->path, n->dir };
	if (panes[a->pane].fill(&q, &a->table) < 0) {
		snprintf(a->error, sizeof(a->error), "%s", carry_error_last());
		table_free(&a->table);
	}
	a->loaded = true;
	/* Who carries the pager for it right now, for the top line. */
	struct table pager;
	const char *paths[] = { n->path };
	bool dir = n->dir;
	snprintf(a->on_call, sizeof(a->on_call), "nobody");
	if (pager_table(a->ctx->st, a->ctx->repo_id, paths, 1, &dir, a->ctx->at, &pager) == 0 &&
	    pager.nrows && !table_at(&pager, 0, find_col(&pager, "name"))->null)
		snprintf(a->on_call, sizeof(a->on_call), "%s", table_at(&pager, 0, find_col(&pager, "name"))->s);
	table_free(&pager);
}

/* A cell as a pane shows it: as the reports do, dates only, and a false
 * flag as nothing (a column of "no" hides the few "yes"). */
static void cell_string(struct strbuf *sb, const struct table_col *col, const struct table_cell *c)
{
	sb_reset(sb);
	if (col->type != COL_BOOL || c->null || c->i)
		table_cell_text(sb, col, c, true);
}

/* A share as a bar and a number: "██████····  42.0%". */
static void draw_share(int y, int x, int width, int64_t per_mille, enum style row_style)
{
	char num[16];
	snprintf(num, sizeof(num), " %3lld.%lld%%", (long long)(per_mille / 10), (long long)(per_mille % 10));
	int bar = width - (int)strlen(num);
	int filled = bar > 0 ? (int)((per_mille * bar + 500) / 1000) : 0;
	screen_fill(y, x, filled, STYLE_BAR);
	screen_fill(y, x + filled, bar - filled, row_style);
	screen_text(y, x + (bar > 0 ? bar : 0), width - (bar > 0 ? bar : 0), row_style, num, true);
}

static enum style row_style(const struct app *a, size_t r)
{
	int gone = find_col(&a->table, "gone"), bot = find_col(&a->table, "bot");
	int ai = find_col(&a->table, "ai_assisted"), author_gone = find_col(&a->table, "author_gone");
	if (bot >= 0 && table_at(&a->table, r, (size_t)bot)->i)
		return STYLE_BOT;
	if ((gone >= 0 && table_at(&a->table, r, (size_t)gone)->i) ||
	    (author_gone >= 0 && table_at(&a->table, r, (size_t)author_gone)->i))
		return STYLE_GONE;
	if (ai >= 0 && table_at(&a->table, r, (size_t)ai)->i)
		return STYLE_DRIVE_BY;
	if (panes[a->pane].on_call_rows && !table_at(&a->table, r, 0)->null)
		return STYLE_ON_CALL;
	return STYLE_NORMAL;
}

/* The width of pane column c starting at x in a pane [x0, x0 + cols):
 * its own, or what is left, never past the pane's edge. */
static int column_width(const struct pane *p, size_t c, int x, int x0, int cols)
{
	int w = p->cols[c].width ? p->cols[c].width : x0 + cols - x;
	return x + w > x0 + cols ? x0 + cols - x : w;
}

static void draw_pane(struct app *a, int y0, int x0, int rows, int cols)
{
	const struct pane *p = &panes[a->pane];
	struct strbuf sb = STRBUF_INIT;
	if (a->error[0]) {
		screen_text(y0, x0, cols, STYLE_GONE, a->error, true);
		return;
	}
	/* Header, then one line per row. */
	int x = x0;
	for (size_t c = 0; c < 8 && p->cols[c].key; c++) {
		int col = find_col(&a->table, p->cols[c].key);
		int w = column_width(p, c, x, x0, cols);
		if (col >= 0 && w > 0)
			screen_text(y0, x, w, STYLE_HEADER, a->table.cols[col].title, true);
		x += w + 1;
	}
	if (!a->table.nrows)
		screen_text(y0 + 1, x0, cols, STYLE_DIM, "(nothing here in this window)", true);
	for (size_t r = 0; r < a->table.nrows && (int)r < rows - 1; r++) {
		enum style st = row_style(a, r);
		x = x0;
		for (size_t c = 0; c < 8 && p->cols[c].key; c++) {
			int col = find_col(&a->table, p->cols[c].key);
			int w = column_width(p, c, x, x0, cols);
			if (col >= 0 && w > 0) {
				const struct table_cell *cell = table_at(&a->table, r, (size_t)col);
				if (!strcmp(p->cols[c].key, "share"))
					draw_share(y0 + 1 + (int)r, x, w, cell->i, st);
				else {
					cell_string(&sb, &a->table.cols[col], cell);
					screen_text(y0 + 1 + (int)r, x, w, st, sb_str(&sb), true);
				}
			}
			x += w + 1;
		}
	}
	sb_free(&sb);
}

static void draw_tree(struct app *a, int y0, int rows, int cols)
{
	if (a->cursor < a->top)
		a->top = a->cursor;
	if (a->cursor >= a->top + (size_t)rows)
		a->top = a->cursor - (size_t)rows + 1;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < rows && a->top + (size_t)i < a->nvisible; i++) {
		size_t v = a->top + (size_t)i;
		const struct tree_node *n = &a->tree.nodes[a->visible[v]];
		sb_reset(&sb);
		for (int d = 1; d < n->depth; d++)
			sb_adds(&sb, "  ");
		if (n->depth)
			sb_adds(&sb, n->dir ? (n->open ? "- " : "+ ") : "  ");
		sb_adds(&sb, n->name);
		if (n->dir && n->depth)
			sb_addc(&sb, '/');
		enum style st = v == a->cursor ? STYLE_SELECTED : n->dir ? STYLE_NORMAL : STYLE_DIM;
		screen_text(y0 + i, 0, cols, st, sb_str(&sb), true);
	}
	sb_free(&sb);
}

static void draw_help(int rows, int cols)
{
	char line[256];
	screen_text(0, 0, cols, STYLE_TITLE, "carry: keys (q or ? to leave)", true);
	int y = 2;
	for (size_t r = 1; r < sizeof(request_doc) / sizeof(request_doc[0]) && y < rows; r++, y++) {
		snprintf(line, sizeof(line), "  %-14s %s", request_doc[r].keys, request_doc[r].help);
		screen_text(y, 0, cols, STYLE_NORMAL, line, true);
	}
}

static void draw(struct app *a)
{
	int rows, cols;
	screen_size(&rows, &cols);
	screen_clear();
	if (rows < MIN_ROWS || cols < MIN_COLS) {
		char msg[96];
		snprintf(msg, sizeof(msg), "carry needs %dx%d (this is %dx%d); q quits", MIN_COLS, MIN_ROWS,
		         cols, rows);
		screen_text(0, 0, cols, STYLE_NORMAL, msg, false);
		screen_flush();
		return;
	}
	if (a->help) {
		draw_help(rows, cols);
		screen_flush();
		return;
	}
	/* Top line: repository, HEAD, scan age, window, the selected path. */
	char top[512], date[11];
	time_format_date(a->ctx->scanned_at, date);
	const struct tree_node *n = selected(a);
	snprintf(top, sizeof(top), " %s: %s | on call: %s | %s | %s@%.12s scanned %s",
	         panes[a->pane].title, n->path[0] ? n->path : ".", a->on_call,
	         windows[a->window].name, a->ctx->repo_name, a->ctx->head,
	         a->ctx->scanned_at ? date : "never");
	screen_text(0, 0, cols, STYLE_TITLE, top, true);
	int tree_cols = cols / 3 < 40 ? cols / 3 : 40;
	draw_tree(a, 1, rows - 2, tree_cols);
	draw_pane(a, 1, tree_cols + 1, rows - 2, cols - tree_cols - 1);
	screen_text(rows - 1, 0, cols, STYLE_KEYS,
	            " j/k move  Enter open  h close  Tab/1-5 panes  w window  ? help  q quit", true);
	screen_flush();
}

static void refresh_visible(struct app *a)
{
	a->nvisible = tree_visible(&a->tree, a->visible);
	if (a->cursor >= a->nvisible)
		a->cursor = a->nvisible ? a->nvisible - 1 : 0;
}

static unsigned handle(struct app *a, enum request req)
{
	int rows, cols;
	screen_size(&rows, &cols);
	size_t page = rows > 3 ? (size_t)rows - 3 : 1;
	struct tree_node *n = &a->tree.nodes[a->visible[a->cursor]];
	if (a->help)
		return req == REQ_QUIT || req == REQ_HELP ? (a->help = false, REDRAW) : 0;
	switch (req) {
	case REQ_UP:
		if (!a->cursor)
			return 0;
		a->cursor--;
		return RELOAD;
	case REQ_DOWN:
		if (a->cursor + 1 >= a->nvisible)
			return 0;
		a->cursor++;
		return RELOAD;
	case REQ_PAGE_UP:
		a->cursor = a->cursor > page ? a->cursor - page : 0;
		return RELOAD;
	case REQ_PAGE_DOWN:
		a->cursor = a->cursor + page < a->nvisible ? a->cursor + page : a->nvisible - 1;
		return RELOAD;
	case REQ_OPEN:
		if (!n->dir || n->open)
			return 0;
		n->open = true;
		refresh_visible(a);
		return REDRAW;
	case REQ_CLOSE:
		if (n->dir && n->open && n->depth) {
			n->open = false;
			refresh_visible(a);
			return REDRAW;
		}
		/* Go to the parent: the nearest shallower node above. */
		while (a->cursor > 0 && a->tree.nodes[a->visible[a->cursor]].depth >= n->depth)
			a->cursor--;
		return RELOAD;
	case REQ_NEXT_PANE:
		a->pane = (a->pane + 1) % npanes;
		return RELOAD;
	case REQ_PANE_1: case REQ_PANE_2: case REQ_PANE_3: case REQ_PANE_4: case REQ_PANE_5:
		a->pane = (size_t)(req - REQ_PANE_1);
		return RELOAD;
	case REQ_WINDOW:
		a->window = (a->window + 1) % (sizeof(windows) / sizeof(windows[0]));
		set_window(a);
		return RELOAD;
	case REQ_HELP:
		a->help = true;
		return REDRAW;
	case REQ_QUIT:
		return QUIT;
	case REQ_NONE:
		break;
	}
	return 0;
}

static enum request request_of(int key)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].key == key)
			return bindings[i].req;
	return REQ_NONE;
}

int tui_run(const struct tui_context *ctx)
{
	struct app a = { .ctx = ctx, .window = 1 };
	tree_build(&a.tree, ctx->w);
	a.visible = xmalloc((a.tree.n + 1) * sizeof(*a.visible));
	refresh_visible(&a);
	set_window(&a);
	int rc = screen_open();
	if (rc < 0)
		goto out;
	load_pane(&a);
	draw(&a);
	for (;;) {
		int key = screen_key();
		unsigned what = key == KEY_RESIZE ? REDRAW : handle(&a, request_of(key));
		if (what & QUIT)
			break;
		if (what & RELOAD)
			load_pane(&a);
		if (what)
			draw(&a);
	}
	screen_close();
out:
	table_free(&a.table);
	free(a.visible);
	tree_free(&a.tree);
	return rc;
}
