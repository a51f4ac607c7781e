/* On-call shifts from iCalendar files, through libical 3.0 (see ical.h).
 *
 * Reading takes three steps.
 *  1. scan: our own pass over the raw bytes.  It unfolds lines (a fold may
 *     split a UTF-8 character, so the joined line is what must be valid
 *     UTF-8), rejects NUL and control bytes, checks the syntax of every
 *     content line and the BEGIN/END nesting, and records the line of each
 *     VCALENDAR, VEVENT and VTIMEZONE and of the properties we read,
 *     because libical keeps no line numbers.  It writes the unfolded lines
 *     out again for libical: each VEVENT of a VCALENDAR as a text of its
 *     own, the VCALENDARs' properties and VTIMEZONEs as another; other
 *     components (VTODO, X-...) are checked and left out.
 *  2. libical parses the calendar text once and each VEVENT on its own,
 *     when needed (the whole of a large file at once costs libical some 20
 *     times its size in memory, and three times the time).  libical does
 *     not fail on a bad value: it drops the property and leaves an
 *     X-LIC-ERROR property in its place; each of those (in a VCALENDAR,
 *     VEVENT or VTIMEZONE) is an error here, at the line of the property
 *     it names.
 *  3. events become shifts: zones resolved, recurrences expanded by our own
 *     bounded loops, EXDATEs, overrides and cancellations applied; the
 *     shifts are sorted (start, level, end, email, name) and exact
 *     duplicates dropped.
 *
 * Decisions:
 *  - Local times (TZID, or X-WR-TIMEZONE for floating times and dates) are
 *    converted as RFC 5545 3.3.5 says, by us rather than by libical: a
 *    local time in a DST gap is read with the offset in effect before the
 *    gap (02:30 on a spring-forward day in New York is 07:30Z, the 03:30
 *    EDT that follows), and a time in the overlap is its first occurrence
 *    (01:30 on a fall-back day in New York is 05:30Z, EDT).  libical's own
 *    conversion picks the later offset in both cases.
 *  - Floating date-times and all-day dates are read in the calendar's
 *    X-WR-TIMEZONE and refused without one (a lone VTIMEZONE does not
 *    name a default).  All-day events are whole local days, DTEND
 *    exclusive, one day without DTEND.  Years outside 1900-2200 are refused.
 *  - The window applies to every shift, recurring or not: a shift is kept
 *    when [start, end) overlaps [window_start, window_end).
 *  - Limits are errors, never silent truncation: more than
 *    ICAL_MAX_INSTANCES instances of one event inside the window, more
 *    than ICAL_MAX_SHIFTS shifts or VEVENTs in the file, or more than
 *    ICAL_MAX_BYTES.  A FREQ=SECONDLY rule with no end therefore fails in a
 *    few milliseconds with "more than 20000 instances".
 *  - Recurrences: SECONDLY, MINUTELY and HOURLY rules are expanded by
 *    arithmetic here (jumping straight to the window; COUNT, UNTIL and
 *    INTERVAL honoured); with BY* parts they are refused, because libical
 *    3.0 walks such rules one second or minute at a time inside a single
 *    icalrecur_iterator_next() call, which no cap outside can stop, and
 *    its icalrecur_iterator_set_start() mis-aligns their INTERVAL.  DAILY
 *    and longer rules go through libical's iterator with UNTIL clamped to
 *    the window's end (which bounds libical's inner loops too), started
 *    near the window with icalrecur_iterator_set_start() when there is no
 *    COUNT, with per-rule and per-file step budgets.  MONTHLY and YEARLY
 *    rules are limited to BY* combinations known to match within a few
 *    years (rule_problem()).  Left over is libical's day-by-day walk for
 *    DAILY/WEEKLY rules whose BY* parts rarely match (BYMONTH=2;
 *    BYMONTHDAY=29;BYDAY=MO with a COUNT from 1900: 0.1 s each); against
 *    files full of those, the CPU time spent in RRULE expansion is capped
 *    at 5 s per file -- the only limit here that depends on the machine.
 *  - DTSTART is always the first instance (RFC 5545 3.8.5.3); instances
 *    with equal starts are one; an instance keeps the event's exact
 *    length when it has DTEND, its nominal length (days in local time)
 *    when it has DURATION, and all-day events keep whole days.
 *  - A RECURRENCE-ID override replaces the instance that starts at that
 *    time (the highest SEQUENCE wins among duplicates); a cancelled
 *    override removes it; a cancelled master cancels the whole series,
 *    overrides included.  An override without SUMMARY or ATTENDEE takes
 *    the person and level of its master, and without DTEND or DURATION
 *    its master's length.  RANGE (THISANDFUTURE) is refused; an override's
 *    own RRULE/RDATE is ignored.  RDATE (date, date-time, period) adds
 *    instances.
 *  - The person: the first ATTENDEE whose value is an email address, with
 *    or without "mailto:" (PagerDuty writes it bare); its CN is the name,
 *    else the name in SUMMARY.  An event naming nobody is an error.
 *    Level: "[Ln]" SUMMARY prefix (n = 1..99; [L0] means none, as in
 *    Grafana OnCall), else PRIORITY 1..9, else the master's, else 1.
 *  - TZID: a VTIMEZONE of the same calendar first, then the system's zone
 *    data (IANA names, also "/vendor.org/.../Area/City" prefixes), then the
 *    Windows names of winzones.h.  Names handed to the zone database are
 *    checked first: libical opens /usr/share/zoneinfo/NAME as given, so
 *    "../../dev/stdin" would otherwise block and "localtime" would read
 *    the host's zone.  Debian's libical has no zone data of its own; with
 *    no /usr/share/zoneinfo (package tzdata) a TZID it cannot find in the
 *    file is an error saying so.
 *  - VTIMEZONE rules are limited to what real zones use (FREQ=YEARLY with
 *    BYMONTH/BYDAY/BYMONTHDAY): libical expands them on first use with no
 *    bound of its own.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <sys/stat.h>

#include <libical/ical.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/timeutil.h"
#include "ical.h"
#include "winzones.h"

/* Dates outside these years are refused (also keeps libical's zone and
 * recurrence code far from its own year limits). */
#define MIN_YEAR 1900
#define MAX_YEAR 2200
#define MAX_DEPTH 16                  /* component nesting */
#define MAX_CALENDAR_TEXT (8 << 20)   /* VCALENDAR properties and VTIMEZONEs */
#define MAX_RULE_SKIPS 100000         /* steps before the window, per RRULE */
#define MAX_FILE_STEPS 5000000        /* recurrence steps, per file */
#define CPU_BUDGET_NS 5000000000LL    /* recurrence CPU time, per file */
#define MAX_TZ_OBSERVANCES 1000       /* STANDARD/DAYLIGHT per VTIMEZONE */
#define MAX_TZ_RULES 16               /* of them with an RRULE */
#define MAX_TZ_RDATES 10000           /* RDATE values per VTIMEZONE */
#define MAX_OFFSET (26 * 3600)        /* |UTC offset| */
#define MARGIN (26 * 3600)            /* local vs UTC slack when bounding */

/* ------------------------------------------------------------------ */
/* small helpers */

static char lower_c(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

static char upper_c(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - ('a' - 'A')) : c;
}

static bool same_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower_c(*a) != lower_c(*b))
			return false;
	return *a == *b;
}

