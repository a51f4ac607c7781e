/*
 * Inside the store: the connection, the named-statement table and the
 * small helpers every store file shares.  Nothing outside src/store/
 * includes this file (or sqlite3.h).
 */
#ifndef CARRY_STORE_INT_H
#define CARRY_STORE_INT_H

#include <sqlite3.h>

#include "carry/store.h"

/* Every SQL statement carry runs, named once.  X(name, sql). */
#define STORE_STATEMENTS(X) \
	X(BEGIN_IMMEDIATE, "BEGIN IMMEDIATE") \
	X(COMMIT, "COMMIT") \
	X(ROLLBACK, "ROLLBACK") \
	X(REPO_FIND, "SELECT id FROM repos WHERE path = ?1") \
	X(REPO_CREATE, "INSERT INTO repos(path) VALUES (?1)") \
	X(REPO_STATE, \
	  "SELECT coalesce(head, ''), coalesce(scan_target, ''), coalesce(scanned_at, 0)," \
	  " coalesce(truncated_at, ''), (SELECT count(*) FROM commits WHERE repo_id = ?1)" \
	  " FROM repos WHERE id = ?1") \
	X(REPO_BEGIN_SCAN, "UPDATE repos SET scan_target = ?2 WHERE id = ?1") \
	X(REPO_FINISH_SCAN, \
	  "UPDATE repos SET head = ?2, scanned_at = ?3, scan_target = NULL," \
	  " truncated_at = nullif(?4, '') WHERE id = ?1") \
	X(REPO_FORGET_ALL, "DELETE FROM commits WHERE repo_id = ?1") \
	X(REPO_FORGET_PROBLEMS, "DELETE FROM scan_problems WHERE repo_id = ?1") \
	X(REPO_RESET_HEAD, "UPDATE repos SET head = NULL, scanned_at = NULL WHERE id = ?1") \
	X(KNOWN_COMMITS, \
	  "SELECT c.oid, p.parent_oid FROM commits c" \
	  " LEFT JOIN commit_parents p ON p.commit_id = c.id" \
	  " WHERE c.repo_id = ?1 ORDER BY c.id, p.idx") \
	X(COMMIT_FORGET, "DELETE FROM commits WHERE repo_id = ?1 AND oid = ?2") \
	X(COMMIT_INSERT, \
	  "INSERT INTO commits(repo_id, oid, author_name, author_email, author_time," \
	  " author_tz, committer_time, parent_count, subject, ai_assisted, skipped)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") \
	X(PARENT_INSERT, "INSERT INTO commit_parents(commit_id, idx, parent_oid) VALUES (?1, ?2, ?3)") \
	X(CHANGE_INSERT, \
	  "INSERT INTO changes(commit_id, seq, path, old_path, status, added, deleted, binary, lines)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)") \
	X(MERGE_LINE_INSERT, \
	  "INSERT INTO merge_lines(commit_id, seq, path, kind, parent_idx, old_path, lines)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
	X(LINES_HEAD, "SELECT coalesce(lines_head, '') FROM repos WHERE id = ?1") \
	X(LINES_SET_HEAD, "UPDATE repos SET lines_head = ?2 WHERE id = ?1") \
	X(LINES_FORGET_RUNS, "DELETE FROM line_runs WHERE repo_id = ?1") \
	X(LINES_FORGET_FILES, "DELETE FROM line_files WHERE repo_id = ?1") \
	X(LINES_FORGET_HEAD, "UPDATE repos SET lines_head = NULL WHERE id = ?1") \
	X(LINES_DROP_FILE_RUNS, "DELETE FROM line_runs WHERE repo_id = ?1 AND path = ?2") \
	X(LINES_DROP_FILE, "DELETE FROM line_files WHERE repo_id = ?1 AND path = ?2") \
	X(LINES_PUT_FILE, "INSERT INTO line_files(repo_id, path, lines) VALUES (?1, ?2, ?3)") \
	X(LINES_PUT_RUN, \
	  "INSERT INTO line_runs(repo_id, path, start, count, commit_id) VALUES (?1, ?2, ?3, ?4, ?5)") \
	X(LINES_COMMITS, \
	  "SELECT c.id, c.oid, q.id FROM commits c" \
	  " LEFT JOIN commit_parents p ON p.commit_id = c.id" \
	  " LEFT JOIN commits q ON q.repo_id = c.repo_id AND q.oid = p.parent_oid" \
	  " WHERE c.repo_id = ?1 ORDER BY c.id, p.idx") \
	X(LINES_STATE_FILES, "SELECT path, lines FROM line_files WHERE repo_id = ?1") \
	X(LINES_STATE_RUNS, \
	  "SELECT path, start, count, commit_id FROM line_runs WHERE repo_id = ?1 ORDER BY path, start") \
	X(LINES_ROWS, \
	  "SELECT x.commit_id, x.status, 0, x.path, x.old_path, x.lines, x.seq FROM changes x" \
	  " JOIN commits c ON c.id = x.commit_id WHERE c.repo_id = ?1 AND x.commit_id > ?2" \
	  " UNION ALL" \
	  " SELECT m.commit_id, m.kind, m.parent_idx, m.path, m.old_path, m.lines, m.seq FROM merge_lines m" \
	  " JOIN commits c ON c.id = m.commit_id WHERE c.repo_id = ?1 AND m.commit_id > ?2" \
	  " ORDER BY 1, 7") \
	X(BLAME_FILE, "SELECT lines FROM line_files WHERE repo_id = ?1 AND path = ?2") \
	X(BLAME_RUNS, \
	  "SELECT r.start, r.count, c.oid, c.author_name, c.author_email, c.author_time, c.author_tz" \
	  " FROM line_runs r JOIN commits c ON c.id = r.commit_id" \
	  " WHERE r.repo_id = ?1 AND r.path = ?2 ORDER BY r.start") \
	X(PROBLEM_INSERT, "INSERT OR IGNORE INTO scan_problems(repo_id, oid, what) VALUES (?1, ?2, ?3)") \
	X(CHECK_INTEGRITY, "PRAGMA integrity_check") \
	X(CHECK_FOREIGN_KEYS, "PRAGMA foreign_key_check") \
	X(CHECK_SCHEMA, \
	  "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema" \
	  " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name") \
	X(CHECK_CLOSURE, \
	  "SELECT c.oid, p.parent_oid FROM commit_parents p JOIN commits c ON c.id = p.commit_id" \
	  " WHERE NOT EXISTS (SELECT 1 FROM commits q WHERE q.repo_id = c.repo_id" \
	  " AND q.oid = p.parent_oid) LIMIT 20") \
	X(CHECK_PARENT_COUNT, \
	  "SELECT c.oid FROM commits c WHERE c.parent_count !=" \
	  " (SELECT count(*) FROM commit_parents p WHERE p.commit_id = c.id) LIMIT 20") \
	X(CHECK_MERGE_CHANGES, \
	  "SELECT DISTINCT c.oid FROM commits c JOIN changes x ON x.commit_id = c.id" \
	  " WHERE c.parent_count > 1 LIMIT 20") \
	X(TEAM_PUT, "INSERT INTO teams(name) VALUES (?1) ON CONFLICT(name) DO NOTHING") \
	X(TEAM_FIND, "SELECT id FROM teams WHERE name = ?1") \
	X(PERSON_PUT, \
	  "INSERT INTO people(person_key, name, team_id, joined_on, left_on, is_bot, on_roster)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT(person_key) DO UPDATE SET" \
	  " name = excluded.name, team_id = excluded.team_id, joined_on = excluded.joined_on," \
	  " left_on = excluded.left_on, is_bot = excluded.is_bot, on_roster = 1" \
	  " WHERE name IS NOT excluded.name OR team_id IS NOT excluded.team_id" \
	  " OR joined_on IS NOT excluded.joined_on OR left_on IS NOT excluded.left_on" \
	  " OR is_bot IS NOT excluded.is_bot OR on_roster IS NOT 1") \
	X(PERSON_FIND, "SELECT id FROM people WHERE person_key = ?1") \
	X(EMAIL_OWNER, \
	  "SELECT e.person_id, p.person_key, p.on_roster FROM person_emails e" \
	  " JOIN people p ON p.id = e.person_id WHERE e.email = ?1") \
	X(EMAIL_PUT, "INSERT OR IGNORE INTO person_emails(email, person_id) VALUES (?1, ?2)") \
	X(EMAIL_DROP_OTHERS, \
	  "DELETE FROM person_emails WHERE person_id = ?1 AND instr(?2, char(10) || lower(email) || char(10)) = 0") \
	X(HANDLE_OWNER, "SELECT person_id FROM person_handles WHERE handle = ?1") \
	X(HANDLE_PUT, "INSERT OR IGNORE INTO person_handles(handle, person_id) VALUES (?1, ?2)") \
	X(HANDLE_DROP_OTHERS, \
	  "DELETE FROM person_handles WHERE person_id = ?1 AND instr(?2, char(10) || lower(handle) || char(10)) = 0") \
	X(PERSON_ABSORB_SHIFTS, "UPDATE OR IGNORE shifts SET person_id = ?2 WHERE person_id = ?1") \
	X(PERSON_DELETE, "DELETE FROM people WHERE id = ?1") \
	X(PEOPLE_LIST, \
	  "SELECT p.name, (SELECT group_concat(email, char(10)) FROM" \
	  "  (SELECT email FROM person_emails WHERE person_id = p.id ORDER BY email))," \
	  " coalesce(t.name, ''), p.joined_on, p.left_on, p.is_bot, p.on_roster," \
	  " (SELECT group_concat(handle, char(10)) FROM" \
	  "  (SELECT '@' || handle AS handle FROM person_handles WHERE person_id = p.id ORDER BY handle))" \
	  " FROM people p LEFT JOIN teams t ON t.id = p.team_id ORDER BY p.name COLLATE NOCASE, p.id") \
	X(ROTATION_PUT, "INSERT INTO rotations(name) VALUES (?1) ON CONFLICT(name) DO NOTHING") \
	X(ROTATION_FIND, "SELECT id FROM rotations WHERE name = ?1") \
	X(EMAIL_PERSON, "SELECT person_id FROM person_emails WHERE email = ?1") \
	X(NAME_PERSON, \
	  "SELECT id FROM people WHERE name = ?1 COLLATE NOCASE ORDER BY on_roster DESC, id LIMIT 2") \
	X(PERSON_NAMED_PUT, \
	  "INSERT INTO people(person_key, name, on_roster) VALUES ('name:' || lower(?1), ?1, 0)" \
	  " ON CONFLICT(person_key) DO NOTHING") \
	X(PERSON_UNKNOWN_PUT, \
	  "INSERT INTO people(person_key, name, on_roster) VALUES ('email:' || lower(?1), ?2, 0)") \
	X(SHIFT_PUT, \
	  "INSERT OR IGNORE INTO shifts(rotation_id, person_id, starts_at, ends_at, level)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5)") \
	X(SERVICE_GLOBS_CLEAR, "DELETE FROM service_globs") \
	X(SERVICE_PUT, \
	  "INSERT INTO services(name, team_id, rotation_id) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT(name) DO UPDATE SET team_id = excluded.team_id, rotation_id = excluded.rotation_id" \
	  " WHERE team_id IS NOT excluded.team_id OR rotation_id IS NOT excluded.rotation_id") \
	X(SERVICE_FIND, "SELECT id FROM services WHERE name = ?1") \
	X(SERVICE_GLOB_ADD, "INSERT INTO service_globs(position, service_id, glob) VALUES (?1, ?2, ?3)") \
	X(SERVICE_GLOBS_LIST, "SELECT service_id, glob FROM service_globs ORDER BY position") \
	X(SHIFTS_IN_RANGE, \
	  "SELECT rowid, person_id, starts_at, ends_at, level FROM shifts" \
	  " WHERE rotation_id = ?1 AND starts_at >= ?2 AND starts_at < ?3") \
	X(SHIFT_DELETE, "DELETE FROM shifts WHERE rowid = ?1") \
	X(SERVICES_KEEP_ONLY, \
	  "DELETE FROM services WHERE instr(?1, char(10) || lower(name) || char(10)) = 0") \
	X(INCIDENT_PUT, \
	  "INSERT INTO incidents(id, title, service_id, severity, started_at, resolved_at, status, url)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET" \
	  " title = excluded.title, service_id = excluded.service_id, severity = excluded.severity," \
	  " started_at = excluded.started_at, resolved_at = excluded.resolved_at," \
	  " status = excluded.status, url = excluded.url" \
	  " WHERE title IS NOT excluded.title OR service_id IS NOT excluded.service_id" \
	  " OR severity IS NOT excluded.severity OR started_at IS NOT excluded.started_at" \
	  " OR resolved_at IS NOT excluded.resolved_at OR status IS NOT excluded.status" \
	  " OR url IS NOT excluded.url") \
	X(INCIDENT_PATHS_DROP_OTHERS, \
	  "DELETE FROM incident_paths WHERE incident_id = ?1 AND instr(?2, char(10) || path || char(10)) = 0") \
	X(INCIDENT_PATH_PUT, "INSERT OR IGNORE INTO incident_paths(incident_id, path) VALUES (?1, ?2)") \
	X(SERVICES_LIST, \
	  "SELECT s.name, coalesce(t.name, ''), coalesce(r.name, ''), (SELECT group_concat(glob, char(10))" \
	  "  FROM (SELECT glob FROM service_globs g WHERE g.service_id = s.id ORDER BY position))" \
	  " FROM services s LEFT JOIN teams t ON t.id = s.team_id" \
	  " LEFT JOIN rotations r ON r.id = s.rotation_id ORDER BY s.name COLLATE NOCASE") \
	X(ROTATIONS_LIST, \
	  "SELECT r.name, count(x.rowid), min(x.starts_at), max(x.ends_at)," \
	  " count(DISTINCT x.person_id), (SELECT count(*) FROM services s WHERE s.rotation_id = r.id)" \
	  " FROM rotations r LEFT JOIN shifts x ON x.rotation_id = r.id" \
	  " GROUP BY r.id ORDER BY r.name COLLATE NOCASE") \
	X(INCIDENTS_LIST, \
	  "SELECT i.id, i.title, coalesce(s.name, ''), i.severity, i.started_at, i.resolved_at," \
	  " i.status, (SELECT group_concat(path, char(10)) FROM" \
	  "  (SELECT path FROM incident_paths p WHERE p.incident_id = i.id ORDER BY path)), i.url" \
	  " FROM incidents i LEFT JOIN services s ON s.id = i.service_id" \
	  " WHERE i.started_at >= ?1 AND i.started_at <= ?2 ORDER BY i.started_at DESC, i.id") \
	X(CODEOWNERS_PUT, \
	  "INSERT INTO codeowners_files(repo_id, origin, content) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT(repo_id) DO UPDATE SET origin = excluded.origin, content = excluded.content" \
	  " WHERE origin IS NOT excluded.origin OR content IS NOT excluded.content") \
	X(CODEOWNERS_DROP, "DELETE FROM codeowners_files WHERE repo_id = ?1") \
	X(CODEOWNERS_GET, "SELECT origin, content FROM codeowners_files WHERE repo_id = ?1") \
	/* "+repo_id": scan commits in id order rather than through the \
	 * by-time index and a sort (a third of the time on 33k commits). */ \
	X(ROWS_COMMITS, \
	  "SELECT id, oid, author_name, author_email, author_time, parent_count, ai_assisted, subject" \
	  " FROM commits WHERE +repo_id = ?1 AND skipped IS NULL ORDER BY id") \
	/* The changes of the repository's commit id range, in key order: \
	 * no per-commit seek; rows of other repositories' or skipped commits \
	 * in that range are dropped by the reader (not among its commits). */ \
	X(ROWS_CHANGES, \
	  "SELECT commit_id, path, old_path, status, added, deleted FROM changes" \
	  " WHERE commit_id BETWEEN (SELECT min(id) FROM commits WHERE repo_id = ?1)" \
	  " AND (SELECT max(id) FROM commits WHERE repo_id = ?1) ORDER BY commit_id, seq") \
	X(ROWS_LINE_FILES, "SELECT path, lines FROM line_files WHERE repo_id = ?1 ORDER BY path") \
	X(ROWS_LINE_RUNS, \
	  "SELECT path, commit_id, count FROM line_runs WHERE repo_id = ?1 ORDER BY path, start") \
	X(ROWS_PEOPLE, \
	  "SELECT p.id, p.name, coalesce(t.name, ''), p.left_on, p.is_bot, p.on_roster" \
	  " FROM people p LEFT JOIN teams t ON t.id = p.team_id ORDER BY p.id") \
	X(ROWS_EMAILS, "SELECT email, person_id FROM person_emails ORDER BY person_id, email") \
	X(ROWS_HANDLES, "SELECT handle, person_id FROM person_handles ORDER BY person_id, handle") \
	X(ROWS_ROTATIONS, "SELECT id, name FROM rotations ORDER BY name COLLATE NOCASE") \
	X(ROWS_SHIFTS, \
	  "SELECT rotation_id, person_id, starts_at, ends_at, level FROM shifts" \
	  " ORDER BY rotation_id, starts_at, level, person_id") \
	X(ROWS_SERVICES, \
	  "SELECT s.id, s.name, coalesce(t.name, ''), coalesce(s.rotation_id, 0) FROM services s" \
	  " LEFT JOIN teams t ON t.id = s.team_id ORDER BY s.name COLLATE NOCASE") \
	X(ROWS_GLOBS, "SELECT service_id, glob FROM service_globs ORDER BY position") \
	X(ROWS_INCIDENTS, \
	  "SELECT id, title, coalesce(service_id, 0), severity, started_at, status" \
	  " FROM incidents ORDER BY started_at, id") \
	X(ROWS_INCIDENT_PATHS, "SELECT incident_id, path FROM incident_paths ORDER BY incident_id, path") \
	X(AUTHORS, \
	  "WITH sel AS (" \
	  "  SELECT id, lower(author_email) AS k, author_name, author_email, author_time, committer_time" \
	  "  FROM commits WHERE repo_id = ?1 AND parent_count < 2 AND skipped IS NULL" \
	  "  AND author_time >= ?2 AND author_time <= ?3)," \
	  " touch AS (" \
	  "  SELECT x.commit_id AS id, x.path, x.added, x.deleted FROM changes x" \
	  "  JOIN sel ON sel.id = x.commit_id" \
	  "  WHERE ?4 = '' OR x.path = ?4 OR (x.path >= ?4 || '/' AND x.path < ?4 || '0'))," \
	  " per_commit AS (" \
	  "  SELECT sel.*, coalesce(sum(t.added), 0) AS a, coalesce(sum(t.deleted), 0) AS d," \
	  "  count(t.id) AS n FROM sel LEFT JOIN touch t ON t.id = sel.id GROUP BY sel.id)," \
	  " kept AS (SELECT * FROM per_commit WHERE ?4 = '' OR n > 0)," \
	  " names AS (SELECT k, author_name, author_email, row_number() OVER (" \
	  "  PARTITION BY k ORDER BY author_time DESC, committer_time DESC, id DESC) AS rn FROM kept)," \
	  " files AS (SELECT sel.k, count(DISTINCT t.path) AS f FROM touch t" \
	  "  JOIN sel ON sel.id = t.id GROUP BY sel.k)" \
	  " SELECT nm.author_name, nm.author_email, count(*), sum(kept.a), sum(kept.d)," \
	  " coalesce(files.f, 0), min(kept.author_time), max(kept.author_time)" \
	  " FROM kept JOIN names nm ON nm.k = kept.k AND nm.rn = 1" \
	  " LEFT JOIN files ON files.k = kept.k" \
	  " GROUP BY kept.k ORDER BY count(*) DESC, sum(kept.a) + sum(kept.d) DESC, kept.k")

enum store_stmt {
#define X(name, sql) STMT_##name,
	STORE_STATEMENTS(X)
#undef X
	STMT__COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[STMT__COUNT];
	int txn_depth; /* 1 while this connection holds an open transaction */
	int64_t changes_at_begin; /* sqlite3_total_changes64 when an import began */
};

/* The prepared statement `id`, reset and with its bindings cleared;
 * prepared on first use.  NULL (with the last error set) on failure. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id);
/* The same with a repository's id bound as ?1, as most statements take it. */
sqlite3_stmt *store_stmt_repo(struct store *st, enum store_stmt id, int64_t repo_id);

/* Sets the last error from the connection: "PATH: what: sqlite message". */
int store_db_error(struct store *st, const char *what);

/* Runs a statement that returns no rows; 0 or CARRY_ERR. */
int store_step_done(struct store *st, sqlite3_stmt *s, const char *what);

int store_txn_begin(struct store *st);
int store_txn_commit(struct store *st);
void store_txn_rollback(struct store *st);

/* Brings the schema to store_schema_version(), one transaction a step. */
int store_migrate(struct store *st);

/* Steps `s` (already bound; may be NULL after a failed store_stmt) and
 * fills `out` with its rows, column c into cols[c]; resets `s`. */
int store_fill_table(struct store *st, sqlite3_stmt *s, const struct table_col *cols,
                     size_t ncols, struct table *out, const char *what);

/* Binds a text value or NULL. */
void store_bind_text(sqlite3_stmt *s, int idx, const char *text);

#endif
