/* The store (src/store): opening, schema versions, refusing what it must
 * not touch, the fact sink's transactions, the integrity check and the
 * authors query.  Each test gets a fresh temporary directory; rows the
 * store would never write are planted with sqlite3 directly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/sink.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "carry/table.h"
#include "../../src/store/store_int.h"

typedef char oid_t[CARRY_OID_HEXSZ + 1];

/* ---- fixture ---- */

struct fx {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/carry-test-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/carry.db", f->dir);
	unsetenv("CARRY_DB");
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static void make_oid(oid_t out, unsigned n)
{
	snprintf(out, sizeof(oid_t), "%08x%08x%08x%08x%08x", n, n * 7u, n * 13u, n * 31u, n);
}

static struct store *open_ok(const char *path)
{
	struct store *st = NULL;
	int rc = store_open(&st, path, 0);
	if (rc != 0)
		fail_msg("store_open(%s) = %d: %s", path, rc, carry_error_last());
	assert_non_null(st);
	return st;
}

static int64_t sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		fail_msg("%s: no row (%d: %s)", sql, rc, sqlite3_errmsg(db));
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row as text (caller frees). */
static char *sql_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row", sql);
	const char *v = (const char *)sqlite3_column_text(s, 0);
	char *r = xstrdup(v ? v : "(null)");
	sqlite3_finalize(s);
	return r;
}

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A separate connection to the same file (as another process would see it). */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
	return db;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_add(&sb, buf, n);
	fclose(fp);
	*len = sb.len;
	return sb_detach(&sb);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Stores one commit through the sink interface. */
static void put_commit(struct fact_sink *sink, const char *oid, const char *name,
                       const char *email, int64_t when, oid_t *parents, size_t nparents,
                       const struct change_fact *changes, size_t nchanges, const char *skipped)
{
	struct commit_fact c;
	memset(&c, 0, sizeof(c));
	snprintf(c.oid, sizeof(c.oid), "%s", oid);
	c.author_name = name;
	c.author_email = email;
	c.author_time = when;
	c.author_tz = 120;
	c.committer_time = when + 60;
	c.nparents = nparents;
	c.parents = (const char (*)[CARRY_OID_HEXSZ + 1])parents;
	c.subject = "a subject";
	c.ai_assisted = false;
	c.skipped = skipped;
	int rc = sink->commit(sink->ctx, &c, changes, nchanges);
	if (rc != 0)
		fail_msg("commit %s: %d: %s", oid, rc, carry_error_last());
}

/* What known() reported. */
struct known {
	size_t n;
	oid_t oid[32];
	size_t nparents[32];
	oid_t parents[32][3];
};

static int known_cb(void *payload, const char *oid, const char (*parents)[CARRY_OID_HEXSZ + 1],
                    size_t nparents)
{
	struct known *k = payload;
	assert_true(k->n < 32 && nparents <= 3);
	assert_int_equal(strlen(oid), CARRY_OID_HEXSZ);
	snprintf(k->oid[k->n], sizeof(oid_t), "%s", oid);
	k->nparents[k->n] = nparents;
	for (size_t i = 0; i < nparents; i++)
		snprintf(k->parents[k->n][i], sizeof(oid_t), "%s", parents[i]);
	k->n++;
	return 0;
}

static void get_known(struct fact_sink *sink, struct known *k)
{
	memset(k, 0, sizeof(*k));
	int rc = sink->known(sink->ctx, known_cb, k);
	if (rc != 0)
		fail_msg("known: %d: %s", rc, carry_error_last());
}

/* Finds oid in k; fails when absent. */
static size_t known_find(const struct known *k, const char *oid)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->oid[i], oid) == 0)
			return i;
	fail_msg("commit %s not reported by known()", oid);
	return 0;
}

/* ---- opening ---- */

