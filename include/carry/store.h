/*
 * The store: carry's SQLite database, and the only code that calls sqlite3.
 * One database holds many repositories.  The schema is data/schema.sql,
 * compiled into the binary; PRAGMA user_version records its version and
 * store_open() migrates older databases one step per transaction, and
 * refuses databases written by a newer carry.  Every statement is named
 * in one table (src/store/statements.c) and prepared once.
 *
 * Ownership: store_open() returns a handle the caller frees with
 * store_close() (NULL is fine).  Strings handed in are copied or bound for
 * the duration of the call only.
 */
#ifndef CARRY_STORE_H
#define CARRY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "carry/sink.h"
#include "carry/strbuf.h"
#include "carry/table.h"

struct store;

enum store_open_flags {
	STORE_READONLY = 1 << 0, /* open an existing database, never create/migrate */
};

/* The schema version this build writes. */
int store_schema_version(void);

/* Resolves the database path: `explicit_path` when given, else $CARRY_DB,
 * else $XDG_DATA_HOME/carry/carry.db (XDG_DATA_HOME defaulting to
 * ~/.local/share).  Appends it to `out`. */
int store_default_path(struct strbuf *out, const char *explicit_path);

/* Opens (creating directories and the file when needed) and migrates. */
int store_open(struct store **out, const char *path, int flags);
void store_close(struct store *st);
const char *store_path(const struct store *st);

/* Integrity and schema check: appends one line per finding to `report`.
 * Returns 0 when the database is sound, CARRY_ERR otherwise. */
int store_check(struct store *st, struct strbuf *report);

/* The id of the repository kept under `key` (its absolute path), creating
 * it when `create`; CARRY_ENOTFOUND when absent and !create. */
int store_repo_id(struct store *st, const char *key, bool create, int64_t *out);

/* Forgets every fact kept for the repository (scan --full), in one
 * transaction. */
int store_repo_forget_all(struct store *st, int64_t repo_id);

struct repo_state {
	char head[CARRY_OID_HEXSZ + 1];        /* last completed scan, or "" */
	char scan_target[CARRY_OID_HEXSZ + 1]; /* an unfinished scan's target, or "" */
	int64_t scanned_at;                    /* 0 when never */
	int64_t commits;                       /* commits kept */
	char truncated_at[CARRY_OID_HEXSZ + 1];
};
int store_repo_state(struct store *st, int64_t repo_id, struct repo_state *out);

/* A fact sink writing into repository `repo_id`; the sink borrows `st`.
 * `batch_commits` caps the commits per transaction (0 = default). */
struct store_sink;
int store_sink_new(struct store_sink **out, struct store *st, int64_t repo_id,
                   unsigned batch_commits);
struct fact_sink *store_sink_iface(struct store_sink *s);
void store_sink_free(struct store_sink *s);

/* Per-person totals over non-merge commits (DESIGN.md "authors"):
 * name, email, commits, added, deleted, files, first, last.  `path` ("" or
 * NULL for everything) restricts to changes of that file or subtree;
 * since/until bound the author time (INT64_MIN/INT64_MAX for open ends). */
int store_authors(struct store *st, int64_t repo_id, const char *path,
                  int64_t since, int64_t until, struct table *out);

/* ---- line origins (the line engine's results) ---- */

/* The origin of consecutive lines [start, start + count) (1-based). */
struct blame_run {
	int64_t start, count;
	char oid[CARRY_OID_HEXSZ + 1];
	char *name, *email;  /* mailmap-resolved */
	int64_t time;
	int tz;              /* minutes east of UTC */
};

struct blame_file {
	char lines_head[CARRY_OID_HEXSZ + 1]; /* the commit the origins describe */
	int64_t nlines;
	struct blame_run *runs;
	size_t nruns;
};

/* The stored origins of `path` at the scanned HEAD.  CARRY_ENOTFOUND when
 * the path has no lines there (absent, binary, a symlink or submodule) or
 * no origins were computed yet (lines_head is then ""). */
int store_blame(struct store *st, int64_t repo_id, const char *path, struct blame_file *out);
void blame_file_free(struct blame_file *f);

/* ---- everything, row by row (what the analyses load) ----
 * Each query's columns, in order:
 *   COMMITS        id, oid, author_name, author_email, author_time, parent_count,
 *                  ai_assisted, subject  (skipped commits left out; by id = parents first)
 *   CHANGES        commit_id, path, old_path, status, added, deleted  (by commit id, seq;
 *                  may include rows of other repositories' commits: skip those)
 *   LINE_FILES     path, lines  (by path)
 *   LINE_RUNS      path, commit_id, count  (by path, start)
 *   PEOPLE         id, name, team, left_on, is_bot, on_roster
 *   EMAILS         email, person_id
 *   HANDLES        handle, person_id
 *   ROTATIONS      id, name
 *   SHIFTS         rotation_id, person_id, starts_at, ends_at, level  (by rotation, start)
 *   SERVICES       id, name, team, rotation_id (0: none)
 *   GLOBS          service_id, glob  (precedence order: the last match wins)
 *   INCIDENTS      id, title, service_id (0: none), severity, started_at, status
 *   INCIDENT_PATHS incident_id, path
 * The first four are of repository `repo_id`. */
