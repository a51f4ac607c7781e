/*
 * Every frame, drawn from the app's state alone (app.h): the top line,
 * the tree with its badges, the pane with its pictures (activity
 * sparkline, pager-gap gauge, share bars), the detail views, the help, the
 * scan's progress, and the bottom line.  Nothing here changes the state
 * except scroll offsets that keep a cursor on screen.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "carry/strbuf.h"
#include "app.h"
#include "screen.h"

enum { MIN_ROWS = 10, MIN_COLS = 60, PANE_TOP = 3 /* tabs, pictures, header */ };

int draw_tree_cols(int cols)
{
	int w = cols * 2 / 5;
	return w < 48 ? w : 48;
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

static bool flag(const struct table *t, size_t r, const char *key)
{
	int c = app_find_col(t, key);
	return c >= 0 && !table_at(t, r, (size_t)c)->null && table_at(t, r, (size_t)c)->i;
}

static bool text_is(const struct table *t, size_t r, const char *key, const char *value)
{
	int c = app_find_col(t, key);
	return c >= 0 && !table_at(t, r, (size_t)c)->null && !strcmp(table_at(t, r, (size_t)c)->s, value);
}

/* Colours by meaning: bot, gone, drive-by or AI-assisted, on call. */
static enum style row_style(const struct table *t, size_t r, bool on_call_rows)
{
	if (flag(t, r, "bot"))
		return STYLE_BOT;
	if (flag(t, r, "gone") || flag(t, r, "author_gone") || text_is(t, r, "status", "gone"))
		return STYLE_GONE;
	if (flag(t, r, "drive_by") || flag(t, r, "ai_assisted"))
		return STYLE_DRIVE_BY;
	int name = app_find_col(t, "name");
	if ((on_call_rows && name >= 0 && !table_at(t, r, (size_t)name)->null) ||
	    text_is(t, r, "status", "on_call") ||
	    text_is(t, r, "status", "now"))
		return STYLE_ON_CALL;
	return STYLE_NORMAL;
}

/* The width of column c starting at x in [x0, x0 + cols): its own, or
 * what is left, never past the edge. */
static int column_width(const struct pane_column *pc, size_t c, int x, int x0, int cols)
{
	int w = pc[c].width ? pc[c].width : x0 + cols - x;
	return x + w > x0 + cols ? x0 + cols - x : w;
}

static void draw_table_header(int y, int x0, int cols, const struct pane_column *pc,
                              const struct table *t, const char *sorted_key)
{
	char title[64];
	int x = x0;
	screen_fill(y, x0, cols, STYLE_HEADER);
	for (size_t c = 0; c < 8 && pc[c].key; c++) {
		int col = app_find_col(t, pc[c].key);
		int w = column_width(pc, c, x, x0, cols);
		if (col >= 0 && w > 0) {
			bool sorted = sorted_key && !strcmp(sorted_key, pc[c].key);
			snprintf(title, sizeof(title), "%s%s", pc[c].title ? pc[c].title : t->cols[col].title,
			         sorted ? " v" : "");
			screen_text(y, x, w, STYLE_HEADER, title, true);
		}
		x += w + 1;
	}
}

static void draw_table_row(int y, int x0, int cols, const struct pane_column *pc,
                           const struct table *t, size_t r, enum style st)
{
	struct strbuf sb = STRBUF_INIT;
	int x = x0;
	screen_fill(y, x0, cols, st);
	for (size_t c = 0; c < 8 && pc[c].key; c++) {
		int col = app_find_col(t, pc[c].key);
		int w = column_width(pc, c, x, x0, cols);
		if (col >= 0 && w > 0) {
			const struct table_cell *cell = table_at(t, r, (size_t)col);
			if (!strcmp(pc[c].key, "share") && !cell->null) {
				draw_share(y, x, w, cell->i, st);
			} else {
				cell_string(&sb, &t->cols[col], cell);
				screen_text(y, x, w, st, sb_str(&sb), true);
			}
		}
		x += w + 1;
	}
	sb_free(&sb);
}

/* ---- the tree ---- */

/* "g100 o100 team": pager gap, orphan share, owning team (cut short to
 * `team` columns). */
static void draw_badges(int y, int x, int team, const struct tree_node *n, enum style base)
{
	char buf[16];
	if (n->pager_gap >= 0) {
		snprintf(buf, sizeof(buf), "g%d", (n->pager_gap + 5) / 10);
		screen_text(y, x, 4, n->pager_gap >= 500 && base != STYLE_SELECTED ? STYLE_DRIVE_BY : base,
		            buf, true);
	}
	if (n->orphan_share > 0) {
		snprintf(buf, sizeof(buf), "o%d", (n->orphan_share + 5) / 10);
		screen_text(y, x + 5, 4, n->orphan_share >= 500 && base != STYLE_SELECTED ? STYLE_GONE : base,
		            buf, true);
	}
	screen_text(y, x + 10, team, base == STYLE_SELECTED ? base : STYLE_DIM, n->team, true);
}

static void draw_tree(struct app *a, int y0, int rows, int cols)
{
	if (a->cursor < a->top)
		a->top = a->cursor;
	if (a->cursor >= a->top + (size_t)rows)
		a->top = a->cursor - (size_t)rows + 1;
	/* Badges take 11 columns and the team up to 8, leaving the name 14
	 * or more; too narrow a tree shows names only. */
	int team = cols - 14 - 11 - 1 < 8 ? cols - 14 - 11 - 1 : 8;
	bool badges = team >= 3;
	int width = 11 + team + 1;
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
		enum style st = v == a->cursor ? (a->focus == FOCUS_TREE ? STYLE_SELECTED : STYLE_HEADER)
		              : n->dir ? STYLE_NORMAL : STYLE_DIM;
		int name_cols = badges ? cols - width : cols;
		screen_text(y0 + i, 0, name_cols, st, sb_str(&sb), true);
		if (badges) {
			screen_fill(y0 + i, name_cols, width, st);
			draw_badges(y0 + i, name_cols + 1, team, n, st == STYLE_SELECTED ? st : STYLE_NORMAL);
		}
	}
	sb_free(&sb);
}