static bool prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (lower_c(*s) != lower_c(*prefix))
			return false;
	return true;
}

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* qsort that accepts an empty (NULL) array. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* Seconds since 1970 of a wall-clock time read as if it were UTC. */
static int64_t naive_of(int y, int m, int d, int hh, int mm, int ss)
{
	return days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static int64_t naive_of_ical(struct icaltimetype t)
{
	return t.is_date ? naive_of(t.year, t.month, t.day, 0, 0, 0)
	                 : naive_of(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

/* A floating icaltimetype (zone NULL) for a wall-clock time. */
static struct icaltimetype ical_of_naive(int64_t naive, bool is_date)
{
	struct icaltimetype t = icaltime_null_time();
	int64_t days = floor_div(naive, 86400), secs = naive - days * 86400;
	civil_from_days(days, &t.year, &t.month, &t.day);
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

static int64_t clamp_t(int64_t t)
{
	return t < T_LO ? T_LO : t > T_HI ? T_HI : t;
}

/* "value" for messages: at most 60 bytes, cut at a character boundary.
 * Every byte has already passed the scan (valid UTF-8, no controls). */
static const char *shorten(char buf[static 72], const char *s)
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
/* step 1: the scan */

enum prop_id {
	P_DTSTART, P_DTEND, P_DURATION, P_RRULE, P_RDATE, P_EXDATE,
	P_RECURRENCE_ID, P_STATUS, P_SUMMARY, P_ATTENDEE, P_PRIORITY, P_UID,
	P_SEQUENCE, P_COUNT
};

static const char *const prop_names[P_COUNT] = {
	"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
	"RECURRENCE-ID", "STATUS", "SUMMARY", "ATTENDEE", "PRIORITY", "UID",
	"SEQUENCE",
};

struct scan_event {
	uint32_t line;                  /* BEGIN:VEVENT */
	uint32_t prop_line[P_COUNT];    /* first line of each, 0 = none */
	size_t text_off;                /* its text in scan.evtext */
};

struct scan_cal {
	uint32_t line;
	uint32_t xwrtz_line;
	size_t first_event, nevents;    /* into scan.events */
};

/* A property of a VCALENDAR itself: its name is at `off` in scan.text. */
struct scan_cprop {
	size_t cal, off;
	uint32_t line;
};

struct scan_tz {
	size_t cal;
	uint32_t line;
	char *tzid;                     /* as written, or NULL */
};

enum comp_kind { K_OTHER, K_VCALENDAR, K_VEVENT, K_VTIMEZONE };

struct scan_frame {
	char name[64];
	enum comp_kind kind;
	uint32_t line;
};

struct scan {
	const char *path;
	struct scan_event *events;
	size_t nevents, events_cap;
	struct scan_cal *cals;
	size_t ncals, cals_cap;
	struct scan_tz *tzs;
	size_t ntzs, tzs_cap;
	struct scan_cprop *cprops;
	size_t ncprops, cprops_cap;
	struct strbuf text;             /* unfolded lines for libical, but */
	struct strbuf evtext;           /* VEVENTs of a VCALENDAR: each on its own, NUL-ended */
	struct scan_frame stack[MAX_DEPTH];
	int depth;
	bool seen_content;
	/* the logical line being assembled: its pieces' offsets and lines */
	struct strbuf cur;
	struct seg { size_t off; uint32_t line; uint32_t col0; } *segs;
	size_t nsegs, segs_cap;
};

static void scan_free(struct scan *sc)
{
	free(sc->events);
	free(sc->cals);
	for (size_t i = 0; i < sc->ntzs; i++)
		free(sc->tzs[i].tzid);
	free(sc->tzs);
	free(sc->cprops);
	sb_free(&sc->text);
	sb_free(&sc->evtext);
	sb_free(&sc->cur);
	free(sc->segs);
}

/* The physical line and column of byte `off` of the current logical line. */
static void scan_where(const struct scan *sc, size_t off, uint32_t *line, size_t *col)
{
	size_t i = sc->nsegs - 1;
	while (i > 0 && sc->segs[i].off > off)
		i--;
	*line = sc->segs[i].line;
	*col = off - sc->segs[i].off + sc->segs[i].col0 + 1;
}

static int scan_error_at(const struct scan *sc, size_t off, const char *what)
{
	uint32_t line;
	size_t col;
	scan_where(sc, off, &line, &col);
	return carry_error(CARRY_EINPUT, "%s:%u:%zu: %s", sc->path, line, col, what);
}

static int scan_error(const struct scan *sc, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scan_error(const struct scan *sc, uint32_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return carry_error(CARRY_EINPUT, "%s:%u: %s", sc->path, line, msg);
}

/* Offset of the first byte that is not valid UTF-8 or is a control
 * character other than TAB, or `n` when there is none.  *why says which. */
static size_t bad_byte(const unsigned char *s, size_t n, const char **why)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				*why = c == '\r' ? "stray carriage return (CR not followed by LF)"
				                 : "control character";
				return i;
			}
			i++;
			continue;
		}
		size_t len;
		uint32_t cp, min;
		if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
		else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
		else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
		else { *why = "invalid UTF-8"; return i; }
		if (i + len > n) { *why = "invalid UTF-8 (truncated character)"; return i; }
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80) { *why = "invalid UTF-8"; return i; }
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*why = "invalid UTF-8";
			return i;
		}
		if (cp >= 0x80 && cp <= 0x9F) { *why = "control character"; return i; }
		i += len;
	}
	return n;
}

static enum prop_id prop_lookup(const char *name)
{
	for (int i = 0; i < P_COUNT; i++)
		if (strcmp(name, prop_names[i]) == 0)
			return (enum prop_id)i;
	return P_COUNT;
}

/* Where the current line goes: a VEVENT of a VCALENDAR to its own text,
 * the VCALENDAR's properties and VTIMEZONEs to the calendar text, other
 * components (VTODO, VJOURNAL, X-...) nowhere: they are checked, not read. */
static struct strbuf *scan_out(struct scan *sc)
{
	if (sc->depth < 2)
		return &sc->text;
	switch (sc->stack[1].kind) {
	case K_VEVENT: return &sc->evtext;
	case K_VTIMEZONE: return &sc->text;
	default: return NULL;
	}
}

static void put_line(struct strbuf *out, const char *name, const char *rest, size_t rest_len)
{
	if (!out)
		return;
	sb_adds(out, name);
	sb_add(out, rest, rest_len);
	sb_addc(out, '\n');
}

/* One unfolded content line: check it, record it, write it out. */
static int scan_logical(struct scan *sc)
{
	const char *s = sc->cur.ptr;
	size_t n = sc->cur.len;
	uint32_t line = sc->segs[0].line;
	const char *why = NULL;
	size_t bad = bad_byte((const unsigned char *)s, n, &why);
	if (bad < n)
		return scan_error_at(sc, bad, why);

	/* name *(";" param) ":" value */
	size_t i = 0;
	while (i < n && is_name_char(s[i]))
		i++;
	size_t name_len = i;
	bool begin_vcal = name_len == 5 && prefix_nocase(s, "BEGIN") && n == 15 &&
	                  s[5] == ':' && prefix_nocase(s + 6, "VCALENDAR");
	if (sc->depth == 0 && !begin_vcal)
		return scan_error(sc, line, sc->seen_content
		                  ? "expected BEGIN:VCALENDAR after END:VCALENDAR"
		                  : "not an iCalendar file: expected BEGIN:VCALENDAR");
	sc->seen_content = true;
	if (name_len == 0)
		return scan_error_at(sc, 0, "malformed content line: expected a property name");
	if (name_len >= 64)
		return scan_error_at(sc, 0, "property name longer than 63 characters");
	while (i < n && s[i] == ';') {
		size_t ps = ++i;
		while (i < n && is_name_char(s[i]))
			i++;
		if (i == ps || i >= n || s[i] != '=')
			return scan_error_at(sc, ps, "malformed parameter: expected NAME=VALUE");
		i++;
		for (;;) {
			if (i < n && s[i] == '"') {
				size_t q = i++;
				while (i < n && s[i] != '"')
					i++;
				if (i >= n)
					return scan_error_at(sc, q, "unterminated quoted parameter value");
				i++;
			} else {
				while (i < n && s[i] != ';' && s[i] != ':' && s[i] != ',' && s[i] != '"')
					i++;
				if (i < n && s[i] == '"')
					return scan_error_at(sc, i, "quote inside an unquoted parameter value");
			}
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i >= n || s[i] != ':')
		return scan_error_at(sc, i, "malformed content line: expected ':' before the value");
	const char *value = s + i + 1;
	size_t value_len = n - i - 1;

	char name[64];
	for (size_t k = 0; k < name_len; k++)
		name[k] = upper_c(s[k]);
	name[name_len] = '\0';

	bool is_begin = strcmp(name, "BEGIN") == 0, is_end = strcmp(name, "END") == 0;
	if (is_begin || is_end) {
		char comp[64];
		if (i != name_len)
			return scan_error(sc, line, "%s takes no parameters", name);
		if (value_len == 0 || value_len >= sizeof(comp))
			return scan_error(sc, line, "%s needs a component name (at most 63 characters)", name);
		for (size_t k = 0; k < value_len; k++) {
			if (!is_name_char(value[k]))
				return scan_error_at(sc, i + 1 + k, "malformed component name");
			comp[k] = upper_c(value[k]);
		}
		comp[value_len] = '\0';
		struct strbuf *out = NULL;
		bool event_ends = false;
		if (is_begin) {
			enum comp_kind kind = K_OTHER;
			if (strcmp(comp, "VCALENDAR") == 0) {
				if (sc->depth != 0)
					return scan_error(sc, line, "BEGIN:VCALENDAR inside another component");
				kind = K_VCALENDAR;
				xgrow(&sc->cals, &sc->cals_cap, sc->ncals + 1, sizeof(*sc->cals));
				sc->cals[sc->ncals++] = (struct scan_cal){
					.line = line, .first_event = sc->nevents };
			} else if (strcmp(comp, "VEVENT") == 0 && sc->depth == 1) {
				kind = K_VEVENT;
				if (sc->nevents >= ICAL_MAX_SHIFTS)
					return scan_error(sc, line, "more than %d events (limit)", ICAL_MAX_SHIFTS);
				xgrow(&sc->events, &sc->events_cap, sc->nevents + 1, sizeof(*sc->events));
				memset(&sc->events[sc->nevents], 0, sizeof(*sc->events));
				sc->events[sc->nevents].text_off = sc->evtext.len;
				sc->events[sc->nevents++].line = line;
				sc->cals[sc->ncals - 1].nevents++;
			} else if (strcmp(comp, "VTIMEZONE") == 0 && sc->depth == 1) {
				kind = K_VTIMEZONE;
				xgrow(&sc->tzs, &sc->tzs_cap, sc->ntzs + 1, sizeof(*sc->tzs));
				sc->tzs[sc->ntzs++] = (struct scan_tz){ .cal = sc->ncals - 1, .line = line };
			}
			if (sc->depth >= MAX_DEPTH)
				return scan_error(sc, line, "components nested more than %d deep", MAX_DEPTH);
			struct scan_frame *f = &sc->stack[sc->depth++];
			memcpy(f->name, comp, value_len + 1);
			f->kind = kind;
			f->line = line;
			out = scan_out(sc);
		} else {
			if (sc->depth == 0)
				return scan_error(sc, line, "END:%s without BEGIN", comp);
			struct scan_frame *f = &sc->stack[sc->depth - 1];
			if (strcmp(f->name, comp) != 0)
				return scan_error(sc, line, "END:%s does not match BEGIN:%s (line %u)",
				                  comp, f->name, f->line);
			out = scan_out(sc);
			event_ends = sc->depth == 2 && f->kind == K_VEVENT;
			sc->depth--;
		}
		char rest[66];
		rest[0] = ':';
		memcpy(rest + 1, comp, value_len + 1);
		put_line(out, name, rest, value_len + 1);
		if (event_ends)
			sb_addc(out, '\0');
		return 0;
	}

	struct scan_frame *top = &sc->stack[sc->depth - 1];
	if (top->kind == K_VEVENT) {
		enum prop_id id = prop_lookup(name);
		if (id != P_COUNT) {
			struct scan_event *ev = &sc->events[sc->nevents - 1];
			if (ev->prop_line[id] == 0)
				ev->prop_line[id] = line;
			if (id == P_PRIORITY) {
				/* libical reads "PRIORITY:high" as 0 without a word */
				bool ok = value_len > 0 && value_len <= 2;
				for (size_t k = 0; ok && k < value_len; k++)
					ok = value[k] >= '0' && value[k] <= '9';
				if (!ok || atoi(value) > 9)
					return scan_error(sc, line, "PRIORITY must be a number from 0 to 9");
			}
		}
	} else if (top->kind == K_VCALENDAR) {
		if (strcmp(name, "X-WR-TIMEZONE") == 0 && sc->cals[sc->ncals - 1].xwrtz_line == 0)
			sc->cals[sc->ncals - 1].xwrtz_line = line;
		xgrow(&sc->cprops, &sc->cprops_cap, sc->ncprops + 1, sizeof(*sc->cprops));
		sc->cprops[sc->ncprops++] = (struct scan_cprop){ sc->ncals - 1, sc->text.len, line };
	} else if (top->kind == K_VTIMEZONE) {
		struct scan_tz *tz = &sc->tzs[sc->ntzs - 1];
		if (strcmp(name, "TZID") == 0 && !tz->tzid)
			tz->tzid = xstrndup(value, value_len);
	}
	put_line(scan_out(sc), name, s + name_len, n - name_len);
	if (sc->text.len > MAX_CALENDAR_TEXT)
		return scan_error(sc, line, "calendar properties and VTIMEZONEs take more than "
		                  "%d MiB (limit)", MAX_CALENDAR_TEXT >> 20);
	return 0;
}

static int scan_buffer(struct scan *sc, const char *buf, size_t len)
{
	size_t pos = 0;
	uint32_t lineno = 0;
	bool have = false;
	int rc;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		lineno++;
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t next = nl ? end + 1 : len;
		size_t e = end;
		if (e > pos && buf[e - 1] == '\r')
			e--;
		const char *p = buf + pos;
		size_t plen = e - pos;
		const char *nul = memchr(p, '\0', plen);
		if (nul)
			return carry_error(CARRY_EINPUT, "%s:%u:%zu: NUL byte", sc->path, lineno,
			                   (size_t)(nul - p) + 1);
		if (plen > 0 && (p[0] == ' ' || p[0] == '\t')) {
			if (!have)
				return scan_error(sc, lineno, "continuation line (starts with a space) "
				                  "with no line before it to continue");
			xgrow(&sc->segs, &sc->segs_cap, sc->nsegs + 1, sizeof(*sc->segs));
			sc->segs[sc->nsegs++] = (struct seg){ sc->cur.len, lineno, 1 };
			sb_add(&sc->cur, p + 1, plen - 1);
		} else {
			if (have && (rc = scan_logical(sc)) < 0)
				return rc;
			sb_reset(&sc->cur);
			sc->nsegs = 0;
			have = plen > 0;
			if (have) {
				xgrow(&sc->segs, &sc->segs_cap, 1, sizeof(*sc->segs));
				sc->segs[sc->nsegs++] = (struct seg){ 0, lineno, 0 };
				sb_add(&sc->cur, p, plen);
			}
		}
		pos = next;
	}
	if (have && (rc = scan_logical(sc)) < 0)
		return rc;
	if (sc->depth > 0)
		return scan_error(sc, sc->stack[sc->depth - 1].line, "BEGIN:%s has no END",
		                  sc->stack[sc->depth - 1].name);
	if (sc->ncals == 0)
		return carry_error(CARRY_EINPUT, "%s:1: empty file: expected BEGIN:VCALENDAR", sc->path);
	return 0;
}

