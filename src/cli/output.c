/*
 * Rendering result tables.  Each format escapes for itself:
 *   text  every string through ts_escape (terminal-safe), columns aligned
 *         by display width;
 *   json  written row by row, every value that needs escaping spelled by
 *         jansson, so the document always parses; invalid UTF-8 (which
 *         JSON cannot carry) becomes U+FFFD;
 *   csv   RFC 4180 quoting by libcsv; a text cell that a spreadsheet would
 *         run as a formula (= + - @ tab CR first) gets a leading '
 *   md    terminal-safe, with Markdown's table and inline syntax escaped
 *         so a name or path cannot break the table or inject a link.
 */
#include <csv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/termsafe.h"
#include "carry/timeutil.h"
#include "cli.h"

static int render_text(const struct table *t)
{
	size_t nc = t->ncols, nr = t->nrows;
	struct strbuf *cells = xcalloc((nr + 1) * nc, sizeof(*cells));
	size_t *widths = xcalloc((nr + 1) * nc, sizeof(*widths));
	size_t *colw = xcalloc(nc, sizeof(*colw));
	for (size_t c = 0; c < nc; c++) {
		widths[c] = ts_escapes(&cells[c], t->cols[c].title);
		colw[c] = widths[c];
	}
	struct strbuf raw = STRBUF_INIT;
	for (size_t r = 0; r < nr; r++)
		for (size_t c = 0; c < nc; c++) {
			size_t k = (r + 1) * nc + c;
			sb_reset(&raw);
			table_cell_text(&raw, &t->cols[c], table_at(t, r, c), true);
			widths[k] = ts_escape(&cells[k], sb_str(&raw), raw.len);
			if (widths[k] > colw[c])
				colw[c] = widths[k];
		}
	struct strbuf line = STRBUF_INIT;
	for (size_t r = 0; r <= nr; r++) {
		sb_reset(&line);
		for (size_t c = 0; c < nc; c++) {
			size_t k = r * nc + c, pad = colw[c] - widths[k];
			bool last = c + 1 == nc;
			if (t->cols[c].right)
				for (size_t i = 0; i < pad; i++)
					sb_addc(&line, ' ');
			sb_add(&line, sb_str(&cells[k]), cells[k].len);
			if (!t->cols[c].right && !last)
				for (size_t i = 0; i < pad; i++)
					sb_addc(&line, ' ');
			if (!last)
				sb_adds(&line, "  ");
		}
		while (line.len && line.ptr[line.len - 1] == ' ')
			line.len--;
		sb_addc(&line, '\n');
		fwrite(line.ptr, 1, line.len, stdout);
	}
	for (size_t i = 0; i < (nr + 1) * nc; i++)
		sb_free(&cells[i]);
	sb_free(&raw);
	sb_free(&line);
	free(cells);
	free(widths);
	free(colw);
	return 0;
}

/* Valid UTF-8 for JSON: each byte of an invalid sequence becomes U+FFFD. */
static json_t *json_text(const char *s)
{
	size_t len = strlen(s);
	json_t *j = json_stringn(s, len);
	if (j)
		return j;
	struct strbuf fixed = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
		json_t *probe = n && p + n <= end ? json_stringn((const char *)p, n) : NULL;
		if (probe) {
			sb_add(&fixed, p, n);
			json_decref(probe);
			p += n;
		} else {
			sb_adds(&fixed, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_stringn(sb_str(&fixed), fixed.len);
	sb_free(&fixed);
	return j ? j : json_string("");
}

static json_t *cell_json(const struct table_col *col, const struct table_cell *c)
{
	if (c->null)
		return json_null();
	char buf[32];
	switch (col->type) {
	case COL_STR:
		return json_text(c->s ? c->s : "");
	case COL_INT:
		return json_integer(c->i);
	case COL_TIME:
		time_format_iso(c->i, buf);
		return json_string(buf);
	case COL_BOOL:
		return json_boolean(c->i);
	case COL_PCT:
		return json_real((double)c->i / 1000.0);
	case COL_LIST: {
		json_t *arr = json_array();
		const char *p = c->s ? c->s : "";
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char *item = xstrndup(p, n);
			json_array_append_new(arr, json_text(item));
			free(item);
			p += n + (nl != NULL);
		}
		return arr;
	}
	}
	return json_null();
}

/* One scalar in jansson's own spelling (escapes, ensure-ASCII, reals). */
static void dump_scalar(struct strbuf *out, json_t *v)
{
	char buf[256] = "";
	const size_t flags = JSON_ENCODE_ANY | JSON_ENSURE_ASCII;
	size_t n = v ? json_dumpb(v, buf, sizeof(buf), flags) : 0;
	if (n > sizeof(buf)) {
		char *big = xmalloc(n);
		sb_add(out, big, json_dumpb(v, big, n, flags));
		free(big);
	} else {
		sb_add(out, buf, n);
	}
	json_decref(v);
}

/* A string jansson would write as it is, between quotes. */
static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == '"' || *s == '\\')
			return false;
	return true;
}

