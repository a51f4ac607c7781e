/* iCalendar schedules (src/oncall/ical.c): PagerDuty, Opsgenie and Grafana
 * OnCall exports (tests/data/ical/), line folding (also inside a UTF-8
 * character), VTIMEZONE with DST gap and overlap, Windows and IANA zone
 * names, UTC, floating and all-day times, RRULE (COUNT, UNTIL, bombs),
 * EXDATE, RECURRENCE-ID overrides, cancellations, levels, the window, and
 * hostile or broken files with their FILE:LINE messages.  Every expected
 * UTC time was worked out by hand from the zone rules (America/New_York:
 * DST 2024-03-10 07:00Z to 2024-11-03 06:00Z; Europe/Berlin: 2024-03-31
 * 01:00Z to 2024-10-27 01:00Z; America/Los_Angeles: -07:00 in July). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "carry/error.h"
#include "carry/strbuf.h"
#include "carry/timeutil.h"
#include "../../src/oncall/ical.h"
#include "../../src/oncall/winzones.h"

#ifndef CARRY_TEST_DATA
#define CARRY_TEST_DATA "tests/data"
#endif

/* ---- helpers ---- */

static int64_t T(const char *iso)
{
	int64_t t;
	if (time_parse_iso(iso, &t) != 0)
		fail_msg("bad time in test: %s", iso);
	return t;
}

/* One line per shift: "email|name|start|end|level" ("-" for NULL). */
static char *dump(const struct ical_schedule *s)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < s->n; i++) {
		const struct ical_shift *x = &s->shifts[i];
		char a[21], b[21];
		time_format_iso(x->start, a);
		time_format_iso(x->end, b);
		sb_addf(&sb, "%s|%s|%s|%s|%d\n", x->email ? x->email : "-", x->name ? x->name : "-",
		        a, b, x->level);
	}
	char *d = sb_detach(&sb);
	return d ? d : strdup("");
}

static void expect_dump(const struct ical_schedule *s, const char *want)
{
	char *got = dump(s);
	if (strcmp(got, want) != 0) {
		print_error("got:\n%s\nwant:\n%s\n", got, want);
		free(got);
		fail();
	}
	free(got);
}

static void read_ok(struct ical_schedule *s, const char *ics, int64_t ws, int64_t we)
{
	int rc = ical_read_buffer(s, "t.ics", ics, strlen(ics), ws, we);
	if (rc != 0)
		fail_msg("ical_read_buffer failed: %s", carry_error_last());
}

/* The whole calendar over a wide window must give exactly `want`. */
static void expect_shifts(const char *ics, const char *want)
{
	struct ical_schedule s;
	read_ok(&s, ics, T("2000-01-01"), T("2100-01-01"));
	expect_dump(&s, want);
	ical_schedule_free(&s);
}

static void expect_shifts_in(const char *ics, const char *ws, const char *we, const char *want)
{
	struct ical_schedule s;
	read_ok(&s, ics, T(ws), T(we));
	expect_dump(&s, want);
	ical_schedule_free(&s);
}

/* Reading must fail with CARRY_EINPUT and a message starting with `prefix`
 * ("t.ics:LINE: ") and containing `part`. */
static void expect_error(const char *ics, size_t len, const char *prefix, const char *part)
{
	struct ical_schedule s;
	int rc = ical_read_buffer(&s, "t.ics", ics, len, T("2000-01-01"), T("2100-01-01"));
	const char *msg = carry_error_last();
	if (rc != CARRY_EINPUT)
		fail_msg("want error \"%s...%s\", got rc %d (%zu shifts)", prefix, part, rc, s.n);
	if (strncmp(msg, prefix, strlen(prefix)) != 0 || !strstr(msg, part))
		fail_msg("want error \"%s...%s\", got \"%s\"", prefix, part, msg);
	assert_int_equal(s.n, 0);
	assert_null(s.shifts);
	assert_null(s.calendar_name);
}

static void expect_error_s(const char *ics, const char *prefix, const char *part)
{
	expect_error(ics, strlen(ics), prefix, part);
}

/* CPU seconds: the bounds below are about work done, and must not fail on
 * a loaded machine.  (Under valgrind they do fail: it is 20-50 times slower.) */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A calendar around some events. */
#define CAL(...) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" __VA_ARGS__ "END:VCALENDAR\r\n"
/* line 4 is the first line inside CAL() */

static const char NY_VTIMEZONE[] =
	"BEGIN:VTIMEZONE\r\n"
	"TZID:America/New_York\r\n"
	"BEGIN:DAYLIGHT\r\n"
	"TZOFFSETFROM:-0500\r\n"
	"TZOFFSETTO:-0400\r\n"
	"TZNAME:EDT\r\n"
	"DTSTART:19700308T020000\r\n"
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"
	"END:DAYLIGHT\r\n"
	"BEGIN:STANDARD\r\n"
	"TZOFFSETFROM:-0400\r\n"
	"TZOFFSETTO:-0500\r\n"
	"TZNAME:EST\r\n"
	"DTSTART:19701101T020000\r\n"
	"RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"
	"END:STANDARD\r\n"
	"END:VTIMEZONE\r\n";

/* ---- vendor exports ---- */

static void test_pagerduty_export(void **state)
{
	(void)state;
	struct ical_schedule s;
	int rc = ical_read_file(&s, CARRY_TEST_DATA "/ical/pagerduty.ics", T("2023-01-01"),
	                        T("2025-01-01"));
	if (rc != 0)
		fail_msg("%s", carry_error_last());
	/* two feeds (Primary, and Secondary with PRIORITY:2), weekly Monday
	 * 17:00Z hand-offs, a PagerDuty override (Dave) splitting Carol's week;
	 * ATTENDEE with CN and mailto:, or bare as PagerDuty writes it */
	expect_dump(&s,
		"jane.doe@example.com|Jane Doe|2024-01-01T17:00:00Z|2024-01-08T17:00:00Z|1\n"
		"bob.smith@example.com|Bob Smith|2024-01-01T17:00:00Z|2024-01-08T17:00:00Z|2\n"
		"bob.smith@example.com|Bob Smith|2024-01-08T17:00:00Z|2024-01-15T17:00:00Z|1\n"
		"carol.diaz@example.com|Carol Diaz|2024-01-08T17:00:00Z|2024-01-15T17:00:00Z|2\n"
		"carol.diaz@example.com|Carol Diaz|2024-01-15T17:00:00Z|2024-01-17T09:00:00Z|1\n"
		"jane.doe@example.com|Jane Doe|2024-01-15T17:00:00Z|2024-01-22T17:00:00Z|2\n"
		"dave.kim@example.com|Dave Kim|2024-01-17T09:00:00Z|2024-01-17T17:00:00Z|1\n"
		"carol.diaz@example.com|Carol Diaz|2024-01-17T17:00:00Z|2024-01-22T17:00:00Z|1\n"
		"jane.doe@example.com|Jane Doe|2024-01-22T17:00:00Z|2024-01-29T17:00:00Z|1\n"
		"bob.smith@example.com|Bob Smith|2024-01-22T17:00:00Z|2024-01-29T17:00:00Z|2\n");
	assert_string_equal(s.calendar_name, "On Call Schedule for Payments Primary");
	assert_int_equal(s.range_start, T("2024-01-01T17:00:00Z"));
	assert_int_equal(s.range_end, T("2024-01-29T17:00:00Z"));
	assert_int_equal(s.shifts[0].line, 6);      /* BEGIN:VEVENT of Jane's first week */
	assert_int_equal(s.shifts[1].line, 60);     /* in the second VCALENDAR */
	ical_schedule_free(&s);
}

