/*
 * A merge's line sources (mergesrc.h).  Pass 1 is the costly part: a
 * subtree merge (redis merging hiredis) makes hundreds of files "renamed"
 * from the other parent's root, and rename detection over a whole
 * parent-to-merge diff took seconds per merge.  So renames are looked up
 * per parent for just the files that need them: exact ones by blob id
 * from the deletions, and only the rest through libgit2's similarity
 * detection, on a diff narrowed to those files and the deletions.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "blamediff.h"
#include "carry/mem.h"
#include "carry/sink.h"
#include "mergesrc.h"

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

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool needs_rename(const struct pending *f, size_t k)
{
	return f->whole < 0 && !f->from[k];
}

/* Pass 1 against parent k for every file still without a source there. */
static int find_renames(git_repository *repo, git_tree **trees, size_t np, size_t k,
                        struct pending *files, size_t nfiles)
{
	size_t want = 0;
	for (size_t i = 0; i < nfiles; i++)
		want += needs_rename(&files[i], k);
	if (!want)
		return 0;
	git_diff *plain = NULL, *narrow = NULL;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	if (git_diff_tree_to_tree(&plain, repo, trees[k], trees[np], &dopts) < 0)
		return -1;
	/* Exact renames: a deleted file with the same blob, preferring one
	 * with the same base name, as git's diffcore-rename does. */
	size_t nd = git_diff_num_deltas(plain), inexact = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct pending *f = &files[i];
		if (!needs_rename(f, k))
			continue;
		const git_diff_delta *best = NULL;
		for (size_t d = 0; d < nd; d++) {
			const git_diff_delta *x = git_diff_get_delta(plain, d);
			if (x->status != GIT_DELTA_DELETED || !mode_has_lines(x->old_file.mode) ||
			    !git_oid_equal(&x->old_file.id, &f->delta->new_file.id))
				continue;
			if (!best || (strcmp(base_name(best->old_file.path), base_name(f->delta->new_file.path)) &&
			              !strcmp(base_name(x->old_file.path), base_name(f->delta->new_file.path))))
				best = x;
		}
		if (best) {
			f->from[k] = xstrdup(best->old_file.path);
			f->oids[k] = best->old_file.id;
		} else {
			inexact++;
		}
	}
	int rc = 0;
	if (inexact) {
		/* Similarity, on a diff of just those files and the deletions. */
		char **spec = xcalloc(inexact + nd, sizeof(*spec));
		size_t ns = 0;
		for (size_t i = 0; i < nfiles; i++)
			if (needs_rename(&files[i], k))
				spec[ns++] = (char *)files[i].delta->new_file.path;
		for (size_t d = 0; d < nd; d++) {
			const git_diff_delta *x = git_diff_get_delta(plain, d);
			if (x->status == GIT_DELTA_DELETED)
				spec[ns++] = (char *)x->old_file.path;
		}
		git_diff_options nopts = GIT_DIFF_OPTIONS_INIT;
		nopts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
		nopts.pathspec.strings = spec;
		nopts.pathspec.count = ns;
		git_diff_find_options fopts = GIT_DIFF_FIND_OPTIONS_INIT;
		fopts.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_DONT_IGNORE_WHITESPACE;
		fopts.rename_threshold = 50;
		fopts.rename_limit = 1000;
		if (git_diff_tree_to_tree(&narrow, repo, trees[k], trees[np], &nopts) < 0 ||
		    git_diff_find_similar(narrow, &fopts) < 0) {
			rc = -1;
		} else {
			size_t nn = git_diff_num_deltas(narrow);
			for (size_t d = 0; d < nn; d++) {
				const git_diff_delta *x = git_diff_get_delta(narrow, d);
				if (x->status != GIT_DELTA_RENAMED || !mode_has_lines(x->old_file.mode))
					continue;
				for (size_t i = 0; i < nfiles; i++) {
					struct pending *f = &files[i];
					if (needs_rename(f, k) && !strcmp(f->delta->new_file.path, x->new_file.path)) {
						f->from[k] = xstrdup(x->old_file.path);
						f->oids[k] = x->old_file.id;
					}
				}
			}
		}
		free(spec);
	}
	git_diff_free(narrow);
	git_diff_free(plain);
	return rc;
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
	int rc = 0;
	for (size_t k = 0; k < np && rc == 0; k++) {
		rc = find_renames(repo, trees, np, k, files, nfiles);
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