/* "%lld" without printf (a 10,000-line blame prints 10,000 of them). */
static void add_int(struct strbuf *out, int64_t v)
{
	char num[24];
	size_t n = sizeof(num);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		num[--n] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		num[--n] = '-';
	sb_add(out, num + n, sizeof(num) - n);
}

/* A cell's JSON: integers, booleans, nulls and plain strings directly,
 * the rest (escapes, U+FFFD for invalid UTF-8, reals) spelled by jansson. */
static void dump_cell(struct strbuf *out, const struct table_col *col, const struct table_cell *c)
{
	char buf[32];
	const char *str = col->type == COL_STR ? (c->s ? c->s : "") : NULL;
	if (c->null) {
		sb_adds(out, "null");
	} else if (col->type == COL_INT) {
		add_int(out, c->i);
	} else if (col->type == COL_BOOL) {
		sb_adds(out, c->i ? "true" : "false");
	} else if (col->type == COL_PCT) {
		/* Per mille as the shortest exact decimal (0.486, not jansson's
		 * 0.48599999999999999). */
		int64_t v = c->i < 0 ? -c->i : c->i;
		if (c->i < 0)
			sb_addc(out, '-');
		sb_addf(out, "%lld", (long long)(v / 1000));
		if (v % 1000) {
			snprintf(buf, sizeof(buf), ".%03lld", (long long)(v % 1000));
			size_t n = strlen(buf);
			while (buf[n - 1] == '0')
				n--;
			sb_add(out, buf, n);
		} else {
			sb_adds(out, ".0");
		}
	} else if (col->type == COL_TIME) {
		time_format_iso(c->i, buf);
		sb_addc(out, '"');
		sb_adds(out, buf);
		sb_addc(out, '"');
	} else if (str && plain_ascii(str)) {
		sb_addc(out, '"');
		sb_adds(out, str);
		sb_addc(out, '"');
	} else {
		dump_scalar(out, cell_json(col, c));
	}
}

/* Row r of t as a JSON object, in jansson's JSON_INDENT(2) layout, with a
 * leading "section" key when one is given. */
static void json_row(struct strbuf *out, const struct table *t, size_t r, const char *section)
{
	sb_adds(out, "  {\n");
	if (section) {
		sb_adds(out, "    \"section\": \"");
		sb_adds(out, section); /* a plain ASCII key */
		sb_adds(out, t->ncols ? "\",\n" : "\"\n");
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const struct table_col *col = &t->cols[c];
		const struct table_cell *cell = table_at(t, r, c);
		sb_adds(out, "    \""); /* keys are plain ASCII */
		sb_adds(out, col->key);
		sb_adds(out, "\": ");
		if (col->type == COL_LIST && !cell->null) {
			json_t *arr = cell_json(col, cell);
			size_t n = json_array_size(arr);
			sb_adds(out, n ? "[\n" : "[]");
			for (size_t k = 0; k < n; k++) {
				sb_adds(out, "      ");
				dump_scalar(out, json_incref(json_array_get(arr, k)));
				sb_adds(out, k + 1 < n ? ",\n" : "\n    ]");
			}
			json_decref(arr);
		} else {
			dump_cell(out, col, cell);
		}
		sb_adds(out, c + 1 < t->ncols ? ",\n" : "\n");
	}
	sb_adds(out, "  }");
}

/* Written row by row, each value spelled by jansson only where it needs
 * escaping: building the whole document as jansson values first took half
 * the time of `carry blame --format json` on a 10,000-line file.  One
 * array over all the tables; `sections` (may be NULL) names each. */
static int render_json_tables(const struct table *const *t, const char *const *sections, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	bool first = true;
	sb_addc(&out, '[');
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < t[i]->nrows; r++) {
			sb_adds(&out, first ? "\n" : ",\n");
			first = false;
			json_row(&out, t[i], r, sections ? sections[i] : NULL);
			if (out.len >= 1 << 16) {
				if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
					break;
				sb_reset(&out);
			}
		}
	sb_adds(&out, first ? "]\n" : "\n]\n");
	fwrite(out.ptr, 1, out.len, stdout);
	sb_free(&out);
	return !ferror(stdout) ? 0 : carry_error(CARRY_ERR, "cannot write JSON to standard output");
}