/* ------------------------------------------------------------------ */
/* time zones */

struct zcache_ent {
	char *tzid;
	icaltimezone *zone;
};

struct inst {
	int64_t start, end, naive;
};

/* How long each instance lasts: exact (end = start + secs), or nominal
 * (days of wall-clock time, then secs). */
struct dspec {
	bool exact;
	int64_t days, secs;
};

/* A VEVENT directly in a VCALENDAR. */
struct ev {
	icalcomponent *comp;            /* parsed on its own, while needed */
	const struct scan_event *se;
	char *uid;                      /* kept for overrides and their masters */
	bool cancelled, is_override, dropped;
	int seq;
	int64_t rid;
	char *email, *name;             /* the person */
	int level;                      /* 0: none given */
	bool has_dur;                   /* a master's length, for its overrides */
	struct dspec dur;
};

struct ctx {
	const char *path;
	int64_t ws, we;
	icaltimezone *utc;
	/* the calendar being read */
	icalcomponent *vcal;
	const struct scan_cal *scal;
	const struct scan *sc;
	size_t cal_index;
	bool defzone_done;
	icaltimezone *defzone;
	struct zcache_ent *zc;
	size_t nzc, zc_cap;
	/* output */
	struct ical_shift *shifts;
	size_t n, cap;
	char *calname;
	/* budgets */
	uint64_t steps;
	int64_t rule_ns;                /* CPU time spent expanding RRULEs so far */
	int64_t rule_t0;                /* when the current RRULE began */
};

static int input_error(const struct ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int input_error(const struct ctx *c, size_t line, const char *fmt, ...)
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

static int64_t cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int check_cpu(const struct ctx *c, size_t line)
{
	if (c->rule_ns + (cpu_ns() - c->rule_t0) > CPU_BUDGET_NS)
		return input_error(c, line, "recurrence rules take more than %lld s of CPU to "
		                   "expand (limit); the file looks hostile",
		                   CPU_BUDGET_NS / 1000000000LL);
	return 0;
}

/* The UTC offset (seconds east) of zone `z` at instant `u`. */
static int zone_offset(const struct ctx *c, icaltimezone *z, int64_t u)
{
	if (!z || z == c->utc)
		return 0;
	struct icaltimetype tt = ical_of_naive(clamp_t(u), false);
	return icaltimezone_get_utc_offset_of_utc_time(z, &tt, NULL);
}

/* RFC 5545 3.3.5: a local time in a gap takes the offset from before the
 * gap; in an overlap, the first occurrence (again the earlier offset). */
static int64_t local_to_utc(const struct ctx *c, icaltimezone *z, int64_t naive)
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

static int64_t utc_to_local(const struct ctx *c, icaltimezone *z, int64_t u)
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
		} else if (!is_name_char(ch) && ch != '_' && ch != '+') {
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
		if (same_nocase(name, utc_names[i]))
			return c->utc;
	if (!zone_name_ok(name))
		return NULL;
	return icaltimezone_get_builtin_timezone(name);
}

static int resolve_tzid(struct ctx *c, const char *tzid, size_t line, icaltimezone **out)
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
			if (same_nocase(tzid, winzones[i].windows))
				z = builtin_zone(c, winzones[i].iana);
		if (!z && !have_db)
			return input_error(c, line, "cannot resolve time zone \"%s\": no time zone "
			                   "database (libical reads /usr/share/zoneinfo; install tzdata)",
			                   shorten(q, tzid));
	}
	if (!z)
		return input_error(c, line, "unknown time zone \"%s\" (no VTIMEZONE with this TZID, "
		                   "not an IANA or Windows zone name)", shorten(q, tzid));
	xgrow(&c->zc, &c->zc_cap, c->nzc + 1, sizeof(*c->zc));
	c->zc[c->nzc].tzid = xstrdup(tzid);
	c->zc[c->nzc++].zone = z;
	*out = z;
	return 0;
}

/* The calendar's default zone (X-WR-TIMEZONE), or NULL. */
static int default_zone(struct ctx *c, icaltimezone **out)
{
	if (!c->defzone_done) {
		c->defzone_done = true;
		for (icalproperty *p = icalcomponent_get_first_property(c->vcal, ICAL_X_PROPERTY); p;
		     p = icalcomponent_get_next_property(c->vcal, ICAL_X_PROPERTY)) {
			const char *xn = icalproperty_get_x_name(p);
			if (xn && same_nocase(xn, "X-WR-TIMEZONE")) {
				const char *v = icalproperty_get_x(p);
				if (!v || !*v)
					return input_error(c, c->scal->xwrtz_line, "X-WR-TIMEZONE is empty");
				int rc = resolve_tzid(c, v, c->scal->xwrtz_line, &c->defzone);
				if (rc < 0)
					return rc;
				break;
			}
		}
	}
	*out = c->defzone;
	return 0;
}

/* ------------------------------------------------------------------ */
/* rule checks */

#define BY_SET(arr) ((arr)[0] != ICAL_RECURRENCE_ARRAY_MAX)

static bool has_by_parts(const struct icalrecurrencetype *r)
{
	return BY_SET(r->by_second) || BY_SET(r->by_minute) || BY_SET(r->by_hour) ||
	       BY_SET(r->by_day) || BY_SET(r->by_month_day) || BY_SET(r->by_year_day) ||
	       BY_SET(r->by_week_no) || BY_SET(r->by_month) || BY_SET(r->by_set_pos);
}

/* False when BYMONTHDAY can never fall in any BYMONTH month (libical would
 * search to the year 20000 for it). */
static bool monthdays_possible(const struct icalrecurrencetype *r)
{
	if (!BY_SET(r->by_month_day))
		return true;
	int maxd = 31;
	if (BY_SET(r->by_month)) {
		maxd = 0;
		for (int i = 0; i < ICAL_BY_MONTH_SIZE && r->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
			int m = icalrecurrencetype_month_month(r->by_month[i]);
			if (m >= 1 && m <= 12) {
				int d = m == 2 ? 29 : days_in_month(2001, m);
				if (d > maxd)
					maxd = d;
			}
		}
	}
	for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && r->by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (abs(r->by_month_day[i]) <= maxd)
			return true;
	return false;
}

