/* Step 1 of reading an iCalendar file: the scan (see ical.c, ical_int.h).
 *
 * Our own pass over the raw bytes, before libical sees them: it unfolds
 * lines, rejects NUL, control bytes and invalid UTF-8, checks the syntax of
 * every content line and the BEGIN/END nesting, records the line of each
 * VCALENDAR, VEVENT and VTIMEZONE and of the properties read later (libical
 * keeps no line numbers), and writes the unfolded lines out for libical:
 * each VEVENT on its own, the calendars' properties and VTIMEZONEs together.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "ical_int.h"

/* ------------------------------------------------------------------ */
/* step 1: the scan */

const char *const ical_prop_names[P_COUNT] = {
	"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
	"RECURRENCE-ID", "STATUS", "SUMMARY", "ATTENDEE", "PRIORITY", "UID",
	"SEQUENCE",
};

void ical_scan_free(struct scan *sc)
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

enum prop_id ical_prop_lookup(const char *name)
{
	for (int i = 0; i < P_COUNT; i++)
		if (strcmp(name, ical_prop_names[i]) == 0)
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
	while (i < n && ical_is_name_char(s[i]))
		i++;
	size_t name_len = i;
	bool begin_vcal = name_len == 5 && ical_prefix_nocase(s, "BEGIN") && n == 15 &&
	                  s[5] == ':' && ical_prefix_nocase(s + 6, "VCALENDAR");
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
		while (i < n && ical_is_name_char(s[i]))
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
		name[k] = ical_upper_c(s[k]);
	name[name_len] = '\0';

	bool is_begin = strcmp(name, "BEGIN") == 0, is_end = strcmp(name, "END") == 0;
	if (is_begin || is_end) {
		char comp[64];
		if (i != name_len)
			return scan_error(sc, line, "%s takes no parameters", name);
		if (value_len == 0 || value_len >= sizeof(comp))
			return scan_error(sc, line, "%s needs a component name (at most 63 characters)", name);
		for (size_t k = 0; k < value_len; k++) {
			if (!ical_is_name_char(value[k]))
				return scan_error_at(sc, i + 1 + k, "malformed component name");
			comp[k] = ical_upper_c(value[k]);
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
		enum prop_id id = ical_prop_lookup(name);
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

int ical_scan_buffer(struct scan *sc, const char *buf, size_t len)
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