/* ---- the pane ---- */

/* Changed lines over the window as block characters (ASCII without
 * UTF-8), each relative to the busiest bucket. */
static void draw_sparkline(int y, int x, int width, const int64_t *v, size_t n)
{
	static const char *const blocks[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[] = " .:-=+*#@";
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n && (int)i < width; i++) {
		int level = max ? (int)((v[i] * 8 + max - 1) / max) : 0;
		if (screen_utf8())
			sb_adds(&sb, blocks[level]);
		else
			sb_addc(&sb, ascii[level]);
	}
	screen_text(y, x, width, STYLE_BAR_TEXT, sb_str(&sb), true);
	sb_free(&sb);
}

/* The sparkline's width in a pane of `cols` columns (app.c asks for as
 * many buckets). */
int draw_spark_cols(int cols)
{
	int w = cols - 34;
	return w < 8 ? 8 : w > 48 ? 48 : w;
}

static void draw_pictures(const struct app *a, int y, int x0, int cols)
{
	char buf[128];
	int x = x0;
	screen_fill(y, x0, cols, STYLE_NORMAL);
	x += screen_text(y, x, cols, STYLE_DIM, "activity ", false);
	int spark = (int)a->nactivity < x0 + cols - x ? (int)a->nactivity : x0 + cols - x;
	draw_sparkline(y, x, spark, a->activity, a->nactivity);
	x += spark + 1;
	if (x0 + cols - x < 24)
		return;
	x += screen_text(y, x, x0 + cols - x, STYLE_DIM, "gap ", false);
	if (!a->badges) {
		screen_text(y, x, x0 + cols - x, STYLE_DIM, "...", false);
		return;
	}
	if (a->gap[1] < 0 || !a->gap[0]) {
		screen_text(y, x, x0 + cols - x, STYLE_DIM, "(no changes)", false);
		return;
	}
	/* The gauge: the share of changed lines by people not on the rotation. */
	int gauge = 8;
	int filled = (int)((a->gap[1] * gauge + 500) / 1000);
	screen_fill(y, x, filled, a->gap[1] >= 500 ? STYLE_GAUGE_HIGH : STYLE_BAR);
	screen_fill(y, x + filled, gauge - filled, STYLE_GAUGE_EMPTY);
	x += gauge + 1;
	snprintf(buf, sizeof(buf), "%lld%% of %lld", (long long)((a->gap[1] + 5) / 10), (long long)a->gap[0]);
	screen_text(y, x, x0 + cols - x, STYLE_NORMAL, buf, false);
}