static void test_opsgenie_export(void **state)
{
	(void)state;
	struct ical_schedule s;
	int rc = ical_read_file(&s, CARRY_TEST_DATA "/ical/opsgenie.ics", T("2023-01-01"),
	                        T("2025-01-01"));
	if (rc != 0)
		fail_msg("%s", carry_error_last());
	/* SUMMARY is the user; levels from "[L2]" and PRIORITY, the prefix
	 * winning over PRIORITY; Europe/Berlin from the zone database
	 * (09:00 CET = 08:00Z) */
	expect_dump(&s,
		"-|jane|2024-01-05T08:00:00Z|2024-01-12T08:00:00Z|1\n"
		"-|mike|2024-01-05T08:00:00Z|2024-01-12T08:00:00Z|2\n"
		"-|mike|2024-01-12T08:00:00Z|2024-01-19T08:00:00Z|1\n"
		"-|li.wei|2024-01-12T08:00:00Z|2024-01-19T08:00:00Z|2\n"
		"-|jane|2024-01-19T08:00:00Z|2024-01-26T08:00:00Z|1\n");
	assert_string_equal(s.calendar_name, "payments_schedule");
	ical_schedule_free(&s);
}

static void test_grafana_oncall_export(void **state)
{
	(void)state;
	struct ical_schedule s;
	int rc = ical_read_file(&s, CARRY_TEST_DATA "/ical/grafana_oncall.ics", T("2023-01-01"),
	                        T("2025-01-01"));
	if (rc != 0)
		fail_msg("%s", carry_error_last());
	/* weekly rotations with UNTIL (inclusive), a DAILY;COUNT=3 backup at
	 * [L2], and an override (RECURRENCE-ID) giving Jan 10 to dana */
	expect_dump(&s,
		"-|alex|2024-01-01T09:00:00Z|2024-01-01T21:00:00Z|1\n"
		"-|chris|2024-01-01T09:00:00Z|2024-01-02T09:00:00Z|2\n"
		"-|bea|2024-01-02T09:00:00Z|2024-01-02T21:00:00Z|1\n"
		"-|chris|2024-01-02T09:00:00Z|2024-01-03T09:00:00Z|2\n"
		"-|alex|2024-01-03T09:00:00Z|2024-01-03T21:00:00Z|1\n"
		"-|chris|2024-01-03T09:00:00Z|2024-01-04T09:00:00Z|2\n"
		"-|bea|2024-01-04T09:00:00Z|2024-01-04T21:00:00Z|1\n"
		"-|alex|2024-01-05T09:00:00Z|2024-01-05T21:00:00Z|1\n"
		"-|alex|2024-01-08T09:00:00Z|2024-01-08T21:00:00Z|1\n"
		"-|bea|2024-01-09T09:00:00Z|2024-01-09T21:00:00Z|1\n"
		"-|dana|2024-01-10T09:00:00Z|2024-01-10T21:00:00Z|1\n"
		"-|bea|2024-01-11T09:00:00Z|2024-01-11T21:00:00Z|1\n"
		"-|alex|2024-01-12T09:00:00Z|2024-01-12T21:00:00Z|1\n");
	assert_string_equal(s.calendar_name, "Payments On-Call");
	ical_schedule_free(&s);
}

/* ---- people and levels ---- */

static void test_people_and_levels(void **state)
{
	(void)state;
	expect_shifts(CAL(
		/* CN wins over the SUMMARY name; the email is lower-cased */
		"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"SUMMARY:On Call - J. Doe - Primary\r\n"
		"ATTENDEE;CN=\"Doe, Jane\";ROLE=REQ-PARTICIPANT:MAILTO:Jane.Doe@Example.COM\r\n"
		"END:VEVENT\r\n"
		/* no CN: the PagerDuty SUMMARY's name; "On Call - NAME" alone too */
		"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20240101T010000Z\r\nDTEND:20240101T020000Z\r\n"
		"SUMMARY:On Call - Bob Smith\r\nATTENDEE:bob@example.com\r\nEND:VEVENT\r\n"
		/* an ATTENDEE that is no email address is skipped */
		"BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20240101T020000Z\r\nDTEND:20240101T030000Z\r\n"
		"SUMMARY:carol\r\nATTENDEE:urn:uuid:1234\r\nATTENDEE:mailto:carol@example.com\r\n"
		"END:VEVENT\r\n"
		/* [L0] means no level: PRIORITY decides */
		"BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20240101T030000Z\r\nDTEND:20240101T040000Z\r\n"
		"SUMMARY:[L0] dan\r\nPRIORITY:3\r\nEND:VEVENT\r\n"
		/* lower-case prefix, two digits; PRIORITY:0 is "undefined" */
		"BEGIN:VEVENT\r\nUID:e\r\nDTSTART:20240101T040000Z\r\nDTEND:20240101T050000Z\r\n"
		"SUMMARY:[l12]   eve  \r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20240101T050000Z\r\nDTEND:20240101T060000Z\r\n"
		"SUMMARY:frank\r\nPRIORITY:0\r\nEND:VEVENT\r\n"
		/* Grafana: "[L2]" before a PagerDuty-style summary */
		"BEGIN:VEVENT\r\nUID:g\r\nDTSTART:20240101T060000Z\r\nDTEND:20240101T070000Z\r\n"
		"SUMMARY:[L2] On Call - Gina Li - Payments\r\nEND:VEVENT\r\n"
		/* escaped text in SUMMARY */
		"BEGIN:VEVENT\r\nUID:h\r\nDTSTART:20240101T070000Z\r\nDTEND:20240101T080000Z\r\n"
		"SUMMARY:O'Brien\\, Pat\r\nEND:VEVENT\r\n"),
		"jane.doe@example.com|Doe, Jane|2024-01-01T00:00:00Z|2024-01-01T01:00:00Z|1\n"
		"bob@example.com|Bob Smith|2024-01-01T01:00:00Z|2024-01-01T02:00:00Z|1\n"
		"carol@example.com|carol|2024-01-01T02:00:00Z|2024-01-01T03:00:00Z|1\n"
		"-|dan|2024-01-01T03:00:00Z|2024-01-01T04:00:00Z|3\n"
		"-|eve|2024-01-01T04:00:00Z|2024-01-01T05:00:00Z|12\n"
		"-|frank|2024-01-01T05:00:00Z|2024-01-01T06:00:00Z|1\n"
		"-|Gina Li|2024-01-01T06:00:00Z|2024-01-01T07:00:00Z|2\n"
		"-|O'Brien, Pat|2024-01-01T07:00:00Z|2024-01-01T08:00:00Z|1\n");
}

