/*
 * Parsing the command line.  Options may stand before or after the
 * command name (getopt_long permutes), and one table (`options` below)
 * drives parsing and every help text.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/timeutil.h"
#include "cli.h"

struct option_doc {
	unsigned bit;
	const char *name;
	const char *arg;
	const char *help;
};

static const struct option_doc options[] = {
	{ OPT_REPO, "repo", "DIR", "the repository (default: the one around the working directory)" },
	{ OPT_DB, "db", "FILE", "the database (default: $CARRY_DB, else $XDG_DATA_HOME/carry/carry.db)" },
	{ OPT_FORMAT, "format", "FMT", "output format: text, json, csv or md (default text)" },
	{ OPT_AT, "at", "TIME", "evaluate as of TIME, ISO 8601 (default: $CARRY_NOW, else now)" },
	{ OPT_SINCE, "since", "WHEN", "from WHEN: ISO 8601 date/time or a span back from --at (7d, 12w, 6m, 1y)" },
	{ OPT_UNTIL, "until", "WHEN", "up to WHEN (same forms as --since)" },
	{ OPT_QUIET, "quiet", NULL, "no progress or summary on stderr" },
	{ OPT_FULL, "full", NULL, "scan: forget what is stored for the repository and rebuild it" },
	{ OPT_DRY_RUN, "dry-run", NULL, "import: check the file and report what would change, write nothing" },
	{ OPT_EACH, "each", NULL, "pager, owners: answer for every file of HEAD under PATH" },
	{ OPT_ROTATION, "rotation", "NAME", "import ics: the rotation the calendar is for" },
	{ OPT_MIN_CHANGES, "min-changes", "N", "drive-by: fewer than N earlier changes in the directory (default 3)" },
	{ OPT_GONE_SHARE, "gone-share", "PCT", "orphaned: at least PCT% of lines by people gone (default 50)" },
	{ OPT_GONE_DAYS, "gone-days", "N", "gone: off the roster and no commit in N days (default 180)" },
	{ OPT_LOOKBACK, "lookback", "HOURS", "triage: suspect commits this long before the incident (default 72)" },
	{ OPT_DIRS, "dirs", NULL, "orphans, owners: every directory under PATH instead of files" },
	{ OPT_SCALE, "scale", "N", "demo: N times the size (default 1)" },
	{ OPT_SEED, "seed", "N", "demo: the random seed (default 1)" },
	{ OPT_NO_TUI, "no-tui", NULL, "demo: print the weekly report instead of opening the dashboard" },
	{ OPT_TUI, "tui", NULL, "triage: open the incident in the dashboard" },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* A whole number in [lo, hi] for option `name`. */
static int parse_int(const char *name, const char *s, long lo, long hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return carry_error(CARRY_EUSAGE, "--%s: '%s' is not a whole number from %ld to %ld",
		                   name, s, lo, hi);
	*out = (int)v;
	return 0;
}

static void print_options(FILE *f, unsigned mask)
{
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (!(options[i].bit & mask))
			continue;
		char left[40];
		snprintf(left, sizeof(left), "--%s%s%s", options[i].name,
		         options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-16s %s\n", left, options[i].help);
	}
	fprintf(f, "  %-16s %s\n", "-h, --help", "show this help");
}

static void print_main_help(FILE *f)
{
	fprintf(f, "usage: carry [OPTIONS] COMMAND [ARGS]\n\n"
	           "Who wrote the code of every path of a git repository, and who carries the\n"
	           "pager for it.\n\ncommands:\n");
	/* Aligned on the longest name and usage. */
	int nw = 0, uw = 0;
	for (const struct command *c = cli_commands; c->name; c++) {
		nw = (int)strlen(c->name) > nw ? (int)strlen(c->name) : nw;
		uw = (int)strlen(c->usage) > uw ? (int)strlen(c->usage) : uw;
	}
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-*s %-*s  %s\n", nw, c->name, uw, c->usage, c->summary);
	fprintf(f, "\noptions (before or after the command):\n");
	unsigned all = OPT_COMMON;
	for (const struct command *c = cli_commands; c->name; c++)
		all |= c->options;
	print_options(f, all);
	fprintf(f, "  %-16s %s\n", "--version", "print the version");
	fprintf(f, "\nexit status: 0 success, 1 runtime failure, 2 usage error, 3 rejected input.\n"
	           "Run 'carry COMMAND --help' for a command; 'man carry' for everything.\n");
}

