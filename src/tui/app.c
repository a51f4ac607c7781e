/*
 * The dashboard's loop.  One table of requests (REQUESTS below) gives the
 * key bindings and the help screen, so they cannot drift apart.  A key
 * becomes a request; handling a request changes the state and returns
 * what must happen next (redraw, reload the pane, rescan, quit); drawing
 * happens in one place, draw(), from the state alone.
 */
#include <curses.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/tui.h"
#include "app.h"

/* name, keys shown in help, what it does */
#define REQUESTS(R) \
	R(UP, "k Up", "move up (in the tree, the focused pane or a view)") \
	R(DOWN, "j Down", "move down") \
	R(PAGE_UP, "PgUp", "page up") \
	R(PAGE_DOWN, "PgDn", "page down") \
	R(HOME, "g Home", "to the first line") \
	R(END, "G End", "to the last line") \
	R(OPEN, "Enter l Right", "open a directory; on a row, its commit, person or triage") \
	R(CLOSE, "h Left", "close a directory, go to its parent; from a pane, the tree") \
	R(BACK, "Esc Backspace", "back: leave a view, the pane or a prompt") \
	R(NEXT_PANE, "Tab", "next pane") \
	R(PANE_1, "1", "Owners: who wrote it, share bars, DOA authors") \
	R(PANE_2, "2", "Drive-bys: changes by people who neither own nor carry it") \
	R(PANE_3, "3", "Orphans: files whose authors are gone or no one carries") \
	R(PANE_4, "4", "Pager: who carries the pager now, and next") \
	R(PANE_5, "5", "Incidents in the window") \
	R(SEARCH, "/", "search paths and people") \
	R(NEXT_MATCH, "n", "next match") \
	R(PREV_MATCH, "N", "previous match") \
	R(SORT, "s", "sort the pane by its next column, then its own order") \
	R(FILTER, "f", "filter the pane by team or person (empty: none)") \
	R(TRIAGE, "t", "triage the selected incident (elsewhere: choose one)") \
	R(WINDOW, "w", "cycle the window: 7d, 30d, 90d, 1y, all") \
	R(RESCAN, "r", "rescan the repository (incremental) and reload") \
	R(HELP, "?", "this help") \
	R(QUIT, "q", "quit (in the help or a view: leave it)")

enum request {
	REQ_NONE,
#define R(name, keys, help) REQ_##name,
	REQUESTS(R)
#undef R
};

static const char *const request_doc[][2] = {
#define R(name, keys, help) { keys, help },
	REQUESTS(R)
#undef R
};

static const struct {
	int key;
	enum request req;
} bindings[] = {
	{ 'k', REQ_UP }, { KEY_UP, REQ_UP }, { 'j', REQ_DOWN }, { KEY_DOWN, REQ_DOWN },
	{ KEY_PPAGE, REQ_PAGE_UP }, { KEY_NPAGE, REQ_PAGE_DOWN }, { 'g', REQ_HOME },
	{ KEY_HOME, REQ_HOME }, { 'G', REQ_END }, { KEY_END, REQ_END },
	{ '\n', REQ_OPEN }, { '\r', REQ_OPEN }, { KEY_ENTER, REQ_OPEN }, { 'l', REQ_OPEN },
	{ KEY_RIGHT, REQ_OPEN }, { 'h', REQ_CLOSE }, { KEY_LEFT, REQ_CLOSE },
	{ 27, REQ_BACK }, { KEY_BACKSPACE, REQ_BACK }, { 127, REQ_BACK }, { 8, REQ_BACK },
	{ '\t', REQ_NEXT_PANE }, { '1', REQ_PANE_1 }, { '2', REQ_PANE_2 }, { '3', REQ_PANE_3 },
	{ '4', REQ_PANE_4 }, { '5', REQ_PANE_5 }, { '/', REQ_SEARCH }, { 'n', REQ_NEXT_MATCH },
	{ 'N', REQ_PREV_MATCH }, { 's', REQ_SORT }, { 'f', REQ_FILTER }, { 't', REQ_TRIAGE },
	{ 'w', REQ_WINDOW }, { 'r', REQ_RESCAN }, { '?', REQ_HELP }, { 'q', REQ_QUIT },
};

