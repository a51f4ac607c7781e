/*
 * Opening the database: where it lives, connection settings, and bringing
 * its schema to the version this build writes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/file.h"
#include "carry/mem.h"
#include "store_int.h"

extern const char carry_data_schema[];
extern const char carry_data_oncall[];
extern const char carry_data_lines[];
extern const char carry_data_renames[];

/* data/schema.sql creates version 1; upgrade_steps[v - 2] takes a
 * database from version v-1 to v.  A fresh database runs them all, so
 * the path every existing database takes is the one every test takes. */
static const char *const *upgrade_steps(size_t *n)
{
	static const char *const steps[] = { carry_data_oncall, carry_data_lines, carry_data_renames };
	*n = sizeof(steps) / sizeof(steps[0]);
	return steps;
}
#define SCHEMA_VERSION 4

int store_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* The directories above the database file, private to the user. */
static int mkdir_parents(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct strbuf failed = STRBUF_INIT;
	int e = slash ? make_dirs(path, (size_t)(slash - path), 0700, &failed) : 0;
	int rc = e ? carry_error(CARRY_ERR, "%s: cannot create directory: %s", failed.ptr, strerror(e)) : 0;
	sb_free(&failed);
	return rc;
}

int store_default_path(struct strbuf *out, const char *explicit_path)
{
	const char *env = getenv("CARRY_DB");
	if (explicit_path && *explicit_path) {
		sb_adds(out, explicit_path);
		return 0;
	}
	if (env && *env) {
		sb_adds(out, env);
		return 0;
	}
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && xdg[0] == '/') {
		sb_addf(out, "%s/carry/carry.db", xdg);
		return 0;
	}
	const char *home = getenv("HOME");
	if (!home || !*home)
		return carry_error(CARRY_EUSAGE,
			"no database location: set --db, CARRY_DB, XDG_DATA_HOME or HOME");
	sb_addf(out, "%s/.local/share/carry/carry.db", home);
	return 0;
}

static int exec_sql(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = carry_error(CARRY_ERR, "%s: %s: %s", st->path, what,
		                     msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int read_version(struct store *st, int *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return store_db_error(st, "cannot read the schema version");
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : store_db_error(st, "cannot read the schema version");
}

/* Each step runs in its own transaction together with its user_version. */
int store_migrate(struct store *st)
{
	int version;
	size_t nsteps;
	const char *const *steps = upgrade_steps(&nsteps);
	if (read_version(st, &version) < 0)
		return CARRY_ERR;
	if (version > SCHEMA_VERSION)
		return carry_error(CARRY_ERR,
			"%s: database schema version %d is newer than this carry understands (%d); "
			"use a newer carry", st->path, version, SCHEMA_VERSION);
	while (version < SCHEMA_VERSION) {
		struct strbuf sql = STRBUF_INIT;
		sb_adds(&sql, "BEGIN IMMEDIATE;\n");
		sb_adds(&sql, version == 0 ? carry_data_schema : steps[version - 1]);
		sb_addf(&sql, ";\nPRAGMA user_version = %d;\nCOMMIT;", version + 1);
		int rc = exec_sql(st, sql.ptr, "cannot upgrade the schema");
		sb_free(&sql);
		if (rc < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		version++;
	}
	return 0;
}

int store_open(struct store **out, const char *path, int flags)
{
	struct store *st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	*out = NULL;

	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
	                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (!(flags & STORE_READONLY) && access(path, F_OK) < 0) {
		if (getenv("CARRY_DB") == NULL && mkdir_parents(path) < 0)
			goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_db_error(st, "cannot open the database");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	/* The first read tells a corrupt or foreign file apart before any
	 * pragma could write to it. */
	int version;
	if (read_version(st, &version) < 0)
		goto fail;
	if (version > SCHEMA_VERSION) {
		carry_error(CARRY_ERR,
			"%s: database schema version %d is newer than this carry understands (%d); "
			"use a newer carry", st->path, version, SCHEMA_VERSION);
		goto fail;
	}
	if (exec_sql(st, "PRAGMA foreign_keys = ON", "cannot enable foreign keys") < 0)
		goto fail;
	/* The analyses read whole tables: mapped pages spare a copy per page
	 * read (a failure here only costs speed). */
	exec_sql(st, "PRAGMA mmap_size = 1073741824", "cannot map the database");
	carry_error_clear();
	if (!(flags & STORE_READONLY)) {
		/* WAL: readers (the dashboard) never block the scan; NORMAL
		 * sync is crash-safe for the application in WAL mode. */
		if (exec_sql(st, "PRAGMA journal_mode = WAL", "cannot enable WAL") < 0 ||
		    exec_sql(st, "PRAGMA synchronous = NORMAL", "cannot set synchronous") < 0 ||
		    store_migrate(st) < 0)
			goto fail;
	} else if (version != SCHEMA_VERSION) {
		carry_error(CARRY_ERR, "%s: database schema version %d, this carry needs %d",
		            path, version, SCHEMA_VERSION);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st); /* sets no error: the message above survives */
	return CARRY_ERR;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

const char *store_path(const struct store *st)
{
	return st->path;
}