static void test_no_person(void **state)
{
	(void)state;
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"SUMMARY:   \r\nEND:VEVENT\r\n"),
		"t.ics:4: ", "names no person");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"PRIORITY:high\r\nSUMMARY:x\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "PRIORITY must be a number");
}

/* ---- folding ---- */

static void test_folded_lines(void **state)
{
	(void)state;
	/* "Zoë Ångström": folds split ë (C3 AB), Å (C3 85) and ö (C3 B6)
	 * between their bytes, in SUMMARY and in a quoted CN folded with a TAB;
	 * DTSTART and the email are folded too; CRLF and bare LF mixed */
	expect_shifts(
		"BEGIN:VCALENDAR\r\n"
		"VERSION:2.0\n"
		"BEGIN:VEVENT\r\n"
		"UID:fold-1\r\n"
		"DTSTART:2024010\r\n"
		" 1T090000Z\r\n"
		"DTEND:20240101T170000Z\r\n"
		"SUMMARY:On Call - someone else - Primary\r\n"
		"ATTENDEE;CN=\"Zo\xC3\xAB \xC3\x85ngstr\xC3\r\n"
		"\t\xB6m\":mailto:zoe@exam\r\n"
		" ple.com\r\n"
		"END:VEVENT\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:fold-2\r\n"
		"DTSTART:20240102T090000Z\r\n"
		"DTEND:20240102T170000Z\r\n"
		"SUMMARY:[L2] On Call - Zo\xC3\r\n"
		" \xAB \xC3\r\n"
		" \x85ngstr\xC3\r\n"
		" \xB6m - Primary Sched\r\n"
		" ule\r\n"
		"END:VEVENT\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:fold-3\r\n"
		"DTSTART:20240103T090000Z\r\n"
		"DTEND:20240103T170000Z\r\n"
		"SUMMARY:Ren\xC3\r\n"
		" \xA9" "e\r\n"
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n",
		"zoe@example.com|Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m|2024-01-01T09:00:00Z|2024-01-01T17:00:00Z|1\n"
		"-|Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m|2024-01-02T09:00:00Z|2024-01-02T17:00:00Z|2\n"
		"-|Ren\xC3\xA9\x65|2024-01-03T09:00:00Z|2024-01-03T17:00:00Z|1\n");
}

static void test_bad_bytes(void **state)
{
	(void)state;
	/* a fold that drops the second byte of é: invalid UTF-8, reported where
	 * the character starts */
	expect_error_s(CAL("BEGIN:VEVENT\r\nSUMMARY:Ren\xC3\r\n e\r\nEND:VEVENT\r\n"),
	               "t.ics:5:12: ", "invalid UTF-8");
	expect_error_s(CAL("BEGIN:VEVENT\r\nSUMMARY:a\x1B[31mb\r\nEND:VEVENT\r\n"),
	               "t.ics:5:10: ", "control character");
	expect_error_s(CAL("BEGIN:VEVENT\r\nSUMMARY:a\rb\r\nEND:VEVENT\r\n"),
	               "t.ics:5:10: ", "stray carriage return");
	static const char nul[] = "BEGIN:VCALENDAR\r\nX-A:b\0c\r\nEND:VCALENDAR\r\n";
	expect_error(nul, sizeof(nul) - 1, "t.ics:2:6: ", "NUL byte");
	expect_error_s(" BEGIN:VCALENDAR\r\n", "t.ics:1: ", "continuation line");
	/* a BOM is fine */
	expect_shifts("\xEF\xBB\xBF" CAL(""), "");
}

/* ---- zones ---- */

static void test_vtimezone_dst(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	sb_adds(&sb, NY_VTIMEZONE);
	sb_adds(&sb,
		/* 02:30 does not exist on 2024-03-10: the offset before the gap
		 * (-05:00) gives 07:30Z, the 03:30 EDT that follows */
		"BEGIN:VEVENT\r\nUID:gap\r\nSUMMARY:gap\r\n"
		"DTSTART;TZID=America/New_York:20240310T023000\r\n"
		"DTEND;TZID=America/New_York:20240310T090000\r\nEND:VEVENT\r\n"
		/* 01:30 happens twice on 2024-11-03: the first (EDT) is 05:30Z */
		"BEGIN:VEVENT\r\nUID:overlap\r\nSUMMARY:overlap\r\n"
		"DTSTART;TZID=America/New_York:20241103T013000\r\n"
		"DTEND;TZID=America/New_York:20241103T090000\r\nEND:VEVENT\r\n"
		/* Sunday 09:00-17:00 local across both changes */
		"BEGIN:VEVENT\r\nUID:spring\r\nSUMMARY:spring\r\n"
		"DTSTART;TZID=America/New_York:20240303T090000\r\n"
		"DTEND;TZID=America/New_York:20240303T170000\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:fall\r\nSUMMARY:fall\r\n"
		"DTSTART;TZID=America/New_York:20241027T090000\r\n"
		"DTEND;TZID=America/New_York:20241027T170000\r\n"
		"RRULE:FREQ=WEEKLY;UNTIL=20241103T140000Z\r\nEND:VEVENT\r\n"
		/* DTEND: the exact length (39 h over the change) */
		"BEGIN:VEVENT\r\nUID:weekend\r\nSUMMARY:weekend\r\n"
		"DTSTART;TZID=America/New_York:20240309T170000\r\n"
		"DTEND;TZID=America/New_York:20240311T090000\r\nEND:VEVENT\r\n"
		/* DURATION:P1D is a nominal day: 12:00 to 12:00, 23 h */
		"BEGIN:VEVENT\r\nUID:day\r\nSUMMARY:day\r\n"
		"DTSTART;TZID=America/New_York:20240309T120000\r\nDURATION:P1D\r\nEND:VEVENT\r\n"
		"END:VCALENDAR\r\n");
	expect_shifts(sb.ptr,
		"-|spring|2024-03-03T14:00:00Z|2024-03-03T22:00:00Z|1\n"
		"-|day|2024-03-09T17:00:00Z|2024-03-10T16:00:00Z|1\n"
		"-|weekend|2024-03-09T22:00:00Z|2024-03-11T13:00:00Z|1\n"
		"-|gap|2024-03-10T07:30:00Z|2024-03-10T13:00:00Z|1\n"
		"-|spring|2024-03-10T13:00:00Z|2024-03-10T21:00:00Z|1\n"
		"-|spring|2024-03-17T13:00:00Z|2024-03-17T21:00:00Z|1\n"
		"-|fall|2024-10-27T13:00:00Z|2024-10-27T21:00:00Z|1\n"
		"-|overlap|2024-11-03T05:30:00Z|2024-11-03T14:00:00Z|1\n"
		"-|fall|2024-11-03T14:00:00Z|2024-11-03T22:00:00Z|1\n");
	sb_free(&sb);
}

