/*
 * Opening a repository the way git would, and what a scan needs from it
 * besides history: the mailmap (as `git log --use-mailmap` reads it) and
 * the shallow boundary (libgit2 1.5 knows nothing of shallow clones, so
 * carry reads .git/shallow itself and treats those commits as roots).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/file.h"
#include "carry/mem.h"
#include "ingest_int.h"

int repo_git_error(int code, const char *what)
{
	const git_error *e = git_error_last();
	return carry_error(code, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

/* A mailmap file that is missing or unreadable is skipped, as git does. */
static void add_file(struct mailmap *mm, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (read_file(&sb, path, (size_t)64 << 20) == 0)
		mailmap_add_buffer(mm, sb_str(&sb), sb.len);
	carry_error_clear();
	sb_free(&sb);
}

static void add_blob(struct mailmap *mm, git_repository *repo, const char *spec)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, repo, spec) == 0 && git_object_type(obj) == GIT_OBJECT_BLOB) {
		git_blob *b = (git_blob *)obj;
		mailmap_add_buffer(mm, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	}
	git_object_free(obj);
	git_error_clear();
}

/* git's order: the worktree .mailmap, then mailmap.blob (defaulting to
 * HEAD:.mailmap in a bare repository), then mailmap.file; later entries
 * override earlier ones. */
static void load_mailmap(struct carry_repo *r)
{
	r->mailmap = mailmap_new();
	if (r->workdir) {
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s.mailmap", r->workdir);
		add_file(r->mailmap, p.ptr);
		sb_free(&p);
	}
	git_config *cfg = NULL;
	git_buf val = { 0 };
	if (git_repository_config_snapshot(&cfg, r->repo) < 0)
		cfg = NULL;
	if (cfg && git_config_get_string_buf(&val, cfg, "mailmap.blob") == 0) {
		add_blob(r->mailmap, r->repo, val.ptr);
		git_buf_dispose(&val);
	} else if (!r->workdir) {
		add_blob(r->mailmap, r->repo, "HEAD:.mailmap");
	}
	if (cfg && git_config_get_path(&val, cfg, "mailmap.file") == 0) {
		add_file(r->mailmap, val.ptr);
		git_buf_dispose(&val);
	}
	git_config_free(cfg);
	git_error_clear();
}

static void load_shallow(struct carry_repo *r)
{
	const char *common = git_repository_commondir(r->repo);
	struct strbuf p = STRBUF_INIT;
	sb_addf(&p, "%sshallow", common);
	FILE *f = fopen(p.ptr, "r");
	sb_free(&p);
	if (!f)
		return;
	char line[128];
	git_oid oid;
	while (fgets(line, sizeof(line), f))
		if (git_oid_fromstrn(&oid, line, GIT_OID_HEXSZ) == 0)
			oidmap_put(&r->shallow, &oid, 1);
	fclose(f);
}


static char *absolute(const char *path)
{
	char buf[PATH_MAX];
	if (realpath(path, buf))
		return xstrdup(buf);
	return xstrdup(path);
}

static bool is_dir_entry(const char *dir, const char *name, struct stat *st)
{
	struct strbuf p = STRBUF_INIT;
	sb_addf(&p, "%s/%s", dir, name);
	bool ok = stat(p.ptr, st) == 0;
	sb_free(&p);
	return ok;
}

/* When the repository around `start` belongs to another user, the path
 * git's safe.directory must name (the worktree, or the git directory of a
 * bare repository); NULL otherwise.  libgit2 1.5 reports this case only
 * as "config value 'safe.directory' was not found", so carry looks itself. */
