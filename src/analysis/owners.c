/*
 * Surviving lines per person (DESIGN.md "Line origin / surviving lines"):
 * the line engine's runs summed per mailmap-resolved email over a file or
 * a subtree, with each person's share of the lines there.  Bots (by the
 * roster, or by data/bots.txt) are listed after the people.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/patterns.h"
#include "carry/store.h"

static const struct table_col owner_cols[] = {
	{ "name", "AUTHOR", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "lines", "LINES", COL_INT, true },
	{ "share", "SHARE", COL_PCT, true },
	{ "files", "FILES", COL_INT, true },
	{ "bot", "BOT", COL_BOOL, false },
};
enum { IN_NAME, IN_EMAIL, IN_LINES, IN_FILES, IN_ROSTER_BOT };
enum { OUT_NAME, OUT_EMAIL, OUT_LINES, OUT_SHARE, OUT_FILES, OUT_BOT };

int owners_lines_table(struct store *st, int64_t repo_id, const char *path, struct table *out)
{
	struct table in = { 0 };
	struct patterns *pat = NULL;
	int rc = store_owners_lines(st, repo_id, path, &in);
	if (rc == 0)
		rc = patterns_load(&pat);
	table_init(out, owner_cols, sizeof(owner_cols) / sizeof(owner_cols[0]));
	if (rc < 0)
		goto done;
	int64_t total = 0;
	bool *bot = xcalloc(in.nrows ? in.nrows : 1, sizeof(*bot));
	for (size_t r = 0; r < in.nrows; r++) {
		total += table_at(&in, r, IN_LINES)->i;
		bot[r] = table_at(&in, r, IN_ROSTER_BOT)->i ||
		         patterns_is_bot(pat, table_at(&in, r, IN_NAME)->s, table_at(&in, r, IN_EMAIL)->s);
	}
	/* The store orders by lines; people first, then bots, each in that order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < in.nrows; r++) {
			if (bot[r] != (pass == 1))
				continue;
			struct table_cell *row = table_add_row(out);
			int64_t lines = table_at(&in, r, IN_LINES)->i;
			cell_set_str(&row[OUT_NAME], table_at(&in, r, IN_NAME)->s);
			cell_set_str(&row[OUT_EMAIL], table_at(&in, r, IN_EMAIL)->s);
			cell_set_int(&row[OUT_LINES], lines);
			cell_set_int(&row[OUT_SHARE], total ? (lines * 1000 + total / 2) / total : 0);
			cell_set_int(&row[OUT_FILES], table_at(&in, r, IN_FILES)->i);
			cell_set_int(&row[OUT_BOT], bot[r]);
		}
	free(bot);
done:
	patterns_free(pat);
	table_free(&in);
	return rc;
}