static void test_zone_database_dst(void **state)
{
	(void)state;
	/* the same rule with zones from /usr/share/zoneinfo, no VTIMEZONE in
	 * the file; Berlin's gap is 02:00-03:00 on 2024-03-31 (02:30 is read as
	 * +01:00, 01:30Z), its overlap 02:00-03:00 on 2024-10-27 (02:30 CEST
	 * first, 00:30Z) */
	expect_shifts(CAL(
		"BEGIN:VEVENT\r\nUID:gap\r\nSUMMARY:ny gap\r\n"
		"DTSTART;TZID=America/New_York:20240310T023000\r\n"
		"DTEND;TZID=America/New_York:20240310T040000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:overlap\r\nSUMMARY:ny overlap\r\n"
		"DTSTART;TZID=America/New_York:20241103T013000\r\n"
		"DTEND;TZID=America/New_York:20241103T020000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:bgap\r\nSUMMARY:berlin gap\r\n"
		"DTSTART;TZID=Europe/Berlin:20240331T023000\r\n"
		"DTEND;TZID=Europe/Berlin:20240331T040000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:boverlap\r\nSUMMARY:berlin overlap\r\n"
		"DTSTART;TZID=Europe/Berlin:20241027T023000\r\n"
		"DTEND;TZID=Europe/Berlin:20241027T040000\r\nEND:VEVENT\r\n"),
		"-|ny gap|2024-03-10T07:30:00Z|2024-03-10T08:00:00Z|1\n"
		"-|berlin gap|2024-03-31T01:30:00Z|2024-03-31T02:00:00Z|1\n"
		"-|berlin overlap|2024-10-27T00:30:00Z|2024-10-27T03:00:00Z|1\n"
		"-|ny overlap|2024-11-03T05:30:00Z|2024-11-03T07:00:00Z|1\n");
}

static void test_windows_zones(void **state)
{
	(void)state;
	expect_shifts(CAL(
		"BEGIN:VEVENT\r\nUID:pst\r\nSUMMARY:pst\r\n"
		"DTSTART;TZID=Pacific Standard Time:20240701T090000\r\n"
		"DTEND;TZID=Pacific Standard Time:20240701T170000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:weu\r\nSUMMARY:weu\r\n"
		"DTSTART;TZID=\"W. Europe Standard Time\":20240115T090000\r\n"
		"DTEND;TZID=w. europe standard time:20240115T170000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:ind\r\nSUMMARY:ind\r\n"
		"DTSTART;TZID=India Standard Time:20240115T090000\r\n"
		"DTEND;TZID=India Standard Time:20240115T170000\r\nEND:VEVENT\r\n"
		/* a vendor-prefixed IANA name */
		"BEGIN:VEVENT\r\nUID:moz\r\nSUMMARY:moz\r\n"
		"DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20240701T090000\r\n"
		"DTEND;TZID=/mozilla.org/20050126_1/America/New_York:20240701T170000\r\n"
		"END:VEVENT\r\n"),
		"-|ind|2024-01-15T03:30:00Z|2024-01-15T11:30:00Z|1\n"
		"-|weu|2024-01-15T08:00:00Z|2024-01-15T16:00:00Z|1\n"
		"-|moz|2024-07-01T13:00:00Z|2024-07-01T21:00:00Z|1\n"
		"-|pst|2024-07-01T16:00:00Z|2024-07-02T00:00:00Z|1\n");
	/* a VTIMEZONE of that name in the file wins over the table (Outlook
	 * writes one; here a made-up fixed +01:00) */
	expect_shifts(CAL(
		"BEGIN:VTIMEZONE\r\nTZID:Pacific Standard Time\r\nBEGIN:STANDARD\r\n"
		"DTSTART:16010101T000000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\n"
		"END:STANDARD\r\nEND:VTIMEZONE\r\n"
		"BEGIN:VEVENT\r\nUID:pst\r\nSUMMARY:pst\r\n"
		"DTSTART;TZID=Pacific Standard Time:20240701T090000\r\n"
		"DTEND;TZID=Pacific Standard Time:20240701T170000\r\nEND:VEVENT\r\n"),
		"-|pst|2024-07-01T08:00:00Z|2024-07-01T16:00:00Z|1\n");
}

static void test_every_windows_zone_loads(void **state)
{
	(void)state;
	for (size_t i = 0; i < WINZONES_COUNT; i++) {
		if (!icaltimezone_get_builtin_timezone(winzones[i].iana))
			fail_msg("%s -> %s: not in the zone database", winzones[i].windows,
			         winzones[i].iana);
		for (size_t j = 0; j < i; j++)
			if (strcmp(winzones[i].windows, winzones[j].windows) == 0)
				fail_msg("%s twice", winzones[i].windows);
	}
	assert_true(WINZONES_COUNT >= 100);
}

static void test_unknown_and_hostile_zones(void **state)
{
	(void)state;
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART;TZID=Mars/Olympus_Mons:20240101T090000\r\n"
		"DTEND:20240101T170000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "unknown time zone \"Mars/Olympus_Mons\"");
	/* libical opens ZONEDIR/NAME as given: never a path or the host zone */
	static const char *const hostile[] = {
		"../../../dev/zero", "../../../dev/stdin", "localtime", "posixrules",
		"right/America/New_York", "/etc/passwd", "America/../../../dev/zero",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char ics[512];
		snprintf(ics, sizeof(ics), CAL(
			"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
			"DTSTART;TZID=%s:20240101T090000\r\n"
			"DTEND:20240101T170000Z\r\nEND:VEVENT\r\n"), hostile[i]);
		expect_error_s(ics, "t.ics:7: ", "unknown time zone");
	}
}