static int by_count(const short *arr, int size)
{
	int n = 0;
	while (n < size && arr[n] != ICAL_RECURRENCE_ARRAY_MAX)
		n++;
	return n;
}

static bool all_within(const short *arr, int size, int limit)
{
	for (int i = 0; i < size && arr[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
		if (abs(arr[i]) > limit)
			return false;
	return true;
}

/* Why carry refuses this rule, or NULL.  MONTHLY and YEARLY rules are
 * limited to BY* combinations that match within a few years: for one that
 * never matches, icalrecur_iterator_new() searches every month up to the
 * year 20000 (a second of CPU per rule, seen with BYSETPOS=10 and BYDAY=MO),
 * before any of our limits can step in. */
static const char *rule_problem(const struct icalrecurrencetype *r)
{
	if (!monthdays_possible(r))
		return "it can never match (BYMONTHDAY in no BYMONTH month)";
	if (r->freq != ICAL_MONTHLY_RECURRENCE && r->freq != ICAL_YEARLY_RECURRENCE)
		return NULL;
	bool yearly = r->freq == ICAL_YEARLY_RECURRENCE;
	int nday = by_count(r->by_day, ICAL_BY_DAY_SIZE);
	int nmd = by_count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	int nyd = by_count(r->by_year_day, ICAL_BY_YEARDAY_SIZE);
	int nwk = by_count(r->by_week_no, ICAL_BY_WEEKNO_SIZE);
	int nsp = by_count(r->by_set_pos, ICAL_BY_SETPOS_SIZE);
	int nmon = by_count(r->by_month, ICAL_BY_MONTH_SIZE);
	int nh = by_count(r->by_hour, ICAL_BY_HOUR_SIZE);
	int nmi = by_count(r->by_minute, ICAL_BY_MINUTE_SIZE);
	int ns = by_count(r->by_second, ICAL_BY_SECOND_SIZE);
	int max_ord = 0;
	for (int i = 0; i < nday; i++) {
		int pos = abs(icalrecurrencetype_day_position(r->by_day[i]));
		if (pos > max_ord)
			max_ord = pos;
	}
	bool in_month = !yearly || nmon > 0;    /* BYDAY ordinals count within a month */
	const char *unsupported = "unsupported combination of BY... parts";
	if (nyd && (!yearly || nmon || nday || nmd || nwk || !all_within(r->by_year_day, nyd, 366)))
		return unsupported;
	if (nwk && (!yearly || nmon || nmd || max_ord || !all_within(r->by_week_no, nwk, 53)))
		return unsupported;
	if (max_ord && (nmd || max_ord > (in_month ? 4 : 52)))
		return unsupported;
	if (nmd && nday && !all_within(r->by_month_day, nmd, 28))
		return unsupported;
	if (nsp) {
		/* every candidate set has at least this many members */
		int64_t least = (int64_t)(in_month ? 4 : 52) * nday * (nh ? nh : 1) *
		                (nmi ? nmi : 1) * (ns ? ns : 1);
		if (!nday || nmd || nyd || nwk || max_ord || !all_within(r->by_set_pos, nsp, (int)min64(least, 366)))
			return unsupported;
	}
	return NULL;
}

/* The property named in a libical message after `before` ("... in DTEND
 * property", "No value for DTEND property", "... for property DTEND: ..."),
 * or "". */
static void xlic_prop_name(const char *msg, const char *before, char out[static 64])
{
	out[0] = '\0';
	const char *b = strstr(msg, before);
	if (!b)
		return;
	b += strlen(before);
	/* "... in DTEND property", or "... for property DTSTART: VALUE=FOO" */
	const char *e = strstr(b, " property");
	if (!e || e == b) {
		e = b;
		while (is_name_char(*e))
			e++;
	}
	if (e > b && (size_t)(e - b) < 64) {
		memcpy(out, b, (size_t)(e - b));
		out[e - b] = '\0';
	}
}

/* The line of the first property `name` of the calendar being read, or 0. */
static size_t cal_prop_line(const struct ctx *c, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < c->sc->ncprops; i++) {
		const struct scan_cprop *p = &c->sc->cprops[i];
		const char *t = c->sc->text.ptr + p->off;
		if (p->cal == c->cal_index && strncmp(t, name, n) == 0 && (t[n] == ':' || t[n] == ';'))
			return p->line;
	}
	return 0;
}

/* libical does not fail on a bad value: it drops the property (or the
 * parameter) and leaves an X-LIC-ERROR in its place.  Each is an error, at
 * the line of the property it names when the scan recorded that line
 * (`se`, or the calendar's own properties), except:
 *  - "Parse error in property name": a property libical does not know and
 *    that is not X-; RFC 5545 has such IANA properties ignored, and so do we;
 *  - "No value for X property": libical refuses empty values even where
 *    RFC 5545 allows them (TEXT), so an empty SUMMARY or an empty property
 *    we do not read counts as absent; an empty DTSTART, RRULE... is an error.
 * (Unknown components and parameters libical drops without a word.) */
static int check_xlic(const struct ctx *c, icalcomponent *comp, size_t fallback_line,
                      const struct scan_event *se)
{
	for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY); p;
	     p = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
		icalparameter *type = icalproperty_get_first_parameter(p, ICAL_XLICERRORTYPE_PARAMETER);
		if (type && icalparameter_get_xlicerrortype(type) == ICAL_XLICERRORTYPE_PROPERTYPARSEERROR)
			continue;
		const char *msg = icalproperty_get_xlicerror(p);
		if (!msg)
			msg = "unparsable property";
		char pname[64];
		size_t line = fallback_line;
		bool empty = strncmp(msg, "No value for ", 13) == 0;
		xlic_prop_name(msg, empty ? "No value for " : " in ", pname);
		if (!pname[0])
			xlic_prop_name(msg, "for property ", pname);
		enum prop_id id = pname[0] ? prop_lookup(pname) : P_COUNT;
		if (empty && (id == P_COUNT || id == P_SUMMARY))
			continue;
		if (se && id != P_COUNT && se->prop_line[id])
			line = se->prop_line[id];
		else if (comp == c->vcal && pname[0] && cal_prop_line(c, pname))
			line = cal_prop_line(c, pname);
		if (empty)
			return input_error(c, line, "%s has no value", pname);
		char text[256];
		snprintf(text, sizeof(text), "%s", msg);
		char *cut = strstr(text, ". Removing entire property");
		if (cut)
			*cut = '\0';
		const char *val = strstr(msg, "Removing entire property: ");
		char q[72];
		if (val)
			return input_error(c, line, "malformed %s: %s (value \"%s\")",
			                   pname[0] ? pname : "property", text,
			                   shorten(q, val + strlen("Removing entire property: ")));
		return input_error(c, line, "malformed property: %s", text);
	}
	return 0;
}

static int check_vtimezone(struct ctx *c, icalcomponent *tz, size_t line)
{
	int rc = check_xlic(c, tz, line, NULL);
	if (rc < 0)
		return rc;
	if (!icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY))
		return input_error(c, line, "VTIMEZONE without TZID");
	size_t nobs = 0, nrules = 0, nrdates = 0;
	for (icalcomponent *o = icalcomponent_get_first_component(tz, ICAL_ANY_COMPONENT); o;
	     o = icalcomponent_get_next_component(tz, ICAL_ANY_COMPONENT)) {
		icalcomponent_kind k = icalcomponent_isa(o);
		if (k != ICAL_XSTANDARD_COMPONENT && k != ICAL_XDAYLIGHT_COMPONENT)
			continue;
		if ((rc = check_xlic(c, o, line, NULL)) < 0)
			return rc;
		if (++nobs > MAX_TZ_OBSERVANCES)
			return input_error(c, line, "VTIMEZONE with more than %d STANDARD/DAYLIGHT parts",
			                   MAX_TZ_OBSERVANCES);
		bool from = false, to = false, start = false;
		for (icalproperty *p = icalcomponent_get_first_property(o, ICAL_ANY_PROPERTY); p;
		     p = icalcomponent_get_next_property(o, ICAL_ANY_PROPERTY)) {
			switch (icalproperty_isa(p)) {
			case ICAL_TZOFFSETFROM_PROPERTY:
				from = abs(icalproperty_get_tzoffsetfrom(p)) <= MAX_OFFSET;
				break;
			case ICAL_TZOFFSETTO_PROPERTY:
				to = abs(icalproperty_get_tzoffsetto(p)) <= MAX_OFFSET;
				break;
			case ICAL_DTSTART_PROPERTY: {
				struct icaltimetype t = icalproperty_get_dtstart(p);
				start = t.year >= 1 && t.year <= MAX_YEAR && icaltime_is_valid_time(t);
				break;
			}
			case ICAL_RDATE_PROPERTY:
				if (++nrdates > MAX_TZ_RDATES)
					return input_error(c, line, "VTIMEZONE with more than %d RDATEs",
					                   MAX_TZ_RDATES);
				break;
			case ICAL_RRULE_PROPERTY: {
				struct icalrecurrencetype r = icalproperty_get_rrule(p);
				bool ordinal = false;
				for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
					if (icalrecurrencetype_day_position(r.by_day[i]) != 0)
						ordinal = true;
				if (++nrules > MAX_TZ_RULES)
					return input_error(c, line, "VTIMEZONE with more than %d RRULEs",
					                   MAX_TZ_RULES);
				if (r.freq != ICAL_YEARLY_RECURRENCE || r.interval != 1 ||
				    BY_SET(r.by_second) || BY_SET(r.by_minute) || BY_SET(r.by_hour) ||
				    BY_SET(r.by_year_day) || BY_SET(r.by_week_no) || BY_SET(r.by_set_pos) ||
				    (ordinal && BY_SET(r.by_month_day)) || !monthdays_possible(&r))
					return input_error(c, line, "unsupported RRULE in VTIMEZONE (expected "
					                   "FREQ=YEARLY with BYMONTH, BYDAY or BYMONTHDAY)");
				break;
			}
			default:
				break;
			}
		}
		if (!from || !to || !start)
			return input_error(c, line, "VTIMEZONE %s part needs DTSTART, TZOFFSETFROM and "
			                   "TZOFFSETTO (offsets within 26 hours)",
			                   k == ICAL_XSTANDARD_COMPONENT ? "STANDARD" : "DAYLIGHT");
	}
	if (nobs == 0)
		return input_error(c, line, "VTIMEZONE without STANDARD or DAYLIGHT part");
	return 0;
}

