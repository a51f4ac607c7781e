/*
 * `carry demo [DIR]`: builds the demo world (src/demo), imports its
 * on-call files into DIR/carry.db (or --db), scans its repository and
 * opens the dashboard on it, as the team would see it at the end of the
 * story (--at / CARRY_NOW: the world ends that day); with --no-tui, or
 * without a terminal, prints the weekly report instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "carry/demo.h"
#include "carry/error.h"
#include "carry/timeutil.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "cli.h"

/* Progress lines come as "demo: ..."; cli_say makes them terminal-safe. */
static void progress(const char *line, void *payload)
{
	(void)payload;
	cli_say(NULL, line);
}

/* Each import is its own transaction, as `carry import` does it. */
static int import_world(struct invocation *inv, const struct demo_world *w)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct store *st = NULL;
	struct import_report rep = { 0 };
	size_t shifts = 0;
	int rc = cli_open_store(inv, &st);
	if (rc == 0)
		rc = cli_import_one(inv, st, "roster", w->roster, NULL, &rep);
	if (rc == 0)
		rc = cli_import_one(inv, st, "services", w->services, NULL, &rep);
	/* The calendars run about ten months back and two ahead: inside the
	 * year either side of --at that `carry import ics` expands. */
	for (size_t i = 0; i < w->ncalendars && rc == 0; i++) {
		rep.rows = 0;
		rc = cli_import_one(inv, st, "ics", w->calendars[i].path, w->calendars[i].rotation, &rep);
		shifts += rep.rows;
	}
	if (rc == 0)
		rc = cli_import_one(inv, st, "incidents", w->incidents, NULL, &rep);
	if (rep.notes.len && !inv->quiet)
		cli_print_notes(rep.notes.ptr);
	sb_free(&rep.notes);
	store_close(st);
	if (rc == 0 && !inv->quiet) {
		struct strbuf msg = STRBUF_INIT;
		sb_addf(&msg, "imported the roster, %zu services, %zu shifts of %zu rotations and %zu "
		        "incidents into %s in %.1f s", w->service_count, shifts, w->ncalendars,
		        w->incident_count, inv->db, seconds_since(&t0));
		cli_say("demo", msg.ptr);
		sb_free(&msg);
	}
	return rc;
}

int cmd_demo(struct invocation *inv)
{
	static const char *const own_db[] = { "carry.db", "carry.db-wal", "carry.db-shm",
		                                  "carry.db-journal" };
	const char *dir = inv->nargs ? inv->args[0] : "carry-demo";
	struct strbuf db = STRBUF_INIT;
	bool owns_db = !inv->db || !*inv->db;
	if (owns_db)
		sb_addf(&db, "%s/carry.db", dir);
	else
		sb_adds(&db, inv->db);
	struct demo_options o = {
		.dir = dir, .scale = inv->scale, .seed = inv->seed, .end = inv->now,
		.owned = owns_db ? own_db : NULL, .nowned = owns_db ? sizeof(own_db) / sizeof(*own_db) : 0,
		.progress = inv->quiet ? NULL : progress,
	};
	struct demo_world w;
	int rc = demo_build(&o, &w);
	if (rc < 0)
		goto out;
	inv->db = db.ptr;
	if ((rc = import_world(inv, &w)) < 0)
		goto done;
	inv->repo = w.repo;
	if ((rc = cmd_scan(inv)) < 0)
		goto done;
	inv->has_since = false;
	inv->has_until = false;
	inv->since = INT64_MIN;
	inv->until = INT64_MAX;
	if (inv->no_tui || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		rc = cmd_report(inv);
	else
		rc = cmd_dashboard(inv);
done:
	inv->repo = NULL;
	inv->db = NULL;
	demo_world_free(&w);
out:
	sb_free(&db);
	return rc;
}