static void test_utc_and_floating(void **state)
{
	(void)state;
	/* floating without a calendar zone: refused, at the property's line */
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000\r\nDTEND:20240101T170000\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "DTSTART has no time zone (floating time)");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T170000\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "DTEND has no time zone");
	/* with X-WR-TIMEZONE: local time there (Chicago, -06:00 in January) */
	expect_shifts(CAL(
		"X-WR-TIMEZONE:America/Chicago\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000\r\nDTEND:20240101T170000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:b\r\n"
		"DTSTART:20240102T090000Z\r\nDTEND;TZID=UTC:20240102T170000\r\nEND:VEVENT\r\n"),
		"-|a|2024-01-01T15:00:00Z|2024-01-01T23:00:00Z|1\n"
		"-|b|2024-01-02T09:00:00Z|2024-01-02T17:00:00Z|1\n");
	/* an unknown X-WR-TIMEZONE is reported at its own line when needed */
	expect_error_s(CAL(
		"X-WR-TIMEZONE:Nowhere/Special\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000\r\nDTEND:20240101T170000\r\nEND:VEVENT\r\n"),
		"t.ics:4: ", "unknown time zone \"Nowhere/Special\"");
}

static void test_all_day(void **state)
{
	(void)state;
	/* whole days in Europe/Berlin: DTEND exclusive; without DTEND one day;
	 * a weekend over the DST change is 47 h; a weekly all-day rule keeps
	 * local midnights */
	expect_shifts(CAL(
		"X-WR-TIMEZONE:Europe/Berlin\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:two days\r\n"
		"DTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240103\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:one day\r\n"
		"DTSTART;VALUE=DATE:20240110\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:dst weekend\r\n"
		"DTSTART;VALUE=DATE:20240330\r\nDTEND;VALUE=DATE:20240401\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:weekly\r\n"
		"DTSTART;VALUE=DATE:20240325\r\nDURATION:P1D\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n"),
		"-|two days|2023-12-31T23:00:00Z|2024-01-02T23:00:00Z|1\n"
		"-|one day|2024-01-09T23:00:00Z|2024-01-10T23:00:00Z|1\n"
		"-|weekly|2024-03-24T23:00:00Z|2024-03-25T23:00:00Z|1\n"
		"-|dst weekend|2024-03-29T23:00:00Z|2024-03-31T22:00:00Z|1\n"
		"-|weekly|2024-03-31T22:00:00Z|2024-04-01T22:00:00Z|1\n");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART;VALUE=DATE:20240101\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "all-day date");
	expect_error_s(CAL(
		"X-WR-TIMEZONE:UTC\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART;VALUE=DATE:20240101\r\nDTEND:20240102T000000Z\r\nEND:VEVENT\r\n"),
		"t.ics:9: ", "DTEND is a date-time but DTSTART is a date");
}

/* ---- recurrence ---- */

static void test_rrule_count_until(void **state)
{
	(void)state;
	expect_shifts(CAL(
		"BEGIN:VEVENT\r\nUID:count\r\nSUMMARY:count\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T170000Z\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
		/* UNTIL is inclusive */
		"BEGIN:VEVENT\r\nUID:until\r\nSUMMARY:until\r\n"
		"DTSTART:20240102T090000Z\r\nDTEND:20240102T170000Z\r\n"
		"RRULE:FREQ=WEEKLY;UNTIL=20240116T090000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:until2\r\nSUMMARY:until2\r\n"
		"DTSTART:20240103T090000Z\r\nDTEND:20240103T170000Z\r\n"
		"RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20240131T085959Z\r\nEND:VEVENT\r\n"),
		"-|count|2024-01-01T09:00:00Z|2024-01-01T17:00:00Z|1\n"
		"-|until|2024-01-02T09:00:00Z|2024-01-02T17:00:00Z|1\n"
		"-|until2|2024-01-03T09:00:00Z|2024-01-03T17:00:00Z|1\n"
		"-|count|2024-01-08T09:00:00Z|2024-01-08T17:00:00Z|1\n"
		"-|until|2024-01-09T09:00:00Z|2024-01-09T17:00:00Z|1\n"
		"-|count|2024-01-15T09:00:00Z|2024-01-15T17:00:00Z|1\n"
		"-|until|2024-01-16T09:00:00Z|2024-01-16T17:00:00Z|1\n"
		"-|until2|2024-01-17T09:00:00Z|2024-01-17T17:00:00Z|1\n");
}

static void test_rrule_window(void **state)
{
	(void)state;
	/* a rule from 2015 with no end, read for two weeks of 2024: the
	 * iterator starts near the window (INTERVAL=2 stays aligned), and a
	 * shift straddling the window's start is kept whole */
	const char *ics = CAL(
		"BEGIN:VEVENT\r\nUID:w\r\nSUMMARY:w\r\n"
		"DTSTART:20150105T090000Z\r\nDTEND:20150112T090000Z\r\n"
		"RRULE:FREQ=WEEKLY;INTERVAL=2\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:h\r\nSUMMARY:h\r\n"
		"DTSTART:20150101T010000Z\r\nDTEND:20150101T090000Z\r\n"
		"RRULE:FREQ=HOURLY;INTERVAL=8;COUNT=100000\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:old\r\nSUMMARY:old\r\n"
		"DTSTART:20230101T090000Z\r\nDTEND:20230101T170000Z\r\nEND:VEVENT\r\n");
	struct ical_schedule s;
	read_ok(&s, ics, T("2024-01-10"), T("2024-01-11T12:00:00Z"));
	/* 2015-01-05 + 2 * 235 weeks = 2024-01-08; the HOURLY rule's instance
	 * 8 * k hours after 2015-01-01T01:00Z, with k found by arithmetic */
	expect_dump(&s,
		"-|w|2024-01-08T09:00:00Z|2024-01-15T09:00:00Z|1\n"
		"-|h|2024-01-09T17:00:00Z|2024-01-10T01:00:00Z|1\n"
		"-|h|2024-01-10T01:00:00Z|2024-01-10T09:00:00Z|1\n"
		"-|h|2024-01-10T09:00:00Z|2024-01-10T17:00:00Z|1\n"
		"-|h|2024-01-10T17:00:00Z|2024-01-11T01:00:00Z|1\n"
		"-|h|2024-01-11T01:00:00Z|2024-01-11T09:00:00Z|1\n"
		"-|h|2024-01-11T09:00:00Z|2024-01-11T17:00:00Z|1\n");
	ical_schedule_free(&s);
}