static const struct {
	const char *name;
	int days; /* 0: all history */
} windows[] = { { "7d", 7 }, { "30d", 30 }, { "90d", 90 }, { "1y", 365 }, { "all", 0 } };

size_t app_help(const char *const (**doc)[2])
{
	*doc = request_doc;
	return sizeof(request_doc) / sizeof(request_doc[0]);
}

const char *app_window_name(const struct app *a)
{
	return windows[a->window].name;
}

static void set_window(struct app *a)
{
	int days = windows[a->window].days;
	a->params = a->ctx->params;
	a->params.until = a->params.at;
	a->params.since = days ? a->params.at - (int64_t)days * 86400 : INT64_MIN;
}

int app_find_col(const struct table *t, const char *key)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].key, key))
			return (int)c;
	return -1;
}

static void refresh_visible(struct app *a)
{
	a->nvisible = tree_visible(&a->tree, a->visible);
	if (a->cursor >= a->nvisible)
		a->cursor = a->nvisible ? a->nvisible - 1 : 0;
}

void app_reveal(struct app *a, size_t node)
{
	for (size_t j = 0; j < node; j++)
		if (a->tree.nodes[j].dir && a->tree.nodes[j].end > node)
			a->tree.nodes[j].open = true;
	refresh_visible(a);
	for (size_t v = 0; v < a->nvisible; v++)
		if (a->visible[v] == node)
			a->cursor = v;
	a->focus = FOCUS_TREE;
}

/* Changed lines per bucket over the window (the sparkline) and the pager
 * gap of the selected path (from its badge). */
static void load_pictures(struct app *a, const struct tree_node *n)
{
	int rows, cols;
	screen_size(&rows, &cols);
	size_t want = (size_t)draw_spark_cols(cols - draw_tree_cols(cols) - 1);
	if (want != a->nactivity) {
		a->nactivity = want;
		a->activity = xrealloc(a->activity, want * sizeof(*a->activity));
	}
	memset(a->activity, 0, a->nactivity * sizeof(*a->activity));
	a->gap[0] = 0;
	a->gap[1] = -1;
	if (!a->ctx->w)
		return;  /* still loading */
	/* The gauge is the selected node's badge (the same pass computes both). */
	if (a->badges && n->pager_gap >= 0) {
		a->gap[0] = n->changed;
		a->gap[1] = n->pager_gap;
	}
	activity_series(a->ctx->w, &a->params, n->path, a->activity, a->nactivity);
}

static void app_load_pane(struct app *a)
{
	table_free(&a->table);
	a->error[0] = '\0';
	const struct tree_node *n = app_selected(a);
	struct pane_query q = { a->ctx->w, a->ctx->st, a->ctx->repo_id, &a->params, n->path, n->dir };
	a->waiting = panes[a->pane].needs_world && !a->ctx->w;
	if (a->waiting) {
		table_init(&a->table, NULL, 0);
		if (a->load_failed)
			snprintf(a->error, sizeof(a->error), "cannot load the history: %s (r retries)",
			         a->loader.error);
		else
			snprintf(a->error, sizeof(a->error), "loading the history...");
		a->waiting = !a->load_failed;
	} else if (panes[a->pane].fill(&q, &a->table) < 0) {
		snprintf(a->error, sizeof(a->error), "%s", carry_error_last());
		table_free(&a->table);
	}
	pane_rows(a);
	load_pictures(a, n);
	/* Who carries the pager for it right now, for the top line. */
	struct table pager;
	const char *paths[] = { n->path };
	bool dir = n->dir;
	snprintf(a->on_call, sizeof(a->on_call), "nobody");
	int rc = a->ctx->w ? pager_world_table(a->ctx->w, paths, 1, &dir, a->params.at, &pager)
	                   : pager_table(a->ctx->st, a->ctx->repo_id, paths, 1, &dir, a->params.at, &pager);
	if (rc == 0 &&
	    pager.nrows && !table_at(&pager, 0, (size_t)app_find_col(&pager, "name"))->null)
		utf8_copy(a->on_call, sizeof(a->on_call), table_at(&pager, 0, (size_t)app_find_col(&pager, "name"))->s);
	table_free(&pager);
}

