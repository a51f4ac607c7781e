/*
 * Times are int64 Unix seconds (UTC) everywhere inside carry.  These
 * functions parse what users type (ISO 8601, relative spans such as 7d)
 * and format what carry prints (ISO 8601 UTC, as DESIGN.md requires).
 */
#ifndef CARRY_TIMEUTIL_H
#define CARRY_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (no time zone). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

/* The proleptic Gregorian date of a day number (days since 1970-01-01):
 * the inverse of days_from_civil. */
void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parses an ISO 8601 date ("2024-03-01"), date-time with Z or +hh:mm /
 * -hhmm offset, or a date-time without a zone (taken as UTC).  A bare
 * date means 00:00 UTC.  Returns 0 and sets *out, or CARRY_EUSAGE. */
int time_parse_iso(const char *s, int64_t *out);

/* Parses --since/--until values: ISO 8601 as above, or a span back from
 * `now`: N followed by h (hours), d (days), w (weeks), m (30-day months)
 * or y (365-day years). */
int time_parse_when(const char *s, int64_t now, int64_t *out);

/* "now" for the whole run: CARRY_NOW when set (ISO 8601), else the clock. */
int time_now(int64_t *out);

struct timespec;
/* Seconds elapsed on the monotonic clock since *t (progress lines). */
double seconds_since(const struct timespec *t);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) into buf. */
void time_format_iso(int64_t t, char buf[static 21]);
/* Writes "YYYY-MM-DD" (11 bytes with NUL) of the UTC day into buf. */
void time_format_date(int64_t t, char buf[static 11]);

#endif