static void test_open_fresh(void **state)
{
	struct fx *f = *state;
	char path[256];
	snprintf(path, sizeof(path), "%s/nested/deeper/carry.db", f->dir);
	assert_false(exists(path));

	struct store *st = open_ok(path);
	assert_true(exists(path));
	assert_string_equal(store_path(st), path);
	assert_true(store_schema_version() >= 1);
	assert_int_equal(sql_int(st->db, "PRAGMA user_version"), store_schema_version());
	char *mode = sql_text(st->db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(sql_int(st->db, "PRAGMA foreign_keys"), 1);
	static const char *const tables[] = { "repos", "commits", "commit_parents", "changes",
	                                      "scan_problems" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char q[160];
		snprintf(q, sizeof(q), "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
		         tables[i]);
		if (sql_int(st->db, q) != 1)
			fail_msg("table %s missing", tables[i]);
	}

	struct strbuf rep = STRBUF_INIT;
	int rc = store_check(st, &rep);
	if (rc != 0 || rep.len != 0)
		fail_msg("store_check on a fresh database: %d\n%s", rc, sb_str(&rep));
	store_close(st);

	/* Reopening is idempotent: same version, still sound. */
	st = open_ok(path);
	assert_int_equal(sql_int(st->db, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(store_check(st, &rep), 0);
	assert_int_equal(rep.len, 0);
	store_close(st);

	/* Read-only opening of a sound database works. */
	st = NULL;
	assert_int_equal(store_open(&st, path, STORE_READONLY), 0);
	assert_non_null(st);
	assert_int_equal(store_check(st, &rep), 0);
	store_close(st);
	sb_free(&rep);
	store_close(NULL);

	/* Read-only never creates. */
	char missing[256];
	snprintf(missing, sizeof(missing), "%s/missing.db", f->dir);
	st = (struct store *)1;
	assert_true(store_open(&st, missing, STORE_READONLY) < 0);
	assert_null(st);
	assert_false(exists(missing));
}

static void test_open_refuses_newer(void **state)
{
	struct fx *f = *state;
	int newer = store_schema_version() + 1;
	sqlite3 *db = raw_open(f->db);
	char sql[128];
	snprintf(sql, sizeof(sql), "CREATE TABLE future(x); PRAGMA user_version = %d;", newer);
	sql_exec(db, sql);
	sqlite3_close(db);

	struct store *st = (struct store *)1;
	carry_error_clear();
	int rc = store_open(&st, f->db, 0);
	assert_true(rc < 0);
	assert_null(st);
	if (!strstr(carry_error_last(), "newer"))
		fail_msg("message does not say 'newer': %s", carry_error_last());
	assert_non_null(strstr(carry_error_last(), f->db));

	/* Nothing was migrated or created in it. */
	db = raw_open(f->db);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), newer);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'future'"), 1);
	sqlite3_close(db);

	/* Read-only is refused too. */
	st = (struct store *)1;
	assert_true(store_open(&st, f->db, STORE_READONLY) < 0);
	assert_null(st);
}

/* A version-1 database (history only, as carry 0.1 wrote it, with a
 * commit in it) is upgraded in place: the on-call tables appear, the
 * history facts are forgotten (version 3 keeps line deltas older scans
 * lack, so the next scan is a full one: HEAD is reset), and the result
 * passes the same check as a fresh one. */
extern const char carry_data_schema[];
static void test_upgrade_from_v1(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = raw_open(f->db);
	sql_exec(db, carry_data_schema);
	sql_exec(db, "PRAGMA user_version = 1;"
	             "INSERT INTO repos(id, path) VALUES (1, '/r');"
	             "INSERT INTO commits(repo_id, oid, author_name, author_email, author_time,"
	             " author_tz, committer_time, parent_count, subject)"
	             " VALUES (1, 'aaaa', 'A', 'a@x', 1, 0, 1, 0, 's');");
	sqlite3_close(db);

	struct store *st = NULL;
	assert_int_equal(store_open(&st, f->db, 0), 0);
	struct strbuf report = STRBUF_INIT;
	int rc = store_check(st, &report);
	if (rc != 0)
		fail_msg("upgraded database fails check: %s", sb_str(&report));
	sb_free(&report);
	store_close(st);

	db = raw_open(f->db);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(sql_int(db, "SELECT count(*) FROM commits"), 0);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM repos WHERE head IS NULL"), 1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'shifts'"), 1);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'line_runs'"), 1);
	sqlite3_close(db);
}

/* A refused database is not written to at all: not migrated, and not
 * switched to WAL either (the header's journal-mode bytes stay as they
 * were; no -wal file appears).  The newer carry that owns it decides. */
static void test_open_newer_untouched(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = raw_open(f->db);
	char sql[128];
	snprintf(sql, sizeof(sql), "CREATE TABLE future(x); PRAGMA user_version = %d;",
	         store_schema_version() + 1);
	sql_exec(db, sql);
	sqlite3_close(db);
	size_t len0, len1;
	char *before = read_file(f->db, &len0);

	struct store *st = (struct store *)1;
	assert_true(store_open(&st, f->db, 0) < 0);
	assert_null(st);
	assert_non_null(strstr(carry_error_last(), "newer"));

	char *after = read_file(f->db, &len1);
	assert_int_equal(len1, len0);
	/* Bytes 18 and 19 of the header: 1 = rollback journal, 2 = WAL. */
	if (memcmp(before, after, len0) != 0)
		fail_msg("refusing a newer database changed it (header bytes 18-19: %d %d -> %d %d)",
		         before[18], before[19], after[18], after[19]);
	char wal[300];
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_false(exists(wal));
	free(before);
	free(after);
}

static void check_garbage_refused(const char *path, const void *data, size_t len)
{
	write_file(path, data, len);
	struct store *st = (struct store *)1;
	carry_error_clear();
	int rc = store_open(&st, path, 0);
	assert_true(rc < 0);
	assert_null(st);
	/* The message names the file. */
	if (!strstr(carry_error_last(), path))
		fail_msg("message does not name %s: %s", path, carry_error_last());

	size_t got_len;
	char *got = read_file(path, &got_len);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, data, len);
	free(got);

	char side[300];
	snprintf(side, sizeof(side), "%s-wal", path);
	assert_false(exists(side));
	snprintf(side, sizeof(side), "%s-journal", path);
	assert_false(exists(side));

	st = (struct store *)1;
	assert_true(store_open(&st, path, STORE_READONLY) < 0);
	assert_null(st);
	got = read_file(path, &got_len);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, data, len);
	free(got);
}

