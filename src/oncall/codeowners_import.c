/*
 * Keeping a repository's CODEOWNERS (at scan time from HEAD, or with
 * `carry import codeowners FILE`): the file is parsed once to report its
 * invalid lines, then kept as written; src/oncall/codeowners.c reads it
 * again whenever an analysis needs declared owners.
 */
#include <string.h>

#include "carry/error.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "codeowners.h"

int import_codeowners(struct store *st, int64_t repo_id, const char *origin, const char *buf,
                      size_t len, bool dry_run, struct import_report *rep)
{
	struct codeowners *co = NULL;
	int rc = codeowners_parse(&co, buf, len);
	if (rc < 0)
		return rc;
	rep->rows = codeowners_rule_count(co);
	for (size_t i = 0; i < codeowners_problem_count(co); i++) {
		const struct codeowners_problem *p = codeowners_problem(co, i);
		sb_addf(&rep->notes, "%s:%zu: %s (line skipped, as GitHub does)\n", origin, p->line,
		        p->what);
	}
	codeowners_free(co);
	if ((rc = store_import_begin(st)) < 0)
		return rc;
	rc = store_codeowners_put(st, repo_id, origin, buf, len);
	rep->changes = store_import_changes(st);
	int end = store_import_end(st, rc == 0 && !dry_run);
	return rc < 0 ? rc : end;
}
