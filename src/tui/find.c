/*
 * Finding things: the prompt line, search over paths and people (/, n,
 * N), the pane's filter by team or person (f) and sort (s), and the
 * tree's badges for the window.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/ascii.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "carry/strmap.h"
#include "app.h"

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return true;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && ascii_lower(hay[i]) == ascii_lower(needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

void utf8_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;  /* src[len] would start the cut character: drop it whole */
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---- the pane's rows: filtered, then sorted ---- */

/* What "team or person" matches: people's names and emails, teams, and
 * services (incidents and orphans name a service, not a team). */
static const char *const filtered_keys[] = { "name", "email", "team", "next_name", "next_email",
                                             "service" };

static bool row_passes(const struct table *t, size_t r, const char *filter)
{
	if (!filter[0])
		return true;
	for (size_t k = 0; k < sizeof(filtered_keys) / sizeof(filtered_keys[0]); k++) {
		int c = app_find_col(t, filtered_keys[k]);
		if (c >= 0 && !table_at(t, r, (size_t)c)->null && contains_ci(table_at(t, r, (size_t)c)->s, filter))
			return true;
	}
	return false;
}

static const struct table *sort_table;
static int sort_col;

/* Numbers and times largest first, text in byte order; ties keep the
 * analysis' order. */
static int cmp_rows(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct table_cell *x = table_at(sort_table, a, (size_t)sort_col);
	const struct table_cell *y = table_at(sort_table, b, (size_t)sort_col);
	int c = 0;
	if (x->null != y->null)
		c = x->null ? 1 : -1;
	else if (!x->null && (sort_table->cols[sort_col].type == COL_STR ||
	                      sort_table->cols[sort_col].type == COL_LIST))
		c = strcmp(x->s, y->s);
	else if (!x->null)
		c = x->i == y->i ? 0 : x->i < y->i ? 1 : -1;
	return c ? c : (a > b) - (a < b);
}

void pane_rows(struct app *a)
{
	free(a->rows);
	a->rows = xmalloc((a->table.nrows + 1) * sizeof(*a->rows));
	a->nrows = 0;
	for (size_t r = 0; r < a->table.nrows; r++)
		if (row_passes(&a->table, r, a->filter))
			a->rows[a->nrows++] = r;
	sort_col = a->sort ? app_find_col(&a->table, panes[a->pane].cols[a->sort - 1].key) : -1;
	if (sort_col >= 0 && a->nrows) {
		sort_table = &a->table;
		qsort(a->rows, a->nrows, sizeof(*a->rows), cmp_rows);
	}
	if (a->prow >= a->nrows)
		a->prow = a->nrows ? a->nrows - 1 : 0;
	if (!a->nrows && a->focus == FOCUS_PANE)
		a->focus = FOCUS_TREE;
}

/* ---- search ---- */

void search_free(struct app *a)
{
	for (size_t i = 0; i < a->nmatches; i++)
		free(a->matches[i].email);
	free(a->matches);
	a->matches = NULL;
	a->nmatches = a->match = 0;
}

static void add_match(struct app *a, size_t *cap, size_t node, const char *email)
{
	xgrow(&a->matches, cap, a->nmatches + 1, sizeof(*a->matches));
	a->matches[a->nmatches++] = (struct match){ node, email ? xstrdup(email) : NULL };
}

/* Paths (in tree order) whose path contains the query, then people whose
 * name or any email does. */
void search_run(struct app *a)
{
	size_t cap = 0;
	search_free(a);
	if (!a->query[0])
		return;
	for (size_t i = 1; i < a->tree.n; i++)
		if (contains_ci(a->tree.nodes[i].path, a->query))
			add_match(a, &cap, i, NULL);
	struct table people;
	if (store_people(a->ctx->st, &people) == 0) {
		int name = app_find_col(&people, "name"), emails = app_find_col(&people, "emails");
		for (size_t r = 0; r < people.nrows; r++) {
			const struct table_cell *n = table_at(&people, r, (size_t)name);
			const struct table_cell *e = table_at(&people, r, (size_t)emails);
			if (e->null || !e->s[0])
				continue;
			if ((!n->null && contains_ci(n->s, a->query)) || contains_ci(e->s, a->query)) {
				size_t len = strcspn(e->s, "\n");
				char *first = xstrndup(e->s, len);
				add_match(a, &cap, SIZE_MAX, first);
				free(first);
			}
		}
	}
	table_free(&people);
	/* Start from the first path at or after the cursor. */
	a->match = 0;
	size_t here = a->visible[a->cursor];
	for (size_t i = 0; i < a->nmatches; i++)
		if (a->matches[i].node != SIZE_MAX && a->matches[i].node >= here) {
			a->match = i;
			break;
		}
}