static void test_open_refuses_garbage(void **state)
{
	struct fx *f = *state;
	/* Text that is not a database. */
	struct strbuf text = STRBUF_INIT;
	for (int i = 0; i < 300; i++)
		sb_addf(&text, "line %d: this is not a database, it is a shopping list\n", i);
	check_garbage_refused(f->db, text.ptr, text.len);
	sb_free(&text);

	/* A binary file (every byte value, 8 KiB). */
	char path2[256];
	snprintf(path2, sizeof(path2), "%s/binary.db", f->dir);
	unsigned char bin[8192];
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 131 + 7);
	check_garbage_refused(path2, bin, sizeof(bin));

	/* A SQLite header followed by nonsense. */
	char path3[256];
	snprintf(path3, sizeof(path3), "%s/header.db", f->dir);
	unsigned char hdr[4096];
	memset(hdr, 0xee, sizeof(hdr));
	memcpy(hdr, "SQLite format 3", 16);
	check_garbage_refused(path3, hdr, sizeof(hdr));
}

/* ---- repositories ---- */

static void test_repo_id(void **state)
{
	struct fx *f = *state;
	struct store *st = open_ok(f->db);
	int64_t id = -7, id2 = -7, again = -7;
	assert_int_equal(store_repo_id(st, "/src/project", false, &id), CARRY_ENOTFOUND);
	assert_int_equal(id, -7);
	assert_int_equal(store_repo_id(st, "/src/project", true, &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_repo_id(st, "/src/project", false, &again), 0);
	assert_int_equal(again, id);
	assert_int_equal(store_repo_id(st, "/src/project", true, &again), 0);
	assert_int_equal(again, id);
	/* Keys are exact: a different path (even a prefix) is another repo. */
	assert_int_equal(store_repo_id(st, "/src/project2", false, &id2), CARRY_ENOTFOUND);
	assert_int_equal(store_repo_id(st, "/src/proj", false, &id2), CARRY_ENOTFOUND);
	assert_int_equal(store_repo_id(st, "/src/project2", true, &id2), 0);
	assert_true(id2 > 0 && id2 != id);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM repos"), 2);

	struct repo_state rs;
	assert_int_equal(store_repo_state(st, id, &rs), 0);
	assert_string_equal(rs.head, "");
	assert_string_equal(rs.scan_target, "");
	assert_int_equal(rs.scanned_at, 0);
	assert_int_equal(rs.commits, 0);
	assert_int_equal(store_repo_state(st, id + id2 + 100, &rs), CARRY_ENOTFOUND);
	store_close(st);

	/* Kept across reopening. */
	st = open_ok(f->db);
	assert_int_equal(store_repo_id(st, "/src/project", false, &again), 0);
	assert_int_equal(again, id);
	assert_int_equal(store_repo_id(st, "/src/project2", false, &again), 0);
	assert_int_equal(again, id2);
	store_close(st);
}

/* ---- the sink ---- */

static void test_sink_roundtrip(void **state)
{
	struct fx *f = *state;
	struct store *st = open_ok(f->db);
	int64_t repo, other;
	assert_int_equal(store_repo_id(st, "/repo", true, &repo), 0);
	assert_int_equal(store_repo_id(st, "/other", true, &other), 0);

	oid_t a, b, c, d, x;
	make_oid(a, 1);
	make_oid(b, 2);
	make_oid(c, 3);
	make_oid(d, 4);
	make_oid(x, 99);

	struct store_sink *k = NULL;
	assert_int_equal(store_sink_new(&k, st, repo, 0), 0);
	struct fact_sink *sink = store_sink_iface(k);
	assert_non_null(sink);

	struct known kn;
	get_known(sink, &kn);
	assert_int_equal(kn.n, 0);

	assert_int_equal(sink->begin(sink->ctx, d), 0);
	struct repo_state rs;
	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_string_equal(rs.scan_target, d);
	assert_string_equal(rs.head, "");

	static const struct change_fact ca[] = {
		{ "README", NULL, CHANGE_ADDED, 10, 0, false },
	};
	static const struct change_fact cb[] = {
		{ "src/new.c", "src/old.c", CHANGE_RENAMED, 3, 1, false },
		{ "img/logo.png", NULL, CHANGE_ADDED, 0, 0, true },
		{ "README", NULL, CHANGE_MODIFIED, 2, 2, false },
	};
	static const struct change_fact cc[] = {
		{ "README", NULL, CHANGE_DELETED, 0, 12, false },
		{ "tool", NULL, CHANGE_TYPECHANGE, 1, 1, false },
	};
	oid_t pb[1], pc[1], pd[2];
	memcpy(pb[0], a, sizeof(oid_t));
	memcpy(pc[0], a, sizeof(oid_t));
	memcpy(pd[0], b, sizeof(oid_t));
	memcpy(pd[1], c, sizeof(oid_t));
	put_commit(sink, a, "Ann", "ann@example.com", 1000, NULL, 0, ca, 1, NULL);
	put_commit(sink, b, "Ben", "ben@example.com", 2000, pb, 1, cb, 3, NULL);
	put_commit(sink, c, "Cat", "cat@example.com", 3000, pc, 1, cc, 2, NULL);
	put_commit(sink, d, "Dan", "dan@example.com", 4000, pd, 2, NULL, 0, NULL);
	assert_int_equal(sink->problem(sink->ctx, c, "blob missing"), 0);
	assert_int_equal(sink->problem(sink->ctx, c, "blob missing"), 0); /* once */
	assert_int_equal(sink->problem(sink->ctx, NULL, "shallow"), 0);
	assert_int_equal(sink->flush(sink->ctx), 0);

	/* Durable: another connection sees the flushed commits. */
	sqlite3 *raw = raw_open(f->db);
	assert_int_equal(sql_int(raw, "SELECT count(*) FROM commits"), 4);
	sqlite3_close(raw);

	struct scan_summary sum;
	memset(&sum, 0, sizeof(sum));
	sum.commits_new = 4;
	int64_t before = (int64_t)time(NULL);
	assert_int_equal(sink->finish(sink->ctx, d, &sum), 0);
	int64_t after = (int64_t)time(NULL);

	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_string_equal(rs.head, d);
	assert_string_equal(rs.scan_target, "");
	assert_string_equal(rs.truncated_at, "");
	assert_int_equal(rs.commits, 4);
	assert_true(rs.scanned_at >= before && rs.scanned_at <= after);
	/* The other repository is untouched. */
	assert_int_equal(store_repo_state(st, other, &rs), 0);
	assert_int_equal(rs.commits, 0);
	assert_string_equal(rs.head, "");

	/* known() returns exactly those commits, parents in order. */
	get_known(sink, &kn);
	assert_int_equal(kn.n, 4);
	size_t i = known_find(&kn, a);
	assert_int_equal(kn.nparents[i], 0);
	i = known_find(&kn, b);
	assert_int_equal(kn.nparents[i], 1);
	assert_string_equal(kn.parents[i][0], a);
	i = known_find(&kn, c);
	assert_int_equal(kn.nparents[i], 1);
	assert_string_equal(kn.parents[i][0], a);
	i = known_find(&kn, d);
	assert_int_equal(kn.nparents[i], 2);
	assert_string_equal(kn.parents[i][0], b);
	assert_string_equal(kn.parents[i][1], c);

	/* The facts as stored. */
	char q[512];
	snprintf(q, sizeof(q),
	         "SELECT group_concat(path || '|' || coalesce(old_path, '-') || '|' || status || '|'"
	         " || added || '|' || deleted || '|' || binary, ';') FROM (SELECT x.* FROM changes x"
	         " JOIN commits c ON c.id = x.commit_id WHERE c.oid = '%s' ORDER BY x.seq)", b);
	char *got = sql_text(st->db, q);
	assert_string_equal(got, "src/new.c|src/old.c|R|3|1|0;img/logo.png|-|A|0|0|1;README|-|M|2|2|0");
	free(got);
	snprintf(q, sizeof(q),
	         "SELECT author_name || '|' || author_email || '|' || author_time || '|' || author_tz"
	         " || '|' || committer_time || '|' || parent_count || '|' || subject || '|'"
	         " || ai_assisted || '|' || coalesce(skipped, '-') FROM commits WHERE oid = '%s'", d);
	got = sql_text(st->db, q);
	assert_string_equal(got, "Dan|dan@example.com|4000|120|4060|2|a subject|0|-");
	free(got);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM changes"), 6);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM scan_problems"), 2);

	struct strbuf rep = STRBUF_INIT;
	if (store_check(st, &rep) != 0)
		fail_msg("store_check after a scan:\n%s", sb_str(&rep));

	/* forget removes commits, and cascades to their parents and changes. */
	snprintf(q, sizeof(q), "SELECT id FROM commits WHERE oid = '%s'", b);
	int64_t bid = sql_int(st->db, q);
	oid_t gone[2];
	memcpy(gone[0], d, sizeof(oid_t));
	memcpy(gone[1], b, sizeof(oid_t));
	assert_int_equal(sink->forget(sink->ctx, (const char (*)[CARRY_OID_HEXSZ + 1])gone, 2), 0);
	get_known(sink, &kn);
	assert_int_equal(kn.n, 2);
	known_find(&kn, a);
	i = known_find(&kn, c);
	assert_int_equal(kn.nparents[i], 1);
	assert_string_equal(kn.parents[i][0], a);
	snprintf(q, sizeof(q), "SELECT count(*) FROM changes WHERE commit_id = %lld", (long long)bid);
	assert_int_equal(sql_int(st->db, q), 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM commit_parents WHERE commit_id = %lld",
	         (long long)bid);
	assert_int_equal(sql_int(st->db, q), 0);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM changes"), 3);     /* A's 1 + C's 2 */
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM commit_parents"), 1); /* C -> A */
	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_int_equal(rs.commits, 2);
	/* Forgetting an unknown commit is harmless. */
	assert_int_equal(sink->forget(sink->ctx, (const char (*)[CARRY_OID_HEXSZ + 1])&x, 1), 0);
	get_known(sink, &kn);
	assert_int_equal(kn.n, 2);
	/* Visible to other connections (committed). */
	raw = raw_open(f->db);
	assert_int_equal(sql_int(raw, "SELECT count(*) FROM commits"), 2);
	sqlite3_close(raw);

	sb_reset(&rep);
	if (store_check(st, &rep) != 0)
		fail_msg("store_check after forget:\n%s", sb_str(&rep));
	sb_free(&rep);

	/* A shallow scan records where history was cut. */
	snprintf(sum.truncated_at, sizeof(sum.truncated_at), "%s", a);
	assert_int_equal(sink->begin(sink->ctx, c), 0);
	assert_int_equal(sink->finish(sink->ctx, c, &sum), 0);
	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_string_equal(rs.head, c);
	assert_string_equal(rs.truncated_at, a);
	assert_string_equal(rs.scan_target, "");

	/* forget_all: everything of the repository, and its head. */
	assert_int_equal(store_repo_forget_all(st, repo), 0);
	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_int_equal(rs.commits, 0);
	assert_string_equal(rs.head, "");
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM changes"), 0);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM scan_problems"), 0);
	store_sink_free(k);
	store_close(st);
}