/* ------------------------------------------------------------------ */
/* events */

struct props {
	icalproperty *dtstart, *dtend, *duration, *rid, *status, *summary, *priority, *uid, *seq;
	int n_dtstart, n_dtend, n_duration, n_rid, n_uid;
	icalproperty **rrules, **rdates, **exdates, **attendees;
	size_t nrrules, nrdates, nexdates, nattendees;
	size_t rrules_cap, rdates_cap, exdates_cap, attendees_cap;
};

static void props_free(struct props *p)
{
	free(p->rrules);
	free(p->rdates);
	free(p->exdates);
	free(p->attendees);
	memset(p, 0, sizeof(*p));
}

static void push_prop(icalproperty ***arr, size_t *n, size_t *cap, icalproperty *p)
{
	xgrow(arr, cap, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = p;
}

static size_t pline(const struct ev *e, enum prop_id id)
{
	return e->se->prop_line[id] ? e->se->prop_line[id] : e->se->line;
}

static int collect(const struct ctx *c, const struct ev *e, struct props *pp)
{
	memset(pp, 0, sizeof(*pp));
	int rc = check_xlic(c, e->comp, e->se->line, e->se);
	if (rc < 0)
		return rc;
	for (icalproperty *p = icalcomponent_get_first_property(e->comp, ICAL_ANY_PROPERTY); p;
	     p = icalcomponent_get_next_property(e->comp, ICAL_ANY_PROPERTY)) {
		switch (icalproperty_isa(p)) {
		case ICAL_DTSTART_PROPERTY: pp->dtstart = p; pp->n_dtstart++; break;
		case ICAL_DTEND_PROPERTY: pp->dtend = p; pp->n_dtend++; break;
		case ICAL_DURATION_PROPERTY: pp->duration = p; pp->n_duration++; break;
		case ICAL_RECURRENCEID_PROPERTY: pp->rid = p; pp->n_rid++; break;
		case ICAL_UID_PROPERTY: pp->uid = p; pp->n_uid++; break;
		case ICAL_STATUS_PROPERTY: pp->status = p; break;
		case ICAL_SUMMARY_PROPERTY: if (!pp->summary) pp->summary = p; break;
		case ICAL_PRIORITY_PROPERTY: if (!pp->priority) pp->priority = p; break;
		case ICAL_SEQUENCE_PROPERTY: pp->seq = p; break;
		case ICAL_RRULE_PROPERTY:
			push_prop(&pp->rrules, &pp->nrrules, &pp->rrules_cap, p);
			break;
		case ICAL_RDATE_PROPERTY:
			push_prop(&pp->rdates, &pp->nrdates, &pp->rdates_cap, p);
			break;
		case ICAL_EXDATE_PROPERTY:
			push_prop(&pp->exdates, &pp->nexdates, &pp->exdates_cap, p);
			break;
		case ICAL_ATTENDEE_PROPERTY:
			push_prop(&pp->attendees, &pp->nattendees, &pp->attendees_cap, p);
			break;
		default:
			break;
		}
	}
	const struct { int count; enum prop_id id; } once[] = {
		{ pp->n_dtstart, P_DTSTART }, { pp->n_dtend, P_DTEND },
		{ pp->n_duration, P_DURATION }, { pp->n_rid, P_RECURRENCE_ID }, { pp->n_uid, P_UID },
	};
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (once[i].count > 1)
			return input_error(c, pline(e, once[i].id), "more than one %s in this event",
			                   prop_names[once[i].id]);
	if (!pp->dtstart && !pp->rid)
		return input_error(c, e->se->line, "VEVENT without DTSTART");
	if (pp->dtend && pp->duration)
		return input_error(c, pline(e, P_DURATION), "VEVENT with both DTEND and DURATION");
	return 0;
}

/* A DATE or DATE-TIME value, resolved. */
struct tval {
	bool is_date;
	icaltimezone *zone;
	int64_t naive;          /* wall clock in `zone`; a date is its midnight */
	int64_t utc;
};

static int resolve_time(struct ctx *c, icalproperty *p, struct icaltimetype t, size_t line,
                        const char *what, struct tval *out)
{
	if (icaltime_is_null_time(t))
		return input_error(c, line, "%s has no value", what);
	if (t.year < MIN_YEAR || t.year > MAX_YEAR)
		return input_error(c, line, "%s year %d is outside %d-%d", what, t.year,
		                   MIN_YEAR, MAX_YEAR);
	if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month) ||
	    (!t.is_date && (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
	                    t.second < 0 || t.second > 59)))
		return input_error(c, line, "%s is not a valid date or time", what);
	out->is_date = t.is_date;
	out->naive = naive_of_ical(t);
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	int rc;
	if (!t.is_date && icaltime_is_utc(t)) {
		out->zone = c->utc;
	} else if (tzid && *tzid) {
		if ((rc = resolve_tzid(c, tzid, line, &out->zone)) < 0)
			return rc;
	} else {
		if ((rc = default_zone(c, &out->zone)) < 0)
			return rc;
		if (!out->zone)
			return input_error(c, line, t.is_date
			                   ? "%s is an all-day date, and the calendar names no time "
			                     "zone to place it in (X-WR-TIMEZONE)"
			                   : "%s has no time zone (floating time), and the calendar "
			                     "names none (X-WR-TIMEZONE)", what);
	}
	out->utc = local_to_utc(c, out->zone, out->naive);
	return 0;
}

static int64_t inst_end(const struct ctx *c, const struct dspec *d, icaltimezone *z,
                        int64_t naive, int64_t start)
{
	if (d->exact)
		return start + d->secs;
	return local_to_utc(c, z, naive + d->days * 86400) + d->secs;
}

static int64_t dspec_total(const struct dspec *d)
{
	return d->exact ? d->secs : d->days * 86400 + d->secs;
}

/* The start and length of a VEVENT.  `inherit` (an override's master) gives
 * the length when the event has neither DTEND nor DURATION. */
static int event_times(struct ctx *c, const struct ev *e, const struct props *pp,
                       const struct dspec *inherit, struct tval *st, struct dspec *dur)
{
	int rc;
	if (pp->dtstart) {
		rc = resolve_time(c, pp->dtstart, icalproperty_get_dtstart(pp->dtstart),
		                  pline(e, P_DTSTART), "DTSTART", st);
	} else {
		rc = resolve_time(c, pp->rid, icalproperty_get_recurrenceid(pp->rid),
		                  pline(e, P_RECURRENCE_ID), "RECURRENCE-ID", st);
	}
	if (rc < 0)
		return rc;
	if (pp->dtend) {
		struct tval en;
		size_t line = pline(e, P_DTEND);
		if ((rc = resolve_time(c, pp->dtend, icalproperty_get_dtend(pp->dtend), line,
		                       "DTEND", &en)) < 0)
			return rc;
		if (en.is_date != st->is_date)
			return input_error(c, line, st->is_date
			                   ? "DTEND is a date-time but DTSTART is a date"
			                   : "DTEND is a date but DTSTART is a date-time");
		if (st->is_date) {
			*dur = (struct dspec){ .exact = false, .days = (en.naive - st->naive) / 86400 };
			if (dur->days <= 0)
				return input_error(c, line, "DTEND is not after DTSTART");
		} else {
			*dur = (struct dspec){ .exact = true, .secs = en.utc - st->utc };
			if (dur->secs <= 0)
				return input_error(c, line, "DTEND is not after DTSTART");
		}
	} else if (pp->duration) {
		size_t line = pline(e, P_DURATION);
		struct icaldurationtype d = icalproperty_get_duration(pp->duration);
		int64_t days = (int64_t)d.weeks * 7 + d.days;
		int64_t secs = (int64_t)d.hours * 3600 + (int64_t)d.minutes * 60 + d.seconds;
		if (d.is_neg) {
			days = -days;
			secs = -secs;
		}
		if (st->is_date && secs != 0)
			return input_error(c, line, "DURATION of an all-day event must be whole days");
		if (days * 86400 + secs <= 0)
			return input_error(c, line, "DURATION is not positive (event ends before it starts)");
		*dur = (struct dspec){ .exact = false, .days = days, .secs = secs };
	} else if (inherit) {
		*dur = *inherit;
	} else if (st->is_date) {
		*dur = (struct dspec){ .exact = false, .days = 1 };
	} else {
		return input_error(c, e->se->line, "event has neither DTEND nor DURATION, so it "
		                   "lasts no time (end <= start)");
	}
	int64_t end = inst_end(c, dur, st->zone, st->naive, st->utc);
	if (end <= st->utc)
		return input_error(c, e->se->line, "event ends before it starts");
	return 0;
}

/* ---- the person ---- */

/* The address of an ATTENDEE value ("mailto:x@y" or bare "x@y"), or NULL. */
static const char *email_of(const char *v)
{
	if (!v)
		return NULL;
	if (prefix_nocase(v, "mailto:"))
		v += 7;
	const char *at = strchr(v, '@');
	if (!at || at == v || !at[1] || strchr(at + 1, '@'))
		return NULL;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[],;:\"\\", *p))
			return NULL;
	return v;
}

