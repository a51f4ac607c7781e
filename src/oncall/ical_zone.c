/* Helpers and time zones of the iCalendar reader (see ical_int.h).
 *
 * The small text and civil-time helpers every part of the reader uses,
 * the error and CPU-budget helpers on the reading context, and time
 * zones: converting local times to UTC as RFC 5545 3.3.5 says, resolving
 * a TZID (the calendar's VTIMEZONEs, the system's zone data with names
 * checked first, the Windows names of winzones.h) and the calendar's
 * default zone (X-WR-TIMEZONE).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/timeutil.h"
#include "carry/ascii.h"
#include "ical_int.h"
#include "winzones.h"

/* ------------------------------------------------------------------ */
/* small helpers */

char ical_upper_c(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - ('a' - 'A')) : c;
}

bool ical_same_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
	return *a == *b;
}

bool ical_prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (ascii_lower(*s) != ascii_lower(*prefix))
			return false;
	return true;
}

bool ical_is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

int64_t ical_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t ical_min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* qsort that accepts an empty (NULL) array. */
void ical_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

int ical_days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* Seconds since 1970 of a wall-clock time read as if it were UTC. */
int64_t ical_naive_of(int y, int m, int d, int hh, int mm, int ss)
{
	return days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
}

int64_t ical_naive_of_ical(struct icaltimetype t)
{
	return t.is_date ? ical_naive_of(t.year, t.month, t.day, 0, 0, 0)
	                 : ical_naive_of(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

/* A floating icaltimetype (zone NULL) for a wall-clock time. */
struct icaltimetype ical_of_naive(int64_t naive, bool is_date)
{
	struct icaltimetype t = icaltime_null_time();
	int64_t days = ical_floor_div(naive, 86400), secs = naive - days * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	t.year = (int)y;
	t.month = (int)m;
	t.day = (int)d;
	if (is_date) {
		t.is_date = 1;
	} else {
		t.hour = (int)(secs / 3600);
		t.minute = (int)(secs / 60 % 60);
		t.second = (int)(secs % 60);
	}
	return t;
}

static const int64_t T_LO = -2208988800LL - 7 * 86400;  /* 1900-01-01 - a week */
static const int64_t T_HI = 7289654400LL + 7 * 86400;   /* 2201-01-01 + a week */

int64_t ical_clamp_t(int64_t t)
{
	return t < T_LO ? T_LO : t > T_HI ? T_HI : t;
}

/* "value" for messages: at most 60 bytes, cut at a character boundary.
 * Every byte has already passed the scan (valid UTF-8, no controls). */
const char *ical_shorten(char buf[static 72], const char *s)
{
	size_t n = strlen(s);
	if (n <= 60) {
		memcpy(buf, s, n + 1);
		return buf;
	}
	n = 60;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

/* ------------------------------------------------------------------ */
/* time zones */

int ical_input_error(const struct ctx *c, size_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		return carry_error(CARRY_EINPUT, "%s:%zu: %s", c->path, line, msg);
	return carry_error(CARRY_EINPUT, "%s: %s", c->path, msg);
}

int64_t ical_cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int ical_check_cpu(const struct ctx *c, size_t line)
{
	if (c->rule_ns + (ical_cpu_ns() - c->rule_t0) > CPU_BUDGET_NS)
		return ical_input_error(c, line, "recurrence rules take more than %lld s of CPU to "
		                        "expand (limit); the file looks hostile",
		                        CPU_BUDGET_NS / 1000000000LL);
	return 0;
}

/* The UTC offset (seconds east) of zone `z` at instant `u`. */
static int zone_offset(const struct ctx *c, icaltimezone *z, int64_t u)
{
	if (!z || z == c->utc)
		return 0;
	struct icaltimetype tt = ical_of_naive(ical_clamp_t(u), false);
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, NULL);
}

/* RFC 5545 3.3.5: a local time in a gap takes the offset from before the
 * gap; in an overlap, the first occurrence (again the earlier offset). */
int64_t ical_local_to_utc(const struct ctx *c, icaltimezone *z, int64_t naive)
{
	if (!z || z == c->utc)
		return naive;
	int oa = zone_offset(c, z, naive - 86400);
	int64_t ua = naive - oa;
	if (zone_offset(c, z, ua) == oa)
		return ua;
	int ob = zone_offset(c, z, naive + 86400);
	int64_t ub = naive - ob;
	if (ob != oa && zone_offset(c, z, ub) == ob)
		return ub;
	return ua;
}

int64_t ical_utc_to_local(const struct ctx *c, icaltimezone *z, int64_t u)
{
	return u + zone_offset(c, z, u);
}

/* A name safe to hand to libical's zone loader, which opens
 * ZONEDIR/NAME: segments of [A-Za-z0-9_+-] that start with a capital. */
static bool zone_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	bool seg_start = true;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (seg_start) {
			if (!(ch >= 'A' && ch <= 'Z'))
				return false;
			seg_start = false;
		} else if (ch == '/') {
			seg_start = true;
		} else if (!ical_is_name_char(ch) && ch != '_' && ch != '+') {
			return false;
		}
	}
	return !seg_start;
}