static void test_sink_unflushed_rolled_back(void **state)
{
	struct fx *f = *state;
	struct store *st = open_ok(f->db);
	int64_t repo;
	assert_int_equal(store_repo_id(st, "/repo", true, &repo), 0);
	oid_t o[6];
	for (unsigned i = 0; i < 6; i++)
		make_oid(o[i], 100 + i);
	static const struct change_fact ch[] = { { "f", NULL, CHANGE_MODIFIED, 1, 0, false } };

	/* Default batch: nothing flushed, nothing kept. */
	struct store_sink *k;
	assert_int_equal(store_sink_new(&k, st, repo, 0), 0);
	struct fact_sink *sink = store_sink_iface(k);
	put_commit(sink, o[0], "A", "a@x", 10, NULL, 0, ch, 1, NULL);
	put_commit(sink, o[1], "A", "a@x", 20, &o[0], 1, ch, 1, NULL);
	store_sink_free(k);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM commits"), 0);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM changes"), 0);
	struct repo_state rs;
	assert_int_equal(store_repo_state(st, repo, &rs), 0);
	assert_int_equal(rs.commits, 0);

	/* A batch of 2: the first two are flushed on their own, the third is
	 * pending and dropped. */
	assert_int_equal(store_sink_new(&k, st, repo, 2), 0);
	sink = store_sink_iface(k);
	put_commit(sink, o[2], "A", "a@x", 30, NULL, 0, ch, 1, NULL);
	put_commit(sink, o[3], "A", "a@x", 40, &o[2], 1, ch, 1, NULL);
	put_commit(sink, o[4], "A", "a@x", 50, &o[3], 1, ch, 1, NULL);
	/* Another connection already sees the first batch, not the third. */
	sqlite3 *raw = raw_open(f->db);
	assert_int_equal(sql_int(raw, "SELECT count(*) FROM commits"), 2);
	sqlite3_close(raw);
	store_sink_free(k);
	store_close(st);

	st = open_ok(f->db);
	assert_int_equal(store_sink_new(&k, st, repo, 0), 0);
	sink = store_sink_iface(k);
	struct known kn;
	get_known(sink, &kn);
	assert_int_equal(kn.n, 2);
	known_find(&kn, o[2]);
	size_t i = known_find(&kn, o[3]);
	assert_int_equal(kn.nparents[i], 1);
	assert_string_equal(kn.parents[i][0], o[2]);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM changes"), 2);
	/* The store is usable after a rollback: a new commit and flush land. */
	put_commit(sink, o[5], "A", "a@x", 60, &o[3], 1, ch, 1, NULL);
	assert_int_equal(sink->flush(sink->ctx), 0);
	store_sink_free(k);
	assert_int_equal(sql_int(st->db, "SELECT count(*) FROM commits"), 3);
	struct strbuf rep = STRBUF_INIT;
	if (store_check(st, &rep) != 0)
		fail_msg("store_check:\n%s", sb_str(&rep));
	sb_free(&rep);
	store_close(st);
}