/* ---- moving a cursor over a list (the tree, a pane, a view) ---- */

static bool move_cursor(size_t *cursor, size_t n, enum request req, size_t page)
{
	size_t old = *cursor;
	if (!n)
		return false;
	switch (req) {
	case REQ_UP: *cursor = *cursor ? *cursor - 1 : 0; break;
	case REQ_DOWN: *cursor = *cursor + 1 < n ? *cursor + 1 : n - 1; break;
	case REQ_PAGE_UP: *cursor = *cursor > page ? *cursor - page : 0; break;
	case REQ_PAGE_DOWN: *cursor = *cursor + page < n ? *cursor + page : n - 1; break;
	case REQ_HOME: *cursor = 0; break;
	case REQ_END: *cursor = n - 1; break;
	default: return false;
	}
	return *cursor != old;
}

static bool is_move(enum request req)
{
	return req == REQ_UP || req == REQ_DOWN || req == REQ_PAGE_UP || req == REQ_PAGE_DOWN ||
	       req == REQ_HOME || req == REQ_END;
}

/* Enter on a pane row: what the row names. */
static unsigned open_row(struct app *a)
{
	if (!a->nrows)
		return 0;
	size_t r = a->rows[a->prow];
	const struct table *t = &a->table;
	const char *pane = panes[a->pane].title;
	const char *col = !strcmp(pane, "Drive-bys") ? "commit"
	                : !strcmp(pane, "Orphans") ? "path"
	                : !strcmp(pane, "Incidents") ? "incident_id" : "email";
	int c = app_find_col(t, col);
	if (c < 0 || table_at(t, r, (size_t)c)->null)
		return 0;
	const char *key = table_at(t, r, (size_t)c)->s;
	if (!strcmp(col, "path")) {
		for (size_t i = 0; i < a->tree.n; i++)
			if (!strcmp(a->tree.nodes[i].path, key))
				app_reveal(a, i);
		return RELOAD;
	}
	enum view_kind kind = !strcmp(col, "commit") ? VIEW_COMMIT
	                    : !strcmp(col, "incident_id") ? VIEW_TRIAGE : VIEW_PERSON;
	view_push(a, kind, key);
	return REDRAW;
}

static unsigned handle_view(struct app *a, enum request req, size_t page)
{
	struct view *v = &a->views[a->nviews - 1];
	if (is_move(req))
		return move_cursor(&v->cursor, v->nlines, req, page) ? REDRAW : 0;
	switch (req) {
	case REQ_OPEN:
		view_open(a);
		return RELOAD;
	case REQ_CLOSE: case REQ_BACK: case REQ_QUIT:
		view_pop(a);
		return REDRAW;
	default:
		return 0;
	}
}

static unsigned handle_tree(struct app *a, enum request req, size_t page)
{
	struct tree_node *n = &a->tree.nodes[a->visible[a->cursor]];
	if (is_move(req))
		return move_cursor(&a->cursor, a->nvisible, req, page) ? RELOAD : 0;
	switch (req) {
	case REQ_OPEN:
		if (n->dir && !n->open) {
			n->open = true;
			refresh_visible(a);
		} else if (a->nrows) {
			a->focus = FOCUS_PANE;
		}
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
	default:
		return 0;
	}
}

static unsigned handle_pane(struct app *a, enum request req, size_t page)
{
	if (is_move(req))
		return move_cursor(&a->prow, a->nrows, req, page) ? REDRAW : 0;
	switch (req) {
	case REQ_OPEN:
		return open_row(a);
	case REQ_CLOSE: case REQ_BACK:
		a->focus = FOCUS_TREE;
		return REDRAW;
	default:
		return 0;
	}
}

static void set_pane(struct app *a, size_t pane)
{
	if (pane != a->pane)
		a->sort = 0;
	a->pane = pane;
	a->prow = a->ptop = 0;
}

