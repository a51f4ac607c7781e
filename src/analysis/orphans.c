/*
 * Orphaned code (DESIGN.md "Orphaned code").  A file is orphaned when
 *   authors_gone: at least gone_share% of its non-bot surviving lines are
 *                 by people gone at `at` (a file with no such lines is not);
 *   no_pager:     no service covers it, its service has no rotation, or the
 *                 rotation has no shift overlapping [at, at + 14 days).
 * A directory's orphan share is the line-weighted share of orphaned files
 * beneath it.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "world.h"

unsigned file_orphaned(struct world *w, size_t f, const struct analysis_params *p, int64_t at,
                       int64_t lines[2])
{
	const struct file *fi = &w->files[f];
	int64_t people = 0, gone = 0;
	for (uint32_t k = 0; k < fi->nauthors; k++) {
		const struct file_author *a = &w->file_authors[fi->first_author + k];
		const struct person *pe = &w->people[a->person];
		if (pe->bot)
			continue;
		people += a->lines;
		if (person_gone(pe, at, p->gone_days))
			gone += a->lines;
	}
	lines[0] = people;
	lines[1] = gone;
	unsigned reasons = 0;
	if (people && gone * 100 >= (int64_t)p->gone_share * people)
		reasons |= ORPHAN_AUTHORS_GONE;
	const struct rotation *r = world_rotation_of(w, fi->path);
	/* The next 14 days, [at, at + 14 days). */
	if (!r || !rotation_has_shift(r, at, at + 14 * DAY - 1, ANY_PERSON))
		reasons |= ORPHAN_NO_PAGER;
	return reasons;
}

static void set_reasons(struct table_cell *c, unsigned reasons)
{
	if (reasons == (ORPHAN_AUTHORS_GONE | ORPHAN_NO_PAGER))
		cell_set_str(c, "authors_gone\nno_pager");
	else if (reasons == ORPHAN_AUTHORS_GONE)
		cell_set_str(c, "authors_gone");
	else if (reasons == ORPHAN_NO_PAGER)
		cell_set_str(c, "no_pager");
	else
		cell_set_str(c, "");
}

static const struct table_col orphan_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "lines", "LINES", COL_INT, true },
	{ "gone_share", "GONE", COL_PCT, true },
	{ "reasons", "REASONS", COL_LIST, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "orphaned_lines", "ORPHANED", COL_INT, true },
	{ "orphan_share", "SHARE", COL_PCT, true },
};
enum { O_PATH, O_LINES, O_GONE, O_REASONS, O_SERVICE, O_ORPHANED, O_SHARE, O_NCOLS };

struct dir_sum {
	int64_t lines, orphaned, people, gone;
	unsigned reasons;
};

/* Adds a file's figures to every directory from its parent up to `top`. */
static void add_to_dirs(struct strmap *dirs, struct dir_sum **sums, size_t *cap, const char *path,
                        const char *top, const struct dir_sum *add)
{
	size_t toplen = strlen(top);
	const char *slash = strrchr(path, '/');
	for (size_t len = slash ? (size_t)(slash - path) : 0;;) {
		if (len < toplen)
			break;
		uint32_t d = strmap_intern(dirs, path, len);
		size_t old = *cap;
		xgrow(sums, cap, dirs->count, sizeof(**sums));
		memset(*sums + old, 0, (*cap - old) * sizeof(**sums));
		struct dir_sum *s = &(*sums)[d];
		s->lines += add->lines;
		s->orphaned += add->orphaned;
		s->people += add->people;
		s->gone += add->gone;
		s->reasons |= add->reasons;
		if (!len)
			break;
		while (len > 0 && path[--len] != '/')
			;
	}
}

int orphans_table(struct world *w, const struct analysis_params *p, const char *path, bool dirs,
                  struct table *out)
{
	table_init(out, orphan_cols, dirs ? O_NCOLS : O_SERVICE + 1);
	struct strmap dmap = { 0 };
	struct dir_sum *sums = NULL;
	size_t cap = 0;
	for (size_t f = 0; f < w->nfiles; f++) {
		const char *fpath = strmap_key(&w->paths, w->files[f].path);
		if (!path_within(fpath, path))
			continue;
		int64_t lines[2];
		unsigned reasons = file_orphaned(w, f, p, p->at, lines);
		if (dirs) {
			struct dir_sum add = { w->files[f].lines, reasons ? w->files[f].lines : 0, lines[0],
			                       lines[1], reasons };
			add_to_dirs(&dmap, &sums, &cap, fpath, strcmp(fpath, path) == 0 ? "" : path, &add);
			continue;
		}
		if (!reasons)
			continue;
		struct table_cell *row = table_add_row(out);
		uint32_t svc = world_path(w, w->files[f].path)->service;
		cell_set_str(&row[O_PATH], fpath);
		cell_set_int(&row[O_LINES], w->files[f].lines);
		cell_set_int(&row[O_GONE], per_mille(lines[1], lines[0]));
		set_reasons(&row[O_REASONS], reasons);
		if (svc != NONE)
			cell_set_str(&row[O_SERVICE], w->services[svc].name);
	}
	if (dirs) {
		char **names = xmalloc((dmap.count + 1) * sizeof(*names));
		for (size_t d = 0; d < dmap.count; d++)
			names[d] = dmap.keys[d];
		qsort(names, dmap.count, sizeof(*names), path_order);
		for (size_t i = 0; i < dmap.count; i++) {
			const struct dir_sum *s = &sums[strmap_find(&dmap, names[i], strlen(names[i]))];
			if (!s->orphaned)
				continue;
			struct table_cell *row = table_add_row(out);
			uint32_t svc = world_path(w, world_path_id(w, names[i]))->service;
			cell_set_str(&row[O_PATH], names[i][0] ? names[i] : ".");
			cell_set_int(&row[O_LINES], s->lines);
			cell_set_int(&row[O_GONE], per_mille(s->gone, s->people));
			set_reasons(&row[O_REASONS], s->reasons);
			if (svc != NONE)
				cell_set_str(&row[O_SERVICE], w->services[svc].name);
			cell_set_int(&row[O_ORPHANED], s->orphaned);
			cell_set_int(&row[O_SHARE], per_mille(s->orphaned, s->lines));
		}
		free(names);
	}
	free(sums);
	strmap_free(&dmap);
	return 0;
}
