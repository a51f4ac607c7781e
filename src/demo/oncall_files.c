/*
 * The on-call side of the demo, in carry's import formats: one iCalendar
 * export per rotation (PagerDuty's shape: weekly shifts, Monday 09:00
 * UTC, a primary and a secondary, ATTENDEE mailto: addresses) covering
 * about ten months before the end and two after, and incidents.csv: a
 * year of incidents, several of them one to three days after a drive-by
 * into the service's code, as happens.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "carry/timeutil.h"
#include "demo_int.h"

/* RFC 5545 3.1: CRLF, lines folded at 75 octets, never inside a UTF-8
 * character. */
static void ics_line(struct strbuf *out, const char *line)
{
	size_t len = strlen(line), limit = 75;
	while (len > limit) {
		size_t cut = limit;
		while (cut > 1 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		sb_add(out, line, cut);
		sb_adds(out, "\r\n ");
		line += cut;
		len -= cut;
		limit = 74;
	}
	sb_add(out, line, len);
	sb_adds(out, "\r\n");
}

static void ics_time(char out[17], int64_t t)
{
	char iso[21];
	time_format_iso(t, iso);
	/* 2026-11-20T09:00:00Z -> 20261120T090000Z */
	size_t k = 0;
	for (const char *p = iso; *p; p++)
		if (*p != '-' && *p != ':')
			out[k++] = *p;
	out[k] = '\0';
}

static bool on_duty(const struct person *p, int64_t from, int64_t to)
{
	/* New people shadow for a month before they carry the pager. */
	return !p->bot && p->joined + 30 * DAY <= from && (p->left == 0 || p->left >= to);
}

static void shift(struct strbuf *out, const struct rotation *rot, const struct person *p,
                  int64_t from, int64_t to, int level, int64_t stamp)
{
	char s[17], e[17], d[17];
	struct strbuf line = STRBUF_INIT, cn = STRBUF_INIT;
	ics_time(s, from);
	ics_time(e, to);
	ics_time(d, stamp);
	for (const char *c = p->name; *c; c++)
		sb_addc(&cn, *c == '"' ? '\'' : *c);  /* a quoted parameter holds no DQUOTE */
	ics_line(out, "BEGIN:VEVENT");
	sb_addf(&line, "UID:%s-%.8s-L%d@oncall.acme.example", rot->name, s, level);
	ics_line(out, line.ptr);
	sb_reset(&line);
	sb_addf(&line, "DTSTAMP:%s", d);
	ics_line(out, line.ptr);
	sb_reset(&line);
	sb_addf(&line, "DTSTART:%s", s);
	ics_line(out, line.ptr);
	sb_reset(&line);
	sb_addf(&line, "DTEND:%s", e);
	ics_line(out, line.ptr);
	sb_reset(&line);
	sb_addf(&line, "SUMMARY:On Call - %s - %s%s", cn.ptr, rot->title, level > 1 ? " (secondary)" : "");
	ics_line(out, line.ptr);
	if (level > 1) {
		sb_reset(&line);
		sb_addf(&line, "PRIORITY:%d", level);
		ics_line(out, line.ptr);
	}
	sb_reset(&line);
	sb_addf(&line, "ATTENDEE;CN=\"%s\":mailto:%s", cn.ptr, p->email);
	ics_line(out, line.ptr);
	ics_line(out, "END:VEVENT");
	sb_free(&line);
	sb_free(&cn);
}

void calendar_ics(const struct cast *c, size_t r, int64_t end, struct strbuf *out)
{
	const struct rotation *rot = &rotations[r];
	struct strbuf line = STRBUF_INIT;
	ics_line(out, "BEGIN:VCALENDAR");
	ics_line(out, "VERSION:2.0");
	ics_line(out, "PRODID:-//acme//carry demo on-call export//EN");
	ics_line(out, "CALSCALE:GREGORIAN");
	sb_addf(&line, "X-WR-CALNAME:%s", rot->name);
	ics_line(out, line.ptr);
	ics_line(out, "X-WR-TIMEZONE:UTC");
	/* Mondays 09:00 UTC, from about 300 days before the end to about
	 * 63 days after it. */
	const int64_t week = 7 * DAY, monday = 4 * DAY;
	int64_t first = end - 300 * DAY;
	first = first - ((first - monday) % week + week) % week + 9 * 3600;
	int64_t stop = end + 63 * DAY;
	if (rot->lapsed_days)
		stop = end - rot->lapsed_days * DAY;
	int *staff = xmalloc((c->n ? c->n : 1) * sizeof(*staff));
	for (int64_t w = 0, from = first; from < stop; w++, from += week) {
		int64_t to = from + week;
		size_t n = 0;
		for (size_t i = 0; i < c->n; i++)
			if (rotation_member(c, r, i) && on_duty(&c->p[i], from, to))
				staff[n++] = (int)i;
		if (!n)
			continue;
		shift(out, rot, &c->p[staff[w % (int64_t)n]], from, to, 1, end);
		if (n > 1)
			shift(out, rot, &c->p[staff[(w + 1) % (int64_t)n]], from, to, 2, end);
	}
	free(staff);
	ics_line(out, "END:VCALENDAR");
	sb_free(&line);
}

/* ---- incidents ---------------------------------------------------------- */

struct incident {
	int64_t start, resolved;   /* resolved 0: still open */
	size_t service;
	const char *severity;
	char *title, *path;
	size_t order;
};

static int by_start(const void *a, const void *b)
{
	const struct incident *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static char *title(struct rng *r, const char *service)
{
	struct strbuf sb = STRBUF_INIT;
	switch (rng_below(r, 8)) {
	case 0: sb_addf(&sb, "%s: elevated 5xx after deploy", service); break;
	case 1: sb_addf(&sb, "%s latency p99 above 2s", service); break;
	case 2: sb_addf(&sb, "%s: queue backlog growing, consumers stuck", service); break;
	case 3: sb_addf(&sb, "%s error rate doubled, \"upstream timeout\" in logs", service); break;
	case 4: sb_addf(&sb, "Partial outage of %s in eu-west-1", service); break;
	case 5: sb_addf(&sb, "%s: stale data served from cache", service); break;
	case 6: sb_addf(&sb, "%s crash loop after config change", service); break;
	default: sb_addf(&sb, "%s: memory leak, pods OOM-killed", service); break;
	}
	return sb_detach(&sb);
}

static const char *severity(struct rng *r)
{
	unsigned x = rng_below(r, 100);
	return x < 5 ? "SEV1" : x < 30 ? "SEV2" : x < 80 ? "SEV3" : "SEV4";
}

static void add_incident(struct incident **v, size_t *n, size_t *cap, struct rng *r, size_t service,
                         int64_t start, const char *path, bool open)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	struct incident *in = &(*v)[*n];
	in->start = start;
	in->resolved = open ? 0 : start + rng_between(r, 20, 360) * 60;
	in->service = service;
	in->severity = severity(r);
	in->title = title(r, services[service].name);
	in->path = path ? xstrdup(path) : NULL;
	in->order = (*n)++;
}

size_t incidents_csv(const struct story_result *s, struct rng *r,
                     unsigned scale, int64_t end, struct strbuf *out)
{
	struct incident *v = NULL;
	size_t n = 0, cap = 0;
	int64_t year = end - 365 * DAY;
	/* The story's last week opens with a drive-by into payments (the
	 * first one in the last four days); it gets its incident 36 h on. */
	size_t featured = s->ndrive_bys;
	for (size_t i = 0; i < s->ndrive_bys && featured == s->ndrive_bys; i++)
		if (s->drive_bys[i].time >= end - 4 * DAY)
			featured = i;
	/* Other drive-bys of the last year into a service: some of them broke
	 * it.  Selection sampling keeps the pick spread over the year. */
	size_t cand = 0;
	for (size_t i = 0; i < s->ndrive_bys; i++)
		cand += i != featured && s->drive_bys[i].time >= year &&
		        areas[s->drive_bys[i].area].service >= 0;
	size_t want = (size_t)7 * scale, seen = 0, taken = 0;
	for (size_t i = 0; i < s->ndrive_bys; i++) {
		const struct drive_by *d = &s->drive_bys[i];
		if (i == featured || d->time < year || areas[d->area].service < 0)
			continue;
		if (rng_below(r, (uint32_t)(cand - seen)) < want - taken) {
			int64_t hours = rng_between(r, 20, 66);
			int64_t at = d->time + hours * 3600 + rng_between(r, 0, 3599);
			if (at < end - 3600) {
				add_incident(&v, &n, &cap, r, (size_t)areas[d->area].service, at, d->path, false);
				taken++;
			}
		}
		seen++;
	}
	if (featured < s->ndrive_bys) {
		const struct drive_by *d = &s->drive_bys[featured];
		if (areas[d->area].service >= 0 && d->time + 36 * 3600 < end)
			add_incident(&v, &n, &cap, r, (size_t)areas[d->area].service, d->time + 36 * 3600,
			             d->path, false);
	}
	for (size_t i = 0; i < (size_t)15 * scale; i++)
	{
		int64_t at = year + (int64_t)rng_below(r, (uint32_t)(363 * DAY));
		add_incident(&v, &n, &cap, r, rng_below(r, (uint32_t)nservices), at, NULL, false);
	}
	add_incident(&v, &n, &cap, r, rng_below(r, (uint32_t)nservices), end - 5 * 3600, NULL, true);
	qsort(v, n, sizeof(*v), by_start);
	sb_adds(out, "incident_id,title,service,severity,started_at,resolved_at,status,paths,url\n");
	for (size_t i = 0; i < n; i++) {
		char started[21], resolved[21] = "";
		time_format_iso(v[i].start, started);
		if (v[i].resolved)
			time_format_iso(v[i].resolved, resolved);
		sb_addf(out, "INC-%zu,", 2001 + i);
		csv_field(out, v[i].title);
		sb_addf(out, ",%s,%s,%s,%s,%s,", services[v[i].service].name, v[i].severity, started,
		        resolved, v[i].resolved ? "resolved" : "investigating");
		csv_field(out, v[i].path ? v[i].path : "");
		sb_addf(out, ",https://status.acme.example/incidents/INC-%zu\n", 2001 + i);
		free(v[i].title);
		free(v[i].path);
	}
	free(v);
	return n;
}