static void test_rrule_bomb(void **state)
{
	(void)state;
	const char *bomb = CAL(
		"BEGIN:VEVENT\r\nUID:bomb\r\nSUMMARY:bomb\r\n"
		"DTSTART:19700101T000000Z\r\nDTEND:19700101T000001Z\r\n"
		"RRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n");
	/* over a month: far more than ICAL_MAX_INSTANCES inside the window,
	 * refused quickly, nothing returned */
	struct ical_schedule s;
	double t0 = now_s();
	int rc = ical_read_buffer(&s, "t.ics", bomb, strlen(bomb), T("2024-01-01"), T("2024-02-01"));
	double took = now_s() - t0;
	assert_int_equal(rc, CARRY_EINPUT);
	assert_string_equal(carry_error_last(),
	                    "t.ics:9: recurrence yields more than 20000 instances inside the window (limit)");
	assert_int_equal(s.n, 0);
	if (took > 0.5)
		fail_msg("the SECONDLY bomb took %.3f s", took);
	/* over ten seconds: exactly those ten seconds */
	t0 = now_s();
	read_ok(&s, bomb, T("2024-01-01T00:00:00Z"), T("2024-01-01T00:00:10Z"));
	took = now_s() - t0;
	assert_int_equal(s.n, 10);
	assert_int_equal(s.shifts[0].start, T("2024-01-01T00:00:00Z"));
	assert_int_equal(s.shifts[9].end, T("2024-01-01T00:00:10Z"));
	ical_schedule_free(&s);
	if (took > 0.5)
		fail_msg("ten seconds of the SECONDLY bomb took %.3f s", took);

	/* the same in a DST zone, floating with X-WR-TIMEZONE, and MINUTELY */
	const char *bomb2 = CAL(
		"X-WR-TIMEZONE:Europe/Berlin\r\n"
		"BEGIN:VEVENT\r\nUID:bomb\r\nSUMMARY:bomb\r\n"
		"DTSTART:19700101T000000\r\nDTEND:19700101T010000\r\n"
		"RRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n");
	t0 = now_s();
	rc = ical_read_buffer(&s, "t.ics", bomb2, strlen(bomb2), T("2024-01-01"), T("2025-01-01"));
	took = now_s() - t0;
	assert_int_equal(rc, CARRY_EINPUT);
	assert_non_null(strstr(carry_error_last(), "more than 20000 instances"));
	if (took > 0.5)
		fail_msg("the MINUTELY bomb took %.3f s", took);

	/* COUNT from 1970: iterated, but only up to the window */
	const char *counted = CAL(
		"BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:c\r\n"
		"DTSTART:19700101T000000Z\r\nDTEND:19700101T010000Z\r\n"
		"RRULE:FREQ=DAILY;COUNT=1000000000\r\nEND:VEVENT\r\n");
	t0 = now_s();
	read_ok(&s, counted, T("2024-01-01"), T("2024-01-03"));
	took = now_s() - t0;
	expect_dump(&s,
		"-|c|2024-01-01T00:00:00Z|2024-01-01T01:00:00Z|1\n"
		"-|c|2024-01-02T00:00:00Z|2024-01-02T01:00:00Z|1\n");
	ical_schedule_free(&s);
	if (took > 0.5)
		fail_msg("DAILY;COUNT from 1970 took %.3f s", took);
}

static void test_rrule_refused(void **state)
{
	(void)state;
	/* libical would walk second by second inside one call */
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240101T000001Z\r\n"
		"RRULE:FREQ=SECONDLY;BYDAY=MO\r\nEND:VEVENT\r\n"),
		"t.ics:9: ", "FREQ=SECONDLY with BY... parts");
	/* never matches: libical would search to the year 20000 */
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n"),
		"t.ics:9: ", "can never match");
	double t0 = now_s();
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10\r\nEND:VEVENT\r\n"),
		"t.ics:9: ", "unsupported combination");
	assert_true(now_s() - t0 < 0.1);
	/* libical's own value errors, at the RRULE's line */
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=2;UNTIL=20240201T000000Z\r\nEND:VEVENT\r\n"),
		"t.ics:9: ", "malformed RRULE");
	/* common rules are not refused */
	expect_shifts_in(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:last weekday\r\n"
		"DTSTART:20240131T090000Z\r\nDTEND:20240131T170000Z\r\n"
		"RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:last friday\r\n"
		"DTSTART:20240126T090000Z\r\nDTEND:20240126T170000Z\r\n"
		"RRULE:FREQ=MONTHLY;BYDAY=-1FR\r\nEND:VEVENT\r\n"),
		"2024-03-01", "2024-05-01",
		"-|last friday|2024-03-29T09:00:00Z|2024-03-29T17:00:00Z|1\n"
		"-|last weekday|2024-03-29T09:00:00Z|2024-03-29T17:00:00Z|1\n"
		"-|last friday|2024-04-26T09:00:00Z|2024-04-26T17:00:00Z|1\n"
		"-|last weekday|2024-04-30T09:00:00Z|2024-04-30T17:00:00Z|1\n");
}