static int render_json(const struct table *t)
{
	return render_json_tables(&t, NULL, 1);
}

static void csv_cell(const char *s, size_t len, bool guard)
{
	/* Spreadsheets run cells starting with these as formulas. */
	if (guard && len && strchr("=+-@\t\r", s[0])) {
		struct strbuf g = STRBUF_INIT;
		sb_addc(&g, '\'');
		sb_add(&g, s, len);
		csv_fwrite(stdout, g.ptr, g.len);
		sb_free(&g);
	} else {
		csv_fwrite(stdout, s, len);
	}
}

/* One CSV record: `section` first when given, then each column of the
 * table at its place among `nslots` (slot[c]; NULL: in order). */
static void csv_record(const struct table *t, size_t r, const char *section, const size_t *slot,
                       size_t nslots)
{
	struct strbuf *vals = xcalloc(nslots + 1, sizeof(*vals));
	bool *text = xcalloc(nslots + 1, sizeof(*text));
	for (size_t c = 0; c < t->ncols; c++) {
		size_t k = slot ? slot[c] : c;
		table_cell_text(&vals[k], &t->cols[c], table_at(t, r, c), false);
		text[k] = t->cols[c].type == COL_STR || t->cols[c].type == COL_LIST;
	}
	if (section) {
		csv_cell(section, strlen(section), false);
		fputc(',', stdout);
	}
	for (size_t k = 0; k < nslots; k++) {
		if (k)
			fputc(',', stdout);
		csv_cell(sb_str(&vals[k]), vals[k].len, text[k]);
		sb_free(&vals[k]);
	}
	fputs("\r\n", stdout);
	free(vals);
	free(text);
}

static void csv_header(const char *const *keys, size_t n, bool section)
{
	if (section)
		fputs("section,", stdout);
	for (size_t c = 0; c < n; c++) {
		if (c)
			fputc(',', stdout);
		csv_cell(keys[c], strlen(keys[c]), false);
	}
	fputs("\r\n", stdout);
}

static int render_csv(const struct table *t)
{
	const char **keys = xcalloc(t->ncols + 1, sizeof(*keys));
	for (size_t c = 0; c < t->ncols; c++)
		keys[c] = t->cols[c].key;
	csv_header(keys, t->ncols, false);
	free(keys);
	for (size_t r = 0; r < t->nrows; r++)
		csv_record(t, r, NULL, NULL, t->ncols);
	return 0;
}

/* Markdown: terminal-safe, then every character with inline meaning
 * backslash-escaped so nothing becomes a link, emphasis, HTML or a cell
 * break. */
static void md_escape(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf safe = STRBUF_INIT;
	ts_escape(&safe, s, len);
	for (size_t i = 0; i < safe.len; i++) {
		char ch = safe.ptr[i];
		if (strchr("\\`*_{}[]()<>#+-.!|~&", ch))
			sb_addc(out, '\\');
		sb_addc(out, ch);
	}
	sb_free(&safe);
}

static int render_md(const struct table *t)
{
	struct strbuf line = STRBUF_INIT, raw = STRBUF_INIT;
	sb_adds(&line, "|");
	for (size_t c = 0; c < t->ncols; c++) {
		sb_addc(&line, ' ');
		md_escape(&line, t->cols[c].title, strlen(t->cols[c].title));
		sb_adds(&line, " |");
	}
	sb_adds(&line, "\n|");
	for (size_t c = 0; c < t->ncols; c++)
		sb_adds(&line, t->cols[c].right ? " ---: |" : " --- |");
	sb_addc(&line, '\n');
	for (size_t r = 0; r < t->nrows; r++) {
		sb_adds(&line, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			sb_reset(&raw);
			table_cell_text(&raw, &t->cols[c], table_at(t, r, c), true);
			sb_addc(&line, ' ');
			md_escape(&line, sb_str(&raw), raw.len);
			sb_adds(&line, " |");
		}
		sb_addc(&line, '\n');
	}
	fwrite(sb_str(&line), 1, line.len, stdout);
	sb_free(&line);
	sb_free(&raw);
	return 0;
}

