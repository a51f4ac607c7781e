/* One VEVENT of the iCalendar reader (see ical_int.h).
 *
 * Collects the properties of a parsed VEVENT and checks their counts,
 * resolves its DATE and DATE-TIME values to UTC, works out its start and
 * length (DTEND, DURATION, or its master's), finds the person and level
 * from ATTENDEE, SUMMARY and PRIORITY, and emits shifts that fall inside
 * the window.  Recurrence is in ical_recur.c, overrides in ical.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "carry/mem.h"
#include "carry/ascii.h"
#include "ical_int.h"

/* ------------------------------------------------------------------ */
/* events */

void ical_props_free(struct props *p)
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

size_t ical_pline(const struct ev *e, enum prop_id id)
{
	return e->se->prop_line[id] ? e->se->prop_line[id] : e->se->line;
}

int ical_collect(const struct ctx *c, const struct ev *e, struct props *pp)
{
	memset(pp, 0, sizeof(*pp));
	int rc = ical_check_xlic(c, e->comp, e->se->line, e->se);
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
			return ical_input_error(c, ical_pline(e, once[i].id), "more than one %s in this event",
			                        ical_prop_names[once[i].id]);
	if (!pp->dtstart && !pp->rid)
		return ical_input_error(c, e->se->line, "VEVENT without DTSTART");
	if (pp->dtend && pp->duration)
		return ical_input_error(c, ical_pline(e, P_DURATION), "VEVENT with both DTEND and DURATION");
	return 0;
}

int ical_resolve_time(struct ctx *c, icalproperty *p, struct icaltimetype t, size_t line,
                      const char *what, struct tval *out)
{
	if (icaltime_is_null_time(t))
		return ical_input_error(c, line, "%s has no value", what);
	if (t.year < MIN_YEAR || t.year > MAX_YEAR)
		return ical_input_error(c, line, "%s year %d is outside %d-%d", what, t.year,
		                        MIN_YEAR, MAX_YEAR);
	if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > ical_days_in_month(t.year, t.month) ||
	    (!t.is_date && (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
	                    t.second < 0 || t.second > 59)))
		return ical_input_error(c, line, "%s is not a valid date or time", what);
	out->is_date = t.is_date;
	out->naive = ical_naive_of_ical(t);
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	int rc;
	if (!t.is_date && icaltime_is_utc(t)) {
		out->zone = c->utc;
	} else if (tzid && *tzid) {
		if ((rc = ical_resolve_tzid(c, tzid, line, &out->zone)) < 0)
			return rc;
	} else {
		if ((rc = ical_default_zone(c, &out->zone)) < 0)
			return rc;
		if (!out->zone)
			return ical_input_error(c, line, t.is_date
			                        ? "%s is an all-day date, and the calendar names no time "
			                          "zone to place it in (X-WR-TIMEZONE)"
			                        : "%s has no time zone (floating time), and the calendar "
			                          "names none (X-WR-TIMEZONE)", what);
	}
	out->utc = ical_local_to_utc(c, out->zone, out->naive);
	return 0;
}

int64_t ical_inst_end(const struct ctx *c, const struct dspec *d, icaltimezone *z,
                      int64_t naive, int64_t start)
{
	if (d->exact)
		return start + d->secs;
	return ical_local_to_utc(c, z, naive + d->days * 86400) + d->secs;
}

int64_t ical_dspec_total(const struct dspec *d)
{
	return d->exact ? d->secs : d->days * 86400 + d->secs;
}

/* The start and length of a VEVENT.  `inherit` (an override's master) gives
 * the length when the event has neither DTEND nor DURATION. */
int ical_event_times(struct ctx *c, const struct ev *e, const struct props *pp,
                     const struct dspec *inherit, struct tval *st, struct dspec *dur)
{
	int rc;
	if (pp->dtstart) {
		rc = ical_resolve_time(c, pp->dtstart, icalproperty_get_dtstart(pp->dtstart),
		                       ical_pline(e, P_DTSTART), "DTSTART", st);
	} else {
		rc = ical_resolve_time(c, pp->rid, icalproperty_get_recurrenceid(pp->rid),
		                       ical_pline(e, P_RECURRENCE_ID), "RECURRENCE-ID", st);
	}
	if (rc < 0)
		return rc;
	if (pp->dtend) {
		struct tval en;
		size_t line = ical_pline(e, P_DTEND);
		if ((rc = ical_resolve_time(c, pp->dtend, icalproperty_get_dtend(pp->dtend), line,
		                            "DTEND", &en)) < 0)
			return rc;
		if (en.is_date != st->is_date)
			return ical_input_error(c, line, st->is_date
			                        ? "DTEND is a date-time but DTSTART is a date"
			                        : "DTEND is a date but DTSTART is a date-time");
		if (st->is_date) {
			*dur = (struct dspec){ .exact = false, .days = (en.naive - st->naive) / 86400 };
			if (dur->days <= 0)
				return ical_input_error(c, line, "DTEND is not after DTSTART");
		} else {
			*dur = (struct dspec){ .exact = true, .secs = en.utc - st->utc };
			if (dur->secs <= 0)
				return ical_input_error(c, line, "DTEND is not after DTSTART");
		}
	} else if (pp->duration) {
		size_t line = ical_pline(e, P_DURATION);
		struct icaldurationtype d = icalproperty_get_duration(pp->duration);
		int64_t days = (int64_t)d.weeks * 7 + d.days;
		int64_t secs = (int64_t)d.hours * 3600 + (int64_t)d.minutes * 60 + d.seconds;
		if (d.is_neg) {
			days = -days;
			secs = -secs;
		}
		if (st->is_date && secs != 0)
			return ical_input_error(c, line, "DURATION of an all-day event must be whole days");
		if (days * 86400 + secs <= 0)
			return ical_input_error(c, line, "DURATION is not positive (event ends before it starts)");
		*dur = (struct dspec){ .exact = false, .days = days, .secs = secs };
	} else if (inherit) {
		*dur = *inherit;
	} else if (st->is_date) {
		*dur = (struct dspec){ .exact = false, .days = 1 };
	} else {
		return ical_input_error(c, e->se->line, "event has neither DTEND nor DURATION, so it "
		                        "lasts no time (end <= start)");
	}
	int64_t end = ical_inst_end(c, dur, st->zone, st->naive, st->utc);
	if (end <= st->utc)
		return ical_input_error(c, e->se->line, "event ends before it starts");
	return 0;
}

/* ---- the person ---- */

/* The address of an ATTENDEE value ("mailto:x@y" or bare "x@y"), or NULL. */
static const char *email_of(const char *v)
{
	if (!v)
		return NULL;
	if (ical_prefix_nocase(v, "mailto:"))
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

void ical_event_person(struct ev *e, const struct props *pp)
{
	for (size_t i = 0; i < pp->nattendees && !e->email; i++) {
		const char *addr = email_of(icalproperty_get_attendee(pp->attendees[i]));
		if (!addr)
			continue;
		e->email = xstrdup(addr);
		for (char *p = e->email; *p; p++)
			*p = ascii_lower(*p);
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
		if (ical_prefix_nocase(s, "On Call - ")) {
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

int ical_emit(struct ctx *c, const struct ev *who, int64_t start, int64_t end, size_t line)
{
	if (end <= c->ws || start >= c->we)
		return 0;
	if (c->n >= ICAL_MAX_SHIFTS)
		return ical_input_error(c, line, "more than %d shifts in the file (limit)", ICAL_MAX_SHIFTS);
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