static icaltimezone *builtin_zone(const struct ctx *c, const char *name)
{
	static const char *const utc_names[] = {
		"UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT", "Zulu", "Universal", "Etc/Universal",
	};
	for (size_t i = 0; i < sizeof(utc_names) / sizeof(utc_names[0]); i++)
		if (ical_same_nocase(name, utc_names[i]))
			return c->utc;
	if (!zone_name_ok(name))
		return NULL;
	return icaltimezone_get_builtin_timezone(name);
}

int ical_resolve_tzid(struct ctx *c, const char *tzid, size_t line, icaltimezone **out)
{
	char q[72];
	for (size_t i = 0; i < c->nzc; i++) {
		if (strcmp(c->zc[i].tzid, tzid) == 0) {
			*out = c->zc[i].zone;
			return 0;
		}
	}
	icaltimezone *z = icalcomponent_get_timezone(c->vcal, tzid);
	if (!z) {
		bool have_db = icaltzutil_get_zone_directory() != NULL;
		z = builtin_zone(c, tzid);
		/* "/mozilla.org/20050126_1/America/New_York" and the like */
		for (const char *p = tzid; !z && tzid[0] == '/' && strlen(tzid) < 256 &&
		                           (p = strchr(p, '/')); )
			z = builtin_zone(c, ++p);
		for (size_t i = 0; !z && i < WINZONES_COUNT; i++)
			if (ical_same_nocase(tzid, winzones[i].windows))
				z = builtin_zone(c, winzones[i].iana);
		if (!z && !have_db)
			return ical_input_error(c, line, "cannot resolve time zone \"%s\": no time zone "
			                        "database (libical reads /usr/share/zoneinfo; install tzdata)",
			                        ical_shorten(q, tzid));
	}
	if (!z)
		return ical_input_error(c, line, "unknown time zone \"%s\" (no VTIMEZONE with this TZID, "
		                        "not an IANA or Windows zone name)", ical_shorten(q, tzid));
	xgrow(&c->zc, &c->zc_cap, c->nzc + 1, sizeof(*c->zc));
	c->zc[c->nzc].tzid = xstrdup(tzid);
	c->zc[c->nzc++].zone = z;
	*out = z;
	return 0;
}

/* The calendar's default zone (X-WR-TIMEZONE), or NULL. */
int ical_default_zone(struct ctx *c, icaltimezone **out)
{
	if (!c->defzone_done) {
		c->defzone_done = true;
		for (icalproperty *p = icalcomponent_get_first_property(c->vcal, ICAL_X_PROPERTY); p;
		     p = icalcomponent_get_next_property(c->vcal, ICAL_X_PROPERTY)) {
			const char *xn = icalproperty_get_x_name(p);
			if (xn && ical_same_nocase(xn, "X-WR-TIMEZONE")) {
				const char *v = icalproperty_get_x(p);
				if (!v || !*v)
					return ical_input_error(c, c->scal->xwrtz_line, "X-WR-TIMEZONE is empty");
				int rc = ical_resolve_tzid(c, v, c->scal->xwrtz_line, &c->defzone);
				if (rc < 0)
					return rc;
				break;
			}
		}
	}
	*out = c->defzone;
	return 0;
}
