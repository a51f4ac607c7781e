/* `carry check`: is the database sound? */
#include <stdio.h>

#include "carry/error.h"
#include "carry/store.h"
#include "cli.h"

int cmd_check(struct invocation *inv)
{
	struct store *st = NULL;
	struct strbuf report = STRBUF_INIT;
	int rc = cli_open_store(inv, &st);
	if (rc < 0)
		return rc;
	rc = store_check(st, &report);
	if (report.len)
		fputs(report.ptr, stdout);
	if (rc == 0 && !inv->quiet)
		printf("ok: %s (schema version %d)\n", store_path(st), store_schema_version());
	sb_free(&report);
	store_close(st);
	return rc;
}