/* The panes by number and title; when they do not all fit, only the
 * current one keeps its title. */
static void draw_tabs(const struct app *a, int y, int x0, int cols)
{
	char buf[64];
	int x = x0, full = 0;
	for (size_t i = 0; i < npanes; i++)
		full += (int)strlen(panes[i].title) + 4;
	screen_fill(y, x0, cols, STYLE_NORMAL);
	for (size_t i = 0; i < npanes && x < x0 + cols; i++) {
		if (i == a->pane || full <= cols)
			snprintf(buf, sizeof(buf), " %zu %s ", i + 1, panes[i].title);
		else
			snprintf(buf, sizeof(buf), " %zu ", i + 1);
		x += screen_text(y, x, x0 + cols - x, i == a->pane ? STYLE_SELECTED : STYLE_DIM, buf, false);
	}
	if (a->filter[0] && x + 4 < x0 + cols) {
		snprintf(buf, sizeof(buf), "  f: %s", a->filter);
		screen_text(y, x, x0 + cols - x, STYLE_HEADER, buf, false);
	}
}

static void draw_pane(struct app *a, int y0, int x0, int rows, int cols)
{
	const struct pane *p = &panes[a->pane];
	draw_tabs(a, y0, x0, cols);
	draw_pictures(a, y0 + 1, x0, cols);
	if (a->error[0]) {
		screen_text(y0 + PANE_TOP - 1, x0, cols, a->waiting ? STYLE_DIM : STYLE_GONE, a->error, true);
		return;
	}
	draw_table_header(y0 + PANE_TOP - 1, x0, cols, p->cols, &a->table,
	                  a->sort ? p->cols[a->sort - 1].key : NULL);
	int body = rows - PANE_TOP;
	if (!a->nrows)
		screen_text(y0 + PANE_TOP, x0, cols, STYLE_DIM,
		            a->filter[0] ? "(nothing matches the filter)" : "(nothing here in this window)", true);
	if (a->prow < a->ptop)
		a->ptop = a->prow;
	if (body > 0 && a->prow >= a->ptop + (size_t)body)
		a->ptop = a->prow - (size_t)body + 1;
	for (int i = 0; i < body && a->ptop + (size_t)i < a->nrows; i++) {
		size_t k = a->ptop + (size_t)i, r = a->rows[k];
		enum style st = row_style(&a->table, r, p->on_call_rows);
		if (a->focus == FOCUS_PANE && k == a->prow)
			st = STYLE_SELECTED;
		draw_table_row(y0 + PANE_TOP + i, x0, cols, p->cols, &a->table, r, st);
	}
}

/* ---- detail views ---- */