static void show_match(struct app *a)
{
	const struct match *m = &a->matches[a->match];
	views_clear(a);
	if (m->node != SIZE_MAX)
		app_reveal(a, m->node);
	else
		view_push(a, VIEW_PERSON, m->email);
	snprintf(a->status, sizeof(a->status), " /%s: match %zu of %zu (n next, N previous)", a->query,
	         a->match + 1, a->nmatches);
}

void search_step(struct app *a, int direction)
{
	if (!a->nmatches) {
		snprintf(a->status, sizeof(a->status), a->query[0] ? " /%s: no path or person matches"
		         : " no search yet: / searches paths and people", a->query);
		return;
	}
	a->match = (a->match + a->nmatches + (size_t)(direction > 0 ? 1 : a->nmatches - 1)) % a->nmatches;
	show_match(a);
}

/* ---- the prompt ---- */

unsigned prompt_key(struct app *a, int key)
{
	size_t len = strlen(a->input);
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		enum prompt p = a->prompt;
		a->prompt = PROMPT_NONE;
		if (p == PROMPT_FILTER) {
			utf8_copy(a->filter, sizeof(a->filter), a->input);
			a->prow = a->ptop = 0;
			pane_rows(a);
			return REDRAW;
		}
		snprintf(a->query, sizeof(a->query), "%s", a->input);
		search_run(a);
		if (!a->nmatches) {
			search_step(a, 1);
			return REDRAW;
		}
		show_match(a);
		return RELOAD;
	}
	if (key == 27) {
		a->prompt = PROMPT_NONE;
		return REDRAW;
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		/* One character: back over UTF-8 continuation bytes. */
		while (len && ((unsigned char)a->input[len - 1] & 0xc0) == 0x80)
			len--;
		a->input[len ? len - 1 : 0] = '\0';
		return REDRAW;
	}
	if (key >= 0x20 && key <= 0xff && key != 0x7f && len + 1 < sizeof(a->input)) {
		a->input[len] = (char)key;
		a->input[len + 1] = '\0';
	}
	return REDRAW;
}

/* ---- the tree's badges ---- */

/* Rows of a table keyed by "path" onto tree nodes, calling set for each. */
static void onto_tree(struct app *a, const struct table *t,
                      void (*set)(struct tree_node *n, const struct table *t, size_t r))
{
	struct strmap ids = { 0 };
	for (size_t i = 0; i < a->tree.n; i++)
		strmap_intern(&ids, a->tree.nodes[i].path, strlen(a->tree.nodes[i].path));
	int cp = app_find_col(t, "path");
	for (size_t r = 0; r < t->nrows; r++) {
		const char *path = table_at(t, r, (size_t)cp)->s;
		uint32_t id = strmap_find(&ids, path, strlen(path));
		if (id != STRMAP_NONE && id < a->tree.n)
			set(&a->tree.nodes[id], t, r);
	}
	strmap_free(&ids);
}

static const struct table_cell *at(const struct table *t, size_t r, const char *key)
{
	return table_at(t, r, (size_t)app_find_col(t, key));
}

static void set_badges(struct tree_node *n, const struct table *t, size_t r)
{
	n->orphan_share = (int)at(t, r, "orphan_share")->i;
	n->changed = at(t, r, "changed")->i;
	n->pager_gap = at(t, r, "pager_gap")->null ? -1 : (int)at(t, r, "pager_gap")->i;
}

static void set_team(struct tree_node *n, const struct table *t, size_t r)
{
	const struct table_cell *team = at(t, r, "team");
	utf8_copy(n->team, sizeof(n->team), team->null ? "" : team->s);
}

void badges_load(struct app *a)
{
	struct table t;
	if (!a->ctx->w)
		return;
	if (!a->teams && path_teams_table(a->ctx->w, &t) == 0)
		onto_tree(a, &t, set_team);  /* teams do not change with the window */
	if (!a->teams)
		table_free(&t);
	a->teams = true;
	if (path_badges_table(a->ctx->w, &a->params, &t) == 0)
		onto_tree(a, &t, set_badges);
	table_free(&t);
	a->badges = true;
}

void badges_clear(struct app *a)
{
	for (size_t i = 0; i < a->tree.n; i++)
		a->tree.nodes[i].orphan_share = a->tree.nodes[i].pager_gap = -1;
	a->badges = false;
}