/* ---- check ---- */

static void test_check_findings(void **state)
{
	struct fx *f = *state;
	struct store *st = open_ok(f->db);
	int64_t repo;
	assert_int_equal(store_repo_id(st, "/repo", true, &repo), 0);
	oid_t a, orphan, missing, nopar, merge;
	make_oid(a, 1);
	make_oid(orphan, 2);
	make_oid(missing, 3);
	make_oid(nopar, 4);
	make_oid(merge, 5);
	struct store_sink *k;
	assert_int_equal(store_sink_new(&k, st, repo, 0), 0);
	put_commit(store_sink_iface(k), a, "A", "a@x", 10, NULL, 0, NULL, 0, NULL);
	assert_int_equal(store_sink_iface(k)->flush(store_sink_iface(k)->ctx), 0);
	store_sink_free(k);
	struct strbuf rep = STRBUF_INIT;
	assert_int_equal(store_check(st, &rep), 0);
	assert_int_equal(rep.len, 0);
	store_close(st);

	/* A commit whose parent is not kept, planted behind the store's back. */
	sqlite3 *raw = raw_open(f->db);
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO commits(repo_id, oid, author_name, author_email, author_time, author_tz,"
	         " committer_time, parent_count, subject) VALUES (%lld, '%s', 'X', 'x@x', 20, 0, 20, 1, 's');"
	         "INSERT INTO commit_parents VALUES (last_insert_rowid(), 0, '%s');",
	         (long long)repo, orphan, missing);
	sql_exec(raw, sql);
	sqlite3_close(raw);

	st = open_ok(f->db);
	carry_error_clear();
	assert_int_equal(store_check(st, &rep), CARRY_ERR);
	const char *r = sb_str(&rep);
	const char *line = strstr(r, "commit whose parent is not kept");
	if (!line)
		fail_msg("report does not name the unkept parent:\n%s", r);
	const char *eol = strchr(line, '\n');
	assert_non_null(eol);
	char *l = xstrndup(line, (size_t)(eol - line));
	assert_non_null(strstr(l, orphan));
	assert_non_null(strstr(l, missing));
	free(l);
	/* Only that finding (one line). */
	assert_int_equal(strchr(r, '\n') + 1 - r, (long)rep.len);
	assert_true(strlen(carry_error_last()) > 0);
	store_close(st);

	/* A parent count that disagrees, and a merge that carries changes. */
	raw = raw_open(f->db);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO commits(repo_id, oid, author_name, author_email, author_time, author_tz,"
	         " committer_time, parent_count, subject) VALUES (%lld, '%s', 'X', 'x@x', 30, 0, 30, 1, 's');"
	         "INSERT INTO commits(repo_id, oid, author_name, author_email, author_time, author_tz,"
	         " committer_time, parent_count, subject) VALUES (%lld, '%s', 'X', 'x@x', 40, 0, 40, 2, 's');"
	         "INSERT INTO commit_parents VALUES (last_insert_rowid(), 0, '%s');"
	         "INSERT INTO commit_parents VALUES (last_insert_rowid(), 1, '%s');"
	         "INSERT INTO changes VALUES (last_insert_rowid(), 0, 'f', NULL, 'M', 1, 1, 0, NULL);",
	         (long long)repo, nopar, (long long)repo, merge, a, a);
	sql_exec(raw, sql);
	sqlite3_close(raw);
	st = open_ok(f->db);
	sb_reset(&rep);
	assert_int_equal(store_check(st, &rep), CARRY_ERR);
	r = sb_str(&rep);
	line = strstr(r, "parent count disagrees");
	if (!line)
		fail_msg("report lacks the parent count finding:\n%s", r);
	assert_true(strstr(line, nopar) && strstr(line, nopar) < strchr(line, '\n'));
	line = strstr(r, "merge commit with changes");
	if (!line)
		fail_msg("report lacks the merge finding:\n%s", r);
	assert_true(strstr(line, merge) && strstr(line, merge) < strchr(line, '\n'));
	assert_non_null(strstr(r, "commit whose parent is not kept"));
	store_close(st);

	/* A schema that differs from the one this build creates. */
	raw = raw_open(f->db);
	sql_exec(raw, "DELETE FROM changes; DELETE FROM commit_parents; DELETE FROM commits;"
	              " DROP INDEX commits_by_time;");
	sqlite3_close(raw);
	st = open_ok(f->db);
	sb_reset(&rep);
	assert_int_equal(store_check(st, &rep), CARRY_ERR);
	if (!strstr(sb_str(&rep), "schema"))
		fail_msg("report lacks the schema finding:\n%s", sb_str(&rep));
	sb_free(&rep);
	store_close(st);
}