static void draw_view(struct view *v, int y0, int rows, int cols)
{
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)rows)
		v->top = v->cursor - (size_t)rows + 1;
	for (int i = 0; i < rows && v->top + (size_t)i < v->nlines; i++) {
		size_t k = v->top + (size_t)i;
		const struct view_line *l = &v->lines[k];
		bool cur = k == v->cursor;
		const struct view_section *s = &view_sections[l->section];
		switch (l->kind) {
		case LINE_TITLE:
			screen_text(y0 + i, 0, cols, cur ? STYLE_SELECTED : STYLE_HEADER, l->text, true);
			break;
		case LINE_TEXT:
			screen_text(y0 + i, 0, cols,
			            cur ? STYLE_SELECTED : l->hint == HINT_DIM ? STYLE_DIM
			            : l->hint == HINT_STRONG ? STYLE_ON_CALL : STYLE_NORMAL,
			            l->text, true);
			break;
		case LINE_HEADER:
			draw_table_header(y0 + i, 1, cols - 1, s->cols, &v->table, NULL);
			if (cur)
				screen_fill(y0 + i, 0, 1, STYLE_SELECTED);  /* the cursor is here */
			break;
		case LINE_ROW:
			draw_table_row(y0 + i, 1, cols - 1, s->cols, &v->table, l->row,
			               cur ? STYLE_SELECTED : row_style(&v->table, l->row, false));
			break;
		}
	}
}

/* ---- the whole frame ---- */

/* The keys, scrolled to *top (kept so the last line stays on screen). */
static void draw_help(const char *const (*doc)[2], size_t n, size_t *top)
{
	int rows, cols;
	char line[256];
	screen_size(&rows, &cols);
	screen_clear();
	screen_text(0, 0, cols, STYLE_TITLE, " carry: keys (q or ? to leave; j/k scroll)", true);
	size_t fit = rows > 2 ? (size_t)rows - 2 : 1;  /* between the title and the bottom line */
	if (n > fit && *top > n - fit)
		*top = n - fit;
	if (n <= fit)
		*top = 0;
	int y = 1;
	for (size_t r = *top; r < n && y < rows - 1; r++, y++) {
		snprintf(line, sizeof(line), "  %-14s %s", doc[r][0], doc[r][1]);
		screen_text(y, 0, cols, STYLE_NORMAL, line, true);
	}
	snprintf(line, sizeof(line), " %s mouse: the wheel scrolls, a click selects, a second click opens",
	         *top + fit < n ? "(more below)" : "");
	screen_text(rows - 1, 0, cols, STYLE_KEYS, line, true);
	screen_flush();
}

void draw_scan(const char *repo, size_t done, size_t total, bool stopping)
{
	int rows, cols;
	char line[256];
	screen_size(&rows, &cols);
	screen_clear();
	snprintf(line, sizeof(line), " carry: scanning %s", repo && *repo ? repo : "the repository");
	screen_text(0, 0, cols, STYLE_TITLE, line, true);
	if (rows < 4 || cols < 20) {
		screen_flush();
		return;
	}
	int bar = cols - 4 < 60 ? cols - 4 : 60;
	int filled = total ? (int)((double)done / (double)total * bar) : 0;
	screen_fill(2, 2, filled, STYLE_BAR);
	screen_fill(2, 2 + filled, bar - filled, STYLE_GAUGE_EMPTY);
	if (total && done < total)
		snprintf(line, sizeof(line), "%zu of %zu new commits (%zu%%)", done, total, done * 100 / total);
	else if (total)
		snprintf(line, sizeof(line), "%zu new commits; following every line to its author...", total);
	else
		snprintf(line, sizeof(line), "looking for new commits...");
	screen_text(3, 2, cols - 2, STYLE_NORMAL, line, true);
	screen_text(5, 2, cols - 2, STYLE_DIM,
	            stopping ? "stopping after the current batch (what is scanned is kept)"
	                     : "q quits; what is scanned so far is kept and the next run resumes",
	            true);
	screen_flush();
}

