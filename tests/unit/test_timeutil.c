/* Time parsing and formatting (src/base/timeutil.c): calendar arithmetic
 * against values computed independently, ISO 8601 parsing with every
 * accepted shape and the rejections, relative spans, CARRY_NOW, and
 * formatting checked against gmtime_r over a wide range of instants. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carry/error.h"
#include "carry/timeutil.h"

#define DAY INT64_C(86400)

/* ---- days_from_civil ---- */

static void test_days_around_epoch(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(1970, 1, 2), 1);
	assert_int_equal(days_from_civil(1969, 12, 31), -1);
	assert_int_equal(days_from_civil(1969, 1, 1), -365);
	assert_int_equal(days_from_civil(1970, 3, 1), 59);
	assert_int_equal(days_from_civil(1971, 1, 1), 365);
	assert_int_equal(days_from_civil(1972, 3, 1), 365 + 365 + 60); /* 1972 is leap */
	assert_int_equal(days_from_civil(2024, 3, 1), 19783);
}

static void test_days_leap_rules(void **state)
{
	(void)state;
	/* 2000 is divisible by 400: a leap year. */
	assert_int_equal(days_from_civil(2000, 1, 1), 10957);
	assert_int_equal(days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
	/* 2100 and 1900 are divisible by 100 only: not leap years. */
	assert_int_equal(days_from_civil(2100, 2, 28), 47540);
	assert_int_equal(days_from_civil(2100, 3, 1), 47541);
	assert_int_equal(days_from_civil(1900, 2, 28), -25509);
	assert_int_equal(days_from_civil(1900, 3, 1), -25508);
	assert_int_equal(days_from_civil(1900, 1, 1), -25567);
	/* 1900-01-01T00:00:00Z is -2208988800. */
	assert_int_equal(days_from_civil(1900, 1, 1) * DAY, INT64_C(-2208988800));
	/* Year lengths. */
	assert_int_equal(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1), 366);
	assert_int_equal(days_from_civil(2101, 1, 1) - days_from_civil(2100, 1, 1), 365);
	assert_int_equal(days_from_civil(1901, 1, 1) - days_from_civil(1900, 1, 1), 365);
	assert_int_equal(days_from_civil(1997, 1, 1) - days_from_civil(1996, 1, 1), 366);
}

static void test_days_far_and_negative_years(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1, 1, 1), -719162);
	/* 0000-03-01 is the start of Hinnant's era 0. */
	assert_int_equal(days_from_civil(0, 3, 1), -719468);
	/* Year 0 (1 BC) is a leap year in the proleptic calendar. */
	assert_int_equal(days_from_civil(0, 1, 1), -719528);
	assert_int_equal(days_from_civil(0, 3, 1) - days_from_civil(0, 2, 28), 2);
	assert_int_equal(days_from_civil(1, 1, 1) - days_from_civil(0, 1, 1), 366);
	/* Year -1 (2 BC) is not; year -4 (5 BC) is. */
	assert_int_equal(days_from_civil(0, 1, 1) - days_from_civil(-1, 1, 1), 365);
	assert_int_equal(days_from_civil(-1, 1, 1), -719893);
	assert_int_equal(days_from_civil(-4, 3, 1) - days_from_civil(-4, 2, 28), 2);
	assert_int_equal(days_from_civil(-1, 3, 1) - days_from_civil(-1, 2, 28), 1);
	/* A whole Gregorian cycle is 146097 days, also across year 0. */
	assert_int_equal(days_from_civil(-400, 1, 1), -719528 - 146097);
	assert_int_equal(days_from_civil(-399, 1, 1) - days_from_civil(-400, 1, 1), 366);
	assert_int_equal(days_from_civil(2400, 1, 1) - days_from_civil(2000, 1, 1), 146097);
	assert_int_equal(days_from_civil(9999, 12, 31), 2932896);
}