static unsigned handle(struct app *a, enum request req)
{
	int rows, cols;
	screen_size(&rows, &cols);
	size_t page = rows > 6 ? (size_t)rows - 6 : 1;
	if (a->help) {
		if (is_move(req)) {
			size_t n = sizeof(request_doc) / sizeof(request_doc[0]);
			return move_cursor(&a->help_top, n, req, page) ? REDRAW : 0;
		}
		return req == REQ_QUIT || req == REQ_HELP || req == REQ_BACK ? (a->help = false, REDRAW) : 0;
	}
	switch (req) {
	case REQ_HELP:
		a->help = true;
		a->help_top = 0;
		return REDRAW;
	case REQ_SEARCH: case REQ_FILTER:
		a->prompt = req == REQ_SEARCH ? PROMPT_SEARCH : PROMPT_FILTER;
		snprintf(a->input, sizeof(a->input), "%s", req == REQ_FILTER ? a->filter : "");
		return REDRAW;
	case REQ_NEXT_MATCH: case REQ_PREV_MATCH:
		search_step(a, req == REQ_NEXT_MATCH ? 1 : -1);
		return RELOAD;
	case REQ_RESCAN:
		return RESCAN;
	case REQ_WINDOW:
		a->window = (a->window + 1) % (sizeof(windows) / sizeof(windows[0]));
		set_window(a);
		views_clear(a);
		return RELOAD;
	default:
		break;
	}
	if (a->nviews)
		return handle_view(a, req, page);
	switch (req) {
	case REQ_QUIT:
		return QUIT;
	case REQ_NEXT_PANE:
		set_pane(a, (a->pane + 1) % npanes);
		return RELOAD;
	case REQ_PANE_1: case REQ_PANE_2: case REQ_PANE_3: case REQ_PANE_4: case REQ_PANE_5:
		set_pane(a, (size_t)(req - REQ_PANE_1));
		return RELOAD;
	case REQ_SORT:
		a->sort = (a->sort + 1) % (pane_ncols(&panes[a->pane]) + 1);
		pane_rows(a);
		return REDRAW;
	case REQ_TRIAGE:
		if (strcmp(panes[a->pane].title, "Incidents") != 0) {
			set_pane(a, npanes - 1);
			a->focus = FOCUS_PANE;
			return RELOAD;
		}
		return a->nrows ? open_row(a) : REDRAW;
	default:
		break;
	}
	return a->focus == FOCUS_PANE ? handle_pane(a, req, page) : handle_tree(a, req, page);
}

static enum request request_of(int key)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].key == key)
			return bindings[i].req;
	return REQ_NONE;
}

/* A click or the wheel: over the tree, the pane or a view. */
static unsigned handle_mouse(struct app *a)
{
	int y, x, rows, cols;
	enum mouse_event ev = screen_mouse(&y, &x);
	screen_size(&rows, &cols);
	if (ev == MOUSE_NONE || a->help || a->prompt)
		return 0;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN) {
		enum request req = ev == MOUSE_WHEEL_UP ? REQ_UP : REQ_DOWN;
		if (!a->nviews)
			a->focus = x < draw_tree_cols(cols) || !a->nrows ? FOCUS_TREE : FOCUS_PANE;
		unsigned r = 0;
		for (int i = 0; i < 3; i++)
			r |= handle(a, req);
		return r;
	}
	size_t line;
	int where = draw_hit(a, y, x, &line);
	if (where == HIT_NOTHING)
		return 0;
	bool again = ev == MOUSE_DOUBLE_CLICK;
	if (where == HIT_VIEW) {
		struct view *v = &a->views[a->nviews - 1];
		again |= v->cursor == line;
		v->cursor = line;
	} else if (where == HIT_TREE) {
		again |= a->focus == FOCUS_TREE && a->cursor == line;
		a->cursor = line;
		a->focus = FOCUS_TREE;
		if (!again)
			return RELOAD;
	} else {
		again |= a->focus == FOCUS_PANE && a->prow == line;
		a->prow = line;
		a->focus = FOCUS_PANE;
	}
	/* Clicking the selected line opens it, as Enter does. */
	return again ? handle(a, REQ_OPEN) | REDRAW : REDRAW;
}