static void test_exdate(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	sb_adds(&sb, NY_VTIMEZONE);
	sb_adds(&sb,
		"BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:x\r\n"
		"DTSTART;TZID=America/New_York:20240304T090000\r\n"
		"DTEND;TZID=America/New_York:20240304T170000\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=6\r\n"
		"EXDATE;TZID=America/New_York:20240311T090000,20240325T090000\r\n"
		"EXDATE:20240401T130000Z\r\n"
		"EXDATE:20240402T130000Z\r\n"          /* matches nothing */
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n");
	expect_shifts(sb.ptr,
		"-|x|2024-03-04T14:00:00Z|2024-03-04T22:00:00Z|1\n"
		"-|x|2024-03-18T13:00:00Z|2024-03-18T21:00:00Z|1\n"
		"-|x|2024-04-08T13:00:00Z|2024-04-08T21:00:00Z|1\n");
	sb_free(&sb);
}

static void test_recurrence_id(void **state)
{
	(void)state;
	expect_shifts(CAL(
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:alice\r\nPRIORITY:2\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T170000Z\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=5\r\nEND:VEVENT\r\n"
		/* moved and given to bob */
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:bob\r\nSEQUENCE:1\r\n"
		"RECURRENCE-ID:20240108T090000Z\r\n"
		"DTSTART:20240108T120000Z\r\nDTEND:20240108T200000Z\r\nEND:VEVENT\r\n"
		/* an older edit of the same instance: the higher SEQUENCE wins */
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:mallory\r\nSEQUENCE:0\r\n"
		"RECURRENCE-ID:20240108T090000Z\r\n"
		"DTSTART:20240108T100000Z\r\nDTEND:20240108T110000Z\r\nEND:VEVENT\r\n"
		/* cancelled: the instance goes */
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:alice\r\nSTATUS:CANCELLED\r\n"
		"RECURRENCE-ID:20240115T090000Z\r\n"
		"DTSTART:20240115T090000Z\r\nDTEND:20240115T170000Z\r\nEND:VEVENT\r\n"
		/* no SUMMARY, no DTEND: alice, level 2, the series' 8 hours */
		"BEGIN:VEVENT\r\nUID:r1\r\n"
		"RECURRENCE-ID:20240122T090000Z\r\nDTSTART:20240123T090000Z\r\nEND:VEVENT\r\n"
		/* STATUS:CANCELLED events are dropped */
		"BEGIN:VEVENT\r\nUID:gone\r\nSUMMARY:gone\r\nSTATUS:CANCELLED\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T170000Z\r\nEND:VEVENT\r\n"
		/* a cancelled series takes its overrides with it */
		"BEGIN:VEVENT\r\nUID:r2\r\nSUMMARY:zed\r\nSTATUS:CANCELLED\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240101T010000Z\r\n"
		"RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:r2\r\nSUMMARY:zed\r\nRECURRENCE-ID:20240102T000000Z\r\n"
		"DTSTART:20240102T000000Z\r\nDTEND:20240102T020000Z\r\nEND:VEVENT\r\n"
		/* an override of a plain event */
		"BEGIN:VEVENT\r\nUID:p\r\nSUMMARY:pat\r\n"
		"DTSTART:20240201T090000Z\r\nDTEND:20240201T170000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:p\r\nSUMMARY:quinn\r\nRECURRENCE-ID:20240201T090000Z\r\n"
		"DTSTART:20240201T100000Z\r\nDTEND:20240201T170000Z\r\nEND:VEVENT\r\n"),
		"-|alice|2024-01-01T09:00:00Z|2024-01-01T17:00:00Z|2\n"
		"-|bob|2024-01-08T12:00:00Z|2024-01-08T20:00:00Z|2\n"
		"-|alice|2024-01-23T09:00:00Z|2024-01-23T17:00:00Z|2\n"
		"-|alice|2024-01-29T09:00:00Z|2024-01-29T17:00:00Z|2\n"
		"-|quinn|2024-02-01T10:00:00Z|2024-02-01T17:00:00Z|1\n");
	/* the override may come before its master; a RECURRENCE-ID with a TZID
	 * matches the instance at that instant */
	expect_shifts(CAL(
		"BEGIN:VEVENT\r\nUID:r3\r\nSUMMARY:[L3] sub\r\n"
		"RECURRENCE-ID;TZID=Europe/Berlin:20240109T100000\r\n"
		"DTSTART:20240109T120000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:r3\r\nSUMMARY:main\r\n"
		"DTSTART:20240102T090000Z\r\nDURATION:PT2H\r\n"
		"RRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"),
		"-|main|2024-01-02T09:00:00Z|2024-01-02T11:00:00Z|1\n"
		"-|sub|2024-01-09T12:00:00Z|2024-01-09T14:00:00Z|3\n"
		"-|main|2024-01-16T09:00:00Z|2024-01-16T11:00:00Z|1\n");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:a\r\n"
		"RECURRENCE-ID;RANGE=THISANDFUTURE:20240108T090000Z\r\n"
		"DTSTART:20240108T120000Z\r\nDTEND:20240108T200000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "THISANDFUTURE");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:a\r\n"
		"RECURRENCE-ID;RANGE=THISANDPAST:20240108T090000Z\r\n"
		"DTSTART:20240108T120000Z\r\nDTEND:20240108T200000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "RECURRENCE-ID with RANGE");
}

static void test_window_filters_every_shift(void **state)
{
	(void)state;
	const char *ics = CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:before\r\n"
		"DTSTART:20240101T000000Z\r\nDTEND:20240102T000000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:straddles\r\n"
		"DTSTART:20240101T120000Z\r\nDTEND:20240103T000000Z\r\nEND:VEVENT\r\n"
		"BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:at end\r\n"
		"DTSTART:20240105T000000Z\r\nDTEND:20240106T000000Z\r\nEND:VEVENT\r\n");
	struct ical_schedule s;
	/* half-open: ending exactly at the window's start, or starting at its
	 * end, is outside */
	read_ok(&s, ics, T("2024-01-02"), T("2024-01-05"));
	expect_dump(&s, "-|straddles|2024-01-01T12:00:00Z|2024-01-03T00:00:00Z|1\n");
	assert_int_equal(s.range_start, T("2024-01-01T12:00:00Z"));
	assert_int_equal(s.range_end, T("2024-01-03T00:00:00Z"));
	ical_schedule_free(&s);
}

/* ---- bad input ---- */

static void test_end_not_after_start(void **state)
{
	(void)state;
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T080000Z\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "DTEND is not after DTSTART");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "DTEND is not after DTSTART");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nDURATION:-PT1H\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "DURATION is not positive");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:4: ", "neither DTEND nor DURATION");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\nDTEND:20240101T080000Z\r\nEND:VEVENT\r\n"),
		"t.ics:4: ", "without DTSTART");
}

static void test_empty_calendar(void **state)
{
	(void)state;
	struct ical_schedule s;
	read_ok(&s, CAL("X-WR-CALNAME:Nobody\r\n"), T("2024-01-01"), T("2025-01-01"));
	assert_int_equal(s.n, 0);
	assert_null(s.shifts);
	assert_int_equal(s.range_start, 0);
	assert_int_equal(s.range_end, 0);
	assert_string_equal(s.calendar_name, "Nobody");
	ical_schedule_free(&s);
	/* trailing blank lines are fine */
	expect_shifts(CAL("") "\r\n\r\n", "");
}