static char *trimmed(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

static void event_person(struct ev *e, const struct props *pp)
{
	for (size_t i = 0; i < pp->nattendees && !e->email; i++) {
		const char *addr = email_of(icalproperty_get_attendee(pp->attendees[i]));
		if (!addr)
			continue;
		e->email = xstrdup(addr);
		for (char *p = e->email; *p; p++)
			*p = lower_c(*p);
		icalparameter *cn = icalproperty_get_first_parameter(pp->attendees[i], ICAL_CN_PARAMETER);
		const char *cns = cn ? icalparameter_get_cn(cn) : NULL;
		if (cns)
			e->name = trimmed(cns, strlen(cns));
	}
	const char *s = pp->summary ? icalproperty_get_summary(pp->summary) : NULL;
	if (s) {
		while (*s == ' ' || *s == '\t')
			s++;
		/* "[L2] name": a level */
		if (s[0] == '[' && (s[1] == 'L' || s[1] == 'l') && s[2] >= '0' && s[2] <= '9') {
			int lv = s[2] - '0', k = 3;
			if (s[3] >= '0' && s[3] <= '9')
				lv = lv * 10 + (s[k++] - '0');
			if (s[k] == ']') {
				e->level = lv;      /* [L0]: no level, as Grafana OnCall reads it */
				s += k + 1;
			}
		}
		while (*s == ' ' || *s == '\t')
			s++;
		/* PagerDuty: "On Call - NAME - SCHEDULE" (or just "On Call - NAME") */
		size_t len = strlen(s);
		if (prefix_nocase(s, "On Call - ")) {
			s += 10;
			const char *sep = strstr(s, " - ");
			len = sep ? (size_t)(sep - s) : strlen(s);
		}
		if (!e->name)
			e->name = trimmed(s, len);
	}
	if (e->level == 0 && pp->priority) {
		int pr = icalproperty_get_priority(pp->priority);
		if (pr >= 1 && pr <= 9)
			e->level = pr;
	}
}

/* ---- output ---- */

static int emit(struct ctx *c, const struct ev *who, int64_t start, int64_t end, size_t line)
{
	if (end <= c->ws || start >= c->we)
		return 0;
	if (c->n >= ICAL_MAX_SHIFTS)
		return input_error(c, line, "more than %d shifts in the file (limit)", ICAL_MAX_SHIFTS);
	xgrow(&c->shifts, &c->cap, c->n + 1, sizeof(*c->shifts));
	struct ical_shift *s = &c->shifts[c->n++];
	s->email = who->email ? xstrdup(who->email) : NULL;
	s->name = who->name ? xstrdup(who->name) : NULL;
	s->start = start;
	s->end = end;
	s->level = who->level > 0 ? who->level : 1;
	s->line = line;
	return 0;
}

/* ---- recurrence ---- */

struct instvec {
	struct inst *v;
	size_t n, cap;
};

static int add_inst(struct ctx *c, struct instvec *iv, int64_t start, int64_t end,
                    int64_t naive, size_t line)
{
	if (end <= start)
		return input_error(c, line, "an instance of this event ends before it starts");
	if (end <= c->ws || start >= c->we)
		return 0;
	if (iv->n >= ICAL_MAX_INSTANCES)
		return input_error(c, line, "recurrence yields more than %d instances inside the "
		                   "window (limit)", ICAL_MAX_INSTANCES);
	xgrow(&iv->v, &iv->cap, iv->n + 1, sizeof(*iv->v));
	iv->v[iv->n++] = (struct inst){ start, end, naive };
	return 0;
}

/* Counts one recurrence step; `skipped` (NULL: not counted) counts the
 * steps that end before the window. */
static int step_budget(struct ctx *c, size_t line, size_t *skipped, bool before_window)
{
	if (++c->steps > MAX_FILE_STEPS)
		return input_error(c, line, "recurrences in this file need more than %d steps to "
		                   "expand (limit)", MAX_FILE_STEPS);
	if (before_window && skipped && ++*skipped > MAX_RULE_SKIPS)
		return input_error(c, line, "RRULE needs more than %d steps to reach the window "
		                   "(limit); a COUNT rule starting long before it?", MAX_RULE_SKIPS);
	if ((c->steps & 4095) == 0)
		return check_cpu(c, line);
	return 0;
}

static int expand_rrule_body(struct ctx *c, const struct ev *e, icalproperty *rp,
                             const struct tval *st, const struct dspec *dur,
                             struct instvec *iv)
{
	size_t line = pline(e, P_RRULE);
	struct icalrecurrencetype r = icalproperty_get_rrule(rp);
	int rc;

	if (r.freq == ICAL_NO_RECURRENCE)
		return input_error(c, line, "RRULE without FREQ");
	if (r.interval < 1)
		return input_error(c, line, "RRULE INTERVAL must be at least 1");
	if (r.count < 0)
		return input_error(c, line, "RRULE COUNT must not be negative");
	const char *why = rule_problem(&r);
	if (why)
		return input_error(c, line, "RRULE refused: %s", why);

	/* the last wall-clock start worth generating: UNTIL, the window's end */
	int64_t limit = INT64_MAX;
	if (!icaltime_is_null_time(r.until)) {
		struct icaltimetype u = r.until;
		if (u.month < 1 || u.month > 12 || u.day < 1 || u.day > days_in_month(u.year, u.month))
			return input_error(c, line, "RRULE UNTIL is not a valid date");
		int64_t un = naive_of_ical(u);
		if (u.is_date)
			limit = st->is_date ? un : un + 86399;
		else if (icaltime_is_utc(u))
			limit = st->is_date ? floor_div(utc_to_local(c, st->zone, un), 86400) * 86400
			                    : utc_to_local(c, st->zone, un);
		else
			limit = st->is_date ? floor_div(un, 86400) * 86400 : un;
	}
	int64_t total = dspec_total(dur);
	int64_t lo = utc_to_local(c, st->zone, clamp_t(c->ws)) - total - MARGIN;
	int64_t hi = utc_to_local(c, st->zone, clamp_t(c->we)) + MARGIN;
	limit = min64(limit, min64(hi, naive_of(MAX_YEAR, 12, 31, 23, 59, 59)));
	if (limit < st->naive)
		return 0;
	size_t skipped = 0;

	if (r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
	    r.freq == ICAL_HOURLY_RECURRENCE) {
		if (st->is_date)
			return input_error(c, line, "RRULE with FREQ=%s on an all-day event",
			                   icalrecur_freq_to_string(r.freq));
		if (has_by_parts(&r))
			return input_error(c, line, "unsupported RRULE: FREQ=%s with BY... parts "
			                   "(libical 3.0 cannot expand them in bounded time)",
			                   icalrecur_freq_to_string(r.freq));
		int64_t unit = r.freq == ICAL_SECONDLY_RECURRENCE ? 1
		             : r.freq == ICAL_MINUTELY_RECURRENCE ? 60 : 3600;
		int64_t step = unit * r.interval;
		int64_t k = lo > st->naive ? (lo - st->naive) / step : 0;
		for (;; k++) {
			if (r.count > 0 && k >= r.count)
				break;
			int64_t naive = st->naive + k * step;
			if (naive > limit)
				break;
			int64_t s = local_to_utc(c, st->zone, naive);
			int64_t en = inst_end(c, dur, st->zone, naive, s);
			/* no per-rule skip limit: the jump leaves at most MARGIN before */
			if ((rc = step_budget(c, line, NULL, en <= c->ws)) < 0 ||
			    (rc = add_inst(c, iv, s, en, naive, line)) < 0)
				return rc;
		}
		return 0;
	}

	r.until = ical_of_naive(limit, st->is_date);
	icalrecur_iterator *it = icalrecur_iterator_new(r, ical_of_naive(st->naive, st->is_date));
	if ((rc = check_cpu(c, line)) < 0) {
		if (it)
			icalrecur_iterator_free(it);
		return rc;
	}
	if (!it)
		return input_error(c, line, "RRULE cannot be expanded (libical rejects it)");
	if (r.count == 0 && lo > st->naive)
		icalrecur_iterator_set_start(it, ical_of_naive(st->is_date ? floor_div(lo, 86400) * 86400
		                                                            : lo, st->is_date));
	for (;;) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		int64_t naive = naive_of_ical(t);
		if (naive > limit)
			break;
		int64_t s = local_to_utc(c, st->zone, naive);
		int64_t en = inst_end(c, dur, st->zone, naive, s);
		if ((rc = step_budget(c, line, &skipped, en <= c->ws)) < 0 ||
		    (rc = add_inst(c, iv, s, en, naive, line)) < 0)
			break;
	}
	icalrecur_iterator_free(it);
	return rc < 0 ? rc : 0;
}

/* The instances of one RRULE, its CPU time counted against CPU_BUDGET_NS. */
static int expand_rrule(struct ctx *c, const struct ev *e, icalproperty *rp,
                        const struct tval *st, const struct dspec *dur, struct instvec *iv)
{
	c->rule_t0 = cpu_ns();
	int rc = expand_rrule_body(c, e, rp, st, dur, iv);
	c->rule_ns += cpu_ns() - c->rule_t0;
	return rc;
}