/* ---- loading the history on a second thread ---- */

static void *load_world(void *arg)
{
	struct app *a = arg;
	a->loader.rc = a->src->load(a->src->arg, &a->loader.w);
	if (a->loader.rc < 0)
		snprintf(a->loader.error, sizeof(a->loader.error), "%s", carry_error_last());
	atomic_store(&a->loader.done, 1);
	return NULL;
}

/* Waits for the loader (if it runs) and takes its world; 0 or its error. */
static int loader_finish(struct app *a)
{
	if (a->loader.running) {
		pthread_join(a->loader.thread, NULL);
		a->loader.running = false;
	}
	if (!atomic_load(&a->loader.done))
		return 0;
	atomic_store(&a->loader.done, 0);
	a->ctx->w = a->loader.w;
	a->load_failed = a->loader.rc < 0;
	return a->loader.rc;
}

static void loader_start(struct app *a)
{
	a->ctx->w = NULL;
	a->loader.w = NULL;
	atomic_store(&a->loader.done, 0);
	a->load_failed = false;
	a->loader.running = pthread_create(&a->loader.thread, NULL, load_world, a) == 0;
	if (!a->loader.running) {
		load_world(a);  /* no thread: load now, and take it */
		loader_finish(a);
	}
}

/* ---- scanning inside the dashboard ---- */

/* The scan runs on a thread of its own; this thread keeps reading keys
 * (q stops the scan after its current batch, a resize redraws) and
 * draws the progress it publishes, so the screen answers through every
 * phase, the line engine's included. */
struct scan_job {
	const struct tui_source *src;
	atomic_size_t done, total;
	volatile int stop;
	atomic_int finished;
	int rc;
	char error[512];
};

static void publish_progress(size_t done, size_t total, void *payload)
{
	struct scan_job *job = payload;
	atomic_store(&job->total, total);
	atomic_store(&job->done, done);
}

static void *scan_thread(void *payload)
{
	struct scan_job *job = payload;
	job->rc = job->src->scan(job->src->arg, publish_progress, job, &job->stop);
	if (job->rc < 0)
		snprintf(job->error, sizeof(job->error), "%s", carry_error_last());
	atomic_store(&job->finished, 1);
	return NULL;
}

static int run_scan(struct app *a)
{
	struct scan_job job = { .src = a->src };
	pthread_t thread;
	draw_scan(a->ctx->repo_name, 0, 0, false);
	if (pthread_create(&thread, NULL, scan_thread, &job) != 0) {
		scan_thread(&job);  /* no thread: scan here, without a live screen */
	} else {
		while (!atomic_load(&job.finished)) {
			int key = screen_key_within(50);
			if (key == 'q' || key == 3)
				job.stop = 1;
			draw_scan(a->ctx->repo_name, atomic_load(&job.done), atomic_load(&job.total), job.stop);
		}
		pthread_join(thread, NULL);
	}
	screen_repaint();
	if (job.rc < 0)
		return carry_error(job.rc, "%s", job.error);
	/* q said quit: also when the scan had nothing left to stop. */
	return job.stop ? carry_error(CARRY_EINTR, "stopped") : 0;
}

/* Scans, then loads the world again and rebuilds the tree, keeping the
 * selected path when it is still there.  CARRY_EINTR when q stopped it. */
static int scan_and_load(struct app *a)
{
	loader_finish(a);
	char *was = a->tree.n ? xstrdup(app_selected(a)->path) : NULL;
	int rc = run_scan(a);
	if (rc == 0) {
		views_clear(a);
		table_free(&a->table);
		tree_free(&a->tree);
		rc = a->src->open(a->src->arg, a->ctx);
	}
	if (rc == 0) {
		tree_build(&a->tree, a->ctx->files);
		loader_start(a);
		a->badges = a->teams = false;
		a->visible = xrealloc(a->visible, (a->tree.n + 1) * sizeof(*a->visible));
		a->cursor = a->top = 0;
		a->focus = FOCUS_TREE;
		refresh_visible(a);
		for (size_t i = 0; was && i < a->tree.n; i++)
			if (!strcmp(a->tree.nodes[i].path, was))
				app_reveal(a, i);
		search_run(a);  /* the matches were nodes of the old tree */
	}
	free(was);
	return rc;
}

