/*
 * Analyses: what carry answers by joining history facts with the on-call
 * database (DESIGN.md, "Vocabulary").  Pure C over the store, no curses;
 * every answer is a table the CLI (and later the dashboard) renders.
 */
#ifndef CARRY_ANALYSIS_H
#define CARRY_ANALYSIS_H

#include <stdbool.h>
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
                const bool *is_dir, int64_t at, struct table *out);

/* ---- the analyses over the whole world (DESIGN.md "Vocabulary") ---- */

/* When and with which thresholds an analysis answers. */
struct analysis_params {
	int64_t at;              /* "now": who is gone, on call, ... */
	int64_t since, until;    /* the window of changes (author time, inclusive) */
	int min_changes;         /* drive-by: fewer earlier changes in the directory (3) */
	int gone_share;          /* orphaned: percent of non-bot lines by people gone (50) */
	int gone_days;           /* gone: off the roster, days without a commit (180) */
	int lookback_hours;      /* triage: suspects this long before the incident (72) */
};
/* The defaults, with the window the `window_days` before `at`. */
void analysis_params_default(struct analysis_params *p, int64_t at, int window_days);

/* Everything the analyses read, loaded from the store once (history,
 * line origins, the on-call database); read-only afterwards, except for
 * what is computed on first use.  A command loads the parts it needs:
 * the on-call side always; commits come with changes or runs, HEAD files
 * with runs. */
struct world;
enum world_parts {
	WORLD_ONCALL = 1 << 0,   /* people, services, rotations, incidents, CODEOWNERS */
	WORLD_COMMITS = 1 << 1,  /* commits: identities, times, subjects */
	WORLD_CHANGES = 1 << 2,  /* changes (drive-bys, pager gap, DOA) */
	WORLD_FILES = 1 << 3,    /* HEAD files with lines (DOA, truck factor) */
	WORLD_RUNS = 1 << 4,     /* surviving lines per file and person */
	WORLD_ALL = 31,
	/* What each analysis reads. */
	WORLD_FOR_DRIVE_BYS = WORLD_ONCALL | WORLD_COMMITS | WORLD_CHANGES,
	WORLD_FOR_ORPHANS = WORLD_ONCALL | WORLD_COMMITS | WORLD_FILES | WORLD_RUNS,
	WORLD_FOR_TRIAGE = WORLD_ONCALL | WORLD_COMMITS | WORLD_CHANGES | WORLD_FILES,
};
int world_open(struct world **out, struct store *st, int64_t repo_id, unsigned parts);
void world_close(struct world *w);
/* Computes now what the analyses would compute on first use (every
 * path's service and owners, the drive-by and DOA indexes), so that no
 * later question pays for it: the dashboard calls it on its loading
 * thread. */
void world_prepare(struct world *w);
/* pager_table over a world already loaded (any parts): the dashboard asks
 * it for every line the cursor moves to. */
int pager_world_table(struct world *w, const char *const *paths, size_t npaths, const bool *is_dir,
                      int64_t at, struct table *out);

/* qsort order of path strings (elements that start with a char *): '/'
 * before every other byte, so a directory's contents come right after it
 * ("pay", "pay/a", "pay-old"). */
int path_order(const void *a, const void *b);

/* The files of the scanned HEAD that have lines (in byte order of path). */
size_t world_file_count(const struct world *w);
const char *world_file_path(const struct world *w, size_t i, int64_t *lines);

/* Drive-by changes under `path` ("" all) in the window, newest first.
 * Columns: commit, path, name, email, time, added, deleted, ai_assisted,
 * author_gone, service, earlier, incidents, subject. */
int drivebys_table(struct world *w, const struct analysis_params *p, const char *path,
                   struct table *out);

/* Orphaned files under `path` at p->at: path, lines, gone_share, reasons,
 * service.  With `dirs`: every directory holding orphaned lines, with
 * orphaned_lines and orphan_share (line-weighted) besides. */
int orphans_table(struct world *w, const struct analysis_params *p, const char *path, bool dirs,
                  struct table *out);

