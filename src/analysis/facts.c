/*
 * The facts every analysis asks about (world.h): a path's service and
 * declared owners, whether a person is gone, whether someone is on a
 * rotation.  DESIGN.md "Vocabulary" defines each; the comments say where a
 * boundary falls.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../oncall/codeowners.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "world.h"

bool path_within(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return n == 0 || (strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

int path_order(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a, *y = *(const unsigned char *const *)b;
	for (; *x && *x == *y; x++, y++)
		;
	/* '/' sorts before every other byte: a directory's contents follow it. */
	int cx = *x == '/' ? 1 : *x, cy = *y == '/' ? 1 : *y;
	return cx - cy;
}

uint32_t *changes_in(const struct world *w, int64_t since, int64_t until, size_t *n)
{
	uint32_t *out = xmalloc((w->nchanges + 1) * sizeof(*out));
	*n = 0;
	for (size_t ci = 0; ci < w->ncommits; ci++) {
		const struct commit *cm = &w->commits[ci];
		if (cm->time >= since && cm->time <= until)
			for (uint32_t k = 0; k < cm->nchanges; k++)
				out[(*n)++] = cm->first_change + k;
	}
	return out;
}

uint32_t world_path_id(struct world *w, const char *path)
{
	return strmap_intern(&w->paths, path, strlen(path));
}

uint32_t world_file_id(struct world *w, const char *path)
{
	uint32_t id = world_path_id(w, path);
	size_t old = w->is_file_cap;
	xgrow(&w->is_file, &w->is_file_cap, (size_t)id + 1, sizeof(*w->is_file));
	memset(w->is_file + old, 0, (w->is_file_cap - old) * sizeof(*w->is_file));
	w->is_file[id] = true;
	return id;
}

static bool is_dir(const struct world *w, uint32_t path)
{
	return !(path < w->is_file_cap && w->is_file[path]);
}

/* The path a pattern must match for `path`: itself for a file; for a
 * directory, a file directly in it ("dir/\x01", the root "\x01"). */
static const char *match_path(const struct world *w, uint32_t path, struct strbuf *buf)
{
	const char *p = strmap_key(&w->paths, path);
	if (!is_dir(w, path))
		return p;
	sb_reset(buf);
	sb_addf(buf, "%s%s\x01", p, p[0] ? "/" : "");
	return buf->ptr;
}

/* The last service glob matching the path, or NONE. */
static uint32_t match_globs(const struct world *w, const char *path)
{
	for (size_t i = w->nglobs; i-- > 0;)
		if (codeowners_pattern_matches(w->globs[i].glob, path))
			return w->globs[i].service;
	return NONE;
}

struct owner_walk {
	struct world *w;
	uint32_t *people;
	size_t n, cap;
	const char *team;       /* the first owner naming a roster team */
	uint32_t team_service;  /* the services of the teams named: one, or NONE */
	size_t team_services;
};

static void add_owner(struct owner_walk *o, uint32_t p)
{
	if (p == NONE)
		return;
	xgrow(&o->people, &o->cap, o->n + 1, sizeof(*o->people));
	o->people[o->n++] = p;
}

static uint32_t lookup(const struct strmap *m, const uint32_t *map, size_t cap, const char *s)
{
	struct strbuf low = STRBUF_INIT;
	sb_add_lower(&low, s, strlen(s));
	uint32_t id = strmap_find(m, sb_str(&low), low.len);
	sb_free(&low);
	return id != NONE && id < cap ? map[id] : NONE;
}

/* One CODEOWNERS owner: @org/team (its roster members and the services
 * it owns), @user (a handle) or an email. */
static void expand_owner(const char *owner, void *payload)
{
	struct owner_walk *o = payload;
	struct world *w = o->w;
	const char *slash = owner[0] == '@' ? strchr(owner, '/') : NULL;
	if (slash) {
		const char *slug = slash + 1;
		const char *team = NULL;
		for (size_t i = 0; i < w->teams.count && !team; i++)
			if (strcasecmp(strmap_key(&w->teams, (uint32_t)i), slug) == 0)
				team = strmap_key(&w->teams, (uint32_t)i);
		if (!team)
			return;
		if (!o->team)
			o->team = team;
		for (size_t i = 0; i < w->npeople; i++)
			if (w->people[i].on_roster && w->people[i].team == team)
				add_owner(o, (uint32_t)i);
		for (size_t i = 0; i < w->nservices; i++)
			if (w->services[i].team == team) {
				o->team_service = (uint32_t)i;
				o->team_services++;
			}
	} else if (owner[0] == '@') {
		add_owner(o, lookup(&w->handles, w->person_of_handle, w->person_of_handle_cap, owner + 1));
	} else {
		add_owner(o, lookup(&w->emails, w->person_of_email, w->person_of_email_cap, owner));
	}
}

