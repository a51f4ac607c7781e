/*
 * Detail views: a commit (subject and body, files, author status, why
 * each change is or is not a drive-by), a person (shifts, changes, code
 * they wrote) and an incident's triage (suspects, who is on call, who
 * knows the code).  Each is an analysis table turned into lines once,
 * when the view opens; draw.c draws the lines, Enter follows a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "app.h"

/* The sections of each view: rows of `role`, the columns shown, what
 * Enter on a row opens. */
const struct view_section view_sections[] = {
	{ VIEW_COMMIT, "file", "Files (Enter: the path in the tree)", OPEN_PATH,
	  { { "change", 2, NULL }, { "added", 6, NULL }, { "deleted", 6, NULL }, { "service", 12, NULL },
	    { "drive_by", 3, "DBY" }, { "incidents", 10, "INCIDENTS" }, { "path", 0, NULL } } },
	{ VIEW_COMMIT, "file", "Drive-by or not, and why", OPEN_PATH,
	  { { "path", 28, NULL }, { "reasons", 0, NULL } } },
	{ VIEW_PERSON, "shift", "Pager shifts, from the window's start to 14 days ahead", OPEN_NOTHING,
	  { { "status", 5, "WHEN" }, { "rotation", 14, NULL }, { "level", 3, NULL }, { "time", 10, "FROM" },
	    { "until", 10, NULL }, { "services", 0, "CARRIES" } } },
	{ VIEW_PERSON, "commit", "Changes in the window (Enter: the commit)", OPEN_COMMIT,
	  { { "time", 10, NULL }, { "added", 6, NULL }, { "deleted", 6, NULL }, { "drive_by", 3, "DBY" },
	    { "ai_assisted", 3, NULL }, { "subject", 0, NULL } } },
	{ VIEW_PERSON, "file", "Code they wrote, by surviving lines (Enter: the path)", OPEN_PATH,
	  { { "lines", 7, NULL }, { "share", 20, NULL }, { "authored", 4, NULL }, { "service", 10, NULL },
	    { "path", 0, NULL } } },
	{ VIEW_TRIAGE, "suspect", "Suspect commits: drive-bys first, then churn (Enter: the commit)",
	  OPEN_COMMIT,
	  { { "rank", 3, NULL }, { "time", 10, NULL }, { "name", 18, NULL }, { "status", 11, NULL },
	    { "drive_by", 3, "DBY" }, { "ai_assisted", 3, NULL }, { "churn", 6, NULL },
	    { "subject", 0, NULL } } },
	{ VIEW_TRIAGE, "on_call", "On call now (Enter: the person)", OPEN_PERSON,
	  { { "level", 3, NULL }, { "name", 20, NULL }, { "rotation", 14, NULL }, { "time", 10, "UNTIL" },
	    { "email", 0, "CONTACT" } } },
	{ VIEW_TRIAGE, "expert", "Who knows the touched code: on call first, gone last (Enter: the person)",
	  OPEN_PERSON,
	  { { "name", 20, NULL }, { "status", 11, NULL }, { "rotation", 12, "ON CALL FOR" },
	    { "churn", 5, "FILES" }, { "email", 0, "CONTACT" } } },
};
const size_t nview_sections = sizeof(view_sections) / sizeof(view_sections[0]);