static void test_garbage(void **state)
{
	(void)state;
	expect_error_s("", "t.ics:1: ", "empty file");
	expect_error_s("\r\n\r\n", "t.ics:1: ", "empty file");
	expect_error_s("hello world\nthis is not a calendar\n", "t.ics:1: ",
	               "not an iCalendar file");
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	expect_error(png, sizeof(png) - 1, "t.ics:1:1: ", "invalid UTF-8");
	expect_error_s("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", "t.ics:1: ", "not an iCalendar file");
	/* structure */
	expect_error_s(CAL("BEGIN:VEVENT\r\nSUMMARY:a\r\n"), "t.ics:6: ",
	               "END:VCALENDAR does not match BEGIN:VEVENT (line 4)");
	expect_error_s("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "t.ics:2: ", "BEGIN:VEVENT has no END");
	expect_error_s(CAL("") "X-AFTER:1\r\n", "t.ics:5: ", "after END:VCALENDAR");
	expect_error_s(CAL("this line has no colon\r\n"), "t.ics:4:", "expected ':'");
	expect_error_s(CAL("X-A;P=\"open:x\r\n"), "t.ics:4:7: ", "unterminated quoted");
	expect_error_s(CAL("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), "t.ics:4: ",
	               "BEGIN:VCALENDAR inside another component");
	/* values libical cannot parse, at their property's line */
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:tomorrow\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "malformed DTEND");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:20240230T090000Z\r\nDTEND:20240301T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "not a valid date");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART:99990101T090000Z\r\nDTEND:99990102T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "outside 1900-2200");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\nDTSTART:20240101T090000Z\r\n"
		"DTSTART:20240102T090000Z\r\nDTEND:20240103T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:7: ", "more than one DTSTART");
	expect_error_s(CAL("LAST-MODIFIED:yesterday\r\n"), "t.ics:4: ", "malformed LAST-MODIFIED");
	/* other components are checked for syntax only; empty values libical
	 * refuses but RFC 5545 allows (TEXT) are as good as absent */
	expect_shifts(CAL(
		"METHOD:\r\n"
		"BEGIN:VTODO\r\nDUE:someday\r\nBEGIN:VEVENT\r\nDTSTART:x\r\nEND:VEVENT\r\n"
		"END:VTODO\r\n"
		"BEGIN:X-VENDOR-THING\r\nX-A:1\r\nEND:X-VENDOR-THING\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:\r\nDESCRIPTION:\r\n"
		"ATTENDEE:mailto:a@example.com\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T100000Z\r\n"
		"BEGIN:VALARM\r\nTRIGGER:soon\r\nACTION:DISPLAY\r\nEND:VALARM\r\n"
		"END:VEVENT\r\n"),
		"a@example.com|-|2024-01-01T09:00:00Z|2024-01-01T10:00:00Z|1\n");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\nDTSTART:20240101T090000Z\r\n"
		"DTEND:\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "DTEND has no value");
	expect_error_s(CAL(
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\nDTEND:20240101T100000Z\r\n"
		"DTSTART;VALUE=FOO:20240101T090000Z\r\nEND:VEVENT\r\n"),
		"t.ics:8: ", "Invalid VALUE type for property DTSTART");
	/* properties neither libical nor carry know (IANA tokens) are ignored,
	 * as are unknown parameters and parameter values */
	expect_shifts(CAL(
		"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nFUTURE-PROP:1\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\nSOME-NEW-THING;FOO=bar:baz\r\n"
		"ATTENDEE;ROLE=BOSS;NEWPARAM=1:mailto:a@example.com\r\n"
		"DTSTART:20240101T090000Z\r\nDTEND:20240101T100000Z\r\nEND:VEVENT\r\n"),
		"a@example.com|a|2024-01-01T09:00:00Z|2024-01-01T10:00:00Z|1\n");
}

static void test_limits(void **state)
{
	(void)state;
	/* more than ICAL_MAX_BYTES: refused before reading */
	size_t big = (size_t)ICAL_MAX_BYTES + 1;
	char *buf = malloc(big);
	assert_non_null(buf);
	memset(buf, ' ', big);
	expect_error(buf, big, "t.ics: ", "larger than 64 MiB");
	free(buf);
	/* more VEVENTs than ICAL_MAX_SHIFTS */
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "BEGIN:VCALENDAR\n");
	for (int i = 0; i <= ICAL_MAX_SHIFTS; i++)
		sb_adds(&sb, "BEGIN:VEVENT\nEND:VEVENT\n");
	sb_adds(&sb, "END:VCALENDAR\n");
	char want[64];
	snprintf(want, sizeof(want), "t.ics:%d: ", 2 + 2 * ICAL_MAX_SHIFTS);
	expect_error(sb.ptr, sb.len, want, "more than 500000 events");
	sb_free(&sb);
	/* calendar-level text (libical parses it in one piece) is capped */
	sb_adds(&sb, "BEGIN:VCALENDAR\n");
	for (int i = 0; i < 100000; i++)
		sb_adds(&sb, "X-FILLER:0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\n");
	sb_adds(&sb, "END:VCALENDAR\n");
	expect_error(sb.ptr, sb.len, "t.ics:", "calendar properties and VTIMEZONEs take more than 8 MiB");
	sb_free(&sb);
	/* a hostile VTIMEZONE (libical would expand a SECONDLY rule forever) */
	expect_error_s(CAL(
		"BEGIN:VTIMEZONE\r\nTZID:Bad\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700101T000000\r\n"
		"RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
		"END:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
		"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:a\r\n"
		"DTSTART;TZID=Bad:20240101T090000\r\nDTEND:20240101T170000Z\r\nEND:VEVENT\r\n"),
		"t.ics:4: ", "unsupported RRULE in VTIMEZONE");
}

static void test_read_file_errors(void **state)
{
	(void)state;
	struct ical_schedule s;
	assert_int_equal(ical_read_file(&s, CARRY_TEST_DATA "/ical/no-such-file.ics", 0, 1),
	                 CARRY_EINPUT);
	assert_non_null(strstr(carry_error_last(), "no-such-file.ics: cannot open"));
	assert_int_equal(ical_read_file(&s, CARRY_TEST_DATA "/ical", 0, 1), CARRY_EINPUT);
	assert_non_null(strstr(carry_error_last(), "is a directory"));
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagerduty_export),
		cmocka_unit_test(test_opsgenie_export),
		cmocka_unit_test(test_grafana_oncall_export),
		cmocka_unit_test(test_people_and_levels),
		cmocka_unit_test(test_no_person),
		cmocka_unit_test(test_folded_lines),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_vtimezone_dst),
		cmocka_unit_test(test_zone_database_dst),
		cmocka_unit_test(test_windows_zones),
		cmocka_unit_test(test_every_windows_zone_loads),
		cmocka_unit_test(test_unknown_and_hostile_zones),
		cmocka_unit_test(test_utc_and_floating),
		cmocka_unit_test(test_all_day),
		cmocka_unit_test(test_rrule_count_until),
		cmocka_unit_test(test_rrule_window),
		cmocka_unit_test(test_rrule_bomb),
		cmocka_unit_test(test_rrule_refused),
		cmocka_unit_test(test_exdate),
		cmocka_unit_test(test_recurrence_id),
		cmocka_unit_test(test_window_filters_every_shift),
		cmocka_unit_test(test_end_not_after_start),
		cmocka_unit_test(test_empty_calendar),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_read_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
