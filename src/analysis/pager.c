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

/* What answering many paths needs, loaded once: the service globs in
 * precedence order and the repository's CODEOWNERS. */
struct pager_ctx {
	struct store *st;
	int64_t at;
	struct { char *glob; struct service_ref svc; } *globs;
	size_t nglobs, cap;
	struct codeowners *co;
	/* Who is on call, per service, computed once per run. */
	struct oncall_cache {
		int64_t service_id;
		struct on_call *now, next;
		size_t n;
		bool has_next;
	} *cache;
	size_t ncache, ccap;
};

static int load_glob(const char *glob, const struct service_ref *s, void *payload)
{
	struct pager_ctx *c = payload;
	xgrow(&c->globs, &c->cap, c->nglobs + 1, sizeof(*c->globs));
	c->globs[c->nglobs].glob = xstrdup(glob);
	memset(&c->globs[c->nglobs].svc, 0, sizeof(struct service_ref));
	ref_copy(&c->globs[c->nglobs++].svc, s);
	return 0;
}

static int ctx_open(struct pager_ctx *c, struct store *st, int64_t repo_id, int64_t at)
{
	memset(c, 0, sizeof(*c));
	c->st = st;
	c->at = at;
	int rc = store_service_globs(st, load_glob, c);
	if (rc < 0 || repo_id < 0)
		return rc;
	struct strbuf origin = STRBUF_INIT, content = STRBUF_INIT;
	rc = store_codeowners_get(st, repo_id, &origin, &content);
	if (rc == 0)
		rc = codeowners_parse(&c->co, sb_str(&content), content.len);
	sb_free(&origin);
	sb_free(&content);
	return rc == CARRY_ENOTFOUND ? 0 : rc;
}

static void ctx_close(struct pager_ctx *c)
{
	for (size_t i = 0; i < c->nglobs; i++) {
		free(c->globs[i].glob);
		service_ref_clear(&c->globs[i].svc);
	}
	free(c->globs);
	codeowners_free(c->co);
	for (size_t i = 0; i < c->ncache; i++) {
		for (size_t k = 0; k < c->cache[i].n; k++)
			on_call_clear(&c->cache[i].now[k]);
		free(c->cache[i].now);
		on_call_clear(&c->cache[i].next);
	}
	free(c->cache);
}

/* The on-call answer for a service, from the cache or the store. */
static int on_call_of(struct pager_ctx *c, const struct service_ref *svc,
                      const struct oncall_cache **out)
{
	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i].service_id == svc->id) {
			*out = &c->cache[i];
			return 0;
		}
	xgrow(&c->cache, &c->ccap, c->ncache + 1, sizeof(*c->cache));
	struct oncall_cache *e = &c->cache[c->ncache++];
	memset(e, 0, sizeof(*e));
	e->service_id = svc->id;
	int rc = 0;
	if (svc->rotation_id) {
		rc = store_on_call(c->st, svc->rotation_id, c->at, &e->now, &e->n);
		if (rc == 0)
			rc = store_next_on_call(c->st, svc->rotation_id, c->at, &e->next, &e->has_next);
	}
	*out = e;
	return rc;
}

/* The last glob matching `path` (its service), or NULL. */
static const struct service_ref *match_globs(const struct pager_ctx *c, const char *path)
{
	for (size_t i = c->nglobs; i-- > 0;)
		if (codeowners_pattern_matches(c->globs[i].glob, path))
			return &c->globs[i].svc;
	return NULL;
}

struct team_owners {
	struct strbuf teams; /* "slug\n..." */
};

static void collect_team(const char *owner, void *payload)
{
	struct team_owners *t = payload;
	const char *slash = owner[0] == '@' ? strchr(owner, '/') : NULL;
	if (slash && slash[1])
		sb_addf(&t->teams, "%s\n", slash + 1);
}

/* The service of `path` into *out (id 0: none). */
static int resolve_service(struct pager_ctx *c, const char *path, struct service_ref *out)
{
	const struct service_ref *hit = match_globs(c, path);
	if (!hit) {
		/* A directory: what covers the files in it covers it. */
		struct strbuf child = STRBUF_INIT;
		sb_addf(&child, "%s%s\x01", path, path[0] ? "/" : "");
		hit = match_globs(c, child.ptr);
		sb_free(&child);
	}
	memset(out, 0, sizeof(*out));
	if (hit) {
		ref_copy(out, hit);
		return 0;
	}
	if (!c->co)
		return 0;
	struct team_owners t = { STRBUF_INIT };
	codeowners_owners(c->co, path, collect_team, &t, NULL);
	size_t total = 0;
	int rc = 0;
	for (char *slug = t.teams.ptr; rc == 0 && slug && *slug;) {
		char *nl = strchr(slug, '\n');
		*nl = '\0';
		struct service_ref ref = { 0 };
		size_t n = 0;
		rc = store_services_of_team(c->st, slug, &ref, &n);
		if (n && !total)
			ref_copy(out, &ref);
		total += n;
		service_ref_clear(&ref);
		slug = nl + 1;
	}
	sb_free(&t.teams);
	if (total != 1)
		service_ref_clear(out);
	return rc;
}

static void set_str(struct table_cell *c, const char *s)
{
	if (s && *s)
		cell_set_str(c, s);
}

/* The rows for one path (NULL: a service listing) and its service. */
static int add_rows(struct pager_ctx *c, const char *path, const struct service_ref *svc,
                    struct table *out)
{
	static const struct oncall_cache nobody;
	const struct oncall_cache *oc = &nobody;
	int rc = svc->id ? on_call_of(c, svc, &oc) : 0;
	for (size_t i = 0; rc == 0 && i < (oc->n ? oc->n : 1); i++) {
		struct table_cell *row = table_add_row(out);
		set_str(&row[P_PATH], path);
		if (svc->id) {
			set_str(&row[P_SERVICE], svc->name);
			set_str(&row[P_TEAM], svc->team);
			set_str(&row[P_ROTATION], svc->rotation);
		}
		if (oc->n) {
			cell_set_int(&row[P_LEVEL], oc->now[i].level);
			set_str(&row[P_NAME], oc->now[i].name);
			set_str(&row[P_EMAIL], oc->now[i].email);
			cell_set_int(&row[P_UNTIL], oc->now[i].until);
		}
		if (oc->has_next) {
			set_str(&row[P_NEXT_NAME], oc->next.name);
			set_str(&row[P_NEXT_EMAIL], oc->next.email);
			cell_set_int(&row[P_NEXT_AT], oc->next.until);
		}
	}
	return rc;
}

struct every {
	struct pager_ctx *c;
	struct table *out;
};

static int add_service(const struct service_ref *s, void *payload)
{
	struct every *e = payload;
	return add_rows(e->c, NULL, s, e->out);
}

int pager_table(struct store *st, int64_t repo_id, const char *const *paths, size_t npaths,
                int64_t at, struct table *out)
{
	table_init(out, pager_cols, sizeof(pager_cols) / sizeof(pager_cols[0]));
	struct pager_ctx c;
	int rc = ctx_open(&c, st, paths ? repo_id : -1, at);
	if (rc == 0 && !paths) {
		struct every e = { &c, out };
		rc = store_all_services(st, add_service, &e);
	}
	for (size_t i = 0; rc == 0 && paths && i < npaths; i++) {
		struct service_ref svc;
		rc = resolve_service(&c, paths[i], &svc);
		if (rc == 0)
			rc = add_rows(&c, paths[i], &svc, out);
		service_ref_clear(&svc);
	}
	ctx_close(&c);
	return rc;
}
