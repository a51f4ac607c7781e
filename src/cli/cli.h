/*
 * The command line: one table of commands and one of options generate the
 * parser, the per-command checks and every --help text, so help can never
 * drift from what is accepted.  Commands receive the parsed invocation and
 * return a carry error code; main() turns it into the exit status.
 */
#ifndef CARRY_CLI_H
#define CARRY_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "carry/table.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_MD };

/* Options, as bits, so each command names the ones it takes. */
enum {
	OPT_REPO = 1 << 0,
	OPT_DB = 1 << 1,
	OPT_FORMAT = 1 << 2,
	OPT_AT = 1 << 3,
	OPT_SINCE = 1 << 4,
	OPT_UNTIL = 1 << 5,
	OPT_QUIET = 1 << 6,
	OPT_FULL = 1 << 7,
	OPT_DRY_RUN = 1 << 8,
	OPT_EACH = 1 << 9,
	OPT_ROTATION = 1 << 10,
	OPT_SCALE = 1 << 11,
	OPT_SEED = 1 << 12,
	OPT_NO_TUI = 1 << 13,
	OPT_MIN_CHANGES = 1 << 14,
	OPT_GONE_SHARE = 1 << 15,
	OPT_GONE_DAYS = 1 << 16,
	OPT_LOOKBACK = 1 << 17,
	OPT_DIRS = 1 << 18,
	OPT_TUI = 1 << 19,
};
/* The thresholds of DESIGN.md's definitions, as options. */
#define OPT_THRESHOLDS (OPT_MIN_CHANGES | OPT_GONE_SHARE | OPT_GONE_DAYS)
#define OPT_COMMON (OPT_REPO | OPT_DB | OPT_QUIET)

struct invocation {
	const struct command *cmd;
	const char *repo, *db, *rotation;
	bool has_since, has_until;
	enum output_format format;
	int64_t now;              /* --at, CARRY_NOW, or the clock */
	int64_t since, until;     /* INT64_MIN / INT64_MAX when open */
	bool quiet, full, dry_run, each, no_tui, tui, dirs;
	unsigned scale, seed;     /* demo: size multiplier (default 1), seed */
	int min_changes;          /* drive-by: earlier changes in the directory (default 3) */
	int gone_share;           /* orphan: percent of lines by gone people (default 50) */
	int gone_days;            /* gone: days without a commit (default 180) */
	int lookback_hours;       /* triage: suspects before the incident (default 72) */
	char **args;              /* positional arguments after the command */
	int nargs;
};

struct command {
	const char *name;
	const char *usage;    /* arguments after the name, e.g. "[PATH]" */
	const char *summary;  /* one line for `carry --help` */
	const char *help;     /* the paragraph for `carry CMD --help` */
	unsigned options;     /* OPT_* accepted besides OPT_COMMON */
	int min_args, max_args;
	int (*run)(struct invocation *inv);
};

extern const struct command cli_commands[];

/* Parses argv into inv; prints help/version itself and sets *done.
 * Returns 0 or CARRY_EUSAGE. */
int cli_parse(int argc, char **argv, struct invocation *inv, bool *done);

/* Renders a result table to stdout in the invocation's format. */
int output_table(const struct table *t, enum output_format f);
/* One row as "TITLE  value" lines (text) or a two-column table (md). */
int output_record(const struct table *t, size_t row, enum output_format f);
struct report;
/* The report's sections: titled tables (text, md); one JSON array whose
 * objects carry a "section" key; CSV rows under the union of the keys. */
int output_report(const struct report *r, enum output_format f);

/* Writes a one-line diagnostic "carry: ..." to stderr, terminal-safe. */
/* An importer's notes (one per line, quoting the file: untrusted) on
 * stderr, each line made terminal-safe. */
void cli_print_notes(const char *notes);
void cli_say(const char *prefix, const char *msg);

/* Shared plumbing for commands. */
struct carry_repo;
struct store;
int cli_open_repo(struct invocation *inv, struct carry_repo **repo);
int cli_open_store(struct invocation *inv, struct store **st);
/* Opens the repository and the store and finds the repository's id
 * (CARRY_ERR with a message when it was never scanned); says so on stderr
 * when the scan is unfinished or HEAD has moved since. */
int cli_open_scanned(struct invocation *inv, struct carry_repo **repo, struct store **st,
                     int64_t *repo_id);
/* A command that answers a table for an optional PATH argument: opens
 * what cli_open_scanned opens, calls fill, renders the table. */
typedef int (*path_table_fn)(const struct invocation *inv, struct store *st, int64_t repo_id,
                             const char *path, struct table *out);
int cli_path_table(struct invocation *inv, path_table_fn fill);
/* A PATH argument as a repository-relative path ("" for the whole tree),
 * relative to the working directory when that is inside the worktree. */
char *cli_repo_path(struct carry_repo *repo, const char *arg);

int cmd_scan(struct invocation *inv);
/* cmd_scan's work: progress through `progress` (may be NULL), stopping
 * after a flush with CARRY_EINTR once *stop is set. */
struct scan_progress;
int cli_scan(struct invocation *inv, void (*progress)(const struct scan_progress *, void *),
             void *payload, volatile int *stop);
int cmd_authors(struct invocation *inv);
int cmd_blame(struct invocation *inv);
int cmd_owners(struct invocation *inv);
int cmd_check(struct invocation *inv);
int cmd_import(struct invocation *inv);
/* Imports one file of KIND (as `carry import` does) into an open store;
 * `rotation` names an ics file's rotation (NULL: the calendar's name). */
struct import_report;
int cli_import_one(struct invocation *inv, struct store *st, const char *kind, const char *path,
                   const char *rotation, struct import_report *rep);
int cmd_people(struct invocation *inv);
int cmd_services(struct invocation *inv);
int cmd_rotations(struct invocation *inv);
int cmd_incidents(struct invocation *inv);
int cmd_pager(struct invocation *inv);
int cmd_drive_bys(struct invocation *inv);
int cmd_orphans(struct invocation *inv);
int cmd_triage(struct invocation *inv);
int cmd_report(struct invocation *inv);
int cmd_demo(struct invocation *inv);
int cmd_dashboard(struct invocation *inv);

#endif
