/*
 * On-call schedules from iCalendar (RFC 5545) exports of PagerDuty,
 * Opsgenie and Grafana OnCall, read through libical, turned into shifts.
 *
 * Who a shift belongs to: the ATTENDEE's email (mailto:), else the person
 * named in SUMMARY: PagerDuty "On Call - NAME - SCHEDULE", Opsgenie and
 * Grafana OnCall "NAME" possibly prefixed with a level "[L2] NAME".  The
 * level comes from that prefix, else PRIORITY (1 = primary), else 1.
 *
 * Times: UTC, TZID with the file's VTIMEZONE, TZID naming a known zone
 * (IANA, or a Windows zone name such as "Pacific Standard Time"), all-day
 * (DATE values: whole days in the calendar's zone); floating times are
 * rejected unless the calendar names a default zone (X-WR-TIMEZONE).
 * RRULEs are expanded only within [window_start, window_end) and at most
 * ICAL_MAX_INSTANCES instances per event (and ICAL_MAX_SHIFTS in all), so
 * a FREQ=SECONDLY rule with no end stops quickly; EXDATE removes
 * instances; RECURRENCE-ID overrides replace them; STATUS:CANCELLED
 * events and instances are dropped.  Shifts are half-open [start, end).
 */
#ifndef CARRY_ICAL_H
#define CARRY_ICAL_H

#include <stddef.h>
#include <stdint.h>

#define ICAL_MAX_INSTANCES 20000   /* per recurring event */
#define ICAL_MAX_SHIFTS 500000     /* per file */
#define ICAL_MAX_BYTES (64 << 20)  /* per file */

struct ical_shift {
	char *email;      /* lower-cased ATTENDEE email, or NULL */
	char *name;       /* person's name from SUMMARY/ATTENDEE CN, or NULL */
	int64_t start, end; /* Unix seconds, start < end */
	int level;        /* 1 = primary */
	size_t line;      /* line of the VEVENT's BEGIN, for messages */
};

struct ical_schedule {
	struct ical_shift *shifts;
	size_t n;
	int64_t range_start, range_end; /* covered time range: min start, max end */
	char *calendar_name;            /* X-WR-CALNAME, or NULL */
};

/* Parses a file.  Errors are CARRY_EINPUT "PATH:LINE: what" (a time
 * without a zone and no calendar default; an unknown TZID; a malformed
 * property; an event with end <= start; limits exceeded). */
int ical_read_file(struct ical_schedule *out, const char *path,
                   int64_t window_start, int64_t window_end);
/* Same, from memory; `name` is used in messages. */
int ical_read_buffer(struct ical_schedule *out, const char *name, const char *buf, size_t len,
                     int64_t window_start, int64_t window_end);
void ical_schedule_free(struct ical_schedule *s);

#endif
