/*
 * The weekly report: what a team lead pastes into a wiki or an issue.
 * Headline numbers with the period before, drive-by commits, newly
 * orphaned files, pager gap per service, incidents with their suspects,
 * pager load against authorship per person.  Each section is a table; the
 * CLI renders them (JSON: one array, each row with its "section").
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

static struct table *add_section(struct report *r, const char *key, const char *title)
{
	r->sections = xrealloc(r->sections, (r->n + 1) * sizeof(*r->sections));
	struct report_section *s = &r->sections[r->n++];
	s->key = key;
	s->title = title;
	memset(&s->table, 0, sizeof(s->table));
	return &s->table;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->n; i++)
		table_free(&r->sections[i].table);
	free(r->sections);
	memset(r, 0, sizeof(*r));
}

/* What the headline counts, for one period. */
struct period {
	int64_t commits, changed, drive_by_commits, ai_drive_by_commits, gap_lines, incidents,
	    incidents_after_drive_by, orphaned_lines;
};

static void count_period(struct world *w, const struct analysis_params *p, struct period *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t ci = 0; ci < w->ncommits; ci++) {
		const struct commit *cm = &w->commits[ci];
		if (cm->merge || cm->time < p->since || cm->time > p->until)
			continue;
		out->commits++;
		bool drive_by = false;
		for (uint32_t k = 0; k < cm->nchanges; k++) {
			uint32_t x = cm->first_change + k;
			int64_t lines = (int64_t)w->changes[x].added + w->changes[x].deleted;
			out->changed += lines;
			if (change_in_gap(w, x))
				out->gap_lines += lines;
			drive_by |= change_is_drive_by(w, x, p);
		}
		out->drive_by_commits += drive_by;
		out->ai_drive_by_commits += drive_by && cm->ai;
	}
	for (size_t i = 0; i < w->nincidents; i++) {
		const struct incident_rec *in = &w->incidents[i];
		if (in->started < p->since || in->started > p->until)
			continue;
		out->incidents++;
		struct analysis_params q = *p;
		q.at = in->started;
		struct table t;
		if (triage_table(w, &q, in->id, &t) == 0)
			for (size_t r = 0; r < t.nrows; r++)
				if (table_at(&t, r, 7)->i && !strcmp(table_at(&t, r, 0)->s, "suspect")) {
					out->incidents_after_drive_by++;
					break;
				}
		table_free(&t);
	}
	for (size_t f = 0; f < w->nfiles; f++) {
		int64_t lines[2];
		if (file_orphaned(w, f, p, p->until < p->at ? p->until : p->at, lines))
			out->orphaned_lines += w->files[f].lines;
	}
}

static const struct table_col headline_cols[] = {
	{ "metric", "METRIC", COL_STR, false },
	{ "value", "NOW", COL_INT, true },
	{ "previous", "BEFORE", COL_INT, true },
	{ "change", "CHANGE", COL_INT, true },
};

static void headline(struct world *w, const struct analysis_params *p, struct table *t)
{
	table_init(t, headline_cols, 4);
	struct analysis_params before = *p;
	before.until = p->since - 1;
	before.since = p->since - (p->until - p->since) - 1;
	before.at = p->since;
	struct period now, then;
	count_period(w, p, &now);
	count_period(w, &before, &then);
	struct { const char *metric; int64_t a, b; } rows[] = {
		{ "commits", now.commits, then.commits },
		{ "changed_lines", now.changed, then.changed },
		{ "drive_by_commits", now.drive_by_commits, then.drive_by_commits },
		{ "ai_assisted_drive_by_commits", now.ai_drive_by_commits, then.ai_drive_by_commits },
		{ "pager_gap_permille", per_mille(now.gap_lines, now.changed),
		  per_mille(then.gap_lines, then.changed) },
		{ "orphaned_lines", now.orphaned_lines, then.orphaned_lines },
		{ "incidents", now.incidents, then.incidents },
		{ "incidents_after_drive_by", now.incidents_after_drive_by, then.incidents_after_drive_by },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct table_cell *row = table_add_row(t);
		cell_set_str(&row[0], rows[i].metric);
		cell_set_int(&row[1], rows[i].a);
		cell_set_int(&row[2], rows[i].b);
		cell_set_int(&row[3], rows[i].a - rows[i].b);
	}
}

