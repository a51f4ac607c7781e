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
		size_t n;
		struct suspect *sus = incident_suspects(w, p, in, NULL, &n);
		/* Ranked drive-bys first: the first says whether there is one. */
		out->incidents_after_drive_by += n && sus[0].drive_by;
		free(sus);
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

/* Drive-by commits: the drive-by changes (newest first, each commit's
 * together) gathered per commit. */
static void drive_by_commits(struct world *w, const struct analysis_params *p, struct table *t)
{
	table_init(t, commit_cols, sizeof(commit_cols) / sizeof(commit_cols[0]));
	size_t n;
	uint32_t *xs = drive_by_changes(w, p, "", &n);
	struct strbuf files = STRBUF_INIT, services = STRBUF_INIT, incidents = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct change *c = &w->changes[xs[i]];
		const struct commit *cm = &w->commits[c->commit];
		uint32_t svc = world_path(w, c->path)->service;
		struct table_cell *row;
		if (i == 0 || w->changes[xs[i - 1]].commit != c->commit) {
			row = table_add_row(t);
			cell_set_str(&row[0], cm->oid);
			cell_set_int(&row[1], cm->time);
			cell_set_str(&row[2], cm->name);
			cell_set_str(&row[3], cm->email);
			cell_set_int(&row[4], 0);
			cell_set_int(&row[5], 0);
			cell_set_int(&row[6], cm->ai);
			cell_set_int(&row[7], person_gone(&w->people[cm->person], p->at, p->gone_days));
			cell_set_str(&row[11], cm->subject);
			sb_reset(&files);
			sb_reset(&services);
			sb_reset(&incidents);
		}
		row = table_at(t, t->nrows - 1, 0);
		row[4].i += c->added;
		row[5].i += c->deleted;
		list_add_once(&files, strmap_key(&w->paths, c->path));
		if (svc != NONE)
			list_add_once(&services, w->services[svc].name);
		incidents_after(w, svc, cm->time, &incidents);
		if (i + 1 == n || w->changes[xs[i + 1]].commit != c->commit) {
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
	free(xs);
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
		size_t n;
		int64_t drive = 0;
		struct suspect *sus = incident_suspects(w, p, in, NULL, &n);
		if (n) {
			const struct commit *top = &w->commits[sus[0].commit];
			cell_set_str(&row[8], top->oid);
			cell_set_str(&row[9], top->name);
			cell_set_str(&row[10], top->email);
		}
		for (size_t k = 0; k < n; k++)
			drive += sus[k].drive_by;
		free(sus);
		cell_set_int(&row[6], (int64_t)n);
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