void path_codeowners(const struct world *w, uint32_t path,
                     void (*cb)(const char *owner, void *payload), void *payload)
{
	if (!w->co)
		return;
	struct strbuf buf = STRBUF_INIT;
	codeowners_owners(w->co, match_path(w, path, &buf), cb, payload, NULL);
	sb_free(&buf);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Fills a path's info: its directory, declared owners and service (the
 * last glob matching it; for a directory, one matching the files in it;
 * else the one service of its CODEOWNERS teams, when there is exactly one). */
static void resolve(struct world *w, uint32_t path, struct path_info *pi)
{
	world_path_dir(w, path);
	struct owner_walk o = { .w = w, .team_service = NONE };
	path_codeowners(w, path, expand_owner, &o);
	if (o.n)
		qsort(o.people, o.n, sizeof(*o.people), cmp_u32);
	size_t n = 0;
	for (size_t i = 0; i < o.n; i++)
		if (!n || o.people[n - 1] != o.people[i])
			o.people[n++] = o.people[i];
	pi->owners = o.people;
	pi->nowners = n;
	pi->declared_team = o.team;
	struct strbuf buf = STRBUF_INIT;
	pi->service = match_globs(w, match_path(w, path, &buf));
	sb_free(&buf);
	if (pi->service == NONE && o.team_services == 1)
		pi->service = o.team_service;
	pi->resolved = true;
}

static struct path_info *info_slot(struct world *w, uint32_t path)
{
	if (path >= w->path_info_cap) {
		size_t old = w->path_info_cap;
		xgrow(&w->path_info, &w->path_info_cap, w->paths.count, sizeof(*w->path_info));
		memset(w->path_info + old, 0, (w->path_info_cap - old) * sizeof(*w->path_info));
	}
	return &w->path_info[path];
}

uint32_t world_path_dir(struct world *w, uint32_t path)
{
	struct path_info *pi = info_slot(w, path);
	if (!pi->has_dir) {
		const char *p = strmap_key(&w->paths, path);
		const char *slash = strrchr(p, '/');
		pi->dir = strmap_intern(&w->dirs, p, slash ? (size_t)(slash - p) : 0);
		pi->has_dir = true;
	}
	return pi->dir;
}

const struct path_info *world_path(struct world *w, uint32_t path)
{
	struct path_info *pi = info_slot(w, path);
	if (!pi->resolved)
		resolve(w, path, pi);
	return pi;
}

bool world_declared_owner(struct world *w, uint32_t path, uint32_t person)
{
	const struct path_info *pi = world_path(w, path);
	return pi->nowners && bsearch(&person, pi->owners, pi->nowners, sizeof(uint32_t), cmp_u32) != NULL;
}

bool person_gone(const struct person *p, int64_t t, int gone_days)
{
	if (p->db_id && p->on_roster)
		return p->has_left && p->left_on <= t;
	/* No commit in [t - gone_days, t]. */
	int64_t from = t - gone_days * DAY;
	size_t lo = 0, hi = p->ncommits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->commit_times[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return !(lo < p->ncommits && p->commit_times[lo] <= t);
}

/* The first shift starting at or after t. */
static size_t first_starting(const struct rotation *r, int64_t t)
{
	size_t lo = 0, hi = r->nshifts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->shifts[mid].starts < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Shifts are by start and none is longer than r->longest, so none
 * starting before from - longest reaches from. */
bool rotation_has_shift(const struct rotation *r, int64_t from, int64_t to, uint32_t person)
{
	for (size_t i = first_starting(r, from - r->longest); i < r->nshifts && r->shifts[i].starts <= to; i++)
		if (shift_overlaps(&r->shifts[i], from, to) &&
		    (person == ANY_PERSON || r->shifts[i].person == person))
			return true;
	return false;
}

bool rotation_covers(const struct rotation *r, int64_t t, uint32_t person)
{
	return rotation_has_shift(r, t, t, person);
}

bool on_rotation_around(const struct rotation *r, int64_t t, uint32_t person)
{
	return rotation_has_shift(r, t - 30 * DAY, t + 30 * DAY, person);
}

const struct rotation *world_rotation_of(struct world *w, uint32_t path)
{
	uint32_t s = world_path(w, path)->service;
	if (s == NONE || w->services[s].rotation == NONE)
		return NULL;
	return &w->rotations[w->services[s].rotation];
}

/* Status at t: on call for the service, on its rotation, gone, or active. */
const char *person_status(struct world *w, uint32_t person, const struct rotation *r, int64_t t,
                          int gone_days)
{
	if (r && rotation_covers(r, t, person))
		return "on_call";
	if (r && on_rotation_around(r, t, person))
		return "on_rotation";
	if (person_gone(&w->people[person], t, gone_days))
		return "gone";
	return "active";
}

/* The rotation (any) with a shift covering t for the person, or NULL. */
const struct rotation *rotation_on_call(const struct world *w, uint32_t person, int64_t t)
{
	for (size_t r = 0; r < w->nrotations; r++)
		if (rotation_covers(&w->rotations[r], t, person))
			return &w->rotations[r];
	return NULL;
}
