/*
 * Private interface between the parts of the iCalendar reader; not for use
 * outside src/oncall/ical*.c (the public API is ical.h, the design notes
 * are at the top of ical.c).
 *
 * ical_zone.c owns the small text helpers, civil-time arithmetic, the
 * error and CPU-budget helpers on `struct ctx`, and time zones (TZID,
 * VTIMEZONE of the calendar, IANA and Windows names, X-WR-TIMEZONE).
 * ical_scan.c owns step 1, the scan of the raw text (`struct scan`):
 * unfolding, UTF-8 and syntax checks, line numbers, the texts for libical.
 * ical_rules.c owns the checks of what libical parsed: X-LIC-ERROR
 * properties, RRULEs carry refuses, VTIMEZONE limits.
 * ical_event.c owns one VEVENT: its properties, times, person and the
 * shifts it emits.
 * ical_recur.c owns the instances of a recurring event: RRULEs expanded
 * within bounds, RDATEs, EXDATEs, and instances replaced by overrides.
 * ical.c owns reading a VCALENDAR (overrides matched to their masters)
 * and the public entry points.
 */
#ifndef CARRY_ICAL_INT_H
#define CARRY_ICAL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libical/ical.h>

#include "carry/strbuf.h"
#include "ical.h"

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

enum prop_id {
	P_DTSTART, P_DTEND, P_DURATION, P_RRULE, P_RDATE, P_EXDATE,
	P_RECURRENCE_ID, P_STATUS, P_SUMMARY, P_ATTENDEE, P_PRIORITY, P_UID,
	P_SEQUENCE, P_COUNT
};

extern const char *const ical_prop_names[P_COUNT];

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

struct props {
	icalproperty *dtstart, *dtend, *duration, *rid, *status, *summary, *priority, *uid, *seq;
	int n_dtstart, n_dtend, n_duration, n_rid, n_uid;
	icalproperty **rrules, **rdates, **exdates, **attendees;
	size_t nrrules, nrdates, nexdates, nattendees;
	size_t rrules_cap, rdates_cap, exdates_cap, attendees_cap;
};

/* A DATE or DATE-TIME value, resolved. */
struct tval {
	bool is_date;
	icaltimezone *zone;
	int64_t naive;          /* wall clock in `zone`; a date is its midnight */
	int64_t utc;
};

/* Overrides, sorted by (uid, rid). */
struct ovr {
	const char *uid;
	int64_t rid;
	size_t ev;
};

/* ---- ical_zone.c: helpers, time arithmetic, zones ---- */

char ical_upper_c(char c);
bool ical_same_nocase(const char *a, const char *b);
bool ical_prefix_nocase(const char *s, const char *prefix);
bool ical_is_name_char(char c);
int64_t ical_floor_div(int64_t a, int64_t b);
int64_t ical_min64(int64_t a, int64_t b);
/* qsort that accepts an empty (NULL) array. */
void ical_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
int ical_days_in_month(int y, int m);
int64_t ical_naive_of(int y, int m, int d, int hh, int mm, int ss);
int64_t ical_naive_of_ical(struct icaltimetype t);
struct icaltimetype ical_of_naive(int64_t naive, bool is_date);
int64_t ical_clamp_t(int64_t t);
const char *ical_shorten(char buf[static 72], const char *s);
int ical_input_error(const struct ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int64_t ical_cpu_ns(void);
int ical_check_cpu(const struct ctx *c, size_t line);
int64_t ical_local_to_utc(const struct ctx *c, icaltimezone *z, int64_t naive);
int64_t ical_utc_to_local(const struct ctx *c, icaltimezone *z, int64_t u);
int ical_resolve_tzid(struct ctx *c, const char *tzid, size_t line, icaltimezone **out);
int ical_default_zone(struct ctx *c, icaltimezone **out);

/* ---- ical_scan.c: the scan ---- */

void ical_scan_free(struct scan *sc);
enum prop_id ical_prop_lookup(const char *name);
int ical_scan_buffer(struct scan *sc, const char *buf, size_t len);

/* ---- ical_rules.c: rule and VTIMEZONE checks ---- */

bool ical_has_by_parts(const struct icalrecurrencetype *r);
const char *ical_rule_problem(const struct icalrecurrencetype *r);
int ical_check_xlic(const struct ctx *c, icalcomponent *comp, size_t fallback_line,
                    const struct scan_event *se);
int ical_check_vtimezone(struct ctx *c, icalcomponent *tz, size_t line);

/* ---- ical_event.c: one VEVENT ---- */

void ical_props_free(struct props *p);
size_t ical_pline(const struct ev *e, enum prop_id id);
int ical_collect(const struct ctx *c, const struct ev *e, struct props *pp);
int ical_resolve_time(struct ctx *c, icalproperty *p, struct icaltimetype t, size_t line,
                      const char *what, struct tval *out);
int64_t ical_inst_end(const struct ctx *c, const struct dspec *d, icaltimezone *z,
                      int64_t naive, int64_t start);
int64_t ical_dspec_total(const struct dspec *d);
int ical_event_times(struct ctx *c, const struct ev *e, const struct props *pp,
                     const struct dspec *inherit, struct tval *st, struct dspec *dur);
void ical_event_person(struct ev *e, const struct props *pp);
int ical_emit(struct ctx *c, const struct ev *who, int64_t start, int64_t end, size_t line);

/* ---- ical_recur.c: recurrence ---- */

int ical_ovr_cmp(const void *a, const void *b);
int ical_expand_master(struct ctx *c, struct ev *e, const struct props *pp,
                       const struct tval *st, const struct dspec *dur,
                       const struct ovr *ovrs, size_t novrs);

#endif
