/*
 * Who carries the pager for a path (see include/carry/analysis.h).
 *
 * The service of a path: the last glob of the services table that
 * matches it (CODEOWNERS pattern syntax), else — DESIGN.md's fallback —
 * the service of its CODEOWNERS team, when exactly one exists.  A
 * directory is covered by a glob that covers the files in it.
 */
#include <stdlib.h>
#include <string.h>

#include "../oncall/codeowners.h"
#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/store.h"
#include "carry/strbuf.h"

static const struct table_col pager_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "service", "SERVICE", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "rotation", "ROTATION", COL_STR, false },
	{ "level", "LVL", COL_INT, true },
	{ "name", "ON CALL", COL_STR, false },
	{ "email", "EMAIL", COL_STR, false },
	{ "until", "UNTIL", COL_TIME, false },
	{ "next_name", "NEXT", COL_STR, false },
	{ "next_email", "NEXT EMAIL", COL_STR, false },
	{ "next_at", "FROM", COL_TIME, false },
};
enum { P_PATH, P_SERVICE, P_TEAM, P_ROTATION, P_LEVEL, P_NAME, P_EMAIL, P_UNTIL,
       P_NEXT_NAME, P_NEXT_EMAIL, P_NEXT_AT };

static void ref_copy(struct service_ref *dst, const struct service_ref *src)
{
	service_ref_clear(dst);
	*dst = (struct service_ref){ src->id, src->rotation_id, xstrdup(src->name),
	                             xstrdup(src->team), xstrdup(src->rotation) };
}

struct glob_match {
	const char *path;
	struct service_ref found; /* id 0: none yet */
};

/* Last match wins: every matching glob overwrites the earlier one. */
static int match_glob(const char *glob, const struct service_ref *s, void *payload)
{
	struct glob_match *m = payload;
	if (codeowners_pattern_matches(glob, m->path))
		ref_copy(&m->found, s);
	return 0;
}

struct team_owners {
	struct strbuf teams; /* "\nslug\n..." */
};

static void collect_team(const char *owner, void *payload)
{
	struct team_owners *t = payload;
	const char *slash = owner[0] == '@' ? strchr(owner, '/') : NULL;
	if (slash && slash[1])
		sb_addf(&t->teams, "%s\n", slash + 1);
}

/* The service of `path`, or id 0. */
static int resolve_service(struct store *st, const struct codeowners *co, const char *path,
                           struct service_ref *out)
{
	struct glob_match m = { .path = path };
	int rc = store_service_globs(st, match_glob, &m);
	if (rc == 0 && !m.found.id) {
		/* A directory: what covers the files in it covers it. */
		struct strbuf child = STRBUF_INIT;
		sb_addf(&child, "%s%s\x01", path, path[0] ? "/" : "");
		m.path = child.ptr;
		rc = store_service_globs(st, match_glob, &m);
		sb_free(&child);
	}
	if (rc < 0 || m.found.id || !co) {
		*out = m.found;
		return rc;
	}
	struct team_owners t = { STRBUF_INIT };
	codeowners_owners(co, path, collect_team, &t, NULL);
	size_t total = 0;
	for (char *slug = t.teams.ptr; rc == 0 && slug && *slug;) {
		char *nl = strchr(slug, '\n');
		*nl = '\0';
		struct service_ref ref = { 0 };
		size_t n = 0;
		rc = store_services_of_team(st, slug, &ref, &n);
		if (n && !total)
			ref_copy(&m.found, &ref);
		total += n;
		service_ref_clear(&ref);
		slug = nl + 1;
	}
	sb_free(&t.teams);
	if (total != 1)
		service_ref_clear(&m.found);
	*out = m.found;
	return rc;
}

static void set_str(struct table_cell *c, const char *s)
{
	if (s && *s)
		cell_set_str(c, s);
}

/* The rows for one path (NULL: a service listing) and its service. */
static int add_rows(struct store *st, const char *path, const struct service_ref *svc,
                    int64_t at, struct table *out)
{
	struct on_call *now = NULL, next = { 0 };
	size_t n = 0;
	bool has_next = false;
	int rc = 0;
	if (svc->id && svc->rotation_id) {
		rc = store_on_call(st, svc->rotation_id, at, &now, &n);
		if (rc == 0)
			rc = store_next_on_call(st, svc->rotation_id, at, &next, &has_next);
	}
	for (size_t i = 0; rc == 0 && i < (n ? n : 1); i++) {
		struct table_cell *row = table_add_row(out);
		set_str(&row[P_PATH], path);
		if (svc->id) {
			set_str(&row[P_SERVICE], svc->name);
			set_str(&row[P_TEAM], svc->team);
			set_str(&row[P_ROTATION], svc->rotation);
		}
		if (n) {
			cell_set_int(&row[P_LEVEL], now[i].level);
			set_str(&row[P_NAME], now[i].name);
			set_str(&row[P_EMAIL], now[i].email);
			cell_set_int(&row[P_UNTIL], now[i].until);
		}
		if (has_next) {
			set_str(&row[P_NEXT_NAME], next.name);
			set_str(&row[P_NEXT_EMAIL], next.email);
			cell_set_int(&row[P_NEXT_AT], next.until);
		}
	}
	for (size_t i = 0; i < n; i++)
		on_call_clear(&now[i]);
	free(now);
	on_call_clear(&next);
	return rc;
}

struct every {
	struct store *st;
	int64_t at;
	struct table *out;
};

static int add_service(const struct service_ref *s, void *payload)
{
	struct every *e = payload;
	return add_rows(e->st, NULL, s, e->at, e->out);
}

int pager_table(struct store *st, int64_t repo_id, const char *path, int64_t at, struct table *out)
{
	table_init(out, pager_cols, sizeof(pager_cols) / sizeof(pager_cols[0]));
	if (!path) {
		struct every e = { st, at, out };
		return store_all_services(st, add_service, &e);
	}
	struct codeowners *co = NULL;
	struct strbuf origin = STRBUF_INIT, content = STRBUF_INIT;
	int rc = repo_id >= 0 ? store_codeowners_get(st, repo_id, &origin, &content) : CARRY_ENOTFOUND;
	if (rc == 0)
		rc = codeowners_parse(&co, sb_str(&content), content.len);
	if (rc == CARRY_ENOTFOUND)
		rc = 0;
	struct service_ref svc = { 0 };
	if (rc == 0)
		rc = resolve_service(st, co, path, &svc);
	if (rc == 0)
		rc = add_rows(st, path, &svc, at, out);
	service_ref_clear(&svc);
	codeowners_free(co);
	sb_free(&origin);
	sb_free(&content);
	return rc;
}