static char *foreign_repository(const char *start)
{
	char *dir = absolute(start);
	struct stat st, head, objects;
	for (;;) {
		bool worktree = is_dir_entry(dir, ".git", &st);
		bool bare = !worktree && is_dir_entry(dir, "HEAD", &head) &&
		            is_dir_entry(dir, "objects", &objects) && stat(dir, &st) == 0;
		if (worktree || bare) {
			if (st.st_uid != geteuid() || (worktree && stat(dir, &st) == 0 && st.st_uid != geteuid()))
				return dir;
			break;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return NULL;
}

int repo_open(struct carry_repo **out, const char *path)
{
	static int initialised;
	if (!initialised) {
		git_libgit2_init();
		/* libgit2 caches no tree over 4 KiB by default; the tree diff of
		 * every commit re-reads its parent's big trees without this. */
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
		initialised = 1;
	}
	*out = NULL;
	const char *start = path ? path : ".";
	struct carry_repo *r = xcalloc(1, sizeof(*r));
	int err = git_repository_open_ext(&r->repo, start, 0, NULL);
	if (err < 0) {
		const git_error *e = git_error_last();
		const char *msg = e && e->message ? e->message : "";
		char *shown = absolute(start);
		char *owned = foreign_repository(shown);
		if (owned || strstr(msg, "safe.directory") || strstr(msg, "not owned by current user")) {
			if (!owned)
				owned = xstrdup(shown);
			carry_error(CARRY_EINPUT,
				"%s: repository is owned by another user; trust it with: "
				"git config --global --add safe.directory %s (safe.directory must name it exactly)",
				owned, owned);
			free(owned);
		} else if (err == GIT_ENOTFOUND) {
			carry_error(CARRY_EINPUT, "%s: not a git repository (nor any parent directory)", shown);
		} else {
			carry_error(CARRY_EINPUT, "%s: cannot open repository: %s", shown, msg);
		}
		free(shown);
		free(r);
		return CARRY_EINPUT;
	}
	const char *wd = git_repository_workdir(r->repo);
	if (wd) {
		r->workdir = xstrdup(wd);
		r->key = absolute(wd);
	} else {
		r->key = absolute(git_repository_path(r->repo));
	}
	r->gitdir = xstrdup(git_repository_path(r->repo));
	load_mailmap(r);
	load_shallow(r);
	*out = r;
	return 0;
}

void repo_close(struct carry_repo *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	mailmap_free(r->mailmap);
	oidmap_free(&r->shallow);
	free(r->key);
	free(r->workdir);
	free(r->gitdir);
	free(r);
}

const char *repo_key(const struct carry_repo *r)
{
	return r->key;
}

const char *repo_workdir(const struct carry_repo *r)
{
	return r->workdir;
}

int repo_head(struct carry_repo *r, char out[CARRY_OID_HEXSZ + 1])
{
	git_oid oid;
	int err = git_reference_name_to_id(&oid, r->repo, "HEAD");
	if (err == GIT_ENOTFOUND || git_repository_head_unborn(r->repo) == 1) {
		git_error_clear();
		return carry_error(CARRY_ENOTFOUND, "%s: no commits yet (HEAD is unborn)", r->key);
	}
	if (err < 0)
		return repo_git_error(CARRY_EINPUT, r->key);
	git_oid_tostr(out, CARRY_OID_HEXSZ + 1, &oid);
	return 0;
}

int repo_codeowners(struct carry_repo *r, struct strbuf *origin, struct strbuf *content)
{
	static const char *const places[] = {
		".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS",
	};
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		struct strbuf spec = STRBUF_INIT;
		git_object *obj = NULL;
		sb_addf(&spec, "HEAD:%s", places[i]);
		int err = git_revparse_single(&obj, r->repo, spec.ptr);
		if (err == 0 && git_object_type(obj) == GIT_OBJECT_BLOB) {
			const git_blob *b = (const git_blob *)obj;
			sb_add(content, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
			sb_add(origin, spec.ptr, spec.len);
			git_object_free(obj);
			sb_free(&spec);
			return 0;
		}
		git_object_free(obj);
		sb_free(&spec);
		git_error_clear();
	}
	return CARRY_ENOTFOUND;
}

int repo_file_at(struct carry_repo *r, const char *commit, const char *path, struct strbuf *content)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc = CARRY_ENOTFOUND;
	if (git_oid_fromstr(&oid, commit) == 0 && git_commit_lookup(&c, r->repo, &oid) == 0) {
		git_tree *t = NULL;
		if (git_commit_tree(&t, c) == 0 && git_tree_entry_bypath(&e, t, path) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    git_blob_lookup(&b, r->repo, git_tree_entry_id(e)) == 0) {
			sb_add(content, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
			rc = 0;
		}
		git_tree_free(t);
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	git_commit_free(c);
	git_error_clear();
	if (rc < 0)
		return carry_error(rc, "%s: %s is not a file of commit %.12s", r->key, path, commit);
	return 0;
}

int repo_commit_message(struct carry_repo *r, const char *commit, struct strbuf *out)
{
	git_oid oid;
	git_commit *c = NULL;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, r->repo, &oid) < 0) {
		git_error_clear();
		return carry_error(CARRY_ENOTFOUND, "%s: no commit %.12s", r->key, commit);
	}
	sb_adds(out, git_commit_message_raw(c));
	git_commit_free(c);
	return 0;
}

struct files_walk {
	const char *prefix;
	size_t plen;
	void (*cb)(const char *path, void *payload);
	void *payload;
	struct strbuf path;
};

static int walk_entry(const char *root, const git_tree_entry *e, void *payload)
{
	struct files_walk *fw = payload;
	git_object_t type = git_tree_entry_type(e);
	sb_reset(&fw->path);
	sb_adds(&fw->path, root);
	sb_adds(&fw->path, git_tree_entry_name(e));
	const char *p = fw->path.ptr;
	bool within = !fw->plen || (!strncmp(p, fw->prefix, fw->plen) &&
	                            (p[fw->plen] == '\0' || p[fw->plen] == '/'));
	if (type == GIT_OBJECT_TREE) {
		/* Skip subtrees that cannot contain the prefix. */
		bool above = fw->plen > fw->path.len && !strncmp(fw->prefix, p, fw->path.len) &&
		             fw->prefix[fw->path.len] == '/';
		return within || above ? 0 : 1;
	}
	if (type == GIT_OBJECT_BLOB && within)
		fw->cb(p, fw->payload);
	return 0;
}

int repo_head_files(struct carry_repo *r, const char *prefix,
                    void (*cb)(const char *path, void *payload), void *payload)
{
	git_object *obj = NULL;
	if (git_revparse_single(&obj, r->repo, "HEAD^{tree}") < 0) {
		git_error_clear();
		return carry_error(CARRY_ENOTFOUND, "%s: no commits yet (HEAD is unborn)", r->key);
	}
	struct files_walk fw = { prefix, strlen(prefix), cb, payload, STRBUF_INIT };
	int rc = git_tree_walk((git_tree *)obj, GIT_TREEWALK_PRE, walk_entry, &fw);
	git_object_free(obj);
	sb_free(&fw.path);
	return rc < 0 ? repo_git_error(CARRY_EINPUT, r->key) : 0;
}