static struct view_line *add_line(struct view *v, enum line_kind kind)
{
	xgrow(&v->lines, &v->cap, v->nlines + 1, sizeof(*v->lines));
	struct view_line *l = &v->lines[v->nlines++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	return l;
}

static void add_text(struct view *v, enum style_hint hint, const char *text)
{
	struct view_line *l = add_line(v, LINE_TEXT);
	l->hint = hint;
	l->text = xstrdup(text);
}

/* The text of a cell by column key ("" when null or absent). */
static const char *cell(const struct table *t, size_t r, const char *key, struct strbuf *sb)
{
	int c = app_find_col(t, key);
	sb_reset(sb);
	if (c >= 0 && !table_at(t, r, (size_t)c)->null)
		table_cell_text(sb, &t->cols[c], table_at(t, r, (size_t)c), false);
	return sb_str(sb);
}

static bool is_role(const struct table *t, size_t r, const char *role)
{
	return !strcmp(table_at(t, r, 0)->s, role);
}

static void add_sections(struct view *v)
{
	char title[256];
	for (size_t s = 0; s < nview_sections; s++) {
		const struct view_section *sec = &view_sections[s];
		if (sec->kind != v->kind)
			continue;
		size_t n = 0;
		for (size_t r = 0; r < v->table.nrows; r++)
			n += is_role(&v->table, r, sec->role);
		add_text(v, HINT_NORMAL, "");
		snprintf(title, sizeof(title), "%s: %zu", sec->title, n);
		struct view_line *l = add_line(v, LINE_TITLE);
		l->text = xstrdup(title);
		if (!n) {
			add_text(v, HINT_DIM, "  (none)");
			continue;
		}
		add_line(v, LINE_HEADER)->section = s;
		for (size_t r = 0; r < v->table.nrows; r++)
			if (is_role(&v->table, r, sec->role)) {
				l = add_line(v, LINE_ROW);
				l->section = s;
				l->row = r;
			}
	}
}

/* Each line of a commit message, indented as git log shows it. */
static void add_message(struct view *v, const char *msg)
{
	struct strbuf line = STRBUF_INIT;
	for (const char *s = msg; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		sb_reset(&line);
		sb_adds(&line, "    ");
		sb_add(&line, s, len);
		add_text(v, HINT_NORMAL, sb_str(&line));
		s += len + (nl != NULL);
	}
	sb_free(&line);
}

static void commit_lines(struct app *a, struct view *v)
{
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT, line = STRBUF_INIT;
	const struct table *t = &v->table;
	sb_addf(&line, "commit %s", cell(t, 0, "commit", &sb));
	add_line(v, LINE_TITLE)->text = xstrdup(sb_str(&line));
	sb_reset(&line);
	sb_addf(&line, "Author: %s <%s>", cell(t, 0, "name", &sb), cell(t, 0, "email", &sb2));
	sb_addf(&line, "   now %s", cell(t, 0, "status", &sb));
	if (*cell(t, 0, "rotation", &sb))
		sb_addf(&line, " (%s)", sb_str(&sb));
	add_text(v, !strcmp(cell(t, 0, "status", &sb), "gone") ? HINT_DIM : HINT_NORMAL, sb_str(&line));
	sb_reset(&line);
	sb_addf(&line, "Date:   %s%s", cell(t, 0, "time", &sb),
	        !strcmp(cell(t, 0, "ai_assisted", &sb2), "yes") ? "   AI-assisted" : "");
	add_text(v, HINT_NORMAL, sb_str(&line));
	add_text(v, HINT_NORMAL, "");
	sb_reset(&sb);
	if (a->src->message && a->src->message(a->src->arg, v->key, &sb) == 0)
		add_message(v, sb_str(&sb));
	else
		add_message(v, cell(t, 0, "subject", &sb2));
	add_sections(v);
	sb_free(&sb);
	sb_free(&sb2);
	sb_free(&line);
}

static void person_lines(struct view *v)
{
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT, line = STRBUF_INIT;
	const struct table *t = &v->table;
	sb_addf(&line, "%s <%s>", cell(t, 0, "name", &sb), cell(t, 0, "email", &sb2));
	add_line(v, LINE_TITLE)->text = xstrdup(sb_str(&line));
	sb_reset(&line);
	sb_addf(&line, "Team: %s   now %s", *cell(t, 0, "team", &sb) ? sb_str(&sb) : "(none)",
	        cell(t, 0, "status", &sb2));
	if (*cell(t, 0, "rotation", &sb))
		sb_addf(&line, ", on call for %s", sb_str(&sb));
	add_text(v, !strcmp(cell(t, 0, "status", &sb), "on_call") ? HINT_STRONG : HINT_NORMAL,
	         sb_str(&line));
	sb_reset(&line);
	sb_addf(&line, "Latest commit: %s", *cell(t, 0, "time", &sb) ? sb_str(&sb) : "never");
	add_text(v, HINT_NORMAL, sb_str(&line));
	sb_reset(&line);
	sb_addf(&line, "Changed %s lines in the window, %s of them on code whose rotation they were not on",
	        cell(t, 0, "changed", &sb), cell(t, 0, "gap_lines", &sb2));
	add_text(v, HINT_NORMAL, sb_str(&line));
	add_sections(v);
	sb_free(&sb);
	sb_free(&sb2);
	sb_free(&line);
}

static void triage_lines(struct app *a, struct view *v)
{
	struct table in;
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT, line = STRBUF_INIT;
	if (store_incidents(a->ctx->st, INT64_MIN, INT64_MAX, &in) == 0) {
		for (size_t r = 0; r < in.nrows; r++) {
			if (strcmp(cell(&in, r, "incident_id", &sb), v->key) != 0)
				continue;
			sb_addf(&line, "%s [%s] %s", v->key, cell(&in, r, "severity", &sb2),
			        cell(&in, r, "title", &sb));
			add_line(v, LINE_TITLE)->text = xstrdup(sb_str(&line));
			sb_reset(&line);
			sb_addf(&line, "Service: %s   started %s", cell(&in, r, "service", &sb),
			        cell(&in, r, "started_at", &sb2));
			sb_addf(&line, "   %s", cell(&in, r, "status", &sb));
			add_text(v, HINT_NORMAL, sb_str(&line));
		}
	}
	table_free(&in);
	sb_reset(&line);
	sb_addf(&line, "Suspects: commits to its code in the %d hours before it started",
	        a->params.lookback_hours);
	add_text(v, HINT_DIM, sb_str(&line));
	add_sections(v);
	sb_free(&sb);
	sb_free(&sb2);
	sb_free(&line);
}

static void view_free(struct view *v)
{
	for (size_t i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	free(v->lines);
	table_free(&v->table);
	memset(v, 0, sizeof(*v));
}

int view_push(struct app *a, enum view_kind kind, const char *key)
{
	if (!a->ctx->w) {
		snprintf(a->status, sizeof(a->status), " the history is still loading: a moment");
		return CARRY_ENOTFOUND;
	}
	if (a->nviews == MAX_VIEWS) {
		snprintf(a->status, sizeof(a->status), " %d views deep: Esc goes back", MAX_VIEWS);
		return CARRY_ENOTFOUND;
	}
	struct view *v = &a->views[a->nviews];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	snprintf(v->key, sizeof(v->key), "%s", key);
	int rc = kind == VIEW_COMMIT ? commit_table(a->ctx->w, &a->params, key, &v->table)
	       : kind == VIEW_PERSON ? person_table(a->ctx->w, &a->params, key, &v->table)
	       : triage_table(a->ctx->w, &a->params, key, &v->table);
	if (rc < 0) {
		snprintf(a->status, sizeof(a->status), " %s", carry_error_last());
		view_free(v);
		return rc;
	}
	if (kind == VIEW_COMMIT)
		snprintf(v->key, sizeof(v->key), "%s", table_at(&v->table, 0, 1)->s);  /* the full id */
	a->nviews++;
	if (kind == VIEW_COMMIT)
		commit_lines(a, v);
	else if (kind == VIEW_PERSON)
		person_lines(v);
	else
		triage_lines(a, v);
	/* Start on the first row that opens something, else the top. */
	for (size_t i = 0; i < v->nlines; i++)
		if (v->lines[i].kind == LINE_ROW && view_sections[v->lines[i].section].open != OPEN_NOTHING) {
			v->cursor = i;
			break;
		}
	return 0;
}

void view_pop(struct app *a)
{
	if (a->nviews)
		view_free(&a->views[--a->nviews]);
}

void views_clear(struct app *a)
{
	while (a->nviews)
		view_pop(a);
}

void view_open(struct app *a)
{
	struct view *v = &a->views[a->nviews - 1];
	if (!v->nlines || v->lines[v->cursor].kind != LINE_ROW)
		return;
	const struct view_line *l = &v->lines[v->cursor];
	enum open_what what = view_sections[l->section].open;
	const char *col = what == OPEN_COMMIT ? "commit" : what == OPEN_PERSON ? "email" : "path";
	int c = app_find_col(&v->table, col);
	if (what == OPEN_NOTHING || c < 0 || table_at(&v->table, l->row, (size_t)c)->null)
		return;
	char *key = xstrdup(table_at(&v->table, l->row, (size_t)c)->s);
	if (what == OPEN_PATH) {
		size_t node = SIZE_MAX;
		for (size_t i = 0; i < a->tree.n && node == SIZE_MAX; i++)
			if (!strcmp(a->tree.nodes[i].path, key))
				node = i;
		if (node == SIZE_MAX) {
			snprintf(a->status, sizeof(a->status), " %s is not a file of HEAD with lines", key);
		} else {
			views_clear(a);
			app_reveal(a, node);
		}
	} else {
		view_push(a, what == OPEN_COMMIT ? VIEW_COMMIT : VIEW_PERSON, key);
	}
	free(key);
}
