/*
 * `carry blame FILE` and `carry owners [PATH]`: the line engine's results,
 * read from the database (no history walk, no diff).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "carry/termsafe.h"
#include "carry/timeutil.h"
#include "cli.h"

static const struct table_col blame_cols[] = {
	{ "line", "LINE", COL_INT, true },
	{ "commit", "COMMIT", COL_STR, false },
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "time", "TIME", COL_TIME, false },
};

static int blame_table(const struct blame_file *f, enum output_format format)
{
	struct table t;
	table_init(&t, blame_cols, sizeof(blame_cols) / sizeof(blame_cols[0]));
	for (size_t i = 0; i < f->nruns; i++) {
		const struct blame_run *r = &f->runs[i];
		for (int64_t k = 0; k < r->count; k++) {
			struct table_cell *row = table_add_row(&t);
			cell_set_int(&row[0], r->start + k);
			cell_set_str(&row[1], r->oid);
			cell_set_str(&row[2], r->name);
			cell_set_str(&row[3], r->email);
			cell_set_int(&row[4], r->time);
		}
	}
	int rc = output_table(&t, format);
	table_free(&t);
	return rc;
}

/* "2024-05-01 09:30:00 +0200", in the author's own zone, as git blame. */
static void local_time(struct strbuf *out, int64_t t, int tz)
{
	int64_t local = t + (int64_t)tz * 60, days = local / 86400, secs = local % 86400, y;
	unsigned m, d;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	int a = tz < 0 ? -tz : tz;
	sb_addf(out, "%04lld-%02u-%02u %02d:%02d:%02d %c%02d%02d", (long long)y, m, d,
	        (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), tz < 0 ? '-' : '+',
	        a / 60, a % 60);
}

/* git blame's default layout: short id, author, date, line number, then
 * the line itself, every untrusted part made terminal-safe. */
static int blame_text(const struct blame_file *f, const char *content, size_t len)
{
	size_t name_w = 0, num_w = 1;
	struct strbuf line = STRBUF_INIT, name = STRBUF_INIT;
	for (int64_t n = f->nlines; n >= 10; n /= 10)
		num_w++;
	for (size_t i = 0; i < f->nruns; i++) {
		sb_reset(&name);
		size_t w = ts_escapes(&name, f->runs[i].name);
		if (w > name_w)
			name_w = w;
	}
	/* Everything before the line number is the run's: made once per run. */
	struct strbuf prefix = STRBUF_INIT;
	const char *p = content, *end = content + len;
	for (size_t i = 0; i < f->nruns; i++) {
		const struct blame_run *r = &f->runs[i];
		sb_reset(&name);
		size_t w = ts_escapes(&name, r->name);
		sb_reset(&prefix);
		sb_addf(&prefix, "%.8s (%s%*s ", r->oid, name.ptr, (int)(name_w - w), "");
		local_time(&prefix, r->time, r->tz);
		for (int64_t k = 0; k < r->count; k++) {
			sb_add(&line, prefix.ptr, prefix.len);
			/* " %*lld) " without printf: this loop is most of the command */
			char num[32];
			size_t nd = sizeof(num);
			for (int64_t v = r->start + k; v > 0 || nd == sizeof(num); v /= 10)
				num[--nd] = (char)('0' + v % 10);
			sb_addc(&line, ' ');
			for (size_t pad = sizeof(num) - nd; pad < num_w; pad++)
				sb_addc(&line, ' ');
			sb_add(&line, num + nd, sizeof(num) - nd);
			sb_adds(&line, ") ");
			const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
			const char *eol = nl ? nl : end;
			ts_escape(&line, p, (size_t)(eol - p));
			p = nl ? nl + 1 : end;
			sb_addc(&line, '\n');
			if (line.len >= 1 << 16) {
				fwrite(line.ptr, 1, line.len, stdout);
				sb_reset(&line);
			}
		}
	}
	if (line.len)
		fwrite(line.ptr, 1, line.len, stdout);
	sb_free(&prefix);
	sb_free(&line);
	sb_free(&name);
	return fflush(stdout) == 0 ? 0 : carry_error(CARRY_ERR, "cannot write the output");
}

int cmd_blame(struct invocation *inv)
{
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct blame_file f = { 0 };
	struct strbuf content = STRBUF_INIT;
	char *path = NULL;
	int64_t repo_id;
	int rc;
	if ((rc = cli_open_scanned(inv, &repo, &st, &repo_id)) < 0)
		goto out;
	path = cli_repo_path(repo, inv->args[0]);
	rc = store_blame(st, repo_id, path, &f);
	if (rc == CARRY_ENOTFOUND) {
		if (!f.lines_head[0])
			rc = carry_error(CARRY_ERR, "%s: no line origins yet; run 'carry scan'", repo_key(repo));
		else if (repo_file_at(repo, f.lines_head, path, &content) == 0)
			rc = carry_error(CARRY_ERR, "%s: no lines to blame (binary, a symlink or a submodule)", path);
		else
			rc = carry_error(CARRY_ENOTFOUND, "%s: no such file in the scanned HEAD %.12s",
			                 path, f.lines_head);
		goto out;
	}
	if (rc < 0)
		goto out;
	if (inv->format != FORMAT_TEXT)
		rc = blame_table(&f, inv->format);
	else if ((rc = repo_file_at(repo, f.lines_head, path, &content)) == 0)
		rc = blame_text(&f, content.ptr ? content.ptr : "", content.len);
out:
	sb_free(&content);
	blame_file_free(&f);
	free(path);
	store_close(st);
	repo_close(repo);
	return rc;
}
