/* The command table: names, arguments, help, accepted options. */
#include <stddef.h>

#include "cli.h"

const struct command cli_commands[] = {
	{ "dashboard", "",
	  "the dashboard (the same as carry with no command)",
	  "Scans incrementally with a progress bar (q quits), then opens the terminal\n"
	  "dashboard on the repository: the path tree of HEAD on the left with badges\n"
	  "(owning team, orphan share, pager gap), and for the selected path the panes\n"
	  "Owners (share bars), Drive-bys, Orphans, Pager and Incidents under an activity\n"
	  "sparkline and a pager-gap gauge. Keys: j/k move, Enter opens a directory or the\n"
	  "selected row (a commit, a person, an incident's triage), Esc goes back, Tab or\n"
	  "1-5 switch panes, / searches paths and people (n/N), s sorts, f filters by team\n"
	  "or person, t triages, w cycles the window (7d, 30d, 90d, 1y, all), r rescans,\n"
	  "? shows every key, q quits; the mouse wheel scrolls and a click selects.\n"
	  "Without a terminal (or with TERM unset or dumb) it says which command answers\n"
	  "the same as text.",
	  OPT_AT | OPT_THRESHOLDS | OPT_LOOKBACK, 0, 0, cmd_dashboard },
	{ "scan", "[--full]",
	  "bring history facts up to date with HEAD",
	  "Walks every commit reachable from HEAD that the database does not hold yet,\n"
	  "resolving authors through .mailmap, and stores commits and per-file changes\n"
	  "(git's default rename detection). Work is committed in batches: an interrupted\n"
	  "scan resumes where it stopped, and rewritten history is brought back in line.\n"
	  "Then the line engine brings the origin of every line at HEAD (what 'carry blame'\n"
	  "and 'carry owners' read) up to date from the stored line deltas: from the last\n"
	  "result when the new commits descend only from it, else by replaying the whole\n"
	  "stored history (no git access). --full forgets everything and rescans.\n"
	  "Progress is shown on stderr when it is a terminal.",
	  OPT_FULL, 0, 0, cmd_scan },
	{ "authors", "[PATH]",
	  "per person: commits, added, deleted, files, first, last",
	  "Totals per person over non-merge commits of the scanned history: commits, lines\n"
	  "added and deleted, distinct files touched, first and last author time. A person\n"
	  "is a mailmap-resolved email (case-insensitive). PATH (a file or directory,\n"
	  "relative to the working directory inside the worktree) restricts to its changes.",
	  OPT_FORMAT | OPT_SINCE | OPT_UNTIL | OPT_AT, 0, 1, cmd_authors },
	{ "blame", "FILE",
	  "who wrote each line of FILE, as git blame says, from the database",
	  "The origin of every line of FILE at the scanned HEAD: the commit git blame names\n"
	  "(default options: whole-file renames followed, merges followed to the parent that\n"
	  "has the line), its author (mailmap-resolved) and author time. Computed by 'carry\n"
	  "scan' for the whole tree at once, so this only reads the database. Text output is\n"
	  "git blame's layout with terminal-safe content; JSON keys: line, commit, name,\n"
	  "email, time. Binary files, symlinks and submodules have no lines (exit 1).",
	  OPT_FORMAT, 1, 1, cmd_blame },
	{ "owners", "[PATH] [--dirs|--each]",
	  "who wrote PATH, who is declared owner, truck factor",
	  "For PATH (a file or a directory, everything beneath it; the whole tree without\n"
	  "PATH) at the scanned HEAD: per person, the surviving lines git blame gives them,\n"
	  "their share, files, the files they are a DOA author of (degree of authorship:\n"
	  "creation, own changes and others' changes, followed through renames), whether\n"
	  "CODEOWNERS declares them owner, team and whether they are gone at --at. Bots\n"
	  "come after people. Text and Markdown first summarise PATH: main developer, DOA\n"
	  "authors, declared owners, owning team, the declared, developers' and rotation's\n"
	  "teams and whether they drift apart, truck factor, service and rotation truck\n"
	  "factor, lines changed in the window (default the 90 days before --at) and the\n"
	  "pager gap: the share of them by people not on the rotation then. --dirs gives\n"
	  "that summary for PATH and every directory beneath it, --each for every file.",
	  OPT_FORMAT | OPT_AT | OPT_SINCE | OPT_UNTIL | OPT_DIRS | OPT_EACH | OPT_GONE_DAYS, 0, 1,
	  cmd_owners },
	{ "drive-bys", "[PATH]",
	  "drive-by changes in the window (default the last 90 days)",
	  "Changes (commit, file) under PATH in --since/--until (default: the 90 days\n"
	  "before --at) that DESIGN.md calls drive-bys: by a person (not a bot) who is not a\n"
	  "declared owner of the file (CODEOWNERS), is not on its service's rotation within\n"
	  "30 days of the change (when the rotation has shifts then), and made fewer than\n"
	  "--min-changes (default 3) earlier changes to files in the same directory. Each\n"
	  "with its size, whether the commit is AI-assisted, whether its author is gone at\n"
	  "--at, and incidents on the file's service in the 30 days after it.",
	  OPT_FORMAT | OPT_SINCE | OPT_UNTIL | OPT_AT | OPT_THRESHOLDS, 0, 1, cmd_drive_bys },
	{ "orphans", "[PATH] [--dirs]",
	  "orphaned files (or directories) with their reasons",
	  "Files of HEAD under PATH that are orphaned at --at: 'authors_gone' when at least\n"
	  "--gone-share percent (default 50) of their surviving lines not written by bots\n"
	  "are by people gone (roster left_on, else no commit in --gone-days days);\n"
	  "'no_pager' when no service covers them or their rotation has no shift in the\n"
	  "next 14 days. With --dirs: every directory holding orphaned files, with the\n"
	  "line-weighted share of its files that are orphaned.",
	  OPT_FORMAT | OPT_AT | OPT_DIRS | OPT_THRESHOLDS, 0, 1, cmd_orphans },
	{ "triage", "ID",
	  "an incident's suspect commits and who to page",
	  "For incident ID on service S starting at T: the non-merge commits that touched\n"
	  "S's files (or the incident's own paths) in the --lookback hours (default 72)\n"
	  "before T, ranked drive-bys first, then by churn, then newest first, each with\n"
	  "its author's status at --at (on call, on the rotation, gone, active); then who\n"
	  "carries S's pager at --at, and the people who know the touched files (DOA\n"
	  "authors) with whether they are on call. --tui opens the same answer in the\n"
	  "dashboard (scanning first), where Enter on a suspect shows the commit and on a\n"
	  "person what they wrote and carry.",
	  OPT_FORMAT | OPT_AT | OPT_LOOKBACK | OPT_THRESHOLDS | OPT_TUI, 1, 1, cmd_triage },
	{ "report", "",
	  "the weekly review: drive-bys, orphans, pager gap, incidents, load",
	  "The review a team lead pastes into a wiki or an issue, for --since/--until\n"
	  "(default: the 7 days before --at): headline numbers with the change from the\n"
	  "period before, drive-by commits, newly orphaned files, pager gap per service,\n"
	  "incidents with their suspects, and pager load against authorship per person.\n"
	  "Markdown (--format md) is escaped for tables; JSON is one array of objects, each\n"
	  "with a 'section' key; CSV has the same rows under one header.",
	  OPT_FORMAT | OPT_SINCE | OPT_UNTIL | OPT_AT | OPT_THRESHOLDS, 0, 0, cmd_report },
	{ "demo", "[DIR]",
	  "build the demo world (repository and on-call data) and show it",
	  "Generates a deterministic company repository (3,000+ commits over three years,\n"
	  "30+ people in 5 teams, services, bots, AI-assisted drive-bys, renames, merges, a\n"
	  "stale CODEOWNERS entry, .mailmap) and its on-call data (roster, services, a year\n"
	  "of weekly rotations as iCalendar, incidents) in DIR (default ./carry-demo),\n"
	  "imports the data into DIR/carry.db (or --db), scans, and opens the dashboard on\n"
	  "it (with --no-tui, or without a terminal, prints the weekly report instead).\n"
	  "--scale N makes it N times larger; --seed picks another world; the world ends\n"
	  "at --at (default now).",
	  OPT_FORMAT | OPT_AT | OPT_SCALE | OPT_SEED | OPT_NO_TUI, 0, 1, cmd_demo },
	{ "check", "",
	  "database integrity and schema check",
	  "Runs SQLite's integrity and foreign-key checks, compares the schema with the one\n"
	  "this carry creates, and checks carry's own invariants (every kept commit's\n"
	  "parents are kept; merge commits carry no changes). Exit 0 when sound, 1 otherwise.",
	  0, 0, 0, cmd_check },
	{ "import", "KIND FILE",
	  "import on-call data (roster, services, shifts, ics, incidents, codeowners)",
	  "Imports a file into the on-call database in one transaction: any error leaves the\n"
	  "database exactly as it was, exits 3 and names FILE:LINE:COLUMN. Importing the same\n"
	  "file twice changes nothing. All are RFC 4180 CSV with a header row:\n"
	  "  roster     person_id,name,emails,team,joined_on,left_on,is_bot,handles\n"
	  "             (emails, handles separated by ';'); keyed by person_id\n"
	  "  services   service,team,rotation,path_glob - one row per glob; the file\n"
	  "             replaces the services table, row order is precedence (last wins)\n"
	  "  shifts     rotation,email,starts_at,ends_at,level - replaces each rotation's\n"
	  "             shifts within the file's range; unknown emails are reported and\n"
	  "             kept as people not on the roster\n"
	  "  ics        an iCalendar schedule export (PagerDuty, Opsgenie, Grafana OnCall)\n"
	  "             for --rotation NAME (default: the calendar's name); the rotation's\n"
	  "             shifts in the calendar's time range become the calendar's; repeating\n"
	  "             events are expanded within --since/--until (default: a year either\n"
	  "             side of --at)\n"
	  "  incidents  incident_id,title,service,severity,started_at,resolved_at,status,\n"
	  "             paths,url (paths separated by ';'); keyed by incident_id\n"
	  "  codeowners a CODEOWNERS file for the repository (--repo): used instead of the\n"
	  "             one scans read from HEAD; invalid lines are reported and skipped",
	  OPT_DRY_RUN | OPT_ROTATION | OPT_SINCE | OPT_UNTIL | OPT_AT, 2, 2, cmd_import },
	{ "pager", "[PATH] [--each]",
	  "who carries the pager for PATH (or every service), now or --at",
	  "For PATH: its service (the last service glob matching it, else the one service\n"
	  "of its CODEOWNERS team), team and rotation, and the people with a shift covering\n"
	  "the time (--at, default now) by level, with when their shift ends and who holds\n"
	  "the next primary shift. Without PATH: the same for every service. With --each:\n"
	  "one answer per file of HEAD under PATH (the whole tree without PATH).",
	  OPT_FORMAT | OPT_AT | OPT_EACH, 0, 1, cmd_pager },
	{ "people", "",
	  "list people: roster members and people met only in schedules",
	  "Lists everyone the on-call database knows: name, emails, team, joined and left\n"
	  "dates, bot flag, whether they are on the roster, and handles.",
	  OPT_FORMAT, 0, 0, cmd_people },
	{ "services", "",
	  "list services: team, rotation, path globs",
	  "Lists services with their owning team, on-call rotation and path globs in\n"
	  "precedence order (last match wins).",
	  OPT_FORMAT, 0, 0, cmd_services },
	{ "rotations", "",
	  "list rotations: shifts, time covered, people, services",
	  "Lists on-call rotations with the number of shifts, the time they cover, the\n"
	  "people who hold them and the services that use them.",
	  OPT_FORMAT, 0, 0, cmd_rotations },
	{ "incidents", "",
	  "list incidents, newest first",
	  "Lists incidents with service, severity, times, status, paths and link; --since\n"
	  "and --until bound the start time.",
	  OPT_FORMAT | OPT_SINCE | OPT_UNTIL | OPT_AT, 0, 0, cmd_incidents },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, NULL },
};