static void test_days_consecutive(void **state)
{
	(void)state;
	/* Walking day by day from 1600 to 2400 never skips or repeats. */
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t want = days_from_civil(1600, 1, 1);
	for (int64_t y = 1600; y < 2400; y++) {
		bool lp = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (unsigned m = 1; m <= 12; m++) {
			unsigned n = mdays[m - 1] + (m == 2 && lp);
			for (unsigned d = 1; d <= n; d++) {
				int64_t got = days_from_civil(y, m, d);
				if (got != want)
					fail_msg("%04lld-%02u-%02u: %lld, want %lld", (long long)y, m, d,
					         (long long)got, (long long)want);
				want++;
			}
		}
	}
}

/* ---- time_parse_iso ---- */

static void parses(const char *s, int64_t want)
{
	int64_t got = INT64_C(0x7eadbeef);
	int rc = time_parse_iso(s, &got);
	if (rc != 0)
		fail_msg("'%s' rejected (%d): %s", s, rc, carry_error_last());
	if (got != want)
		fail_msg("'%s' parsed to %lld, want %lld", s, (long long)got, (long long)want);
}

static void rejects(const char *s)
{
	int64_t got = INT64_C(0x7eadbeef);
	carry_error_clear();
	int rc = time_parse_iso(s, &got);
	if (rc != CARRY_EUSAGE)
		fail_msg("'%s' gave %d (value %lld), want CARRY_EUSAGE", s, rc, (long long)got);
	/* Nothing is written on failure, and the message says what was wrong. */
	assert_int_equal(got, INT64_C(0x7eadbeef));
	assert_true(strlen(carry_error_last()) > 0);
}

static void test_parse_dates(void **state)
{
	(void)state;
	parses("1970-01-01", 0);
	parses("2024-03-01", INT64_C(1709251200));
	parses("2000-02-29", 11016 * DAY);
	parses("2024-02-29", days_from_civil(2024, 2, 29) * DAY);
	parses("1969-12-31", -DAY);
	parses("1900-01-01", INT64_C(-2208988800));
	parses("0001-01-01", INT64_C(-62135596800));
	parses("9999-12-31", 2932896 * DAY);
	parses("2024-12-31", days_from_civil(2024, 12, 31) * DAY);
}

static void test_parse_datetimes(void **state)
{
	(void)state;
	const int64_t base = INT64_C(1714521600); /* 2024-05-01T00:00:00Z */
	parses("2024-05-01T09:30:00Z", INT64_C(1714555800));
	parses("2024-05-01t09:30:00z", INT64_C(1714555800));
	parses("2024-05-01T09:30Z", INT64_C(1714555800));
	parses("2024-05-01T09:30:07Z", INT64_C(1714555807));
	/* No zone: UTC. */
	parses("2024-05-01T09:30:00", INT64_C(1714555800));
	parses("2024-05-01T09:30", INT64_C(1714555800));
	/* Space separator (as git and SQL print). */
	parses("2024-05-01 09:30:00", INT64_C(1714555800));
	parses("2024-05-01 09:30:00Z", INT64_C(1714555800));
	/* Offsets: local time minus the offset. */
	parses("2024-05-01T09:30:00+02:00", INT64_C(1714555800) - 2 * 3600);
	parses("2024-05-01T09:30:00+0200", INT64_C(1714555800) - 2 * 3600);
	parses("2024-05-01T09:30:00+02", INT64_C(1714555800) - 2 * 3600);
	parses("2024-05-01T09:30:00-0800", INT64_C(1714555800) + 8 * 3600);
	parses("2024-05-01T09:30:00-08:00", INT64_C(1714555800) + 8 * 3600);
	parses("2024-05-01T09:30:00+05:30", INT64_C(1714555800) - 5 * 3600 - 30 * 60);
	parses("2024-05-01T09:30:00-0945", INT64_C(1714555800) + 9 * 3600 + 45 * 60);
	parses("2024-05-01T09:30:00+00:00", INT64_C(1714555800));
	parses("2024-05-01T09:30:00-00:00", INT64_C(1714555800));
	/* An offset can carry the instant across a day (and a year) boundary. */
	parses("2024-01-01T01:00:00+02:00", days_from_civil(2023, 12, 31) * DAY + 23 * 3600);
	parses("2023-12-31T23:00:00-02:00", days_from_civil(2024, 1, 1) * DAY + 3600);
	/* Fractions are dropped, never rounded. */
	parses("2024-05-01T09:30:00.999Z", INT64_C(1714555800));
	parses("2024-05-01T09:30:00,5Z", INT64_C(1714555800));
	parses("2024-05-01T09:30:00.123456789+01:00", INT64_C(1714555800) - 3600);
	parses("2024-05-01T09:30:00.5", INT64_C(1714555800));
	/* Extremes of the clock. */
	parses("2024-05-01T00:00:00Z", base);
	parses("2024-05-01T23:59:59Z", base + DAY - 1);
	parses("2024-05-01T24:00:00Z", base + DAY);
	parses("2024-05-01T24:00", base + DAY);
	/* A leap second is clamped into the minute. */
	parses("2016-12-31T23:59:60Z", days_from_civil(2017, 1, 1) * DAY - 1);
	/* Before 1970. */
	parses("1969-12-31T23:59:59Z", -1);
	parses("1969-07-20T20:17:40Z", INT64_C(-14182940));
	parses("1970-01-01T00:00:00+01:00", -3600);
}

