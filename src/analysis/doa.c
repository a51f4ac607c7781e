/*
 * Degree of authorship and truck factor (DESIGN.md): DOA(d, f) = 3.293 +
 * 1.098·FA + 0.164·DL − 0.321·ln(1 + AC), after Fritz et al. with the
 * coefficients of Avelino et al. (2016), "A novel approach for estimating
 * truck factors".
 *
 * A file's history is followed back through renames: the changes are
 * replayed parents first, and a rename carries the file's record (its
 * creator and who changed it how often) to the new path; a deletion ends
 * it.  Bots take no part: their changes count neither for them nor as
 * "others' changes" (DESIGN.md excludes bots from ownership metrics).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "world.h"

struct tally {
	uint32_t person, changes;
};

struct record {
	uint32_t creator;  /* NONE: created before the history, or by a bot */
	struct tally *t;
	size_t n, cap;
};

static void count_change(struct record *r, uint32_t person)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->t[i].person == person) {
			r->t[i].changes++;
			return;
		}
	xgrow(&r->t, &r->cap, r->n + 1, sizeof(*r->t));
	r->t[r->n++] = (struct tally){ person, 1 };
}

static uint32_t new_record(struct record **recs, size_t *n, size_t *cap)
{
	xgrow(recs, cap, *n + 1, sizeof(**recs));
	(*recs)[*n] = (struct record){ NONE, NULL, 0, 0 };
	return (uint32_t)(*n)++;
}

static double doa_value(int fa, uint32_t dl, uint32_t ac)
{
	return 3.293 + 1.098 * fa + 0.164 * dl - 0.321 * log(1.0 + ac);
}

void world_index_doa(struct world *w)
{
	if (w->doa_first)
		return;
	assert((w->parts & (WORLD_CHANGES | WORLD_FILES)) == (WORLD_CHANGES | WORLD_FILES));
	size_t npaths = w->paths.count;
	uint32_t *rec_of = xmalloc((npaths + 1) * sizeof(*rec_of));
	for (size_t i = 0; i < npaths; i++)
		rec_of[i] = NONE;
	struct record *recs = NULL;
	size_t nrecs = 0, rcap = 0;
	for (size_t x = 0; x < w->nchanges; x++) {
		const struct change *c = &w->changes[x];
		uint32_t person = w->commits[c->commit].person;
		bool bot = w->people[person].bot;
		uint32_t r;
		switch (c->status) {
		case 'D':
			rec_of[c->path] = NONE;
			continue;
		case 'A':
			r = rec_of[c->path] = new_record(&recs, &nrecs, &rcap);
			if (!bot)
				recs[r].creator = person;
			break;
		case 'R':
			r = c->old_path != NONE ? rec_of[c->old_path] : NONE;
			if (c->old_path != NONE)
				rec_of[c->old_path] = NONE;
			if (r == NONE)
				r = new_record(&recs, &nrecs, &rcap);
			rec_of[c->path] = r;
			break;
		default:
			r = rec_of[c->path];
			if (r == NONE)
				r = rec_of[c->path] = new_record(&recs, &nrecs, &rcap);
		}
		if (!bot)
			count_change(&recs[r], person);
	}

	w->doa_first = xcalloc(w->nfiles + 1, sizeof(*w->doa_first));
	w->doa_n = xcalloc(w->nfiles + 1, sizeof(*w->doa_n));
	size_t cap = 0, used = 0;
	double *doa = NULL;
	size_t dcap = 0;
	for (size_t f = 0; f < w->nfiles; f++) {
		uint32_t path = w->files[f].path;
		uint32_t ri = path < npaths ? rec_of[path] : NONE;
		w->doa_first[f] = (uint32_t)used;
		if (ri == NONE)
			continue;
		const struct record *r = &recs[ri];
		uint32_t total = 0;
		for (size_t i = 0; i < r->n; i++)
			total += r->t[i].changes;
		xgrow(&doa, &dcap, r->n + 1, sizeof(*doa));
		double max = 0;
		for (size_t i = 0; i < r->n; i++) {
			doa[i] = doa_value(r->t[i].person == r->creator, r->t[i].changes,
			                   total - r->t[i].changes);
			if (doa[i] > max)
				max = doa[i];
		}
		for (size_t i = 0; i < r->n; i++)
			if (doa[i] >= 3.293 && doa[i] / max > 0.75) {
				xgrow(&w->doa_people, &cap, used + 1, sizeof(*w->doa_people));
				w->doa_people[used++] = r->t[i].person;
			}
		w->doa_n[f] = (uint32_t)(used - w->doa_first[f]);
	}
	free(doa);
	for (size_t i = 0; i < nrecs; i++)
		free(recs[i].t);
	free(recs);
	free(rec_of);
}

struct ranked {
	uint32_t person, files;
	const char *name;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->files != y->files)
		return x->files < y->files ? 1 : -1;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->person > y->person) - (x->person < y->person);
}

int truck_factor(struct world *w, const uint32_t *files, size_t nfiles, const bool *member)
{
	world_index_doa(w);
	uint32_t *authored = xcalloc(w->npeople + 1, sizeof(*authored));
	uint32_t *left = xcalloc(nfiles + 1, sizeof(*left)); /* authors a file has left */
	size_t covered = 0;
	for (size_t i = 0; i < nfiles; i++) {
		uint32_t f = files[i];
		for (uint32_t k = 0; k < w->doa_n[f]; k++) {
			uint32_t p = w->doa_people[w->doa_first[f] + k];
			if (member && !member[p])
				continue;
			authored[p]++;
			left[i]++;
		}
		covered += left[i] > 0;
	}
	struct ranked *rank = xmalloc((w->npeople + 1) * sizeof(*rank));
	size_t nrank = 0;
	for (size_t p = 0; p < w->npeople; p++)
		if (authored[p])
			rank[nrank++] = (struct ranked){ (uint32_t)p, authored[p], w->people[p].name };
	qsort(rank, nrank, sizeof(*rank), cmp_ranked);
	/* Remove the top author (most files) until fewer than half the files
	 * have an author left. */
	int tf = 0;
	for (size_t r = 0; r < nrank && nfiles && covered * 2 >= nfiles; r++) {
		uint32_t p = rank[r].person;
		tf++;
		for (size_t i = 0; i < nfiles; i++) {
			uint32_t f = files[i];
			for (uint32_t k = 0; k < w->doa_n[f]; k++)
				if (w->doa_people[w->doa_first[f] + k] == p && --left[i] == 0)
					covered--;
		}
	}
	free(rank);
	free(left);
	free(authored);
	return tf;
}
