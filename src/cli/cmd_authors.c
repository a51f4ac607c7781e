/* `carry authors [PATH]`: per-person totals from the stored facts. */
#include "carry/store.h"
#include "cli.h"

static int authors(const struct invocation *inv, struct store *st, int64_t repo_id,
                   const char *path, struct table *out)
{
	return store_authors(st, repo_id, path, inv->since, inv->until, out);
}

int cmd_authors(struct invocation *inv)
{
	return cli_path_table(inv, authors);
}