static void test_parse_rejections(void **state)
{
	(void)state;
	rejects("");
	rejects("2023-02-29");            /* not a leap year */
	rejects("1900-02-29");            /* not a leap year either */
	rejects("2100-02-29");
	rejects("2023-13-01");            /* 13th month */
	rejects("2023-00-10");
	rejects("2023-01-00");
	rejects("2023-01-32");
	rejects("2023-04-31");
	rejects("2023-01-01T24:01");
	rejects("2023-01-01T24:00:01Z");
	rejects("2023-01-01T25:00Z");
	rejects("2023-01-01T10:60Z");
	rejects("2023-01-01T10:00:61Z");
	rejects("2023-01-01x");           /* trailing junk */
	rejects("2023-01-01T10:00:00Zjunk");
	rejects("2023-01-01T10:00:00+01:00x");
	rejects("2023-01-01 ");
	rejects("2023-01-01T");
	rejects("2023-01-01T10");
	rejects("2023-01-01T10:0");
	rejects("2023-01-01T10:00:0");
	rejects("2023-01-01T10:00:00+1");
	rejects("2023-01-01T10:00:00+01:3");
	rejects("2023-01-01T10:00:00+24:00");
	rejects("2023-01-01T10:00:00+01:60");
	rejects("2023-1-01");
	rejects("2023-01-1");
	rejects("23-01-01");
	rejects("20230101");
	rejects("2023/01/01");
	rejects(" 2023-01-01");
	rejects("7d");
	rejects("now");
}

/* ISO 8601: a decimal sign must be followed by at least one digit. */
static void test_parse_rejects_empty_fraction(void **state)
{
	(void)state;
	rejects("2023-01-01T10:00:00.Z");
	rejects("2023-01-01T10:00:00,");
	rejects("2023-01-01T10:00:00.+01:00");
}

/* ---- time_parse_when ---- */

static void test_parse_when_spans(void **state)
{
	(void)state;
	const int64_t now = INT64_C(1714555800); /* 2024-05-01T09:30:00Z */
	int64_t out;
	assert_int_equal(time_parse_when("7d", now, &out), 0);
	assert_int_equal(out, now - 7 * DAY);
	assert_int_equal(time_parse_when("12w", now, &out), 0);
	assert_int_equal(out, now - 84 * DAY);
	assert_int_equal(time_parse_when("6m", now, &out), 0);
	assert_int_equal(out, now - 180 * DAY);
	assert_int_equal(time_parse_when("1y", now, &out), 0);
	assert_int_equal(out, now - 365 * DAY);
	assert_int_equal(time_parse_when("5h", now, &out), 0);
	assert_int_equal(out, now - 5 * 3600);
	assert_int_equal(time_parse_when("0d", now, &out), 0);
	assert_int_equal(out, now);
	assert_int_equal(time_parse_when("90d", now, &out), 0);
	assert_int_equal(out, now - 90 * DAY);
	/* Relative to the given now, not the clock. */
	assert_int_equal(time_parse_when("1d", 0, &out), 0);
	assert_int_equal(out, -DAY);
}