static const struct table_col commit_cols[] = {
	{ "commit", "COMMIT", COL_STR, false },
	{ "time", "TIME", COL_TIME, false },
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "added", "+", COL_INT, true },
	{ "deleted", "-", COL_INT, true },
	{ "ai_assisted", "AI", COL_BOOL, false },
	{ "author_gone", "GONE", COL_BOOL, false },
	{ "files", "FILES", COL_LIST, false },
	{ "services", "SERVICES", COL_LIST, false },
	{ "incidents", "INCIDENTS AFTER", COL_LIST, false },
	{ "subject", "SUBJECT", COL_STR, false },
};

static void add_line(struct strbuf *sb, const char *item)
{
	/* A list without repeats: items are few. */
	size_t n = strlen(item);
	for (const char *at = sb->len ? sb->ptr : NULL; at; at = strchr(at, '\n')) {
		at += *at == '\n';
		if (!strncmp(at, item, n) && (at[n] == '\n' || at[n] == '\0'))
			return;
	}
	sb_addf(sb, "%s%s", sb->len ? "\n" : "", item);
}

/* Drive-by commits: the drive-by changes grouped by commit. */
static void drive_by_commits(struct world *w, const struct analysis_params *p, struct table *t)
{
	table_init(t, commit_cols, sizeof(commit_cols) / sizeof(commit_cols[0]));
	struct table x;
	drivebys_table(w, p, "", &x);
	struct strbuf files = STRBUF_INIT, services = STRBUF_INIT, incidents = STRBUF_INIT;
	for (size_t r = 0; r < x.nrows; r++) {
		bool first = r == 0 || strcmp(table_at(&x, r, 0)->s, table_at(&x, r - 1, 0)->s) != 0;
		struct table_cell *row;
		if (first) {
			row = table_add_row(t);
			cell_set_str(&row[0], table_at(&x, r, 0)->s);
			cell_set_int(&row[1], table_at(&x, r, 4)->i);
			cell_set_str(&row[2], table_at(&x, r, 2)->s);
			cell_set_str(&row[3], table_at(&x, r, 3)->s);
			cell_set_int(&row[4], 0);
			cell_set_int(&row[5], 0);
			cell_set_int(&row[6], table_at(&x, r, 7)->i);
			cell_set_int(&row[7], table_at(&x, r, 8)->i);
			cell_set_str(&row[11], table_at(&x, r, 12)->s);
			sb_reset(&files);
			sb_reset(&services);
			sb_reset(&incidents);
		}
		row = table_at(t, t->nrows - 1, 0);
		row[4].i += table_at(&x, r, 5)->i;
		row[5].i += table_at(&x, r, 6)->i;
		add_line(&files, table_at(&x, r, 1)->s);
		if (!table_at(&x, r, 9)->null)
			add_line(&services, table_at(&x, r, 9)->s);
		for (char *s = table_at(&x, r, 11)->null ? NULL : table_at(&x, r, 11)->s; s && *s;) {
			char *nl = strchr(s, '\n');
			struct strbuf one = STRBUF_INIT;
			sb_add(&one, s, nl ? (size_t)(nl - s) : strlen(s));
			add_line(&incidents, one.ptr);
			sb_free(&one);
			s = nl ? nl + 1 : NULL;
		}
		bool last = r + 1 == x.nrows || strcmp(table_at(&x, r, 0)->s, table_at(&x, r + 1, 0)->s) != 0;
		if (last) {
			cell_set_str(&row[8], files.ptr);
			if (services.len)
				cell_set_str(&row[9], services.ptr);
			if (incidents.len)
				cell_set_str(&row[10], incidents.ptr);
		}
	}
	sb_free(&files);
	sb_free(&services);
	sb_free(&incidents);
	table_free(&x);
}

