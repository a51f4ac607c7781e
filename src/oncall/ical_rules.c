/* Checks of what libical parsed, for the iCalendar reader (see ical_int.h).
 *
 * libical drops a bad value and leaves an X-LIC-ERROR property in its
 * place; ical_check_xlic turns each into an error at the line the scan
 * recorded.  ical_rule_problem says which RRULEs carry refuses because
 * libical cannot expand them in bounded time, and ical_check_vtimezone
 * limits VTIMEZONEs to what real zones use, since libical expands their
 * rules with no bound of its own.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "ical_int.h"

/* ------------------------------------------------------------------ */
/* rule checks */

#define BY_SET(arr) ((arr)[0] != ICAL_RECURRENCE_ARRAY_MAX)

bool ical_has_by_parts(const struct icalrecurrencetype *r)
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
				int d = m == 2 ? 29 : ical_days_in_month(2001, m);
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
const char *ical_rule_problem(const struct icalrecurrencetype *r)
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
		if (!nday || nmd || nyd || nwk || max_ord ||
		    !all_within(r->by_set_pos, nsp, (int)ical_min64(least, 366)))
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
		while (ical_is_name_char(*e))
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
int ical_check_xlic(const struct ctx *c, icalcomponent *comp, size_t fallback_line,
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
		enum prop_id id = pname[0] ? ical_prop_lookup(pname) : P_COUNT;
		if (empty && (id == P_COUNT || id == P_SUMMARY))
			continue;
		if (se && id != P_COUNT && se->prop_line[id])
			line = se->prop_line[id];
		else if (comp == c->vcal && pname[0] && cal_prop_line(c, pname))
			line = cal_prop_line(c, pname);
		if (empty)
			return ical_input_error(c, line, "%s has no value", pname);
		char text[256];
		snprintf(text, sizeof(text), "%s", msg);
		char *cut = strstr(text, ". Removing entire property");
		if (cut)
			*cut = '\0';
		const char *val = strstr(msg, "Removing entire property: ");
		char q[72];
		if (val)
			return ical_input_error(c, line, "malformed %s: %s (value \"%s\")",
			                        pname[0] ? pname : "property", text,
			                        ical_shorten(q, val + strlen("Removing entire property: ")));
		return ical_input_error(c, line, "malformed property: %s", text);
	}
	return 0;
}

int ical_check_vtimezone(struct ctx *c, icalcomponent *tz, size_t line)
{
	int rc = ical_check_xlic(c, tz, line, NULL);
	if (rc < 0)
		return rc;
	if (!icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY))
		return ical_input_error(c, line, "VTIMEZONE without TZID");
	size_t nobs = 0, nrules = 0, nrdates = 0;
	for (icalcomponent *o = icalcomponent_get_first_component(tz, ICAL_ANY_COMPONENT); o;
	     o = icalcomponent_get_next_component(tz, ICAL_ANY_COMPONENT)) {
		icalcomponent_kind k = icalcomponent_isa(o);
		if (k != ICAL_XSTANDARD_COMPONENT && k != ICAL_XDAYLIGHT_COMPONENT)
			continue;
		if ((rc = ical_check_xlic(c, o, line, NULL)) < 0)
			return rc;
		if (++nobs > MAX_TZ_OBSERVANCES)
			return ical_input_error(c, line, "VTIMEZONE with more than %d STANDARD/DAYLIGHT parts",
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
					return ical_input_error(c, line, "VTIMEZONE with more than %d RDATEs",
					                        MAX_TZ_RDATES);
				break;
			case ICAL_RRULE_PROPERTY: {
				struct icalrecurrencetype r = icalproperty_get_rrule(p);
				bool ordinal = false;
				for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
					if (icalrecurrencetype_day_position(r.by_day[i]) != 0)
						ordinal = true;
				if (++nrules > MAX_TZ_RULES)
					return ical_input_error(c, line, "VTIMEZONE with more than %d RRULEs",
					                        MAX_TZ_RULES);
				if (r.freq != ICAL_YEARLY_RECURRENCE || r.interval != 1 ||
				    BY_SET(r.by_second) || BY_SET(r.by_minute) || BY_SET(r.by_hour) ||
				    BY_SET(r.by_year_day) || BY_SET(r.by_week_no) || BY_SET(r.by_set_pos) ||
				    (ordinal && BY_SET(r.by_month_day)) || !monthdays_possible(&r))
					return ical_input_error(c, line, "unsupported RRULE in VTIMEZONE (expected "
					                        "FREQ=YEARLY with BYMONTH, BYDAY or BYMONTHDAY)");
				break;
			}
			default:
				break;
			}
		}
		if (!from || !to || !start)
			return ical_input_error(c, line, "VTIMEZONE %s part needs DTSTART, TZOFFSETFROM and "
			                        "TZOFFSETTO (offsets within 26 hours)",
			                        k == ICAL_XSTANDARD_COMPONENT ? "STANDARD" : "DAYLIGHT");
	}
	if (nobs == 0)
		return ical_input_error(c, line, "VTIMEZONE without STANDARD or DAYLIGHT part");
	return 0;
}
