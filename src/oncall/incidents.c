/*
 * `carry import incidents FILE`: incident_id,title,service,severity,
 * started_at,resolved_at,status,paths,url.  Keyed by incident_id, so an
 * export imported again updates incidents in place.
 */
#include <string.h>

#include "carry/error.h"
#include "carry/store.h"
#include "import.h"

enum { C_ID, C_TITLE, C_SERVICE, C_SEVERITY, C_STARTED, C_RESOLVED, C_STATUS, C_PATHS, C_URL };
static const char *const incident_columns[] = {
	"incident_id", "title", "service", "severity", "started_at", "resolved_at", "status",
	"paths", "url", NULL,
};

static int put_row(struct store *st, const struct csv_table *t, size_t r, const int *col, void *ctx)
{
	(void)ctx;
	char **f = t->rows[r];
	struct incident in = {
		.id = f[col[C_ID]], .title = f[col[C_TITLE]], .service = f[col[C_SERVICE]],
		.severity = f[col[C_SEVERITY]], .status = f[col[C_STATUS]], .url = f[col[C_URL]],
	};
	char **paths = NULL;
	int rc;
	if (!in.id[0])
		return field_error(t, r, col[C_ID], "incident_id is empty");
	if ((rc = field_time(t, r, col[C_STARTED], true, &in.started_at)) < 0)
		return rc;
	rc = field_time(t, r, col[C_RESOLVED], false, &in.resolved_at);
	if (rc < 0 && rc != CARRY_ENOTFOUND)
		return rc;
	in.resolved = rc == 0;
	if (in.resolved && in.resolved_at < in.started_at)
		return field_error(t, r, col[C_RESOLVED], "resolved_at is before started_at");
	in.npaths = split_list(f[col[C_PATHS]], false, &paths);
	for (size_t i = 0; i < in.npaths; i++) {
		char *p = paths[i];
		while (p[0] == '/')
			memmove(p, p + 1, strlen(p));
	}
	in.paths = (const char *const *)paths;
	rc = store_incident_put(st, &in);
	if (rc == CARRY_EINPUT)
		rc = field_error(t, r, col[C_SERVICE], "unknown service '%s' (import the services first)",
		                 in.service);
	else if (rc < 0)
		rc = row_error(t, r, rc);
	free_list(paths, in.npaths);
	return rc;
}

static int check(const struct csv_table *t, const int *col, void *ctx)
{
	(void)ctx;
	return check_unique(t, col[C_ID], "incident_id");
}

int import_incidents(struct store *st, const char *path, bool dry_run, struct import_report *rep)
{
	struct csv_import imp = { .columns = incident_columns, .check = check, .row = put_row };
	return import_csv(st, path, dry_run, &imp, rep);
}