static int inst_cmp(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static int i64_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* Overrides, sorted by (uid, rid). */
struct ovr {
	const char *uid;
	int64_t rid;
	size_t ev;
};

static int ovr_cmp(const void *a, const void *b)
{
	const struct ovr *x = a, *y = b;
	int k = strcmp(x->uid, y->uid);
	if (k)
		return k;
	return (x->rid > y->rid) - (x->rid < y->rid);
}

struct master_ref {
	const char *uid;
	size_t ev;
};

static int mref_cmp(const void *a, const void *b)
{
	const struct master_ref *x = a, *y = b;
	int k = strcmp(x->uid, y->uid);
	if (k)
		return k;
	return (x->ev > y->ev) - (x->ev < y->ev);
}

/* The instances of a master (DTSTART, RRULEs, RDATEs, minus EXDATEs),
 * inside the window, each replaced by an override or emitted. */
static int expand_master(struct ctx *c, struct ev *e, const struct props *pp,
                         const struct tval *st, const struct dspec *dur,
                         const struct ovr *ovrs, size_t novrs)
{
	struct instvec iv = { 0 };
	int64_t *ex = NULL, *exdays = NULL;
	size_t nex = 0, nexdays = 0, ex_cap = 0, exdays_cap = 0;
	int rc = add_inst(c, &iv, st->utc, inst_end(c, dur, st->zone, st->naive, st->utc),
	                  st->naive, e->se->line);
	for (size_t i = 0; rc == 0 && i < pp->nrrules; i++)
		rc = expand_rrule(c, e, pp->rrules[i], st, dur, &iv);
	for (size_t i = 0; rc == 0 && i < pp->nrdates; i++) {
		size_t line = pline(e, P_RDATE);
		struct icaldatetimeperiodtype rd = icalproperty_get_rdate(pp->rdates[i]);
		struct tval t;
		if (!icaltime_is_null_time(rd.time)) {
			if ((rc = resolve_time(c, pp->rdates[i], rd.time, line, "RDATE", &t)) < 0)
				break;
			if (t.is_date != st->is_date) {
				rc = input_error(c, line, "RDATE and DTSTART differ in type (date, date-time)");
				break;
			}
			rc = add_inst(c, &iv, t.utc, inst_end(c, dur, t.zone, t.naive, t.utc), t.naive, line);
		} else {
			if ((rc = resolve_time(c, pp->rdates[i], rd.period.start, line, "RDATE", &t)) < 0)
				break;
			int64_t end;
			if (!icaltime_is_null_time(rd.period.end)) {
				struct tval te;
				if ((rc = resolve_time(c, pp->rdates[i], rd.period.end, line, "RDATE", &te)) < 0)
					break;
				end = te.utc;
			} else {
				struct icaldurationtype d = rd.period.duration;
				struct dspec pd = { .exact = false, .days = (int64_t)d.weeks * 7 + d.days,
				                    .secs = (int64_t)d.hours * 3600 + (int64_t)d.minutes * 60 +
				                            d.seconds };
				if (d.is_neg) {
					pd.days = -pd.days;
					pd.secs = -pd.secs;
				}
				end = inst_end(c, &pd, t.zone, t.naive, t.utc);
			}
			rc = add_inst(c, &iv, t.utc, end, t.naive, line);
		}
	}
	for (size_t i = 0; rc == 0 && i < pp->nexdates; i++) {
		struct tval t;
		if ((rc = resolve_time(c, pp->exdates[i], icalproperty_get_exdate(pp->exdates[i]),
		                       pline(e, P_EXDATE), "EXDATE", &t)) < 0)
			break;
		if (t.is_date && !st->is_date) {
			/* a whole day excluded from a date-time series */
			xgrow(&exdays, &exdays_cap, nexdays + 1, sizeof(*exdays));
			exdays[nexdays++] = floor_div(t.naive, 86400);
		} else {
			xgrow(&ex, &ex_cap, nex + 1, sizeof(*ex));
			ex[nex++] = t.utc;
		}
	}
	if (rc == 0) {
		sort(iv.v, iv.n, sizeof(*iv.v), inst_cmp);
		sort(ex, nex, sizeof(*ex), i64_cmp);
		sort(exdays, nexdays, sizeof(*exdays), i64_cmp);
		for (size_t i = 0; rc == 0 && i < iv.n; i++) {
			const struct inst *in = &iv.v[i];
			if (i > 0 && in->start == iv.v[i - 1].start)
				continue;
			int64_t day = floor_div(in->naive, 86400);
			if ((nex && bsearch(&in->start, ex, nex, sizeof(*ex), i64_cmp)) ||
			    (nexdays && bsearch(&day, exdays, nexdays, sizeof(*exdays), i64_cmp)))
				continue;
			if (e->uid && novrs) {
				struct ovr key = { e->uid, in->start, 0 };
				if (bsearch(&key, ovrs, novrs, sizeof(*ovrs), ovr_cmp))
					continue;   /* replaced (or cancelled) by its override */
			}
			rc = emit(c, e, in->start, in->end, e->se->line);
		}
	}
	free(iv.v);
	free(ex);
	free(exdays);
	return rc;
}

/* ------------------------------------------------------------------ */
/* a VCALENDAR */

static void ev_release(struct ev *e)
{
	if (e->comp)
		icalcomponent_free(e->comp);
	e->comp = NULL;
	free(e->uid);
	free(e->email);
	free(e->name);
	e->uid = e->email = e->name = NULL;
}

/* libical parses each VEVENT on its own: the whole file at once costs it
 * some 20 times the file's size in memory and three times the time. */
static int parse_event(const struct ctx *c, struct ev *e)
{
	if (e->comp)
		return 0;
	e->comp = icalparser_parse_string(c->sc->evtext.ptr + e->se->text_off);
	if (!e->comp || icalcomponent_isa(e->comp) != ICAL_VEVENT_COMPONENT) {
		if (e->comp)
			icalcomponent_free(e->comp);
		e->comp = NULL;
		return input_error(c, e->se->line, "libical cannot parse this VEVENT");
	}
	return 0;
}

/* The overrides with this UID exist (ovrs sorted by uid, rid). */
static bool has_overrides(const struct ovr *ovrs, size_t novrs, const char *uid)
{
	size_t lo = 0, hi = novrs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(ovrs[mid].uid, uid);
		if (k == 0)
			return true;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int read_calendar(struct ctx *c, icalcomponent *vcal, const struct scan_cal *scal)
{
	int rc = 0;
	struct ev *evs = xcalloc(scal->nevents ? scal->nevents : 1, sizeof(*evs));
	size_t nevs = scal->nevents;
	struct ovr *ovrs = NULL;
	size_t novrs = 0, ovrs_cap = 0;
	struct master_ref *mrefs = NULL;
	size_t nmrefs = 0, mrefs_cap = 0;
	struct props pp = { 0 };

	c->vcal = vcal;
	c->scal = scal;
	c->defzone_done = false;
	c->defzone = NULL;
	for (size_t i = 0; i < c->nzc; i++)
		free(c->zc[i].tzid);
	c->nzc = 0;

	if ((rc = check_xlic(c, vcal, scal->line, NULL)) < 0)
		goto out;
	for (icalproperty *p = icalcomponent_get_first_property(vcal, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(vcal, ICAL_X_PROPERTY)) {
		const char *xn = icalproperty_get_x_name(p);
		const char *v = icalproperty_get_x(p);
		if (!c->calname && xn && same_nocase(xn, "X-WR-CALNAME") && v && *v)
			c->calname = xstrdup(v);
	}
	for (icalcomponent *tz = icalcomponent_get_first_component(vcal, ICAL_VTIMEZONE_COMPONENT); tz;
	     tz = icalcomponent_get_next_component(vcal, ICAL_VTIMEZONE_COMPONENT)) {
		size_t line = scal->line;
		icalproperty *tzp = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
		const char *tzid = tzp ? icalproperty_get_tzid(tzp) : NULL;
		for (size_t i = 0; i < c->sc->ntzs; i++)
			if (c->sc->tzs[i].cal == c->cal_index && tzid && c->sc->tzs[i].tzid &&
			    strcmp(c->sc->tzs[i].tzid, tzid) == 0) {
				line = c->sc->tzs[i].line;
				break;
			}
		if ((rc = check_vtimezone(c, tz, line)) < 0)
			goto out;
	}
	for (size_t k = 0; k < nevs; k++)
		evs[k].se = &c->sc->events[scal->first_event + k];

	/* 1. overrides (RECURRENCE-ID and UID): parsed and kept */
	for (size_t k = 0; k < nevs; k++) {
		struct ev *e = &evs[k];
		if (!e->se->prop_line[P_RECURRENCE_ID])
			continue;
		if ((rc = parse_event(c, e)) < 0 || (rc = collect(c, e, &pp)) < 0)
			goto out;
		const char *uid = pp.uid ? icalproperty_get_uid(pp.uid) : NULL;
		if (uid && *uid && pp.rid) {
			size_t line = pline(e, P_RECURRENCE_ID);
			icalparameter *range = icalproperty_get_first_parameter(pp.rid, ICAL_RANGE_PARAMETER);
			if (range) {
				rc = input_error(c, line, "RECURRENCE-ID with RANGE (THISANDFUTURE) is not "
				                 "supported, only overrides of one instance");
				goto out;
			}
			struct tval t;
			if ((rc = resolve_time(c, pp.rid, icalproperty_get_recurrenceid(pp.rid), line,
			                       "RECURRENCE-ID", &t)) < 0)
				goto out;
			e->uid = xstrdup(uid);
			e->is_override = true;
			e->rid = t.utc;
			e->cancelled = pp.status &&
			               icalproperty_get_status(pp.status) == ICAL_STATUS_CANCELLED;
			e->seq = pp.seq ? icalproperty_get_sequence(pp.seq) : 0;
			xgrow(&ovrs, &ovrs_cap, novrs + 1, sizeof(*ovrs));
			ovrs[novrs++] = (struct ovr){ e->uid, e->rid, k };
		}
		props_free(&pp);
	}
	/* one per (UID, RECURRENCE-ID): the highest SEQUENCE, then the last */
	sort(ovrs, novrs, sizeof(*ovrs), ovr_cmp);
	for (size_t i = 1; i < novrs; i++) {
		struct ovr *a = &ovrs[i - 1], *b = &ovrs[i];
		if (ovr_cmp(a, b) != 0)
			continue;
		const struct ev *ea = &evs[a->ev], *eb = &evs[b->ev];
		if (eb->seq > ea->seq || (eb->seq == ea->seq && b->ev > a->ev)) {
			evs[a->ev].dropped = true;
		} else {
			evs[b->ev].dropped = true;
			size_t t = a->ev;
			a->ev = b->ev;
			b->ev = t;      /* the kept one meets the next duplicate */
		}
	}

	/* 2. masters and plain events, one at a time */
	for (size_t k = 0; k < nevs; k++) {
		struct ev *e = &evs[k];
		if (e->is_override)
			continue;
		struct tval st;
		struct dspec dur;
		if ((rc = parse_event(c, e)) < 0 || (rc = collect(c, e, &pp)) < 0)
			goto out;
		const char *uid = pp.uid ? icalproperty_get_uid(pp.uid) : NULL;
		bool overridden = uid && *uid && has_overrides(ovrs, novrs, uid);
		e->cancelled = pp.status && icalproperty_get_status(pp.status) == ICAL_STATUS_CANCELLED;
		if (overridden) {
			e->uid = xstrdup(uid);
			xgrow(&mrefs, &mrefs_cap, nmrefs + 1, sizeof(*mrefs));
			mrefs[nmrefs++] = (struct master_ref){ e->uid, k };
		}
		if (!e->cancelled) {
			if ((rc = event_times(c, e, &pp, NULL, &st, &dur)) < 0)
				goto out;
			event_person(e, &pp);
			if (!e->email && !e->name) {
				rc = input_error(c, e->se->line, "event names no person (no ATTENDEE "
				                 "email address and an empty SUMMARY)");
				goto out;
			}
			if (pp.nrrules == 0 && pp.nrdates == 0 && pp.nexdates == 0) {
				struct ovr key = { uid, st.utc, 0 };
				if (!overridden || !bsearch(&key, ovrs, novrs, sizeof(*ovrs), ovr_cmp))
					rc = emit(c, e, st.utc, inst_end(c, &dur, st.zone, st.naive, st.utc),
					          e->se->line);
			} else {
				/* expand_master looks overrides up by e->uid */
				rc = expand_master(c, e, &pp, &st, &dur, overridden ? ovrs : NULL,
				                   overridden ? novrs : 0);
			}
			if (rc < 0)
				goto out;
			e->dur = dur;
			e->has_dur = true;
		}
		props_free(&pp);
		icalcomponent_free(e->comp);
		e->comp = NULL;
		if (!overridden)
			ev_release(e);
	}
	sort(mrefs, nmrefs, sizeof(*mrefs), mref_cmp);

	/* 3. overrides */
	for (size_t k = 0; k < nevs; k++) {
		struct ev *e = &evs[k];
		if (!e->is_override)
			continue;       /* masters stay until every override is done */
		if (e->dropped || e->cancelled) {
			ev_release(e);
			continue;
		}
		/* the first master with this UID (mrefs sorted by uid, then index) */
		struct ev *m = NULL;
		for (size_t lo = 0, hi = nmrefs; lo < hi; ) {
			size_t mid = lo + (hi - lo) / 2;
			int cmp = strcmp(mrefs[mid].uid, e->uid);
			if (cmp < 0) {
				lo = mid + 1;
			} else {
				if (cmp == 0)
					m = &evs[mrefs[mid].ev];
				hi = mid;
			}
		}
		if (m && m->cancelled) {
			ev_release(e);
			continue;       /* the whole series is cancelled */
		}
		struct tval st;
		struct dspec dur;
		if ((rc = collect(c, e, &pp)) < 0 ||
		    (rc = event_times(c, e, &pp, m && m->has_dur ? &m->dur : NULL, &st, &dur)) < 0)
			goto out;
		event_person(e, &pp);
		props_free(&pp);
		if (!e->email && !e->name && m) {
			e->email = m->email ? xstrdup(m->email) : NULL;
			e->name = m->name ? xstrdup(m->name) : NULL;
		}
		if (e->level == 0 && m)
			e->level = m->level;
		if (!e->email && !e->name) {
			rc = input_error(c, e->se->line, "event names no person (no ATTENDEE email "
			                 "address and an empty SUMMARY)");
			goto out;
		}
		if ((rc = emit(c, e, st.utc, inst_end(c, &dur, st.zone, st.naive, st.utc),
		               e->se->line)) < 0)
			goto out;
		ev_release(e);
	}
out:
	props_free(&pp);
	for (size_t k = 0; k < nevs; k++)
		ev_release(&evs[k]);
	free(evs);
	free(ovrs);
	free(mrefs);
	return rc;
}

/* ------------------------------------------------------------------ */

static int str_cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int shift_cmp(const void *pa, const void *pb)
{
	const struct ical_shift *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	int k = str_cmp_null(a->email, b->email);
	if (k)
		return k;
	if ((k = str_cmp_null(a->name, b->name)))
		return k;
	return (a->line > b->line) - (a->line < b->line);
}

void ical_schedule_free(struct ical_schedule *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->shifts[i].email);
		free(s->shifts[i].name);
	}
	free(s->shifts);
	free(s->calendar_name);
	memset(s, 0, sizeof(*s));
}

int ical_read_buffer(struct ical_schedule *out, const char *name, const char *buf, size_t len,
                     int64_t window_start, int64_t window_end)
{
	struct scan sc = { .path = name };
	struct ctx c = { .path = name, .ws = window_start, .we = window_end, .sc = &sc };
	icalcomponent *root = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > ICAL_MAX_BYTES) {
		return carry_error(CARRY_EINPUT, "%s: larger than %d MiB (limit)", name,
		                   ICAL_MAX_BYTES >> 20);
	}
	icalerror_set_errors_are_fatal(0);
	c.utc = icaltimezone_get_utc_timezone();

	if ((rc = scan_buffer(&sc, buf, len)) < 0)
		goto out;
	/* the VCALENDARs without their VEVENTs (properties, VTIMEZONEs) */
	root = icalparser_parse_string(sb_str(&sc.text));
	if (!root) {
		rc = carry_error(CARRY_EINPUT, "%s:1: libical cannot parse the file", name);
		goto out;
	}
	size_t ncal = 0;
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
		c.cal_index = 0;
		rc = read_calendar(&c, root, &sc.cals[0]);
		ncal = 1;
	} else {
		for (icalcomponent *vc = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
		     vc && rc == 0 && ncal < sc.ncals;
		     vc = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT), ncal++) {
			c.cal_index = ncal;
			rc = read_calendar(&c, vc, &sc.cals[ncal]);
		}
	}
	if (rc == 0 && ncal != sc.ncals)
		rc = carry_error(CARRY_EINPUT, "%s:1: internal error: libical sees %zu calendars, "
		                 "the scan %zu", name, ncal, sc.ncals);
	if (rc < 0)
		goto out;

	/* sorted, exact duplicates dropped */
	sort(c.shifts, c.n, sizeof(*c.shifts), shift_cmp);
	size_t w = 0;
	for (size_t i = 0; i < c.n; i++) {
		struct ical_shift *s = &c.shifts[i];
		if (w > 0) {
			struct ical_shift *p = &c.shifts[w - 1];
			if (p->start == s->start && p->end == s->end && p->level == s->level &&
			    str_cmp_null(p->email, s->email) == 0 && str_cmp_null(p->name, s->name) == 0) {
				free(s->email);
				free(s->name);
				continue;
			}
		}
		c.shifts[w++] = *s;
	}
	c.n = w;
	out->shifts = c.shifts;
	out->n = c.n;
	out->calendar_name = c.calname;
	for (size_t i = 0; i < c.n; i++) {
		if (i == 0 || c.shifts[i].start < out->range_start)
			out->range_start = c.shifts[i].start;
		if (i == 0 || c.shifts[i].end > out->range_end)
			out->range_end = c.shifts[i].end;
	}
	c.shifts = NULL;
	c.n = 0;
	c.calname = NULL;
