/*
 * The people view ("who pushes vs who carries"): per person, what they
 * wrote (surviving lines, files they are a DOA author of, lines changed in
 * the window and the services they changed) against what they carry the
 * pager for (hours on call in the window, the services of those
 * rotations), and the gap: their changed lines on paths whose rotation
 * they were not on.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

static const struct table_col people_cols[] = {
	{ "name", "NAME", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "gone", "GONE", COL_BOOL, false },
	{ "lines", "LINES", COL_INT, true },
	{ "authored", "AUTHORED", COL_INT, true },
	{ "changed", "CHANGED", COL_INT, true },
	{ "gap_lines", "NOT CARRIED", COL_INT, true },
	{ "services_changed", "CHANGED SERVICES", COL_LIST, false },
	{ "on_call_hours", "ON CALL H", COL_INT, true },
	{ "services_carried", "CARRIES", COL_LIST, false },
};

struct load {
	int64_t lines, changed, gap, seconds;
	uint32_t authored;
	bool *wrote, *carried; /* by service */
};

static void service_list(const struct world *w, const bool *set, struct table_cell *cell)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t s = 0; s < w->nservices; s++)
		if (set[s])
			sb_addf(&sb, "%s%s", sb.len ? "\n" : "", w->services[s].name);
	if (sb.len)
		cell_set_str(cell, sb.ptr);
	sb_free(&sb);
}

/* Seconds of the shift within [since, until]. */
static int64_t overlap(const struct shift_rec *sh, int64_t since, int64_t until)
{
	int64_t a = sh->starts > since ? sh->starts : since;
	int64_t b = sh->ends < until ? sh->ends : until;
	return b > a ? b - a : 0;
}

static _Thread_local const struct world *order_world;  /* for qsort: per thread */
static _Thread_local const struct load *order_load;

/* Who changed most in the window first, then who wrote most, then by name. */
static int cmp_load(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct load *lx = &order_load[x], *ly = &order_load[y];
	if (lx->changed != ly->changed)
		return lx->changed < ly->changed ? 1 : -1;
	if (lx->lines != ly->lines)
		return lx->lines < ly->lines ? 1 : -1;
	int c = strcmp(order_world->people[x].name, order_world->people[y].name);
	return c ? c : (x > y) - (x < y);
}

int people_table(struct world *w, const struct analysis_params *p, struct table *out)
{
	table_init(out, people_cols, sizeof(people_cols) / sizeof(people_cols[0]));
	world_index_doa(w);
	size_t ns = w->nservices + 1;
	struct load *l = xcalloc(w->npeople + 1, sizeof(*l));
	bool *flags = xcalloc((w->npeople + 1) * ns * 2, sizeof(bool));
	for (size_t i = 0; i < w->npeople; i++) {
		l[i].wrote = flags + i * ns * 2;
		l[i].carried = l[i].wrote + ns;
	}
	for (size_t f = 0; f < w->nfiles; f++) {
		const struct file *fi = &w->files[f];
		for (uint32_t k = 0; k < fi->nauthors; k++)
			l[w->file_authors[fi->first_author + k].person].lines +=
			    w->file_authors[fi->first_author + k].lines;
		for (uint32_t k = 0; k < w->doa_n[f]; k++)
			l[w->doa_people[w->doa_first[f] + k]].authored++;
	}
	size_t nx;
	uint32_t *xs = changes_in(w, p->since, p->until, &nx);
	for (size_t i = 0; i < nx; i++) {
		const struct change *c = &w->changes[xs[i]];
		struct load *who = &l[w->commits[c->commit].person];
		uint32_t svc = world_path(w, c->path)->service;
		who->changed += (int64_t)c->added + c->deleted;
		if (change_in_gap(w, xs[i]))
			who->gap += (int64_t)c->added + c->deleted;
		if (svc != NONE)
			who->wrote[svc] = true;
	}
	free(xs);
	for (size_t s = 0; s < w->nservices; s++) {
		if (w->services[s].rotation == NONE)
			continue;
		const struct rotation *r = &w->rotations[w->services[s].rotation];
		for (size_t i = 0; i < r->nshifts; i++)
			if (overlap(&r->shifts[i], p->since, p->until))
				l[r->shifts[i].person].carried[s] = true;
	}
	/* Hours on call: each rotation's shifts once, even when two services
	 * share the rotation. */
	for (size_t r = 0; r < w->nrotations; r++)
		for (size_t i = 0; i < w->rotations[r].nshifts; i++)
			l[w->rotations[r].shifts[i].person].seconds +=
			    overlap(&w->rotations[r].shifts[i], p->since, p->until);
	uint32_t *order = xmalloc((w->npeople + 1) * sizeof(*order));
	size_t n = 0;
	for (size_t i = 0; i < w->npeople; i++)
		if (!w->people[i].bot && (l[i].changed || l[i].seconds || l[i].lines))
			order[n++] = (uint32_t)i;
	order_world = w;
	order_load = l;
	if (n)
		qsort(order, n, sizeof(*order), cmp_load);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		const struct person *pe = &w->people[i];
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[0], pe->name);
		cell_set_str(&row[1], pe->email);
		if (pe->team[0])
			cell_set_str(&row[2], pe->team);
		cell_set_int(&row[3], person_gone(pe, p->at, p->gone_days));
		cell_set_int(&row[4], l[i].lines);
		cell_set_int(&row[5], l[i].authored);
		cell_set_int(&row[6], l[i].changed);
		cell_set_int(&row[7], l[i].gap);
		service_list(w, l[i].wrote, &row[8]);
		cell_set_int(&row[9], l[i].seconds / 3600);
		service_list(w, l[i].carried, &row[10]);
	}
	free(order);
	free(flags);
	free(l);
	return 0;
}