enum store_rows {
	ROWS_COMMITS, ROWS_CHANGES, ROWS_LINE_FILES, ROWS_LINE_RUNS, ROWS_PEOPLE, ROWS_EMAILS,
	ROWS_HANDLES, ROWS_ROTATIONS, ROWS_SHIFTS, ROWS_SERVICES, ROWS_GLOBS, ROWS_INCIDENTS,
	ROWS_INCIDENT_PATHS,
};
struct store_row;
int64_t store_row_int(const struct store_row *r, int col);       /* NULL reads 0 */
const char *store_row_text(const struct store_row *r, int col);  /* NULL reads "" */
size_t store_row_len(const struct store_row *r, int col);        /* of the text */
bool store_row_null(const struct store_row *r, int col);
/* Calls cb for every row of the query; a nonzero return stops (and is returned). */
int store_each_row(struct store *st, enum store_rows q, int64_t repo_id,
                   int (*cb)(const struct store_row *r, void *payload), void *payload);

/* ---- the on-call side ---- */

/* An import runs in one transaction: begin, put..., then end with
 * commit (or not, for --dry-run or after an error: nothing is kept).
 * store_import_changes() counts rows changed since begin. */
int store_import_begin(struct store *st);
int store_import_end(struct store *st, bool commit);
int64_t store_import_changes(struct store *st);

struct roster_person {
	const char *person_key;   /* the roster's person_id */
	const char *name;
	const char *team;         /* "" for none */
	bool has_joined, has_left;
	int64_t joined_on, left_on;
	bool is_bot;
	const char *const *emails;  /* lower-case */
	size_t nemails;
	const char *const *handles; /* lower-case, without '@' */
	size_t nhandles;
};

/* Adds or updates one roster person, inside an import.  An email or
 * handle already held by another roster person is CARRY_EINPUT naming
 * it (the caller adds FILE:LINE); one held by a person known only from a
 * schedule merges that person into this one. */
int store_roster_put(struct store *st, const struct roster_person *p);

/* The id of a rotation, creating it when `create`. */
int store_rotation_id(struct store *st, const char *name, bool create, int64_t *out);

/* The person holding `email`; when nobody does, a person not on the
 * roster is created (named `name`, else the email) and *created set. */
int store_person_by_email(struct store *st, const char *email, const char *name,
                          int64_t *out, bool *created);

/* The person called `name` (case-insensitive; a roster person first);
 * when nobody is, one not on the roster is created and *created set.  Two
 * people of that name is CARRY_EINPUT: a schedule must use emails then. */
int store_person_by_name(struct store *st, const char *name, int64_t *out, bool *created);

struct shift {
	int64_t person_id, starts_at, ends_at;
	int level;
};

/* Adds a shift (nothing happens when it is already there). */
int store_shift_put(struct store *st, int64_t rotation_id, const struct shift *sh);

/* Makes the rotation's shifts that start in [from, to) exactly `keep`
 * (sorted with shift_cmp): deletes the others; adds nothing. */
int store_shifts_keep_only(struct store *st, int64_t rotation_id, int64_t from, int64_t to,
                           const struct shift *keep, size_t n);
int shift_cmp(const void *a, const void *b);

/* The services file replaces the services table: put each service, then
 * set the globs in file order (written only when they differ), then drop
 * the services the file no longer names (`names` is "\nname\nname\n",
 * lower-case). */
struct service_glob {
	int64_t service_id;
	const char *glob;
};
int store_service_put(struct store *st, const char *name, const char *team, const char *rotation,
                      int64_t *out);
int store_service_globs_set(struct store *st, const struct service_glob *globs, size_t n);
int store_services_keep_only(struct store *st, const char *names);

struct incident {
	const char *id, *title, *service, *severity, *status, *url;
	int64_t started_at, resolved_at;
	bool resolved;
	const char *const *paths;
	size_t npaths;
};
/* Adds or updates an incident; an unknown service is CARRY_EINPUT. */
int store_incident_put(struct store *st, const struct incident *in);

/* The repository's CODEOWNERS file as written (content NULL: forget it). */
int store_codeowners_put(struct store *st, int64_t repo_id, const char *origin,
                         const char *content, size_t len);
/* Appends the content to `content` and the origin to `origin`;
 * CARRY_ENOTFOUND when the repository has none. */
int store_codeowners_get(struct store *st, int64_t repo_id, struct strbuf *origin,
                         struct strbuf *content);

/* Listings for the CLI (and later the dashboard). */
int store_services(struct store *st, struct table *out);
int store_rotations(struct store *st, struct table *out);
int store_incidents(struct store *st, int64_t since, int64_t until, struct table *out);

/* Everyone: name, emails, team, joined_on, left_on, is_bot, on_roster, handles. */
int store_people(struct store *st, struct table *out);

#endif