/* ---- authors ---- */

struct author_row {
	const char *name, *email;
	int64_t commits, added, deleted, files, first, last;
};

static void expect_authors(struct store *st, int64_t repo, const char *path, int64_t since,
                           int64_t until, const struct author_row *want, size_t nwant,
                           bool check_names)
{
	struct table t;
	int rc = store_authors(st, repo, path, since, until, &t);
	if (rc != 0)
		fail_msg("store_authors(%s): %d: %s", path ? path : "NULL", rc, carry_error_last());
	static const char *const keys[] = { "name", "email", "commits", "added", "deleted",
	                                    "files", "first", "last" };
	assert_int_equal(t.ncols, 8);
	for (size_t c = 0; c < 8; c++)
		assert_string_equal(t.cols[c].key, keys[c]);
	assert_int_equal(t.cols[6].type, COL_TIME);
	assert_int_equal(t.cols[7].type, COL_TIME);
	assert_int_equal(t.cols[2].type, COL_INT);
	if (t.nrows != nwant)
		fail_msg("path '%s' [%lld, %lld]: %zu rows, want %zu", path ? path : "NULL",
		         (long long)since, (long long)until, t.nrows, nwant);
	for (size_t r = 0; r < nwant; r++) {
		const struct author_row *w = &want[r];
		const struct table_cell *row = table_at(&t, r, 0);
		if (check_names) {
			if (strcmp(row[0].s, w->name) != 0 || strcmp(row[1].s, w->email) != 0)
				fail_msg("path '%s' row %zu: %s <%s>, want %s <%s>", path ? path : "NULL", r,
				         row[0].s, row[1].s, w->name, w->email);
		} else {
			assert_true(strcasecmp(row[1].s, w->email) == 0);
		}
		int64_t got[6] = { row[2].i, row[3].i, row[4].i, row[5].i, row[6].i, row[7].i };
		int64_t exp[6] = { w->commits, w->added, w->deleted, w->files, w->first, w->last };
		static const char *const what[] = { "commits", "added", "deleted", "files",
		                                     "first", "last" };
		for (size_t c = 0; c < 6; c++) {
			assert_false(row[c + 2].null);
			if (got[c] != exp[c])
				fail_msg("path '%s' [%lld, %lld] %s: %s = %lld, want %lld",
				         path ? path : "NULL", (long long)since, (long long)until, w->email,
				         what[c], (long long)got[c], (long long)exp[c]);
		}
	}
	table_free(&t);
}

