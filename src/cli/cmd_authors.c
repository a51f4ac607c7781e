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

	if ((rc = cli_open_scanned(inv, &repo, &st, &repo_id)) < 0)
		goto out;
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
