/*
 * Analyses: what carry answers by joining history facts with the on-call
 * database (DESIGN.md, "Vocabulary").  Pure C over the store, no curses;
 * every answer is a table the CLI (and later the dashboard) renders.
 */
#ifndef CARRY_ANALYSIS_H
#define CARRY_ANALYSIS_H

#include <stdint.h>

#include "carry/table.h"

struct store;

/* Who carries the pager (DESIGN.md "Service and rotation", "Carries the
 * pager"): for each of `paths` (repository-relative; NULL: every service), its
 * service — the last service glob matching it, else the one service of
 * its CODEOWNERS team — and the people with a shift covering `at`, one row
 * per person by level, with when their shift ends and who holds the next
 * primary shift.  `repo_id` (< 0: none) selects the CODEOWNERS file.
 * Columns: path, service, team, rotation, level, name, email, until,
 * next_name, next_email, next_at. */
int pager_table(struct store *st, int64_t repo_id, const char *const *paths, size_t npaths,
                int64_t at, struct table *out);

/* Surviving lines per person in `path` ("" or NULL: the whole tree; a
 * file or a subtree): name, email, lines, share (per mille of all lines
 * there), files, bot.  People first, then bots, each by lines. */
int owners_lines_table(struct store *st, int64_t repo_id, const char *path, struct table *out);

#endif
