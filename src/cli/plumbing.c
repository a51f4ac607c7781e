/* What every command needs: the repository, the database, PATH arguments. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/ingest.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "cli.h"

int cli_open_repo(struct invocation *inv, struct carry_repo **repo)
{
	return repo_open(repo, inv->repo);
}

int cli_open_store(struct invocation *inv, struct store **st)
{
	struct strbuf path = STRBUF_INIT;
	int rc = store_default_path(&path, inv->db);
	if (rc == 0)
		rc = store_open(st, path.ptr, 0);
	sb_free(&path);
	return rc;
}

/* Appends the components of `rel` to `out` (a '/'-joined path without
 * leading or trailing '/'), resolving "." and "..". */
static void join_components(struct strbuf *out, const char *rel)
{
	const char *p = rel;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *last = out->len ? strrchr(out->ptr, '/') : NULL;
			out->len = last ? (size_t)(last - out->ptr) : 0;
			if (out->ptr)
				out->ptr[out->len] = '\0';
		} else {
			if (out->len)
				sb_addc(out, '/');
			sb_add(out, p, n);
		}
		p += n + (slash != NULL);
	}
}

char *cli_repo_path(struct carry_repo *repo, const char *arg)
{
	struct strbuf out = STRBUF_INIT;
	const char *wd = repo_workdir(repo);
	char cwd[PATH_MAX];
	if (wd && arg[0] != '/' && getcwd(cwd, sizeof(cwd))) {
		/* Inside the worktree, PATH is relative to the working directory,
		 * as git's pathspecs are. */
		char real_wd[PATH_MAX];
		if (realpath(wd, real_wd)) {
			size_t n = strlen(real_wd);
			if (strncmp(cwd, real_wd, n) == 0 && (cwd[n] == '/' || cwd[n] == '\0'))
				join_components(&out, cwd + n);
		}
	} else if (wd && arg[0] == '/') {
		char real_wd[PATH_MAX];
		if (realpath(wd, real_wd)) {
			size_t n = strlen(real_wd);
			if (strncmp(arg, real_wd, n) == 0 && (arg[n] == '/' || arg[n] == '\0'))
				arg += n;
		}
	}
	join_components(&out, arg);
	return sb_detach(&out);
}

int cli_open_scanned(struct invocation *inv, struct carry_repo **repo, struct store **st,
                     int64_t *repo_id)
{
	int rc;
	if ((rc = cli_open_repo(inv, repo)) < 0 || (rc = cli_open_store(inv, st)) < 0)
		return rc;
	if ((rc = store_repo_id(*st, repo_key(*repo), false, repo_id)) < 0) {
		if (rc == CARRY_ENOTFOUND)
			rc = CARRY_ERR;
		return rc;
	}
	struct repo_state state;
	char head[CARRY_OID_HEXSZ + 1];
	if (store_repo_state(*st, *repo_id, &state) == 0 && !inv->quiet) {
		if (state.scan_target[0])
			cli_say(repo_key(*repo), "the last scan did not finish; run 'carry scan' to complete it");
		else if (repo_head(*repo, head) == 0 && strcmp(head, state.head) != 0)
			cli_say(repo_key(*repo), "HEAD has moved since the last scan; run 'carry scan' to catch up");
	}
	return 0;
}

int cli_path_table(struct invocation *inv, path_table_fn fill)
{
	struct carry_repo *repo = NULL;
	struct store *st = NULL;
	struct table t = { 0 };
	char *path = NULL;
	int64_t repo_id;
	int rc;
	if ((rc = cli_open_scanned(inv, &repo, &st, &repo_id)) < 0)
		goto out;
	path = inv->nargs ? cli_repo_path(repo, inv->args[0]) : NULL;
	if ((rc = fill(inv, st, repo_id, path, &t)) < 0)
		goto out;
	rc = output_table(&t, inv->format);
out:
	free(path);
	table_free(&t);
	store_close(st);
	repo_close(repo);
	return rc;
}