static void test_parse_when_iso_and_errors(void **state)
{
	(void)state;
	const int64_t now = INT64_C(1714555800);
	int64_t out = 42;
	assert_int_equal(time_parse_when("2024-03-01", now, &out), 0);
	assert_int_equal(out, INT64_C(1709251200));
	assert_int_equal(time_parse_when("2024-05-01T09:30:00+02:00", now, &out), 0);
	assert_int_equal(out, now - 7200);
	assert_int_equal(time_parse_when("1970-01-01", now, &out), 0);
	assert_int_equal(out, 0);

	static const char *const bad[] = {
		"", "d", "7", "7x", "-7d", "7dd", "7 d", " 7d", "7d ", "2023-02-29", "yesterday",
		"99999999999999999999d",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out = 42;
		int rc = time_parse_when(bad[i], now, &out);
		if (rc != CARRY_EUSAGE)
			fail_msg("'%s' gave %d (value %lld), want CARRY_EUSAGE", bad[i], rc,
			         (long long)out);
		assert_int_equal(out, 42);
	}
}

/* ---- time_now ---- */

static void test_now_env(void **state)
{
	(void)state;
	int64_t out = 0;
	assert_int_equal(setenv("CARRY_NOW", "2024-05-01T09:30:00Z", 1), 0);
	assert_int_equal(time_now(&out), 0);
	assert_int_equal(out, INT64_C(1714555800));

	assert_int_equal(setenv("CARRY_NOW", "1969-12-31T23:00:00-01:00", 1), 0);
	assert_int_equal(time_now(&out), 0);
	assert_int_equal(out, 0);

	assert_int_equal(setenv("CARRY_NOW", "2024-03-01", 1), 0);
	assert_int_equal(time_now(&out), 0);
	assert_int_equal(out, INT64_C(1709251200));

	/* A bad CARRY_NOW is a usage error that names the variable. */
	assert_int_equal(setenv("CARRY_NOW", "next tuesday", 1), 0);
	out = 7;
	carry_error_clear();
	assert_int_equal(time_now(&out), CARRY_EUSAGE);
	assert_non_null(strstr(carry_error_last(), "CARRY_NOW"));
	assert_non_null(strstr(carry_error_last(), "next tuesday"));
	assert_int_equal(out, 7);

	assert_int_equal(setenv("CARRY_NOW", "7d", 1), 0);
	assert_int_equal(time_now(&out), CARRY_EUSAGE);

	/* Unset or empty: the clock. */
	assert_int_equal(unsetenv("CARRY_NOW"), 0);
	int64_t before = (int64_t)time(NULL);
	assert_int_equal(time_now(&out), 0);
	int64_t after = (int64_t)time(NULL);
	assert_true(out >= before && out <= after);

	assert_int_equal(setenv("CARRY_NOW", "", 1), 0);
	before = (int64_t)time(NULL);
	assert_int_equal(time_now(&out), 0);
	after = (int64_t)time(NULL);
	assert_true(out >= before && out <= after);
	unsetenv("CARRY_NOW");
}

/* ---- formatting ---- */

static void formats(int64_t t, const char *iso, const char *date)
{
	char buf[21], dbuf[11];
	memset(buf, 'x', sizeof(buf));
	memset(dbuf, 'x', sizeof(dbuf));
	time_format_iso(t, buf);
	time_format_date(t, dbuf);
	if (strcmp(buf, iso) != 0)
		fail_msg("%lld formatted as '%.21s', want '%s'", (long long)t, buf, iso);
	if (strcmp(dbuf, date) != 0)
		fail_msg("%lld date '%.11s', want '%s'", (long long)t, dbuf, date);
}