out:
	if (root)
		icalcomponent_free(root);
	for (size_t i = 0; i < c.n; i++) {
		free(c.shifts[i].email);
		free(c.shifts[i].name);
	}
	free(c.shifts);
	free(c.calname);
	for (size_t i = 0; i < c.nzc; i++)
		free(c.zc[i].tzid);
	free(c.zc);
	scan_free(&sc);
	return rc < 0 ? rc : 0;
}

int ical_read_file(struct ical_schedule *out, const char *path,
                   int64_t window_start, int64_t window_end)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f)
		return carry_error(CARRY_EINPUT, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(f);
			return carry_error(CARRY_EINPUT, "%s: is a directory", path);
		}
		if (S_ISREG(st.st_mode) && st.st_size > ICAL_MAX_BYTES) {
			fclose(f);
			return carry_error(CARRY_EINPUT, "%s: larger than %d MiB (limit)", path,
			                   ICAL_MAX_BYTES >> 20);
		}
	}
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		sb_add(&sb, chunk, got);
		if (sb.len > ICAL_MAX_BYTES) {
			fclose(f);
			sb_free(&sb);
			return carry_error(CARRY_EINPUT, "%s: larger than %d MiB (limit)", path,
			                   ICAL_MAX_BYTES >> 20);
		}
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		sb_free(&sb);
		return carry_error(CARRY_EINPUT, "%s: cannot read: %s", path, strerror(e));
	}
	fclose(f);
	int rc = ical_read_buffer(out, path, sb.ptr ? sb.ptr : "", sb.len, window_start, window_end);
	sb_free(&sb);
	return rc;
}
