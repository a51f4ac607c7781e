/* `carry import KIND FILE` and `carry people`: the on-call database. */
#include <stdio.h>
#include <string.h>

#include "carry/error.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "cli.h"

typedef int (*importer)(struct store *st, const char *path, bool dry_run,
                        struct import_report *rep);

static const struct {
	const char *kind;
	importer run;
} importers[] = {
	{ "roster", import_roster },
};

int cmd_import(struct invocation *inv)
{
	const char *kind = inv->args[0], *path = inv->args[1];
	importer run = NULL;
	for (size_t i = 0; i < sizeof(importers) / sizeof(importers[0]); i++)
		if (!strcmp(importers[i].kind, kind))
			run = importers[i].run;
	if (!run)
		return carry_error(CARRY_EUSAGE, "import: unknown kind '%s' (this carry imports: roster)",
		                   kind);
	struct store *st = NULL;
	struct import_report rep = { 0 };
	int rc = cli_open_store(inv, &st);
	if (rc == 0)
		rc = run(st, path, inv->dry_run, &rep);
	if (rc == 0 && !inv->quiet) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%zu record(s) read, %lld database row(s) %s", rep.rows,
		         (long long)rep.changes, inv->dry_run ? "would change (dry run: nothing written)"
		                                              : "changed");
		cli_say(path, msg);
	}
	store_close(st);
	return rc;
}

int cmd_people(struct invocation *inv)
{
	struct store *st = NULL;
	struct table t = { 0 };
	int rc = cli_open_store(inv, &st);
	if (rc == 0)
		rc = store_people(st, &t);
	if (rc == 0)
		rc = output_table(&t, inv->format);
	table_free(&t);
	store_close(st);
	return rc;
}
