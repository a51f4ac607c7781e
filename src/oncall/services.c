/*
 * `carry import services FILE`: service,team,rotation,path_glob, one row
 * per glob.  The file is the services table: importing it sets every
 * service's team, rotation and globs, drops services it no longer names,
 * and its row order is the globs' precedence (DESIGN.md: last match wins
 * across the services table).  Only what differs is written.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "import.h"

enum { C_SERVICE, C_TEAM, C_ROTATION, C_GLOB };
static const char *const service_columns[] = { "service", "team", "rotation", "path_glob", NULL };

struct services_ctx {
	struct strbuf names;         /* "\nname\n..." lower-case, services in the file */
	struct service_glob *globs;  /* in file order */
	size_t nglobs, cap;
};

static int put_row(struct store *st, const struct csv_table *t, size_t r, const int *col, void *ctx)
{
	struct services_ctx *x = ctx;
	char **f = t->rows[r];
	const char *name = f[col[C_SERVICE]], *glob = f[col[C_GLOB]];
	if (!name[0])
		return field_error(t, r, col[C_SERVICE], "service is empty");
	if (glob[0] == '!' || strchr(glob, '[') || strstr(glob, "\\#"))
		return field_error(t, r, col[C_GLOB],
		                   "'%s': CODEOWNERS patterns support no '!', '[ ]' or '\\#'", glob);
	int64_t id;
	int rc = store_service_put(st, name, f[col[C_TEAM]], f[col[C_ROTATION]], &id);
	if (rc < 0)
		return row_error(t, r, rc);
	if (glob[0]) {
		xgrow(&x->globs, &x->cap, x->nglobs + 1, sizeof(*x->globs));
		x->globs[x->nglobs++] = (struct service_glob){ id, glob };
	}
	if (!x->names.len)
		sb_addc(&x->names, '\n');
	sb_add_lower(&x->names, name, strlen(name));
	sb_addc(&x->names, '\n');
	return 0;
}

static int end(struct store *st, const struct csv_table *t, const int *col, void *ctx)
{
	struct services_ctx *x = ctx;
	(void)t;
	(void)col;
	int rc = store_service_globs_set(st, x->globs, x->nglobs);
	return rc < 0 ? rc : store_services_keep_only(st, x->names.len ? x->names.ptr : "\n");
}

int import_services(struct store *st, const char *path, bool dry_run, struct import_report *rep)
{
	struct services_ctx x = { STRBUF_INIT, NULL, 0, 0 };
	struct csv_import imp = { .columns = service_columns, .row = put_row, .end = end, .ctx = &x };
	int rc = import_csv(st, path, dry_run, &imp, rep);
	sb_free(&x.names);
	free(x.globs);
	return rc;
}
