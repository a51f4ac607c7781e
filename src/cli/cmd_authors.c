/* `carry authors [PATH]`: per-person totals from the stored facts. */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/store.h"
#include "cli.h"

int cmd_authors(struct invocation *inv)
{
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct table t = { 0 };
	char *path = NULL;
	int64_t repo_id;
	int rc;

	if ((rc = cli_open_repo(inv, &repo)) < 0 || (rc = cli_open_store(inv, &st)) < 0)
		goto out;
	if ((rc = store_repo_id(st, repo_key(repo), false, &repo_id)) < 0) {
		if (rc == CARRY_ENOTFOUND)
			rc = CARRY_ERR;
		goto out;
	}
	struct repo_state state;
	char head[CARRY_OID_HEXSZ + 1];
	if (store_repo_state(st, repo_id, &state) == 0 && !inv->quiet) {
		if (state.scan_target[0])
			cli_say(repo_key(repo), "the last scan did not finish; run 'carry scan' to complete it");
		else if (repo_head(repo, head) == 0 && strcmp(head, state.head) != 0)
			cli_say(repo_key(repo), "HEAD has moved since the last scan; run 'carry scan' to catch up");
	}
	path = inv->nargs ? cli_repo_path(repo, inv->args[0]) : NULL;
	if ((rc = store_authors(st, repo_id, path, inv->since, inv->until, &t)) < 0)
		goto out;
	rc = output_table(&t, inv->format);
out:
	free(path);
	table_free(&t);
	store_close(st);
	repo_close(repo);
	return rc;
}