static void print_command_help(FILE *f, const struct command *c)
{
	fprintf(f, "usage: carry %s %s\n\n%s\n\noptions:\n", c->name, c->usage, c->help);
	print_options(f, OPT_COMMON | c->options);
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int parse_format(const char *s, enum output_format *out)
{
	static const char *const names[] = { "text", "json", "csv", "md" };
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	return carry_error(CARRY_EUSAGE, "--format: '%s' is not one of text, json, csv, md", s);
}

static int parse_number(const struct option_doc *o, const char *arg, struct invocation *inv)
{
	int v = 0, rc;
	switch (o->bit) {
	case OPT_SCALE: rc = parse_int(o->name, arg, 1, 1000, &v); inv->scale = (unsigned)v; return rc;
	case OPT_SEED: rc = parse_int(o->name, arg, 0, INT_MAX, &v); inv->seed = (unsigned)v; return rc;
	case OPT_MIN_CHANGES: return parse_int(o->name, arg, 0, INT_MAX, &inv->min_changes);
	case OPT_GONE_SHARE: return parse_int(o->name, arg, 1, 100, &inv->gone_share);
	case OPT_GONE_DAYS: return parse_int(o->name, arg, 1, 100000, &inv->gone_days);
	case OPT_LOOKBACK: return parse_int(o->name, arg, 1, 100000, &inv->lookback_hours);
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct invocation *inv, bool *done)
{
	enum { LONG_VERSION = 1000 };
	struct option longopts[NOPTIONS + 3];
	size_t n = 0;
	for (size_t i = 0; i < NOPTIONS; i++)
		longopts[n++] = (struct option){ options[i].name,
		                                 options[i].arg ? required_argument : no_argument,
		                                 NULL, (int)i + 1 };
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n++] = (struct option){ "version", no_argument, NULL, LONG_VERSION };
	longopts[n] = (struct option){ 0 };

	memset(inv, 0, sizeof(*inv));
	inv->since = INT64_MIN;
	inv->until = INT64_MAX;
	inv->scale = 1;
	inv->seed = 1;
	inv->min_changes = 3;
	inv->gone_share = 50;
	inv->gone_days = 180;
	inv->lookback_hours = 72;
	*done = false;
	const char *at = NULL, *since = NULL, *until = NULL;
	unsigned seen = 0;
	bool help = false;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help = true;
		} else if (c == LONG_VERSION) {
			printf("carry %s\n", CARRY_VERSION);
			*done = true;
			return 0;
		} else if (c == '?') {
			if (optopt)
				return carry_error(CARRY_EUSAGE, "unknown option '-%c'", optopt);
			return carry_error(CARRY_EUSAGE, "unknown option '%s'", argv[optind - 1]);
		} else if (c == ':') {
			return carry_error(CARRY_EUSAGE, "option '%s' needs a value", argv[optind - 1]);
		} else {
			const struct option_doc *o = &options[c - 1];
			seen |= o->bit;
			switch (o->bit) {
			case OPT_REPO: inv->repo = optarg; break;
			case OPT_DB: inv->db = optarg; break;
			case OPT_FORMAT:
				if (parse_format(optarg, &inv->format) < 0)
					return CARRY_EUSAGE;
				break;
			case OPT_AT: at = optarg; break;
			case OPT_SINCE: since = optarg; break;
			case OPT_UNTIL: until = optarg; break;
			case OPT_QUIET: inv->quiet = true; break;
			case OPT_FULL: inv->full = true; break;
			case OPT_DRY_RUN: inv->dry_run = true; break;
			case OPT_EACH: inv->each = true; break;
			case OPT_ROTATION: inv->rotation = optarg; break;
			case OPT_NO_TUI: inv->no_tui = true; break;
			case OPT_TUI: inv->tui = true; break;
			case OPT_DIRS: inv->dirs = true; break;
			default:
				if (parse_number(o, optarg, inv) < 0)
					return CARRY_EUSAGE;
			}
		}
	}
	if (optind >= argc) {
		if (help) {
			print_main_help(stdout);
			*done = true;
			return 0;
		}
		/* No command: the dashboard. */
		inv->cmd = find_command("dashboard");
	} else {
		inv->cmd = find_command(argv[optind]);
	}
	if (!inv->cmd)
		return carry_error(CARRY_EUSAGE, "'%s' is not a carry command (see 'carry --help')",
		                   argv[optind]);
	bool named = optind < argc;
	if (help) {
		print_command_help(stdout, inv->cmd);
		*done = true;
		return 0;
	}
	unsigned stray = seen & ~(OPT_COMMON | inv->cmd->options);
	for (size_t i = 0; i < NOPTIONS; i++)
		if (stray & options[i].bit)
			return carry_error(CARRY_EUSAGE, "option --%s does not apply to '%s'",
			                   options[i].name, inv->cmd->name);
	inv->args = argv + optind + named;
	inv->nargs = named ? argc - optind - 1 : 0;
	if (inv->nargs > inv->cmd->max_args)
		return carry_error(CARRY_EUSAGE, "%s: unexpected argument '%s' (usage: carry %s %s)",
		                   inv->cmd->name, inv->args[inv->cmd->max_args], inv->cmd->name,
		                   inv->cmd->usage);
	if (inv->nargs < inv->cmd->min_args)
		return carry_error(CARRY_EUSAGE, "%s: missing argument (usage: carry %s %s)",
		                   inv->cmd->name, inv->cmd->name, inv->cmd->usage);

	if (at) {
		if (time_parse_iso(at, &inv->now) < 0)
			return carry_error_prefix(CARRY_EUSAGE, "--at");
	} else if (time_now(&inv->now) < 0) {
		return CARRY_EUSAGE;
	}
	inv->has_since = since != NULL;
	inv->has_until = until != NULL;
	if (since && time_parse_when(since, inv->now, &inv->since) < 0)
		return carry_error_prefix(CARRY_EUSAGE, "--since");
	if (until && time_parse_when(until, inv->now, &inv->until) < 0)
		return carry_error_prefix(CARRY_EUSAGE, "--until");
	return 0;
}
