/* `carry import KIND FILE` and `carry people`: the on-call database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/ingest.h"
#include "carry/mem.h"

#include "carry/error.h"
#include "carry/file.h"
#include "carry/oncall.h"
#include "carry/store.h"
#include "cli.h"

typedef int (*importer)(struct store *st, const char *path, bool dry_run,
                        struct import_report *rep);

static const struct {
	const char *kind;
	importer run;
} importers[] = {
	{ "roster", import_roster },
	{ "services", import_services },
	{ "shifts", import_shifts },
	{ "incidents", import_incidents },
};

/* Recurring events are expanded within --since/--until, by default a year
 * either side of now (--at). */
static int import_calendar(struct invocation *inv, struct store *st, const char *path,
                           const char *rotation, struct import_report *rep)
{
	const int64_t year = 366 * 86400;
	int64_t from = inv->has_since ? inv->since : inv->now - year;
	int64_t to = inv->has_until ? inv->until : inv->now + year;
	return import_ics(st, path, rotation, from, to, inv->dry_run, rep);
}

/* CODEOWNERS belongs to a repository: the one of --repo / the cwd. */
static int import_repo_codeowners(struct invocation *inv, struct store *st, const char *path,
                                  struct import_report *rep)
{
	struct carry_repo *repo = NULL;
	struct strbuf content = STRBUF_INIT;
	int64_t repo_id;
	int rc = cli_open_repo(inv, &repo);
	if (rc == 0)
		rc = store_repo_id(st, repo_key(repo), true, &repo_id);
	if (rc == 0)
		rc = read_file(&content, path, (size_t)16 << 20);
	if (rc == 0)
		rc = import_codeowners(st, repo_id, path, sb_str(&content), content.len, inv->dry_run, rep);
	sb_free(&content);
	repo_close(repo);
	return rc;
}

static importer table_importer(const char *kind)
{
	for (size_t i = 0; i < sizeof(importers) / sizeof(importers[0]); i++)
		if (!strcmp(importers[i].kind, kind))
			return importers[i].run;
	return NULL;
}

static int check_kind(const char *kind)
{
	if (table_importer(kind) || !strcmp(kind, "ics") || !strcmp(kind, "codeowners"))
		return 0;
	return carry_error(CARRY_EUSAGE, "import: unknown kind '%s' (this carry imports: "
	                   "roster, services, shifts, ics, incidents, codeowners)", kind);
}

int cli_import_one(struct invocation *inv, struct store *st, const char *kind, const char *path,
                   const char *rotation, struct import_report *rep)
{
	importer run = table_importer(kind);
	int rc = check_kind(kind);
	if (rc < 0)
		return rc;
	return run ? run(st, path, inv->dry_run, rep)
	     : !strcmp(kind, "ics") ? import_calendar(inv, st, path, rotation, rep)
	     : import_repo_codeowners(inv, st, path, rep);
}

int cmd_import(struct invocation *inv)
{
	const char *kind = inv->args[0], *path = inv->args[1];
	if (check_kind(kind) < 0)
		return CARRY_EUSAGE;
	if (inv->rotation && strcmp(kind, "ics") != 0)
		return carry_error(CARRY_EUSAGE, "import: --rotation goes with ics");
	struct store *st = NULL;
	struct import_report rep = { 0 };
	int rc = cli_open_store(inv, &st);
	if (rc == 0)
		rc = cli_import_one(inv, st, kind, path, inv->rotation, &rep);
	if (rep.notes.len)
		cli_print_notes(rep.notes.ptr);
	sb_free(&rep.notes);
	if (rc == 0 && !inv->quiet) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%zu record(s) read, %lld database row(s) %s", rep.rows,
		         (long long)rep.changes, inv->dry_run ? "would change (dry run: nothing written)"
		                                              : "changed");
		cli_say(path, msg);
	}
	store_close(st);
	return rc;
}

/* Opens the store, fills a table with `list`, prints it. */
static int list_command(struct invocation *inv, int (*list)(struct store *, struct invocation *,
                                                             struct table *))
{
	struct store *st = NULL;
	struct table t = { 0 };
	int rc = cli_open_store(inv, &st);
	if (rc == 0)
		rc = list(st, inv, &t);
	if (rc == 0)
		rc = output_table(&t, inv->format);
	table_free(&t);
	store_close(st);
	return rc;
}

static int list_people(struct store *st, struct invocation *inv, struct table *t)
{
	(void)inv;
	return store_people(st, t);
}

static int list_services(struct store *st, struct invocation *inv, struct table *t)
{
	(void)inv;
	return store_services(st, t);
}

static int list_rotations(struct store *st, struct invocation *inv, struct table *t)
{
	(void)inv;
	return store_rotations(st, t);
}

static int list_incidents(struct store *st, struct invocation *inv, struct table *t)
{
	return store_incidents(st, inv->since, inv->until, t);
}

int cmd_people(struct invocation *inv)
{
	return list_command(inv, list_people);
}

int cmd_services(struct invocation *inv)
{
	return list_command(inv, list_services);
}

int cmd_rotations(struct invocation *inv)
{
	return list_command(inv, list_rotations);
}

int cmd_incidents(struct invocation *inv)
{
	return list_command(inv, list_incidents);
}

struct path_list {
	char **paths;
	size_t n, cap;
};

static void add_path(const char *path, void *payload)
{
	struct path_list *l = payload;
	xgrow(&l->paths, &l->cap, l->n + 1, sizeof(*l->paths));
	l->paths[l->n++] = xstrdup(path);
}

/* `carry pager [PATH]`: who carries the pager, now or --at; with --each,
 * for every file of HEAD under PATH. */
int cmd_pager(struct invocation *inv)
{
	struct store *st = NULL;
	struct carry_repo *repo = NULL;
	struct table t = { 0 };
	struct path_list list = { 0 };
	int64_t repo_id = -1;
	bool want_paths = inv->nargs || inv->each, is_dir = false;
	int rc = cli_open_store(inv, &st);
	if (rc == 0 && want_paths && (rc = cli_open_repo(inv, &repo)) == 0) {
		/* The repository's CODEOWNERS is the fallback. */
		if (store_repo_id(st, repo_key(repo), false, &repo_id) < 0)
			repo_id = -1;
		char *path = cli_repo_path(repo, inv->nargs ? inv->args[0] : "");
		rc = repo_head_files(repo, path, add_path, &list);
		if (!inv->each) {
			/* PATH is a directory unless HEAD has a file of that name. */
			is_dir = !(list.n == 1 && !strcmp(list.paths[0], path));
			for (size_t i = 0; i < list.n; i++)
				free(list.paths[i]);
			list.n = 0;
			add_path(path, &list);
		}
		free(path);
	}
	if (rc == 0)
		rc = pager_table(st, repo_id, want_paths ? (const char *const *)list.paths : NULL,
		                 list.n, inv->each ? NULL : &is_dir, inv->now, &t);
	if (rc == 0)
		rc = output_table(&t, inv->format);
	for (size_t i = 0; i < list.n; i++)
		free(list.paths[i]);
	free(list.paths);
	table_free(&t);
	repo_close(repo);
	store_close(st);
	return rc;
}
