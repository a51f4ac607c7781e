/*
 * A merge's line sources (mergesrc.h).  Pass 1 looks, per parent, for a
 * rename source of just the files that need one, each on its own as git
 * blame does (renames.c): a subtree merge (redis merging hiredis) makes
 * hundreds of files "renamed" from the other parent's root, and the blobs
 * read for that are read once per merge and parent.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "blamediff.h"
#include "carry/mem.h"
#include "carry/sink.h"
#include "mergesrc.h"
#include "renames.h"

/* One file of the merge while it is being planned. */
struct pending {
	const git_diff_delta *delta;
	git_oid *oids;     /* per parent */
	char **from;       /* per parent: its path, NULL = not found */
	long whole;        /* parent taking it whole, -1 = none yet */
};

static bool same_path(git_tree *tree, const char *path, git_oid *oid)
{
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, tree, path) < 0) {
		git_error_clear();
		return false;
	}
	bool ok = mode_has_lines(git_tree_entry_filemode(e));
	if (ok)
		*oid = *git_tree_entry_id(e);
	git_tree_entry_free(e);
	return ok;
}

static bool needs_rename(const struct pending *f, size_t k)
{
	return f->whole < 0 && !f->from[k];
}

/* Pass 1 against parent k for every file still without a source there:
 * git blame's find_rename, for each file on its own. */
static int find_renames(git_repository *repo, git_odb *odb, git_tree **trees, size_t np, size_t k,
                        struct pending *files, size_t nfiles)
{
	size_t want = 0;
	for (size_t i = 0; i < nfiles; i++)
		want += needs_rename(&files[i], k);
	if (!want)
		return 0;
	git_diff *plain = NULL;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	if (git_diff_tree_to_tree(&plain, repo, trees[k], trees[np], &dopts) < 0)
		return -1;
	struct renames rn;
	renames_from_diff(&rn, odb, plain);
	for (size_t i = 0; i < nfiles; i++) {
		struct pending *f = &files[i];
		long d = needs_rename(f, k) ? renames_dst_at(&rn, f->delta->new_file.path) : -1;
		long s = d >= 0 ? renames_follow(&rn, (size_t)d) : -1;
		if (s >= 0) {
			f->from[k] = xstrdup(rn.src[s].path);
			f->oids[k] = rn.src[s].oid;
		}
	}
	renames_free(&rn);
	git_diff_free(plain);
	return 0;
}

static void plan_file(struct merge_plan *pl, const struct pending *f, size_t np)
{
	const git_diff_delta *d = f->delta;
	pl->path = xstrdup(d->new_file.path);
	pl->oid = d->new_file.id;
	pl->mode = d->new_file.mode;
	pl->src = xcalloc(np, sizeof(*pl->src));
	if (f->whole >= 0) {
		size_t k = (size_t)f->whole;
		pl->kind = MERGE_WHOLE;
		pl->src[0] = (struct merge_source){ k, xstrdup(f->from[k]), f->oids[k] };
		pl->nsrc = 1;
		return;
	}
	for (size_t k = 0; k < np; k++) {
		bool repeat = false;
		for (size_t j = 0; f->from[k] && j < k; j++)
			repeat |= f->from[j] && git_oid_equal(&f->oids[j], &f->oids[k]);
		if (f->from[k] && !repeat)
			pl->src[pl->nsrc++] = (struct merge_source){ k, xstrdup(f->from[k]), f->oids[k] };
	}
	pl->kind = pl->nsrc ? MERGE_PASS : MERGE_NEW;
}

int merge_plans(git_repository *repo, git_tree **trees, size_t np,
                struct merge_plan **out, size_t *n)
{
	git_diff *diff = NULL;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	*out = NULL;
	*n = 0;
	if (git_diff_tree_to_tree(&diff, repo, trees[0], trees[np], &dopts) < 0)
		return -1;
	size_t nd = git_diff_num_deltas(diff), nfiles = 0;
	struct merge_plan *plans = xcalloc(nd ? nd : 1, sizeof(*plans));
	struct pending *files = xcalloc(nd ? nd : 1, sizeof(*files));
	size_t nplans = 0;
	/* Pass 0: the same path in every parent. */
	for (size_t i = 0; i < nd; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED || !mode_has_lines(d->new_file.mode)) {
			plans[nplans].kind = MERGE_DROP;
			plans[nplans++].path = xstrdup(d->status == GIT_DELTA_DELETED ? d->old_file.path
			                                                               : d->new_file.path);
			continue;
		}
		struct pending *f = &files[nfiles++];
		*f = (struct pending){ .delta = d, .whole = -1 };
		f->oids = xcalloc(np, sizeof(*f->oids));
		f->from = xcalloc(np, sizeof(*f->from));
		for (size_t k = 0; k < np && f->whole < 0; k++) {
			bool found = k == 0 ? d->status == GIT_DELTA_MODIFIED && mode_has_lines(d->old_file.mode)
			                    : same_path(trees[k], d->new_file.path, &f->oids[k]);
			if (!found)
				continue;
			if (k == 0)
				f->oids[0] = d->old_file.id;
			f->from[k] = xstrdup(d->new_file.path);
			if (git_oid_equal(&f->oids[k], &d->new_file.id))
				f->whole = (long)k;
		}
	}
	/* Pass 1, parent by parent; a file found whole stops looking. */
	git_odb *odb = NULL;
	int rc = git_repository_odb(&odb, repo);
	for (size_t k = 0; k < np && rc == 0; k++) {
		rc = find_renames(repo, odb, trees, np, k, files, nfiles);
		for (size_t i = 0; i < nfiles; i++) {
			struct pending *f = &files[i];
			if (f->whole < 0 && f->from[k] && git_oid_equal(&f->oids[k], &f->delta->new_file.id))
				f->whole = (long)k;
		}
	}
	for (size_t i = 0; i < nfiles; i++) {
		if (rc == 0)
			plan_file(&plans[nplans++], &files[i], np);
		for (size_t k = 0; k < np; k++)
			free(files[i].from[k]);
		free(files[i].from);
		free(files[i].oids);
	}
	free(files);
	git_odb_free(odb);
	git_diff_free(diff);
	if (rc < 0) {
		merge_plans_free(plans, nplans);
		return -1;
	}
	*out = plans;
	*n = nplans;
	return 0;
}

void merge_plans_free(struct merge_plan *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < p[i].nsrc; k++)
			free(p[i].src[k].path);
		free(p[i].src);
		free(p[i].path);
	}
	free(p);
}
