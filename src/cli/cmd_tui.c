/* `carry` with no command (or `carry dashboard`): scan, then the dashboard. */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/store.h"
#include "carry/tui.h"
#include "cli.h"

int cmd_dashboard(struct invocation *inv)
{
	/* Bring the facts up to date first (progress on stderr). */
	bool quiet = inv->quiet;
	inv->quiet = true;
	int rc = cmd_scan(inv);
	inv->quiet = quiet;
	if (rc < 0)
		return rc;
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct world *w = NULL;
	int64_t repo_id;
	struct repo_state state;
	if ((rc = cli_open_scanned(inv, &repo, &st, &repo_id)) == 0 &&
	    (rc = store_repo_state(st, repo_id, &state)) == 0 &&
	    (rc = world_open(&w, st, repo_id, WORLD_ALL)) == 0) {
		const char *key = repo_key(repo), *slash = strrchr(key, '/');
		struct tui_context ctx = { w, st, repo_id, slash && slash[1] ? slash + 1 : key,
		                           state.head, state.scanned_at, inv->now };
		rc = tui_run(&ctx);
	}
	world_close(w);
	store_close(st);
	repo_close(repo);
	return rc;
}
