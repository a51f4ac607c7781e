/*
 * `carry import ics FILE --rotation NAME`: an on-call schedule exported as
 * iCalendar (PagerDuty, Opsgenie, Grafana OnCall; read by ical.c).  The
 * calendar covers a time range; the rotation's shifts starting in that
 * range become exactly the calendar's, so importing the same export twice
 * changes nothing and a newer export replaces what it covers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "ical.h"

/* Who a shift belongs to: the ATTENDEE email, else the SUMMARY name. */
static int shift_person(struct store *st, const struct ical_shift *sh, int64_t *person,
                        struct import_report *rep, const char *path)
{
	bool created;
	int rc;
	if (sh->email)
		rc = store_person_by_email(st, sh->email, sh->name, person, &created);
	else if (sh->name)
		rc = store_person_by_name(st, sh->name, person, &created);
	else
		return carry_error(CARRY_EINPUT, "%s:%zu: the event names nobody (no ATTENDEE email, "
		                   "no name in SUMMARY)", path, sh->line);
	if (rc == CARRY_EINPUT) {
		char where[512];
		snprintf(where, sizeof(where), "%s:%zu", path, sh->line);
		return carry_error_prefix(rc, where);
	}
	if (rc == 0 && created)
		sb_addf(&rep->notes, "%s:%zu: %s is not on the roster; kept as an unknown person\n",
		        path, sh->line, sh->email ? sh->email : sh->name);
	return rc;
}

int import_ics(struct store *st, const char *path, const char *rotation, int64_t window_start,
               int64_t window_end, bool dry_run, struct import_report *rep)
{
	struct ical_schedule cal = { 0 };
	int rc = ical_read_file(&cal, path, window_start, window_end);
	if (rc < 0)
		return rc;
	if (!rotation || !*rotation)
		rotation = cal.calendar_name;
	if (!rotation || !*rotation) {
		rc = carry_error(CARRY_EUSAGE, "%s: name the rotation with --rotation NAME (the "
		                 "calendar has no X-WR-CALNAME)", path);
		goto out;
	}
	rep->rows = cal.n;
	struct shift *keep = xmalloc((cal.n ? cal.n : 1) * sizeof(*keep));
	int64_t rot;
	if ((rc = store_import_begin(st)) < 0)
		goto free_keep;
	rc = store_rotation_id(st, rotation, true, &rot);
	for (size_t i = 0; rc == 0 && i < cal.n; i++) {
		const struct ical_shift *sh = &cal.shifts[i];
		keep[i] = (struct shift){ 0, sh->start, sh->end, sh->level };
		rc = shift_person(st, sh, &keep[i].person_id, rep, path);
		if (rc == 0)
			rc = store_shift_put(st, rot, &keep[i]);
	}
	if (rc == 0 && cal.n) {
		qsort(keep, cal.n, sizeof(*keep), shift_cmp);
		rc = store_shifts_keep_only(st, rot, cal.range_start, cal.range_end, keep, cal.n);
	}
	rep->changes = store_import_changes(st);
	int end = store_import_end(st, rc == 0 && !dry_run);
	if (rc == 0)
		rc = end;
free_keep:
	free(keep);
out:
	ical_schedule_free(&cal);
	return rc;
}