/* How long ago the last scan finished, by the wall clock (not --at). */
static void scan_age(int64_t scanned_at, char *out, size_t n)
{
	int64_t age = (int64_t)time(NULL) - scanned_at;
	if (!scanned_at)
		snprintf(out, n, "never");
	else if (age < 60)
		snprintf(out, n, "just now");
	else if (age < 3600)
		snprintf(out, n, "%lldm ago", (long long)(age / 60));
	else if (age < 86400)
		snprintf(out, n, "%lldh ago", (long long)(age / 3600));
	else
		snprintf(out, n, "%lldd ago", (long long)(age / 86400));
}

static void draw_top(const struct app *a, int cols)
{
	char top[640], date[24];
	scan_age(a->ctx->scanned_at, date, sizeof(date));
	const struct tree_node *n = app_selected(a);
	const char *what = panes[a->pane].title;
	if (a->nviews) {
		const struct view *v = &a->views[a->nviews - 1];
		what = v->kind == VIEW_COMMIT ? "Commit" : v->kind == VIEW_PERSON ? "Person" : "Triage";
	}
	snprintf(top, sizeof(top), " %s: %s | on call: %s | %s | %s@%.12s scanned %s", what,
	         n->path[0] ? n->path : ".", a->on_call, app_window_name(a), a->ctx->repo_name,
	         a->ctx->head, date);
	screen_text(0, 0, cols, STYLE_TITLE, top, true);
}

static void draw_bottom(const struct app *a, int rows, int cols)
{
	char line[320];
	if (a->prompt) {
		snprintf(line, sizeof(line), "%s%s", a->prompt == PROMPT_SEARCH ? "/" : "filter (team or person): ",
		         a->input);
		int used = screen_text(rows - 1, 0, cols, STYLE_NORMAL, line, false);
		screen_fill(rows - 1, used, 1, STYLE_SELECTED);  /* the cursor */
		screen_fill(rows - 1, used + 1, cols - used - 1, STYLE_NORMAL);
		return;
	}
	if (a->status[0]) {
		screen_text(rows - 1, 0, cols, STYLE_KEYS, a->status, true);
		return;
	}
	const char *keys = a->nviews ? " j/k move  Enter open  Esc back  / search  ? help  q back"
	                 : a->focus == FOCUS_PANE
	                 ? " j/k move  Enter open  Esc tree  s sort  f filter  t triage  Tab pane  ? help  q quit"
	                 : " j/k move  Enter open  h close  Tab/1-5 panes  / search  w window  r rescan  ? help  q quit";
	screen_text(rows - 1, 0, cols, STYLE_KEYS, keys, true);
}

void draw(struct app *a)
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
		const char *const (*doc)[2];
		size_t n = app_help(&doc);
		draw_help(doc, n, &a->help_top);
		return;
	}
	draw_top(a, cols);
	if (a->nviews) {
		draw_view(&a->views[a->nviews - 1], 1, rows - 2, cols);
	} else {
		int tree_cols = draw_tree_cols(cols);
		draw_tree(a, 1, rows - 2, tree_cols);
		draw_pane(a, 1, tree_cols + 1, rows - 2, cols - tree_cols - 1);
	}
	draw_bottom(a, rows, cols);
	screen_flush();
}

enum hit draw_hit(const struct app *a, int y, int x, size_t *line)
{
	int rows, cols;
	screen_size(&rows, &cols);
	if (rows < MIN_ROWS || cols < MIN_COLS || y < 1 || y >= rows - 1)
		return HIT_NOTHING;
	if (a->nviews) {
		const struct view *v = &a->views[a->nviews - 1];
		*line = v->top + (size_t)(y - 1);
		return *line < v->nlines ? HIT_VIEW : HIT_NOTHING;
	}
	if (x < draw_tree_cols(cols)) {
		*line = a->top + (size_t)(y - 1);
		return *line < a->nvisible ? HIT_TREE : HIT_NOTHING;
	}
	if (y < 1 + PANE_TOP)
		return HIT_NOTHING;
	*line = a->ptop + (size_t)(y - 1 - PANE_TOP);
	return *line < a->nrows ? HIT_PANE : HIT_NOTHING;
}
