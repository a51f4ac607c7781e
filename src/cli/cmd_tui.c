/*
 * `carry` with no command (or `carry dashboard`, `carry triage ID --tui`):
 * the dashboard, fed by the CLI.  The dashboard asks for a scan (it draws
 * the progress), a (re)load of the world, and commit messages; this file
 * answers with libgit2 and the store, so src/tui/ needs neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/store.h"
#include "carry/tui.h"
#include "cli.h"

struct dashboard {
	struct invocation *inv;
	struct carry_repo *repo;
	struct store *st, *loader_st;  /* the dashboard's, the loading thread's */
	struct world *files, *w;
	void (*progress)(size_t done, size_t total, void *ui);
	void *ui;
};

static void forward_progress(const struct scan_progress *p, void *payload)
{
	struct dashboard *d = payload;
	d->progress(p->done, p->total, d->ui);
}

static int scan(void *arg, void (*progress)(size_t, size_t, void *), void *ui, volatile int *stop)
{
	struct dashboard *d = arg;
	d->progress = progress;
	d->ui = ui;
	bool quiet = d->inv->quiet;
	d->inv->quiet = true;  /* the screen is the dashboard's */
	int rc = cli_scan(d->inv, forward_progress, d, stop);
	d->inv->quiet = quiet;
	return rc;
}

static void unload(struct dashboard *d)
{
	world_close(d->w);
	world_close(d->files);
	store_close(d->loader_st);
	store_close(d->st);
	repo_close(d->repo);
	d->w = d->files = NULL;
	d->st = d->loader_st = NULL;
	d->repo = NULL;
}

static int open_scanned(void *arg, struct tui_context *ctx)
{
	struct dashboard *d = arg;
	unload(d);
	ctx->w = ctx->files = NULL;
	struct repo_state state;
	int rc = cli_open_scanned(d->inv, &d->repo, &d->st, &ctx->repo_id);
	if (rc == 0)
		rc = store_repo_state(d->st, ctx->repo_id, &state);
	if (rc == 0)
		rc = world_open(&d->files, d->st, ctx->repo_id, WORLD_FILES);
	if (rc < 0) {
		unload(d);
		return rc;
	}
	const char *key = repo_key(d->repo), *slash = strrchr(key, '/');
	snprintf(ctx->repo_name, sizeof(ctx->repo_name), "%s", slash && slash[1] ? slash + 1 : key);
	snprintf(ctx->head, sizeof(ctx->head), "%s", state.head);
	ctx->scanned_at = state.scanned_at;
	ctx->files = d->files;
	ctx->st = d->st;
	return 0;
}

/* On the loading thread: only this thread touches loader_st until it
 * returns. */
static int load(void *arg, struct world **out)
{
	struct dashboard *d = arg;
	int64_t repo_id;
	int rc = cli_open_store(d->inv, &d->loader_st);
	if (rc == 0)
		rc = store_repo_id(d->loader_st, repo_key(d->repo), false, &repo_id);
	if (rc == 0)
		rc = world_open(&d->w, d->loader_st, repo_id, WORLD_ALL);
	if (rc == 0)
		world_prepare(d->w);
	*out = rc == 0 ? d->w : NULL;
	return rc;
}

static int message(void *arg, const char *oid, struct strbuf *out)
{
	struct dashboard *d = arg;
	return d->repo ? repo_commit_message(d->repo, oid, out) : CARRY_ENOTFOUND;
}

int cmd_dashboard(struct invocation *inv)
{
	struct dashboard d = { .inv = inv };
	struct tui_context ctx = { 0 };
	analysis_params_default(&ctx.params, inv->now, 30);
	ctx.params.min_changes = inv->min_changes;
	ctx.params.gone_share = inv->gone_share;
	ctx.params.gone_days = inv->gone_days;
	ctx.params.lookback_hours = inv->lookback_hours;
	if (inv->tui && inv->nargs)
		ctx.triage = inv->args[0];
	/* A name for the first scan's progress, until the repository is open. */
	char cwd[4096];
	const char *where = inv->repo ? inv->repo : getcwd(cwd, sizeof(cwd));
	const char *slash = where ? strrchr(where, '/') : NULL;
	snprintf(ctx.repo_name, sizeof(ctx.repo_name), "%s", slash && slash[1] ? slash + 1 : where ? where : "");
	const struct tui_source src = { &d, scan, open_scanned, load, message };
	int rc = tui_run(&ctx, &src);
	unload(&d);
	return rc;
}