static void test_authors(void **state)
{
	struct fx *f = *state;
	struct store *st = open_ok(f->db);
	int64_t repo, repo2;
	assert_int_equal(store_repo_id(st, "/repo", true, &repo), 0);
	assert_int_equal(store_repo_id(st, "/repo2", true, &repo2), 0);

	oid_t c[8];
	for (unsigned i = 0; i < 8; i++)
		make_oid(c[i], 500 + i);
	static const struct change_fact ch1[] = {
		{ "src/a.c", NULL, CHANGE_MODIFIED, 10, 2, false },
		{ "src/b.c", NULL, CHANGE_ADDED, 5, 0, false },
	};
	static const struct change_fact ch2[] = {
		{ "src2/x", NULL, CHANGE_ADDED, 7, 0, false },
		{ "srcx", NULL, CHANGE_ADDED, 4, 1, false },
		{ "src/sub/deep.c", "lib/deep.c", CHANGE_RENAMED, 2, 2, false },
		{ "src.c", NULL, CHANGE_ADDED, 1, 0, false },
	};
	static const struct change_fact ch3[] = {
		{ "src/a.c", NULL, CHANGE_MODIFIED, 100, 100, false },
	};
	static const struct change_fact ch6[] = {
		{ "src/a.c", NULL, CHANGE_MODIFIED, 1, 1, false },
		{ "docs/x.md", NULL, CHANGE_ADDED, 3, 0, false },
	};
	static const struct change_fact other[] = {
		{ "src/a.c", NULL, CHANGE_MODIFIED, 50, 50, false },
	};

	struct store_sink *k;
	assert_int_equal(store_sink_new(&k, st, repo, 0), 0);
	struct fact_sink *s = store_sink_iface(k);
	oid_t p[2];
	put_commit(s, c[0], "Alice Old", "Alice@Example.com", 1000, NULL, 0, ch1, 2, NULL);
	memcpy(p[0], c[0], sizeof(oid_t));
	put_commit(s, c[1], "Bob", "bob@example.com", 2000, p, 1, ch2, 4, NULL);
	memcpy(p[0], c[1], sizeof(oid_t));
	/* Skipped (malformed) commits count for nothing. */
	put_commit(s, c[2], "Dave", "dave@example.com", 2200, p, 1, ch3, 1, "bad author line");
	memcpy(p[0], c[2], sizeof(oid_t));
	/* A non-merge commit without changes counts as a commit. */
	put_commit(s, c[3], "Erin", "erin@example.com", 2600, p, 1, NULL, 0, NULL);
	/* Merges count for nothing. */
	memcpy(p[0], c[3], sizeof(oid_t));
	memcpy(p[1], c[1], sizeof(oid_t));
	put_commit(s, c[4], "Carol", "carol@example.com", 2500, p, 2, NULL, 0, NULL);
	memcpy(p[0], c[4], sizeof(oid_t));
	put_commit(s, c[5], "Alice New", "alice@example.com", 3000, p, 1, ch6, 2, NULL);
	memcpy(p[0], c[5], sizeof(oid_t));
	memcpy(p[1], c[3], sizeof(oid_t));
	put_commit(s, c[6], "Alice Merge", "ALICE@example.com", 5000, p, 2, NULL, 0, NULL);
	assert_int_equal(s->flush(s->ctx), 0);
	store_sink_free(k);
	/* Another repository's facts never leak in. */
	assert_int_equal(store_sink_new(&k, st, repo2, 0), 0);
	s = store_sink_iface(k);
	put_commit(s, c[7], "Other Repo Alice", "alice@example.com", 4000, NULL, 0, other, 1, NULL);
	assert_int_equal(s->flush(s->ctx), 0);
	store_sink_free(k);

	const int64_t lo = INT64_MIN, hi = INT64_MAX;
	const struct author_row all[] = {
		{ "Alice New", "alice@example.com", 2, 19, 3, 3, 1000, 3000 },
		{ "Bob", "bob@example.com", 1, 14, 3, 4, 2000, 2000 },
		{ "Erin", "erin@example.com", 1, 0, 0, 0, 2600, 2600 },
	};
	expect_authors(st, repo, "", lo, hi, all, 3, true);
	expect_authors(st, repo, NULL, lo, hi, all, 3, true);

	/* A directory subtree: "src" is src/ and below, not src2/, srcx or src.c. */
	const struct author_row src[] = {
		{ "Alice New", "alice@example.com", 2, 16, 3, 2, 1000, 3000 },
		{ "Bob", "bob@example.com", 1, 2, 2, 1, 2000, 2000 },
	};
	expect_authors(st, repo, "src", lo, hi, src, 2, true);
	const struct author_row src_sub[] = {
		{ "Bob", "bob@example.com", 1, 2, 2, 1, 2000, 2000 },
	};
	expect_authors(st, repo, "src/sub", lo, hi, src_sub, 1, true);
	/* A file. */
	const struct author_row a_c[] = {
		{ "Alice New", "alice@example.com", 2, 11, 3, 1, 1000, 3000 },
	};
	expect_authors(st, repo, "src/a.c", lo, hi, a_c, 1, true);
	const struct author_row src2[] = {
		{ "Bob", "bob@example.com", 1, 7, 0, 1, 2000, 2000 },
	};
	expect_authors(st, repo, "src2", lo, hi, src2, 1, true);
	const struct author_row srcx[] = {
		{ "Bob", "bob@example.com", 1, 4, 1, 1, 2000, 2000 },
	};
	expect_authors(st, repo, "srcx", lo, hi, srcx, 1, true);
	const struct author_row srcdotc[] = {
		{ "Bob", "bob@example.com", 1, 1, 0, 1, 2000, 2000 },
	};
	expect_authors(st, repo, "src.c", lo, hi, srcdotc, 1, true);
	const struct author_row docs[] = {
		{ "Alice New", "alice@example.com", 1, 3, 0, 1, 3000, 3000 },
	};
	expect_authors(st, repo, "docs", lo, hi, docs, 1, true);
	expect_authors(st, repo, "docs/x.md", lo, hi, docs, 1, true);
	/* No match: a bare prefix of a name, a missing path, a rename's old path. */
	expect_authors(st, repo, "sr", lo, hi, NULL, 0, true);
	expect_authors(st, repo, "src/a", lo, hi, NULL, 0, true);
	expect_authors(st, repo, "nope", lo, hi, NULL, 0, true);
	expect_authors(st, repo, "lib", lo, hi, NULL, 0, true);

	/* Time bounds, inclusive at both ends. */
	const struct author_row mid[] = {
		{ "Bob", "bob@example.com", 1, 14, 3, 4, 2000, 2000 },
		{ "Erin", "erin@example.com", 1, 0, 0, 0, 2600, 2600 },
	};
	expect_authors(st, repo, "", 2000, 2999, mid, 2, true);
	const struct author_row late[] = {
		{ "Alice New", "alice@example.com", 1, 4, 1, 2, 3000, 3000 },
		{ "Erin", "erin@example.com", 1, 0, 0, 0, 2600, 2600 },
	};
	expect_authors(st, repo, "", 2001, hi, late, 2, true);
	expect_authors(st, repo, "", 2001, 3000, late, 2, true);
	const struct author_row early[] = {
		{ "Alice Old", "alice@example.com", 1, 15, 2, 2, 1000, 1000 },
	};
	expect_authors(st, repo, "", lo, 1000, early, 1, false);
	expect_authors(st, repo, "", 1000, 1000, early, 1, false);
	expect_authors(st, repo, "", lo, 999, NULL, 0, true);
	/* Only the merge lies after 3000; only the skipped commit at 2200. */
	expect_authors(st, repo, "", 3001, hi, NULL, 0, true);
	expect_authors(st, repo, "", 2200, 2200, NULL, 0, true);
	/* Path and time together. */
	const struct author_row src_late[] = {
		{ "Alice New", "alice@example.com", 1, 1, 1, 1, 3000, 3000 },
	};
	expect_authors(st, repo, "src", 2001, hi, src_late, 1, true);

	/* An unknown repository id has no authors. */
	expect_authors(st, repo + repo2 + 100, "", lo, hi, NULL, 0, true);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_newer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_newer_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repo_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink_unflushed_rolled_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_authors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