/* Surviving lines per person under `path`: name, email, lines, share,
 * files, bot, authored (files they are a DOA author of), declared (a
 * declared owner of `path`), team, gone. */
int owners_people_table(struct world *w, const struct analysis_params *p, const char *path,
                        struct table *out);
/* One summary row for `path` (each directory beneath it with `dirs`; each
 * file with `files`): lines, main developer and share, DOA authors,
 * declared owners, owning team, the three teams and whether they drift,
 * truck factor, service and rotation truck factor, changed lines in the
 * window and the pager gap. */
int owners_paths_table(struct world *w, const struct analysis_params *p, const char *path,
                       bool dirs, bool files, struct table *out);

/* Per service (and "(none)"): changed lines in the window, those by
 * people not on the rotation around the change, the pager gap, truck
 * factor and rotation truck factor, orphaned share, who is on call. */
int services_table(struct world *w, const struct analysis_params *p, struct table *out);

/* Per team owning services: the services, changed lines in the window,
 * those by people off the rotation, the pager gap. */
int teams_table(struct world *w, const struct analysis_params *p, struct table *out);

/* One incident: suspect commits (role "suspect"), who carries the pager
 * now (role "on_call") and who knows the touched files (role "expert").
 * CARRY_ENOTFOUND (with a message) for an unknown id. */
int triage_table(struct world *w, const struct analysis_params *p, const char *incident,
                 struct table *out);

/* One commit (a full id or a unique prefix of at least 4): a "commit"
 * row (author, status at p->at, subject), then a "file" row per change
 * with whether it is a drive-by and why (the conditions, or the first that
 * fails) and incidents on its service within 30 days after.
 * CARRY_ENOTFOUND or CARRY_EUSAGE (ambiguous), with a message. */
int commit_table(struct world *w, const struct analysis_params *p, const char *oid,
                 struct table *out);
/* One person (by email, any case): a "person" row (team, status at
 * p->at, latest commit, lines changed in the window and, of those, on
 * code whose rotation they were not on: gap_lines), their "shift" rows (with the services the
 * rotation carries) from the window's start to 14
 * days after p->at, their "commit" rows in the window (newest first) and
 * the "file" rows they have surviving lines in (most first, with their
 * share and whether they are a DOA author).  At most 200 rows per role. */
int person_table(struct world *w, const struct analysis_params *p, const char *email,
                 struct table *out);
/* A badge for every directory and file of HEAD ("" the root): its lines,
 * orphan_share (the line-weighted share of its files orphaned at p->at),
 * changed lines in the window and pager_gap (the share of them by people
 * not on the rotation then; changes to files since deleted count for their
 * directories), as `carry owners --dirs` and `carry orphans --dirs` give
 * them, except that pager_gap is null where nothing changed (the CLI
 * says 0). */
int path_badges_table(struct world *w, const struct analysis_params *p, struct table *out);
/* The owning team of every directory and file of HEAD, as `carry owners`
 * says (its service's team, else its CODEOWNERS team, else its main
 * developer's), with that main developer's email. */
int path_teams_table(struct world *w, struct table *out);
/* Changed lines (added + deleted) under `path` in p's window, in `n`
 * equal buckets from its start to its end (open ends: the first and the
 * last commit). */
int activity_series(struct world *w, const struct analysis_params *p, const char *path,
                    int64_t *buckets, size_t n);
/* `carry incidents` for the window (store_incidents: its columns and
 * order), keeping those that concern `path` ("" all): on the service of a
 * file of HEAD beneath it, or naming such a file among their own paths,
 * as triage decides what an incident touches. */
int incidents_table(struct world *w, struct store *st, const struct analysis_params *p,
                    const char *path, struct table *out);
/* Per person: what they wrote against what they carry the pager for. */
int people_table(struct world *w, const struct analysis_params *p, struct table *out);

/* The weekly report: sections, each a table. */
struct report_section {
	const char *key;    /* JSON "section" value */
	const char *title;
	struct table table;
};
struct report {
	struct report_section *sections;
	size_t n;
};
int report_build(struct world *w, const struct analysis_params *p, struct report *out);
void report_free(struct report *r);

#endif
