/*
 * Rendering result tables.  Each format escapes for itself:
 *   text  every string through ts_escape (terminal-safe), columns aligned
 *         by display width;
 *   json  jansson, so the document always parses; invalid UTF-8 (which
 *         JSON cannot carry) becomes U+FFFD;
 *   csv   RFC 4180 quoting by libcsv; a text cell that a spreadsheet would
 *         run as a formula (= + - @ tab CR first) gets a leading '
 *   md    terminal-safe, with Markdown's table and inline syntax escaped
 *         so a name or path cannot break the table or inject a link.
 */
#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/termsafe.h"
#include "carry/timeutil.h"
#include "cli.h"

/* The value of a cell as plain text (before format escaping). */
static void cell_text(struct strbuf *out, const struct table_col *col, const struct table_cell *c,
                      bool date_only)
{
	if (c->null)
		return;
	char buf[32];
	switch (col->type) {
	case COL_STR:
		sb_adds(out, c->s ? c->s : "");
		break;
	case COL_LIST:
		for (const char *p = c->s ? c->s : ""; *p; p++)
			sb_addc(out, *p == '\n' ? ',' : *p);
		break;
	case COL_INT:
		sb_addf(out, "%lld", (long long)c->i);
		break;
	case COL_TIME:
		if (date_only)
			time_format_date(c->i, buf);
		else
			time_format_iso(c->i, buf);
		sb_adds(out, buf);
		break;
	case COL_BOOL:
		sb_adds(out, c->i ? "yes" : "no");
		break;
	case COL_PCT:
		sb_addf(out, "%lld.%lld%%", (long long)(c->i / 10), (long long)(c->i % 10));
		break;
	}
}

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
			cell_text(&raw, &t->cols[c], table_at(t, r, c), true);
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

static int render_json(const struct table *t)
{
	json_t *arr = json_array();
	for (size_t r = 0; r < t->nrows; r++) {
		json_t *obj = json_object();
		for (size_t c = 0; c < t->ncols; c++)
			json_object_set_new(obj, t->cols[c].key, cell_json(&t->cols[c], table_at(t, r, c)));
		json_array_append_new(arr, obj);
	}
	int rc = json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(arr);
	return rc == 0 ? 0 : carry_error(CARRY_ERR, "cannot write JSON to standard output");
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

static int render_csv(const struct table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', stdout);
		csv_cell(t->cols[c].key, strlen(t->cols[c].key), false);
	}
	fputs("\r\n", stdout);
	struct strbuf raw = STRBUF_INIT;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			sb_reset(&raw);
			cell_text(&raw, &t->cols[c], table_at(t, r, c), false);
			if (c)
				fputc(',', stdout);
			bool text = t->cols[c].type == COL_STR || t->cols[c].type == COL_LIST;
			csv_cell(sb_str(&raw), raw.len, text);
		}
		fputs("\r\n", stdout);
	}
	sb_free(&raw);
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
			cell_text(&raw, &t->cols[c], table_at(t, r, c), true);
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