static void test_format_examples(void **state)
{
	(void)state;
	formats(0, "1970-01-01T00:00:00Z", "1970-01-01");
	formats(1, "1970-01-01T00:00:01Z", "1970-01-01");
	formats(86399, "1970-01-01T23:59:59Z", "1970-01-01");
	formats(86400, "1970-01-02T00:00:00Z", "1970-01-02");
	formats(INT64_C(1714555800), "2024-05-01T09:30:00Z", "2024-05-01");
	formats(11016 * DAY + 43200, "2000-02-29T12:00:00Z", "2000-02-29");
	formats(47541 * DAY, "2100-03-01T00:00:00Z", "2100-03-01");
	formats(INT64_C(253402300799), "9999-12-31T23:59:59Z", "9999-12-31");
	/* Negative times: the day is floored, the time of day is positive. */
	formats(-1, "1969-12-31T23:59:59Z", "1969-12-31");
	formats(-86399, "1969-12-31T00:00:01Z", "1969-12-31");
	formats(-86400, "1969-12-31T00:00:00Z", "1969-12-31");
	formats(-86401, "1969-12-30T23:59:59Z", "1969-12-30");
	formats(INT64_C(-14182940), "1969-07-20T20:17:40Z", "1969-07-20");
	formats(INT64_C(-2208988800), "1900-01-01T00:00:00Z", "1900-01-01");
	formats(INT64_C(-2208988801), "1899-12-31T23:59:59Z", "1899-12-31");
	formats(-25508 * DAY - 1, "1900-02-28T23:59:59Z", "1900-02-28");
	formats(INT64_C(-62135596800), "0001-01-01T00:00:00Z", "0001-01-01");
}

/* The reference: glibc's gmtime_r, independent of the code under test. */
static void reference(int64_t t, char iso[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(gmtime_r(&tt, &tm));
	snprintf(iso, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void check_instant(int64_t t)
{
	char want[21], got[21], date[11];
	reference(t, want);
	time_format_iso(t, got);
	if (strcmp(got, want) != 0)
		fail_msg("%lld formatted as '%s', want '%s'", (long long)t, got, want);
	time_format_date(t, date);
	if (strncmp(date, want, 10) != 0 || date[10] != '\0')
		fail_msg("%lld date '%s', want '%.10s'", (long long)t, date, want);
	int64_t back = 0;
	if (time_parse_iso(got, &back) != 0 || back != t)
		fail_msg("'%s' parsed back to %lld, want %lld", got, (long long)back, (long long)t);
	/* The date alone parses to that day's midnight. */
	if (time_parse_iso(date, &back) != 0 || back > t || t - back >= DAY)
		fail_msg("'%s' parsed to %lld, not the midnight before %lld", date,
		         (long long)back, (long long)t);
}

static void test_format_roundtrip_range(void **state)
{
	(void)state;
	/* Years 1000..9999, stepping by an odd prime so every time of day
	 * and every month gets visited, plus the neighbourhood of 0. */
	const int64_t lo = INT64_C(-30610224000), hi = INT64_C(253402300799);
	for (int64_t t = lo; t <= hi; t += 3600 * 24 * 7 + 3607)
		check_instant(t);
	for (int64_t t = -3 * DAY; t <= 3 * DAY; t += 977)
		check_instant(t);
	check_instant(lo);
	check_instant(hi);
	/* Pseudo-random instants (fixed seed: reproducible). */
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t t = lo + (int64_t)(x % (uint64_t)(hi - lo + 1));
		check_instant(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_around_epoch),
		cmocka_unit_test(test_days_leap_rules),
		cmocka_unit_test(test_days_far_and_negative_years),
		cmocka_unit_test(test_days_consecutive),
		cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_parse_datetimes),
		cmocka_unit_test(test_parse_rejections),
		cmocka_unit_test(test_parse_rejects_empty_fraction),
		cmocka_unit_test(test_parse_when_spans),
		cmocka_unit_test(test_parse_when_iso_and_errors),
		cmocka_unit_test(test_now_env),
		cmocka_unit_test(test_format_examples),
		cmocka_unit_test(test_format_roundtrip_range),
	};
	return cmocka_run_group_tests(tests, 0, NULL);
}
