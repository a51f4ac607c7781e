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
 *    years (ical_rule_problem()).  Left over is libical's day-by-day walk for
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
 *
 * The code is split by concern (scan, zones, rule checks, events,
 * recurrence, and here the calendar and entry points); ical_int.h says
 * which file owns what.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include <libical/ical.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "ical_int.h"

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
		return ical_input_error(c, e->se->line, "libical cannot parse this VEVENT");
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

	if ((rc = ical_check_xlic(c, vcal, scal->line, NULL)) < 0)
		goto out;
	for (icalproperty *p = icalcomponent_get_first_property(vcal, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(vcal, ICAL_X_PROPERTY)) {
		const char *xn = icalproperty_get_x_name(p);
		const char *v = icalproperty_get_x(p);
		if (!c->calname && xn && ical_same_nocase(xn, "X-WR-CALNAME") && v && *v)
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
		if ((rc = ical_check_vtimezone(c, tz, line)) < 0)
			goto out;
	}
	for (size_t k = 0; k < nevs; k++)
		evs[k].se = &c->sc->events[scal->first_event + k];

	/* 1. overrides (RECURRENCE-ID and UID): parsed and kept */
	for (size_t k = 0; k < nevs; k++) {
		struct ev *e = &evs[k];
		if (!e->se->prop_line[P_RECURRENCE_ID])
			continue;
		if ((rc = parse_event(c, e)) < 0 || (rc = ical_collect(c, e, &pp)) < 0)
			goto out;
		const char *uid = pp.uid ? icalproperty_get_uid(pp.uid) : NULL;
		if (uid && *uid && pp.rid) {
			size_t line = ical_pline(e, P_RECURRENCE_ID);
			icalparameter *range = icalproperty_get_first_parameter(pp.rid, ICAL_RANGE_PARAMETER);
			if (range) {
				rc = ical_input_error(c, line, "RECURRENCE-ID with RANGE (THISANDFUTURE) is not "
				                      "supported, only overrides of one instance");
				goto out;
			}
			struct tval t;
			if ((rc = ical_resolve_time(c, pp.rid, icalproperty_get_recurrenceid(pp.rid), line,
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
		ical_props_free(&pp);
	}
	/* one per (UID, RECURRENCE-ID): the highest SEQUENCE, then the last */
	ical_sort(ovrs, novrs, sizeof(*ovrs), ical_ovr_cmp);
	for (size_t i = 1; i < novrs; i++) {
		struct ovr *a = &ovrs[i - 1], *b = &ovrs[i];
		if (ical_ovr_cmp(a, b) != 0)
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
		if ((rc = parse_event(c, e)) < 0 || (rc = ical_collect(c, e, &pp)) < 0)
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
			if ((rc = ical_event_times(c, e, &pp, NULL, &st, &dur)) < 0)
				goto out;
			ical_event_person(e, &pp);
			if (!e->email && !e->name) {
				rc = ical_input_error(c, e->se->line, "event names no person (no ATTENDEE "
				                      "email address and an empty SUMMARY)");
				goto out;
			}
			if (pp.nrrules == 0 && pp.nrdates == 0 && pp.nexdates == 0) {
				struct ovr key = { uid, st.utc, 0 };
				if (!overridden || !bsearch(&key, ovrs, novrs, sizeof(*ovrs), ical_ovr_cmp))
					rc = ical_emit(c, e, st.utc, ical_inst_end(c, &dur, st.zone, st.naive, st.utc),
					               e->se->line);
			} else {
				/* ical_expand_master looks overrides up by e->uid */
				rc = ical_expand_master(c, e, &pp, &st, &dur, overridden ? ovrs : NULL,
				                        overridden ? novrs : 0);
			}
			if (rc < 0)
				goto out;
			e->dur = dur;
			e->has_dur = true;
		}
		ical_props_free(&pp);
		icalcomponent_free(e->comp);
		e->comp = NULL;
		if (!overridden)
			ev_release(e);
	}
	ical_sort(mrefs, nmrefs, sizeof(*mrefs), mref_cmp);

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
		if ((rc = ical_collect(c, e, &pp)) < 0 ||
		    (rc = ical_event_times(c, e, &pp, m && m->has_dur ? &m->dur : NULL, &st, &dur)) < 0)
			goto out;
		ical_event_person(e, &pp);
		ical_props_free(&pp);
		if (!e->email && !e->name && m) {
			e->email = m->email ? xstrdup(m->email) : NULL;
			e->name = m->name ? xstrdup(m->name) : NULL;
		}
		if (e->level == 0 && m)
			e->level = m->level;
		if (!e->email && !e->name) {
			rc = ical_input_error(c, e->se->line, "event names no person (no ATTENDEE email "
			                      "address and an empty SUMMARY)");
			goto out;
		}
		if ((rc = ical_emit(c, e, st.utc, ical_inst_end(c, &dur, st.zone, st.naive, st.utc),
		                    e->se->line)) < 0)
			goto out;
		ev_release(e);
	}
out:
	ical_props_free(&pp);
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

	if ((rc = ical_scan_buffer(&sc, buf, len)) < 0)
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
	ical_sort(c.shifts, c.n, sizeof(*c.shifts), shift_cmp);
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
	ical_scan_free(&sc);
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