/* The tree's badges cost a pass over the world: computed after the frame
 * is on screen, and only when no key is waiting. */
static void load_badges_when_idle(struct app *a)
{
	if (a->badges || !a->ctx->w || screen_pending())
		return;
	badges_load(a);
	load_pictures(a, app_selected(a));
	if (!a->help && !a->prompt)
		draw(a);
}

/* ---- timings for bench/dashboard_bench.py ---- */

static FILE *trace_file;

static void trace_open(void)
{
	const char *path = getenv("CARRY_TUI_TRACE");
	trace_file = path && *path ? fopen(path, "a") : NULL;
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int tui_run(struct tui_context *ctx, const struct tui_source *src)
{
	struct app a = { .ctx = ctx, .src = src, .window = 1 };
	/* Keep freed memory for the next pane instead of giving it back: on
	 * the machines measured, faulting pages in again cost more than
	 * building a 20,000-row pane. */
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	trace_open();
	int rc = screen_open();
	if (rc == 0)
		rc = scan_and_load(&a);
	if (rc < 0)
		goto out;
	set_window(&a);
	/* An incident to triage needs the history before anything is shown. */
	if (ctx->triage && (rc = loader_finish(&a)) < 0)
		goto out;
	app_load_pane(&a);
	if (ctx->triage && (rc = view_push(&a, VIEW_TRIAGE, ctx->triage)) < 0)
		goto out;
	draw(&a);
	if (trace_file) {
		fprintf(trace_file, "first_frame %lld\n", (long long)now_ns());
		fflush(trace_file);
	}
	for (;;) {
		/* While the history loads, look for it between keys. */
		int key = a.loader.running ? screen_key_within(20) : screen_key();
		int64_t t0 = now_ns();
		if (key == ERR) {
			if (!atomic_load(&a.loader.done))
				continue;
			loader_finish(&a);
			app_load_pane(&a);
			draw(&a);
			load_badges_when_idle(&a);
			if (trace_file) {
				fprintf(trace_file, "world %lld\n", (long long)now_ns());
				fflush(trace_file);
			}
			continue;
		}
		bool had_status = a.status[0];
		a.status[0] = '\0';  /* a message lasts one frame */
		unsigned what = key == KEY_RESIZE ? RELOAD
		              : key == KEY_MOUSE ? handle_mouse(&a)
		              : a.prompt ? prompt_key(&a, key)
		              : handle(&a, request_of(key));
		if (had_status && !what)
			what = REDRAW;
		if (what & QUIT)
			break;
		if (what & RESCAN) {
			if ((rc = scan_and_load(&a)) == CARRY_EINTR)
				break;
			if (rc < 0 && !a.tree.n)
				goto out;  /* the world could not be loaded again */
			if (rc < 0)
				snprintf(a.status, sizeof(a.status), " rescan failed: %s", carry_error_last());
			rc = 0;
			a.badges = false;
			what |= RELOAD;
		}
		if (key == 'w' && (what & RELOAD))
			badges_clear(&a);
		if (what & RELOAD)
			app_load_pane(&a);
		if (what)
			draw(&a);
		load_badges_when_idle(&a);
		if (trace_file) {
			fprintf(trace_file, "key %d %lld %lld %d\n", key, (long long)t0, (long long)now_ns(),
			        what != 0);
			fflush(trace_file);
		}
	}
out:
	loader_finish(&a);
	screen_close();
	if (trace_file)
		fclose(trace_file);
	if (rc == CARRY_EINTR)
		rc = 0;  /* q during the first scan: what was scanned is kept */
	views_clear(&a);
	search_free(&a);
	table_free(&a.table);
	free(a.rows);
	free(a.activity);
	free(a.visible);
	tree_free(&a.tree);
	return rc;
}