/* Files orphaned at the end of the period (or now, when that is earlier)
 * that were not at its start. */
static void newly_orphaned(struct world *w, const struct analysis_params *p, struct table *t)
{
	struct analysis_params end = *p;
	end.at = p->until < p->at ? p->until : p->at;
	struct table all;
	orphans_table(w, &end, "", false, &all);
	table_init(t, all.cols, all.ncols);
	size_t f = 0;
	for (size_t r = 0; r < all.nrows; r++) {
		/* Both are in file order. */
		const char *path = table_at(&all, r, 0)->s;
		while (f < w->nfiles && strcmp(strmap_key(&w->paths, w->files[f].path), path) != 0)
			f++;
		int64_t lines[2];
		if (f == w->nfiles || file_orphaned(w, f, p, p->since, lines))
			continue;
		struct table_cell *row = table_add_row(t);
		for (size_t c = 0; c < all.ncols; c++) {
			const struct table_cell *src = table_at(&all, r, c);
			if (!src->null && (all.cols[c].type == COL_STR || all.cols[c].type == COL_LIST))
				cell_set_str(&row[c], src->s);
			else if (!src->null)
				cell_set_int(&row[c], src->i);
		}
	}
	table_free(&all);
}

static const struct table_col incident_cols[] = {
	{ "incident", "INCIDENT", COL_STR, false },
	{ "title", "TITLE", COL_STR, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "severity", "SEV", COL_STR, false },
	{ "started_at", "STARTED", COL_TIME, false },
	{ "status", "STATUS", COL_STR, false },
	{ "suspects", "SUSPECTS", COL_INT, true },
	{ "drive_by_suspects", "DRIVE-BYS", COL_INT, true },
	{ "commit", "TOP SUSPECT", COL_STR, false },
	{ "name", "BY", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
};

static void incidents(struct world *w, const struct analysis_params *p, struct table *t)
{
	table_init(t, incident_cols, sizeof(incident_cols) / sizeof(incident_cols[0]));
	for (size_t i = w->nincidents; i-- > 0;) {
		const struct incident_rec *in = &w->incidents[i];
		if (in->started < p->since || in->started > p->until)
			continue;
		struct table_cell *row = table_add_row(t);
		cell_set_str(&row[0], in->id);
		cell_set_str(&row[1], in->title);
		if (in->service != NONE)
			cell_set_str(&row[2], w->services[in->service].name);
		cell_set_str(&row[3], in->severity);
		cell_set_int(&row[4], in->started);
		cell_set_str(&row[5], in->status);
		struct table tr;
		int64_t n = 0, drive = 0;
		if (triage_table(w, p, in->id, &tr) == 0)
			for (size_t r = 0; r < tr.nrows; r++) {
				if (strcmp(table_at(&tr, r, 0)->s, "suspect") != 0)
					continue;
				if (!n++) {
					cell_set_str(&row[8], table_at(&tr, r, 2)->s);
					cell_set_str(&row[9], table_at(&tr, r, 4)->s);
					cell_set_str(&row[10], table_at(&tr, r, 5)->s);
				}
				drive += table_at(&tr, r, 7)->i;
			}
		table_free(&tr);
		row = table_at(t, t->nrows - 1, 0);
		cell_set_int(&row[6], n);
		cell_set_int(&row[7], drive);
	}
}

int report_build(struct world *w, const struct analysis_params *p, struct report *out)
{
	memset(out, 0, sizeof(*out));
	headline(w, p, add_section(out, "headline", "Headline (this period against the one before)"));
	drive_by_commits(w, p, add_section(out, "drive_bys", "Drive-by commits"));
	newly_orphaned(w, p, add_section(out, "newly_orphaned", "Newly orphaned files"));
	services_table(w, p, add_section(out, "services", "Pager gap and health by service"));
	teams_table(w, p, add_section(out, "teams", "Pager gap by team"));
	incidents(w, p, add_section(out, "incidents", "Incidents and their top suspects"));
	people_table(w, p, add_section(out, "people", "Pager load against authorship"));
	return 0;
}
