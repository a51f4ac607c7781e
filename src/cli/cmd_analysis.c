/*
 * The analysis commands: owners, drive-bys, orphans, triage, report.  Each
 * loads the world once (src/analysis/world.c) and renders what an
 * analysis answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/store.h"
#include "cli.h"

typedef int (*world_fn)(struct invocation *inv, struct world *w, const struct analysis_params *p,
                        const char *arg);

/* Opens the scanned repository, loads the world, runs fn with the
 * parameters of the invocation (the window defaulting to `window_days`
 * before --at) and the PATH argument (or the first argument as given). */
static int with_world(struct invocation *inv, unsigned parts, int window_days, bool path_arg,
                      world_fn fn)
{
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct world *w = NULL;
	char *path = NULL;
	int64_t repo_id;
	int rc = cli_open_scanned(inv, &repo, &st, &repo_id);
	if (rc == 0)
		rc = world_open(&w, st, repo_id, parts);
	if (rc == 0) {
		struct analysis_params p;
		analysis_params_default(&p, inv->now, window_days);
		if (inv->has_since)
			p.since = inv->since;
		if (inv->has_until)
			p.until = inv->until;
		p.min_changes = inv->min_changes;
		p.gone_share = inv->gone_share;
		p.gone_days = inv->gone_days;
		p.lookback_hours = inv->lookback_hours;
		if (path_arg)
			path = cli_repo_path(repo, inv->nargs ? inv->args[0] : "");
		rc = fn(inv, w, &p, path ? path : inv->nargs ? inv->args[0] : "");
	}
	free(path);
	world_close(w);
	store_close(st);
	repo_close(repo);
	return rc;
}

static int show(struct table *t, enum output_format f, int rc)
{
	if (rc == 0)
		rc = output_table(t, f);
	table_free(t);
	return rc;
}

static int owners(struct invocation *inv, struct world *w, const struct analysis_params *p,
                  const char *path)
{
	struct table t = { 0 };
	if (inv->dirs || inv->each)
		return show(&t, inv->format, owners_paths_table(w, p, path, inv->dirs, inv->each, &t));
	if (inv->format == FORMAT_TEXT || inv->format == FORMAT_MD) {
		/* People read the summary of the path first. */
		int rc = owners_paths_table(w, p, path, false, false, &t);
		if (rc == 0)
			rc = output_record(&t, 0, inv->format);
		table_free(&t);
		if (rc < 0)
			return rc;
	}
	return show(&t, inv->format, owners_people_table(w, p, path, &t));
}

int cmd_owners(struct invocation *inv)
{
	return with_world(inv, WORLD_ALL, 90, true, owners);
}

static int drive_bys(struct invocation *inv, struct world *w, const struct analysis_params *p,
                     const char *path)
{
	struct table t = { 0 };
	return show(&t, inv->format, drivebys_table(w, p, path, &t));
}

int cmd_drive_bys(struct invocation *inv)
{
	return with_world(inv, WORLD_FOR_DRIVE_BYS, 90, true, drive_bys);
}

static int orphans(struct invocation *inv, struct world *w, const struct analysis_params *p,
                   const char *path)
{
	struct table t = { 0 };
	return show(&t, inv->format, orphans_table(w, p, path, inv->dirs, &t));
}

int cmd_orphans(struct invocation *inv)
{
	return with_world(inv, WORLD_FOR_ORPHANS, 90, true, orphans);
}

static int triage(struct invocation *inv, struct world *w, const struct analysis_params *p,
                  const char *id)
{
	struct table t = { 0 };
	return show(&t, inv->format, triage_table(w, p, id, &t));
}

int cmd_triage(struct invocation *inv)
{
	if (inv->tui)
		return cmd_dashboard(inv);
	return with_world(inv, WORLD_FOR_TRIAGE, 90, false, triage);
}

static int report(struct invocation *inv, struct world *w, const struct analysis_params *p,
                  const char *unused)
{
	(void)unused;
	struct report r;
	int rc = report_build(w, p, &r);
	if (rc == 0)
		rc = output_report(&r, inv->format);
	report_free(&r);
	return rc;
}

int cmd_report(struct invocation *inv)
{
	return with_world(inv, WORLD_ALL, 7, false, report);
}
