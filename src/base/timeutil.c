/* Parsing and formatting times (see include/carry/timeutil.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carry/error.h"
#include "carry/timeutil.h"

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no dependence on the process time zone (unlike mktime). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int time_parse_iso(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &sec))
				goto bad;
			if (*p == '.' || *p == ',') { /* fractions are dropped */
				if (!isdigit((unsigned char)p[1]))
					goto bad;
				for (p++; isdigit((unsigned char)*p); p++)
					;
			}
		}
		if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi || sec)))
			goto bad;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (!digits(&p, 2, &oh))
				goto bad;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p) && !digits(&p, 2, &om))
				goto bad;
			if (oh > 23 || om > 59)
				goto bad;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p)
		goto bad;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - off;
	return 0;
bad:
	return carry_error(CARRY_EUSAGE,
		"'%s' is not an ISO 8601 time (expected e.g. 2024-05-01 or 2024-05-01T09:30:00Z)", s);
}

int time_parse_when(const char *s, int64_t now, int64_t *out)
{
	char *end;
	if (isdigit((unsigned char)s[0])) {
		long long n = strtoll(s, &end, 10);
		if (end != s && end[0] && !end[1] && n >= 0 && n < 100000) {
			int64_t unit = 0;
			switch (end[0]) {
			case 'h': unit = 3600; break;
			case 'd': unit = 86400; break;
			case 'w': unit = 7 * 86400; break;
			case 'm': unit = 30 * 86400; break;
			case 'y': unit = 365 * 86400; break;
			}
			if (unit) {
				*out = now - (int64_t)n * unit;
				return 0;
			}
		}
	}
	if (time_parse_iso(s, out) == 0)
		return 0;
	return carry_error(CARRY_EUSAGE,
		"'%s' is neither an ISO 8601 time nor a span such as 7d, 12w, 6m, 1y", s);
}

int time_now(int64_t *out)
{
	const char *env = getenv("CARRY_NOW");
	if (env && *env) {
		if (time_parse_iso(env, out) < 0)
			return carry_error_prefix(CARRY_EUSAGE, "CARRY_NOW");
		return 0;
	}
	*out = (int64_t)time(NULL);
	return 0;
}

void time_format_iso(int64_t t, char buf[static 21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400, y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 21, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d,
	         (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void time_format_date(int64_t t, char buf[static 11])
{
	char iso[21];
	time_format_iso(t, iso);
	memcpy(buf, iso, 10);
	buf[10] = '\0';
}

double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}
