/*
 * The on-call side: importing the files teams already have (roster,
 * services, shifts, iCalendar schedules, incidents, CODEOWNERS) into the
 * store.  Every import is one transaction: any error leaves the database
 * exactly as it was and returns CARRY_EINPUT with "FILE:LINE[:COLUMN]:
 * what is wrong"; with `dry_run` the work is done and rolled back, and the
 * report says what would have changed.
 */
#ifndef CARRY_ONCALL_H
#define CARRY_ONCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/strbuf.h"

struct store;

struct import_report {
	size_t rows;        /* records read from the file */
	int64_t changes;    /* database rows inserted, updated or deleted */
	struct strbuf notes; /* lines worth telling the user (unknown emails); caller frees */
};

/* roster CSV: person_id,name,emails,team,joined_on,left_on,is_bot,handles
 * (emails and handles separated by ';'; dates ISO 8601; is_bot
 * true/false/yes/no/1/0 or empty). */
int import_roster(struct store *st, const char *path, bool dry_run, struct import_report *rep);

/* services CSV: service,team,rotation,path_glob — one row per glob; the
 * file replaces the services table, and its row order is precedence. */
int import_services(struct store *st, const char *path, bool dry_run, struct import_report *rep);

/* shifts CSV: rotation,email,starts_at,ends_at,level.  For each rotation
 * in the file, its shifts starting within the file's time range for it
 * are replaced.  Unknown emails become people not on the roster, and are
 * listed in rep->notes. */
int import_shifts(struct store *st, const char *path, bool dry_run, struct import_report *rep);

/* incidents CSV: incident_id,title,service,severity,started_at,
 * resolved_at,status,paths,url (paths separated by ';'); keyed by
 * incident_id; the service must exist. */
int import_incidents(struct store *st, const char *path, bool dry_run, struct import_report *rep);

/* An iCalendar schedule for rotation `rotation` (NULL: the calendar's
 * X-WR-CALNAME).  Recurring events are expanded within [window_start,
 * window_end).  The rotation's shifts starting within the calendar's
 * time range become exactly the calendar's. */
int import_ics(struct store *st, const char *path, const char *rotation, int64_t window_start,
               int64_t window_end, bool dry_run, struct import_report *rep);

/* A CODEOWNERS file for the repository `repo_id`: kept as written
 * (origin names it in messages); invalid lines — skipped, as GitHub does —
 * are listed in rep->notes as ORIGIN:LINE: what.  An imported file
 * (origin not "HEAD:...") takes precedence over the one a scan finds,
 * until another import replaces it. */
int import_codeowners(struct store *st, int64_t repo_id, const char *origin, const char *buf,
                      size_t len, bool dry_run, struct import_report *rep);

#endif