int output_table(const struct table *t, enum output_format f)
{
	int rc;
	switch (f) {
	case FORMAT_JSON: rc = render_json(t); break;
	case FORMAT_CSV: rc = render_csv(t); break;
	case FORMAT_MD: rc = render_md(t); break;
	default: rc = render_text(t); break;
	}
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = carry_error(CARRY_ERR, "cannot write to standard output");
	return rc;
}

int output_record(const struct table *t, size_t row, enum output_format f)
{
	struct strbuf raw = STRBUF_INIT, line = STRBUF_INIT;
	for (size_t c = 0; c < t->ncols; c++) {
		sb_reset(&raw);
		table_cell_text(&raw, &t->cols[c], table_at(t, row, c), true);
		if (!raw.len)
			continue;
		if (f == FORMAT_MD) {
			sb_adds(&line, "- **");
			md_escape(&line, t->cols[c].title, strlen(t->cols[c].title));
			sb_adds(&line, "**: ");
			md_escape(&line, sb_str(&raw), raw.len);
		} else {
			size_t w = ts_escapes(&line, t->cols[c].title);
			sb_addc(&line, ':');
			for (; w < 16; w++)
				sb_addc(&line, ' ');
			ts_escape(&line, sb_str(&raw), raw.len);
		}
		sb_addc(&line, '\n');
	}
	sb_addc(&line, '\n');
	fwrite(line.ptr, 1, line.len, stdout);
	sb_free(&raw);
	sb_free(&line);
	return ferror(stdout) ? carry_error(CARRY_ERR, "cannot write to standard output") : 0;
}

/* CSV of several tables: one header, the union of their keys in order of
 * first appearance, after "section". */
static int render_csv_report(const struct report *r)
{
	const char **keys = NULL;
	size_t nkeys = 0, cap = 0;
	size_t **slots = xcalloc(r->n + 1, sizeof(*slots));
	for (size_t i = 0; i < r->n; i++) {
		const struct table *t = &r->sections[i].table;
		slots[i] = xcalloc(t->ncols + 1, sizeof(**slots));
		for (size_t c = 0; c < t->ncols; c++) {
			size_t k = 0;
			while (k < nkeys && strcmp(keys[k], t->cols[c].key) != 0)
				k++;
			if (k == nkeys) {
				xgrow(&keys, &cap, nkeys + 1, sizeof(*keys));
				keys[nkeys++] = t->cols[c].key;
			}
			slots[i][c] = k;
		}
	}
	csv_header(keys, nkeys, true);
	for (size_t i = 0; i < r->n; i++) {
		for (size_t row = 0; row < r->sections[i].table.nrows; row++)
			csv_record(&r->sections[i].table, row, r->sections[i].key, slots[i], nkeys);
		free(slots[i]);
	}
	free(slots);
	free(keys);
	return 0;
}

int output_report(const struct report *r, enum output_format f)
{
	int rc = 0;
	if (f == FORMAT_JSON || f == FORMAT_CSV) {
		const struct table **t = xcalloc(r->n + 1, sizeof(*t));
		const char **names = xcalloc(r->n + 1, sizeof(*names));
		for (size_t i = 0; i < r->n; i++) {
			t[i] = &r->sections[i].table;
			names[i] = r->sections[i].key;
		}
		rc = f == FORMAT_JSON ? render_json_tables(t, names, r->n) : render_csv_report(r);
		free(t);
		free(names);
	} else {
		for (size_t i = 0; rc == 0 && i < r->n; i++) {
			const struct report_section *s = &r->sections[i];
			printf(f == FORMAT_MD ? "%s## %s\n\n" : "%s%s\n\n", i ? "\n" : "", s->title);
			if (!s->table.nrows)
				fputs(f == FORMAT_MD ? "_none_\n" : "(none)\n", stdout);
			else
				rc = f == FORMAT_MD ? render_md(&s->table) : render_text(&s->table);
		}
	}
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = carry_error(CARRY_ERR, "cannot write to standard output");
	return rc;
}

void cli_print_notes(const char *notes)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *line = notes; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		ts_escape(&sb, line, len);
		sb_addc(&sb, '\n');
		line += len + (nl != NULL);
	}
	fwrite(sb.ptr ? sb.ptr : "", 1, sb.len, stderr);
	sb_free(&sb);
}

void cli_say(const char *prefix, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "carry: ");
	if (prefix)
		sb_addf(&sb, "%s: ", prefix);
	ts_escapes(&sb, msg);
	sb_addc(&sb, '\n');
	fwrite(sb.ptr, 1, sb.len, stderr);
	sb_free(&sb);
}
