/* Recurrence of the iCalendar reader (see ical.c for the decisions).
 *
 * The instances of a master event inside the window: DTSTART, each RRULE
 * (SECONDLY to HOURLY by our own arithmetic, DAILY and longer through
 * libical's iterator with UNTIL clamped to the window), RDATEs, minus
 * EXDATEs, each emitted unless an override replaces it.  Step and CPU
 * budgets keep hostile rules from running long.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "carry/mem.h"
#include "ical_int.h"

/* ---- recurrence ---- */

struct instvec {
	struct inst *v;
	size_t n, cap;
};

static int add_inst(struct ctx *c, struct instvec *iv, int64_t start, int64_t end,
                    int64_t naive, size_t line)
{
	if (end <= start)
		return ical_input_error(c, line, "an instance of this event ends before it starts");
	if (end <= c->ws || start >= c->we)
		return 0;
	if (iv->n >= ICAL_MAX_INSTANCES)
		return ical_input_error(c, line, "recurrence yields more than %d instances inside the "
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
		return ical_input_error(c, line, "recurrences in this file need more than %d steps to "
		                        "expand (limit)", MAX_FILE_STEPS);
	if (before_window && skipped && ++*skipped > MAX_RULE_SKIPS)
		return ical_input_error(c, line, "RRULE needs more than %d steps to reach the window "
		                        "(limit); a COUNT rule starting long before it?", MAX_RULE_SKIPS);
	if ((c->steps & 4095) == 0)
		return ical_check_cpu(c, line);
	return 0;
}

static int expand_rrule_body(struct ctx *c, const struct ev *e, icalproperty *rp,
                             const struct tval *st, const struct dspec *dur,
                             struct instvec *iv)
{
	size_t line = ical_pline(e, P_RRULE);
	struct icalrecurrencetype r = icalproperty_get_rrule(rp);
	int rc;

	if (r.freq == ICAL_NO_RECURRENCE)
		return ical_input_error(c, line, "RRULE without FREQ");
	if (r.interval < 1)
		return ical_input_error(c, line, "RRULE INTERVAL must be at least 1");
	if (r.count < 0)
		return ical_input_error(c, line, "RRULE COUNT must not be negative");
	const char *why = ical_rule_problem(&r);
	if (why)
		return ical_input_error(c, line, "RRULE refused: %s", why);

	/* the last wall-clock start worth generating: UNTIL, the window's end */
	int64_t limit = INT64_MAX;
	if (!icaltime_is_null_time(r.until)) {
		struct icaltimetype u = r.until;
		if (u.month < 1 || u.month > 12 || u.day < 1 || u.day > ical_days_in_month(u.year, u.month))
			return ical_input_error(c, line, "RRULE UNTIL is not a valid date");
		int64_t un = ical_naive_of_ical(u);
		if (u.is_date)
			limit = st->is_date ? un : un + 86399;
		else if (icaltime_is_utc(u))
			limit = st->is_date ? ical_floor_div(ical_utc_to_local(c, st->zone, un), 86400) * 86400
			                    : ical_utc_to_local(c, st->zone, un);
		else
			limit = st->is_date ? ical_floor_div(un, 86400) * 86400 : un;
	}
	int64_t total = ical_dspec_total(dur);
	int64_t lo = ical_utc_to_local(c, st->zone, ical_clamp_t(c->ws)) - total - MARGIN;
	int64_t hi = ical_utc_to_local(c, st->zone, ical_clamp_t(c->we)) + MARGIN;
	limit = ical_min64(limit, ical_min64(hi, ical_naive_of(MAX_YEAR, 12, 31, 23, 59, 59)));
	if (limit < st->naive)
		return 0;
	size_t skipped = 0;

	if (r.freq == ICAL_SECONDLY_RECURRENCE || r.freq == ICAL_MINUTELY_RECURRENCE ||
	    r.freq == ICAL_HOURLY_RECURRENCE) {
		if (st->is_date)
			return ical_input_error(c, line, "RRULE with FREQ=%s on an all-day event",
			                        icalrecur_freq_to_string(r.freq));
		if (ical_has_by_parts(&r))
			return ical_input_error(c, line, "unsupported RRULE: FREQ=%s with BY... parts "
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
			int64_t s = ical_local_to_utc(c, st->zone, naive);
			int64_t en = ical_inst_end(c, dur, st->zone, naive, s);
			/* no per-rule skip limit: the jump leaves at most MARGIN before */
			if ((rc = step_budget(c, line, NULL, en <= c->ws)) < 0 ||
			    (rc = add_inst(c, iv, s, en, naive, line)) < 0)
				return rc;
		}
		return 0;
	}

	r.until = ical_of_naive(limit, st->is_date);
	icalrecur_iterator *it = icalrecur_iterator_new(r, ical_of_naive(st->naive, st->is_date));
	if ((rc = ical_check_cpu(c, line)) < 0) {
		if (it)
			icalrecur_iterator_free(it);
		return rc;
	}
	if (!it)
		return ical_input_error(c, line, "RRULE cannot be expanded (libical rejects it)");
	if (r.count == 0 && lo > st->naive)
		icalrecur_iterator_set_start(it, ical_of_naive(st->is_date ? ical_floor_div(lo, 86400) * 86400
		                                                            : lo, st->is_date));
	for (;;) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		int64_t naive = ical_naive_of_ical(t);
		if (naive > limit)
			break;
		int64_t s = ical_local_to_utc(c, st->zone, naive);
		int64_t en = ical_inst_end(c, dur, st->zone, naive, s);
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
	c->rule_t0 = ical_cpu_ns();
	int rc = expand_rrule_body(c, e, rp, st, dur, iv);
	c->rule_ns += ical_cpu_ns() - c->rule_t0;
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


int ical_ovr_cmp(const void *a, const void *b)
{
	const struct ovr *x = a, *y = b;
	int k = strcmp(x->uid, y->uid);
	if (k)
		return k;
	return (x->rid > y->rid) - (x->rid < y->rid);
}


/* The instances of a master (DTSTART, RRULEs, RDATEs, minus EXDATEs),
 * inside the window, each replaced by an override or emitted. */
int ical_expand_master(struct ctx *c, struct ev *e, const struct props *pp,
                       const struct tval *st, const struct dspec *dur,
                       const struct ovr *ovrs, size_t novrs)
{
	struct instvec iv = { 0 };
	int64_t *ex = NULL, *exdays = NULL;
	size_t nex = 0, nexdays = 0, ex_cap = 0, exdays_cap = 0;
	int rc = add_inst(c, &iv, st->utc, ical_inst_end(c, dur, st->zone, st->naive, st->utc),
	                  st->naive, e->se->line);
	for (size_t i = 0; rc == 0 && i < pp->nrrules; i++)
		rc = expand_rrule(c, e, pp->rrules[i], st, dur, &iv);
	for (size_t i = 0; rc == 0 && i < pp->nrdates; i++) {
		size_t line = ical_pline(e, P_RDATE);
		struct icaldatetimeperiodtype rd = icalproperty_get_rdate(pp->rdates[i]);
		struct tval t;
		if (!icaltime_is_null_time(rd.time)) {
			if ((rc = ical_resolve_time(c, pp->rdates[i], rd.time, line, "RDATE", &t)) < 0)
				break;
			if (t.is_date != st->is_date) {
				rc = ical_input_error(c, line, "RDATE and DTSTART differ in type (date, date-time)");
				break;
			}
			rc = add_inst(c, &iv, t.utc, ical_inst_end(c, dur, t.zone, t.naive, t.utc), t.naive, line);
		} else {
			if ((rc = ical_resolve_time(c, pp->rdates[i], rd.period.start, line, "RDATE", &t)) < 0)
				break;
			int64_t end;
			if (!icaltime_is_null_time(rd.period.end)) {
				struct tval te;
				if ((rc = ical_resolve_time(c, pp->rdates[i], rd.period.end, line, "RDATE", &te)) < 0)
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
				end = ical_inst_end(c, &pd, t.zone, t.naive, t.utc);
			}
			rc = add_inst(c, &iv, t.utc, end, t.naive, line);
		}
	}
	for (size_t i = 0; rc == 0 && i < pp->nexdates; i++) {
		struct tval t;
		if ((rc = ical_resolve_time(c, pp->exdates[i], icalproperty_get_exdate(pp->exdates[i]),
		                            ical_pline(e, P_EXDATE), "EXDATE", &t)) < 0)
			break;
		if (t.is_date && !st->is_date) {
			/* a whole day excluded from a date-time series */
			xgrow(&exdays, &exdays_cap, nexdays + 1, sizeof(*exdays));
			exdays[nexdays++] = ical_floor_div(t.naive, 86400);
		} else {
			xgrow(&ex, &ex_cap, nex + 1, sizeof(*ex));
			ex[nex++] = t.utc;
		}
	}
	if (rc == 0) {
		ical_sort(iv.v, iv.n, sizeof(*iv.v), inst_cmp);
		ical_sort(ex, nex, sizeof(*ex), i64_cmp);
		ical_sort(exdays, nexdays, sizeof(*exdays), i64_cmp);
		for (size_t i = 0; rc == 0 && i < iv.n; i++) {
			const struct inst *in = &iv.v[i];
			if (i > 0 && in->start == iv.v[i - 1].start)
				continue;
			int64_t day = ical_floor_div(in->naive, 86400);
			if ((nex && bsearch(&in->start, ex, nex, sizeof(*ex), i64_cmp)) ||
			    (nexdays && bsearch(&day, exdays, nexdays, sizeof(*exdays), i64_cmp)))
				continue;
			if (e->uid && novrs) {
				struct ovr key = { e->uid, in->start, 0 };
				if (bsearch(&key, ovrs, novrs, sizeof(*ovrs), ical_ovr_cmp))
					continue;   /* replaced (or cancelled) by its override */
			}
			rc = ical_emit(c, e, in->start, in->end, e->se->line);
		}
	}
	free(iv.v);
	free(ex);
	free(exdays);
	return rc;
}
