/*
 * The story: three years of a monorepo, one commit slot after another.
 *
 * Slot times are spread evenly over the story and bent towards weekdays
 * and working hours (a monotone warp, so author dates increase along
 * main).  Each slot is one commit on main: a team importing or starting
 * an area, a merged pull request, a scripted moment of the story
 * (CODEOWNERS, the .mailmap, the indexer's move, the two hostile
 * subjects), a bot bump, a drive-by from another team, docs or tools
 * work, or -- mostly -- owners working on their own code.  A feature
 * branch is written whole when it is opened (its commits dated between
 * the fork and the merge); the files it works on are locked on main until
 * its merge slot, so the merge is clean and blame unambiguous.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strmap.h"
#include "carry/timeutil.h"
#include "demo_int.h"

#define MAX_DEPS 16

struct dirs {
	struct strmap ids;    /* parent directory -> dense id */
	uint16_t **count;     /* by id: changes per person in that directory */
	size_t ncount;
};

struct work_branch {
	char *name, *title;
	int person;
	size_t merge_slot;
	unsigned pr;
	int *files;
	size_t nfiles;
	struct gw_tree *tree;
};

struct story {
	struct gitwrite *git;
	const struct cast *c;
	struct rng *r;
	unsigned scale;
	int64_t start, end;
	struct gw_tree *main;
	struct dfile *f;
	size_t nf, fcap;
	struct dep_manifest deps[MAX_DEPS];
	size_t ndeps;
	const char **area_dir;
	bool *born;
	int64_t *times;
	size_t nslots;
	struct work_branch *br;
	size_t nbr, brcap;
	unsigned next_pr;
	struct dirs dirs;
	int changelog, codeowners;
	unsigned release;
	int64_t next_release;
	char *recent[6];
	unsigned nrecent;
	int *touched;
	size_t ntouched, tcap;
	struct strbuf msg, blob;
	struct story_result *res;
	size_t dcap;            /* of res->drive_bys */
};

static const char *const root_nouns[] = { "release", "service", "team", "deploy", NULL };

/* ---- directories -------------------------------------------------------- */

/* The id of the parent directory of `path` ("" for the root). */
static int dir_id(struct story *st, const char *path)
{
	struct dirs *d = &st->dirs;
	const char *slash = strrchr(path, '/');
	uint32_t id = strmap_intern(&d->ids, path, slash ? (size_t)(slash - path) : 0);
	if (id == d->ncount) {
		d->count = xrealloc(d->count, (d->ncount + 1) * sizeof(*d->count));
		d->count[d->ncount++] = xcalloc(st->c->n, sizeof(**d->count));
	}
	return (int)id;
}

static unsigned dir_changes(const struct story *st, int dir, int person)
{
	return st->dirs.count[dir][person];
}

/* ---- files -------------------------------------------------------------- */

static int add_file(struct story *st, char *path, int area, enum lang lang, int creator)
{
	xgrow(&st->f, &st->fcap, st->nf + 1, sizeof(*st->f));
	struct dfile *f = &st->f[st->nf];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->area = area;
	f->lang = lang;
	f->creator = creator;
	f->lock = -1;
	f->dep = -1;
	f->alive = true;
	f->exec = lang == L_SH;
	f->dir = dir_id(st, path);
	return (int)st->nf++;
}

static bool path_taken(const char *path, void *ctx)
{
	const struct story *st = ctx;
	for (size_t i = 0; i < st->nf; i++)
		if (!strcmp(st->f[i].path, path))
			return true;
	return false;
}

static void touch(struct story *st, int i)
{
	xgrow(&st->touched, &st->tcap, st->ntouched + 1, sizeof(*st->touched));
	st->touched[st->ntouched++] = i;
}

static int put_file(struct story *st, struct gw_tree *t, int i)
{
	sb_reset(&st->blob);
	content_bytes(&st->f[i], &st->blob);
	touch(st, i);
	return gw_tree_put(st->git, t, st->f[i].path, sb_str(&st->blob), st->blob.len, st->f[i].exec);
}

static const char *const *nouns_of(const struct dfile *f)
{
	return f->area >= 0 ? areas[f->area].nouns : root_nouns;
}

static int edit_file(struct story *st, struct gw_tree *t, int i, unsigned ops)
{
	content_edit(&st->f[i], st->r, nouns_of(&st->f[i]), ops);
	return put_file(st, t, i);
}

static int create_file(struct story *st, struct gw_tree *t, int area, const char *dir,
                       const char *subdir, int person, int *out)
{
	const struct area *a = &areas[area];
	char *path = content_name(st->r, a, dir ? dir : st->area_dir[area],
	                          subdir ? subdir : rng_pick_list(st->r, a->subdirs), path_taken, st);
	int i = add_file(st, path, area, a->lang, person);
	content_fill(&st->f[i], st->r, a->nouns);
	if (out)
		*out = i;
	return put_file(st, t, i);
}

/* A root file (README, CODEOWNERS, ...) with the given text. */
static int set_root_file(struct story *st, int *idx, const char *path, const char *text, int person)
{
	if (*idx < 0)
		*idx = add_file(st, xstrdup(path), -1, L_MD, person);
	content_set_lines(&st->f[*idx], text);
	return put_file(st, st->main, *idx);
}

static int pick_file(struct story *st, int area, int prefer, int dir)
{
	int *cand = NULL, *own = NULL;
	size_t n = 0, nown = 0, cap = 0, ocap = 0;
	for (size_t i = 0; i < st->nf; i++) {
		const struct dfile *f = &st->f[i];
		if (!f->alive || f->lock >= 0 || f->dep >= 0 || f->area != area || (dir >= 0 && f->dir != dir))
			continue;
		xgrow(&cand, &cap, n + 1, sizeof(*cand));
		cand[n++] = (int)i;
		if (prefer >= 0 && f->creator == prefer) {
			xgrow(&own, &ocap, nown + 1, sizeof(*own));
			own[nown++] = (int)i;
		}
	}
	int pick = -1;
	if (nown && rng_permille(st->r, 450))
		pick = own[rng_below(st->r, (uint32_t)nown)];
	else if (n)
		pick = cand[rng_below(st->r, (uint32_t)n)];
	free(cand);
	free(own);
	return pick;
}

static size_t alive_in(const struct story *st, int area)
{
	size_t n = 0;
	for (size_t i = 0; i < st->nf; i++)
		n += st->f[i].alive && st->f[i].area == area && st->f[i].dep < 0;
	return n;
}

static unsigned per_mille(const struct story *st, int64_t t)
{
	return (unsigned)((t - st->start) * 1000 / (st->end - st->start));
}

/* How many files area a should have by now: 40% at birth, all at the end. */
static size_t desired(const struct story *st, int area, int64_t t)
{
	const struct area *a = &areas[area];
	unsigned pm = per_mille(st, t), born = a->born;
	size_t target = (size_t)a->files * st->scale;
	if (pm < born)
		return 0;
	return target * (400 + 600 * (pm - born) / (1000 - born)) / 1000;
}

/* ---- people ------------------------------------------------------------- */

static bool working_hours(const struct person *p, int64_t t)
{
	int64_t local = t + (int64_t)p->tz * 60;
	int64_t day = local >= 0 ? local / DAY : (local - DAY + 1) / DAY;
	int64_t sec = local - day * DAY, weekday = ((day % 7) + 7 + 3) % 7; /* 0: Monday */
	return weekday < 5 && sec >= 8 * 3600 && sec < 19 * 3600;
}

typedef bool (*person_ok)(const struct story *st, int p, const void *ctx);

/* Someone active at t for whom ok() holds, by weight, more likely in their
 * working hours; -1 when nobody. */
static int pick_person(struct story *st, int64_t t, person_ok ok, const void *ctx)
{
	uint32_t total = 0;
	for (size_t i = 0; i < st->c->n; i++) {
		const struct person *p = &st->c->p[i];
		if (!p->bot && person_active(p, t) && ok(st, (int)i, ctx))
			total += p->weight * (working_hours(p, t) ? 4 : 1);
	}
	if (!total)
		return -1;
	uint32_t x = rng_below(st->r, total);
	for (size_t i = 0; i < st->c->n; i++) {
		const struct person *p = &st->c->p[i];
		if (p->bot || !person_active(p, t) || !ok(st, (int)i, ctx))
			continue;
		uint32_t w = p->weight * (working_hours(p, t) ? 4 : 1);
		if (x < w)
			return (int)i;
		x -= w;
	}
	return -1;
}

static bool is_staff(const struct story *st, int p, const void *ctx)
{
	(void)ctx;
	return st->c->p[p].key != NULL;
}

static bool in_team(const struct story *st, int p, const void *ctx)
{
	return st->c->p[p].key && st->c->p[p].team == *(const int *)ctx;
}

static bool is_contractor(const struct story *st, int p, const void *ctx)
{
	(void)ctx;
	return !st->c->p[p].key && st->c->p[p].home_area >= 0;
}

static bool anyone(const struct story *st, int p, const void *ctx)
{
	(void)st, (void)p, (void)ctx;
	return true;
}

struct outsider {
	int area, dir;
};

/* A drive-by author: not of the owning team, never on its rotation, and
 * no change yet in the file's directory. */
static bool is_outsider(const struct story *st, int p, const void *ctx)
{
	const struct outsider *o = ctx;
	const struct area *a = &areas[o->area];
	const struct person *x = &st->c->p[p];
	if (x->team == a->team || (!x->key && x->home_area < 0))
		return false;
	if (rotation_member(st->c, (size_t)services[a->service].rotation, (size_t)p))
		return false;
	return dir_changes(st, o->dir, p) == 0;
}

/* Someone of `team` active at t: the lead when possible. */
static int team_person(struct story *st, int team, int64_t t)
{
	for (size_t i = 0; i < st->c->n; i++) {
		const struct person *p = &st->c->p[i];
		if (p->lead && p->team == team && person_active(p, t))
			return (int)i;
	}
	return pick_person(st, t, in_team, &team);
}

/* ---- commits ------------------------------------------------------------ */

static void remember_subject(struct story *st)
{
	const char *m = sb_str(&st->msg);
	size_t n = strcspn(m, "\n");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)m[i] < 0x20 || (unsigned char)m[i] >= 0x7f)
			return;  /* the changelog keeps plain subjects */
	unsigned k = st->nrecent++ % COUNT_OF(st->recent);
	free(st->recent[k]);
	st->recent[k] = xstrndup(m, n);
}

static int commit(struct story *st, const char *branch, const char *merge, int person, int64_t t,
                  struct gw_tree *tree, bool ai)
{
	if (person < 0 || (size_t)person >= st->c->n)
		return carry_error(CARRY_ERR, "demo: nobody to write a commit at %lld", (long long)t);
	const struct person *p = &st->c->p[person];
	struct gitwrite_commit gc = { .branch = branch, .merge = merge, .message = sb_str(&st->msg) };
	bool old = p->old_email && t < p->renamed_at;
	gc.author.name = old && p->old_name ? p->old_name : p->name;
	gc.author.email = old ? p->old_email : p->email;
	gc.author.time = t;
	gc.author.tz = p->tz;
	struct gitwrite_person hub = { "GitHub", "noreply@github.com", t, 0 };
	if (merge)
		gc.committer = &hub;
	int rc = gitwrite_commit(st->git, tree, &gc);
	for (size_t i = 0; i < st->ntouched; i++) {
		uint16_t *n = &st->dirs.count[st->f[st->touched[i]].dir][person];
		if (*n < UINT16_MAX)
			(*n)++;
	}
	st->ntouched = 0;
	st->res->commits++;
	st->res->merges += merge != NULL;
	st->res->branch_commits += strcmp(branch, "main") != 0;
	st->res->ai_assisted += ai;
	if (!merge && !p->bot && !strcmp(branch, "main"))
		remember_subject(st);
	sb_reset(&st->msg);
	return rc;
}

/* Subject, maybe a body, maybe trailers. */
static void message(struct story *st, enum msg_kind kind, int team, int file, bool ai, int person,
                    int64_t t)
{
	const char *path = st->f[file].path;
	msg_subject(&st->msg, st->r, kind, team, path, NULL);
	if (rng_permille(st->r, 250))
		msg_body(&st->msg, st->r, path);
	if (kind != MSG_DRIVE_BY && team >= 0 && rng_permille(st->r, 60)) {
		int mate = pick_person(st, t, in_team, &team);
		if (mate >= 0 && mate != person)
			sb_addf(&st->msg, "\n\nCo-authored-by: %s <%s>", st->c->p[mate].name,
			        st->c->p[mate].email);
	}
	if (ai)
		msg_ai_trailer(&st->msg, st->r);
}

/* ---- the kinds of slot -------------------------------------------------- */

static int pick_area(struct story *st, int team)
{
	uint32_t total = 0;
	for (size_t a = 0; a < nareas; a++)
		if (st->born[a] && areas[a].team == team)
			total += areas[a].files;
	if (!total)
		return -1;
	uint32_t x = rng_below(st->r, total);
	for (size_t a = 0; a < nareas; a++) {
		if (!st->born[a] || areas[a].team != team)
			continue;
		if (x < areas[a].files)
			return (int)a;
		x -= areas[a].files;
	}
	return -1;
}

static int birth(struct story *st, size_t area, int64_t t)
{
	const struct area *a = &areas[area];
	int person = team_person(st, a->team >= 0 ? a->team : TEAM_PLATFORM, t);
	if (person < 0)
		return 0;
	st->born[area] = true;
	size_t n = (size_t)a->files * st->scale * 2 / 5;
	int first = -1, rc = 0;
	for (size_t i = 0; i < (n < 3 ? 3 : n) && rc == 0; i++)
		rc = create_file(st, st->main, (int)area, NULL, NULL, person, first < 0 ? &first : NULL);
	struct dep_manifest m[2];
	size_t nm = deps_for_area(area, m, COUNT_OF(m), st->r);
	for (size_t k = 0; k < nm && rc == 0; k++) {
		if (st->ndeps == MAX_DEPS) {
			free(m[k].dir);
			continue;
		}
		st->deps[st->ndeps] = m[k];
		const char *names[2];
		size_t nn = deps_files(&m[k], names);
		for (size_t j = 0; j < nn && rc == 0; j++) {
			struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
			sb_addf(&path, "%s/%s", m[k].dir, names[j]);
			int i = add_file(st, sb_detach(&path), (int)area, a->lang, person);
			st->f[i].dep = (int)st->ndeps;
			deps_render(&m[k], j, &text);
			content_set_lines(&st->f[i], text.ptr);
			sb_free(&text);
			rc = put_file(st, st->main, i);
		}
		st->ndeps++;
	}
	if (rc < 0)
		return rc;
	if (a->born == 0)
		sb_addf(&st->msg, "Import %s from its old repository\n\nHistory before the monorepo "
		                  "lives in the archived repository.", a->born_dir ? a->born_dir : a->dir);
	else
		sb_addf(&st->msg, "Add %s: skeleton, build and deploy config",
		        a->born_dir ? a->born_dir : a->dir);
	return commit(st, "main", NULL, person, t, st->main, false);
}

static int bootstrap(struct story *st, int64_t t)
{
	int person = team_person(st, TEAM_PLATFORM, t), none = -1, rc;
	static const struct {
		const char *path, *text;
	} files[] = {
		{ "README.md",
		  "# acme monorepo\n\nEverything acme runs in production: payments, search, the mobile app "
		  "and its\nbackend, data pipelines and the platform underneath.\n\n## Layout\n\n"
		  "- `services/`: backend services, one directory each\n"
		  "- `mobile/`: the React Native app and its native shells\n"
		  "- `data/`: pipelines and warehouse models\n"
		  "- `platform/`: infrastructure as code, Kubernetes manifests, CI\n"
		  "- `docs/`: runbooks, ADRs, onboarding\n- `tools/`: scripts for humans\n\n"
		  "## On-call\n\nEvery service has a rotation; see `docs/runbooks/` and ask in #oncall.\n" },
		{ ".gitignore", "bin/\nnode_modules/\n__pycache__/\n*.pyc\n.DS_Store\n.env\n.terraform/\n" },
		{ ".editorconfig", "root = true\n\n[*]\nend_of_line = lf\ninsert_final_newline = true\n"
		                   "charset = utf-8\n\n[*.go]\nindent_style = tab\n\n[*.{ts,tsx,yml,yaml}]\n"
		                   "indent_style = space\nindent_size = 2\n" },
		{ "Makefile", ".PHONY: build test lint\n\nbuild:\n\t./tools/build-all.sh\n\ntest:\n"
		              "\t./tools/test-all.sh\n\nlint:\n\t./tools/lint-all.sh\n" },
	};
	for (size_t i = 0; i < COUNT_OF(files); i++) {
		none = -1;
		if ((rc = set_root_file(st, &none, files[i].path, files[i].text, person)) < 0)
			return rc;
	}
	if ((rc = set_root_file(st, &st->changelog, "CHANGELOG.md",
	                        "# Changelog\n\nWhat shipped, newest first (written by the release workflow).\n",
	                        person)) < 0)
		return rc;
	sb_adds(&st->msg, "Initial commit: monorepo skeleton");
	return commit(st, "main", NULL, person, t, st->main, false);
}

static int release(struct story *st, int64_t t)
{
	struct dfile *f = &st->f[st->changelog];
	struct strbuf text = STRBUF_INIT;
	char day[11];
	time_format_date(t, day);
	st->release++;
	for (size_t i = 0; i < 3 && i < f->n; i++)
		sb_addf(&text, "%s\n", f->lines[i]);
	sb_addf(&text, "\n## v1.%u.0 (%s)\n\n", st->release, day);
	unsigned n = st->nrecent < COUNT_OF(st->recent) ? st->nrecent : (unsigned)COUNT_OF(st->recent);
	for (unsigned i = 0; i < n; i++)
		sb_addf(&text, "- %s\n", st->recent[(st->nrecent - 1 - i) % COUNT_OF(st->recent)]);
	for (size_t i = 3; i < f->n; i++)
		sb_addf(&text, "%s\n", f->lines[i]);
	content_set_lines(f, text.ptr);
	sb_free(&text);
	int rc = put_file(st, st->main, st->changelog);
	if (rc < 0)
		return rc;
	sb_addf(&st->msg, "chore(release): v1.%u.0\n\nUpdate CHANGELOG.md from the merged pull requests.",
	        st->release);
	return commit(st, "main", NULL, st->c->bots[BOT_ACTIONS], t, st->main, false);
}

static int bot_bump(struct story *st, int64_t t)
{
	if (!st->ndeps)
		return 0;
	size_t m = rng_below(st->r, (uint32_t)st->ndeps);
	int bot = st->deps[m].kind == DEP_NPM ? BOT_RENOVATE : BOT_DEPENDABOT;
	deps_bump(&st->deps[m], st->r, bot, &st->msg);
	int rc = 0;
	for (size_t i = 0; i < st->nf && rc == 0; i++) {
		if (st->f[i].dep != (int)m)
			continue;
		const char *names[2];
		size_t nn = deps_files(&st->deps[m], names);
		const char *base = strrchr(st->f[i].path, '/') + 1;
		for (size_t j = 0; j < nn; j++)
			if (!strcmp(base, names[j])) {
				struct strbuf text = STRBUF_INIT;
				deps_render(&st->deps[m], j, &text);
				content_set_lines(&st->f[i], text.ptr);
				sb_free(&text);
			}
		rc = put_file(st, st->main, (int)i);
	}
	return rc < 0 ? rc : commit(st, "main", NULL, st->c->bots[bot], t, st->main, false);
}

static unsigned ai_rate(const struct story *st, int64_t t, bool drive_by)
{
	unsigned pm = per_mille(st, t);
	return drive_by ? 250 + pm / 2 : 20 + pm * 13 / 100;
}

/* A file of `area` in a directory `person` never changed, or -1. */
static int fresh_file(struct story *st, int area, int person)
{
	for (int tries = 0; tries < 40; tries++) {
		int f = pick_file(st, area, -1, -1);
		if (f >= 0 && dir_changes(st, st->f[f].dir, person) == 0)
			return f;
	}
	return -1;
}

/* A change by someone from elsewhere; `subject` NULL: a made-up one. */
static int drive_by(struct story *st, int64_t t, int area, int person, bool ai, const char *subject)
{
	if (area < 0) {
		uint32_t total = 0;
		for (size_t a = 0; a < nareas; a++)
			total += st->born[a] && areas[a].service >= 0 ? areas[a].files : 0;
		uint32_t x = rng_below(st->r, total);
		for (size_t a = 0; a < nareas && area < 0; a++) {
			uint32_t w = st->born[a] && areas[a].service >= 0 ? areas[a].files : 0;
			if (x < w)
				area = (int)a;
			else
				x -= w;
		}
	}
	int file = area < 0 ? -1 : person >= 0 ? fresh_file(st, area, person) : pick_file(st, area, -1, -1);
	if (file < 0)
		return 1;
	struct outsider o = { area, st->f[file].dir };
	if (person < 0)
		person = pick_person(st, t, is_outsider, &o);
	if (person < 0)
		return 1;
	int rc = edit_file(st, st->main, file, 1);
	if (rc < 0)
		return rc;
	const struct person *p = &st->c->p[person];
	if (subject) {
		sb_adds(&st->msg, subject);
		if (ai)
			msg_ai_trailer(&st->msg, st->r);
	} else {
		message(st, MSG_DRIVE_BY, p->team, file, ai, person, t);
	}
	xgrow(&st->res->drive_bys, &st->dcap, st->res->ndrive_bys + 1, sizeof(*st->res->drive_bys));
	st->res->drive_bys[st->res->ndrive_bys++] =
		(struct drive_by){ t, (size_t)area, xstrdup(st->f[file].path) };
	return commit(st, "main", NULL, person, t, st->main, ai);
}

/* Files of `area` in the directory of a random one, unlocked: what a
 * feature branch works on. */
static size_t branch_files(struct story *st, int area, int person, int *out, size_t max)
{
	int seed = pick_file(st, area, person, -1);
	if (seed < 0)
		return 0;
	size_t n = 0;
	out[n++] = seed;
	for (size_t i = 0; i < st->nf && n < max; i++) {
		const struct dfile *f = &st->f[i];
		if ((int)i != seed && f->alive && f->lock < 0 && f->dep < 0 && f->dir == st->f[seed].dir &&
		    f->area == area && rng_permille(st->r, 400))
			out[n++] = (int)i;
	}
	return n;
}

static int open_branch(struct story *st, size_t slot, int person, int area)
{
	const struct person *p = &st->c->p[person];
	int64_t days = rng_between(st->r, 1, 7);
	size_t per_day = st->nslots / 1100 ? st->nslots / 1100 : 1;
	size_t merge = slot + (size_t)days * per_day + 2;
	if (!p->handle || merge + 10 >= st->nslots || !person_active(p, st->times[merge]))
		return 0;
	int files[4];
	size_t nfiles = branch_files(st, area, person, files, 3);
	if (!nfiles)
		return 0;
	struct work_branch *b;
	xgrow(&st->br, &st->brcap, st->nbr + 1, sizeof(*st->br));
	b = &st->br[st->nbr++];
	memset(b, 0, sizeof(*b));
	b->person = person;
	b->merge_slot = merge;
	b->pr = st->next_pr++;
	struct strbuf name = STRBUF_INIT;
	struct strbuf words = STRBUF_INIT;
	add_words(&words, st->f[files[0]].path);
	for (char *c = words.ptr; *c; c++)
		if (*c == ' ')
			*c = '-';
	sb_addf(&name, "%s/%s-%s-%u", p->handle, rng_pick_list(st->r, verbs), words.ptr, b->pr);
	sb_free(&words);
	b->name = sb_detach(&name);
	msg_subject(&st->msg, st->r, MSG_EDIT, p->team, st->f[files[0]].path, NULL);
	b->title = sb_detach(&st->msg);
	b->tree = gw_tree_clone(st->main);
	int rc = gitwrite_branch(st->git, b->name, "main");
	int64_t t0 = st->times[slot], t1 = st->times[merge];
	int k = rng_between(st->r, 2, 5);
	bool new_file = rng_permille(st->r, 350);
	const char *dir_of = st->f[files[0]].path;
	for (size_t i = 0; i < nfiles; i++)
		st->f[files[i]].lock = (int)(st->nbr - 1);
	b->files = xmalloc((nfiles + 1) * sizeof(*b->files));
	memcpy(b->files, files, nfiles * sizeof(*files));
	b->nfiles = nfiles;
	for (int c = 1; c <= k && rc == 0; c++) {
		int64_t t = t0 + (t1 - t0) * c / (k + 1);
		if (c == 1 && new_file) {
			char *dir = xstrndup(dir_of, (size_t)(strrchr(dir_of, '/') - dir_of));
			int idx = -1;
			rc = create_file(st, b->tree, area, dir, "", person, &idx);
			free(dir);
			if (rc < 0)
				break;
			st->f[idx].lock = (int)(st->nbr - 1);
			b->files[b->nfiles++] = idx;
		}
		int f = b->files[rng_below(st->r, (uint32_t)b->nfiles)];
		if (rc == 0)
			rc = edit_file(st, b->tree, f, (unsigned)rng_between(st->r, 1, 3));
		if (rc == 0 && b->nfiles > 1 && rng_permille(st->r, 400))
			rc = edit_file(st, b->tree, b->files[rng_below(st->r, (uint32_t)b->nfiles)], 1);
		if (rc < 0)
			break;
		if (c == 1) {
			sb_adds(&st->msg, b->title);
		} else {
			static const char *const follow[] = { "Address review comments", "Fix lint",
				"Rename variables per review", "Handle the error path", "Tidy up" };
			if (rng_permille(st->r, 300)) {
				sb_adds(&st->msg, "Add tests for ");
				add_words(&st->msg, st->f[f].path);
			} else {
				sb_adds(&st->msg, RNG_PICK(st->r, follow));
			}
		}
		bool ai = rng_permille(st->r, ai_rate(st, t, false));
		if (ai)
			msg_ai_trailer(&st->msg, st->r);
		rc = commit(st, b->name, NULL, person, t, b->tree, ai);
	}
	return rc;
}

static int merge_branch(struct story *st, size_t which, int64_t t)
{
	struct work_branch *b = &st->br[which];
	int rc = 0;
	for (size_t i = 0; i < b->nfiles && rc == 0; i++) {
		rc = gw_tree_take(st->main, b->tree, st->f[b->files[i]].path);
		st->f[b->files[i]].lock = -1;
	}
	int person = b->person;
	const struct person *p = &st->c->p[person];
	if (!person_active(p, t))
		person = team_person(st, p->team, t);
	if (person < 0)
		person = b->person;
	sb_addf(&st->msg, "Merge pull request #%u from acme/%s\n\n%s", b->pr, b->name, b->title);
	if (rc == 0)
		rc = commit(st, "main", b->name, person, t, st->main, false);
	if (rc == 0)
		rc = gitwrite_branch_drop(st->git, b->name);
	gw_tree_free(b->tree);
	free(b->name);
	free(b->title);
	free(b->files);
	/* Branches after it keep their index as file locks name them. */
	b->tree = NULL;
	b->name = b->title = NULL;
	b->files = NULL;
	b->merge_slot = SIZE_MAX;
	return rc;
}

static int owner_work(struct story *st, size_t slot, int64_t t, int person, int area)
{
	const struct person *p = &st->c->p[person];
	if (area < 0)
		area = pick_area(st, p->team);
	if (area < 0)
		return 1;
	if (p->key && rng_permille(st->r, 38)) {
		int rc = open_branch(st, slot, person, area);
		if (rc < 0)
			return rc;
	}
	bool ai = rng_permille(st->r, ai_rate(st, t, false));
	int team = p->team >= 0 ? p->team : areas[area].team;
	size_t have = alive_in(st, area);
	unsigned x = rng_below(st->r, 1000);
	int rc, file;
	if (have < desired(st, area, t) && x < 400) {
		rc = create_file(st, st->main, area, NULL, NULL, person, &file);
		if (rc < 0)
			return rc;
		if (areas[area].lang == L_GO && rng_permille(st->r, 300)) {
			/* A handler and its test. */
			int test;
			rc = create_file(st, st->main, area, NULL, NULL, person, &test);
			if (rc < 0)
				return rc;
		}
		message(st, MSG_CREATE, team, file, ai, person, t);
		return commit(st, "main", NULL, person, t, st->main, ai);
	}
	file = pick_file(st, area, person, -1);
	if (file < 0)
		return 1;
	if (x >= 985 && have > 4) {
		gw_tree_remove(st->main, st->f[file].path);
		st->f[file].alive = false;
		touch(st, file);
		message(st, MSG_DELETE, team, file, false, person, t);
		return commit(st, "main", NULL, person, t, st->main, false);
	}
	if (x >= 965 && x < 985) {
		const struct area *a = &areas[area];
		char *to = content_name(st->r, a, st->area_dir[area], rng_pick_list(st->r, a->subdirs),
		                        path_taken, st);
		char *from = st->f[file].path;
		if ((rc = gw_tree_rename(st->main, from, to)) < 0) {
			free(to);
			return rc;
		}
		st->f[file].path = to;
		st->f[file].dir = dir_id(st, to);
		touch(st, file);
		if (rng_permille(st->r, 400) && (rc = edit_file(st, st->main, file, 1)) < 0) {
			free(from);
			return rc;
		}
		msg_subject(&st->msg, st->r, MSG_RENAME, team, from, to);
		free(from);
		return commit(st, "main", NULL, person, t, st->main, false);
	}
	unsigned nfiles = x < 700 ? 1 : x < 920 ? 2 : 3;
	if ((rc = edit_file(st, st->main, file, (unsigned)rng_between(st->r, 1, 3))) < 0)
		return rc;
	for (unsigned i = 1; i < nfiles; i++) {
		int other = pick_file(st, area, -1, st->f[file].dir);
		if (other >= 0 && other != file && (rc = edit_file(st, st->main, other, 1)) < 0)
			return rc;
	}
	message(st, MSG_EDIT, team, file, ai, person, t);
	return commit(st, "main", NULL, person, t, st->main, ai);
}

static int docs_work(struct story *st, int64_t t)
{
	int person = pick_person(st, t, anyone, NULL);
	if (person < 0)
		return 1;
	int area = -1;
	bool prose = rng_permille(st->r, 700);
	for (size_t a = 0; a < nareas; a++)
		if (areas[a].team < 0 && (areas[a].lang == L_MD) == prose)
			area = (int)a;
	if (area < 0 || !st->born[area])
		return 1;
	int file, rc;
	enum msg_kind kind = areas[area].lang == L_MD ? MSG_DOCS : MSG_EDIT;
	if (alive_in(st, area) < desired(st, area, t) && rng_permille(st->r, 350)) {
		rc = create_file(st, st->main, area, NULL, NULL, person, &file);
		kind = MSG_CREATE;
	} else {
		file = pick_file(st, area, person, -1);
		if (file < 0)
			return 1;
		rc = edit_file(st, st->main, file, (unsigned)rng_between(st->r, 1, 2));
	}
	if (rc < 0)
		return rc;
	message(st, kind, -1, file, false, person, t);
	return commit(st, "main", NULL, person, t, st->main, false);
}

/* ---- the scripted moments ----------------------------------------------- */

static int person_by_email(struct story *st, const char *local)
{
	char email[96];
	snprintf(email, sizeof(email), "%s@acme.example", local);
	return cast_find(st->c, email);
}

static int event_codeowners(struct story *st, int64_t t, int stage, const char *who,
                            const char *subject)
{
	int person = person_by_email(st, who);
	struct strbuf text = STRBUF_INIT;
	codeowners_text(stage, &text);
	int rc = set_root_file(st, &st->codeowners, ".github/CODEOWNERS", text.ptr, person);
	sb_free(&text);
	sb_adds(&st->msg, subject);
	return rc < 0 ? rc : commit(st, "main", NULL, person, t, st->main, false);
}

static int event_mailmap(struct story *st, int64_t t)
{
	int person = person_by_email(st, "zoe.odegard"), idx = -1;
	struct strbuf text = STRBUF_INIT;
	mailmap_text(st->c, &text);
	int rc = set_root_file(st, &idx, ".mailmap", text.ptr, person);
	sb_free(&text);
	sb_adds(&st->msg, "Add .mailmap for old laptop and legacy addresses\n\n"
	                  "git shortlog counted some of us twice.");
	return rc < 0 ? rc : commit(st, "main", NULL, person, t, st->main, false);
}

static int event_cafe(struct story *st, int64_t t)
{
	int person = person_by_email(st, "ana.lima");
	size_t docs = 0;
	for (size_t a = 0; a < nareas; a++)
		if (areas[a].lang == L_MD)
			docs = a;
	int i = add_file(st, xstrdup("docs/onboarding/café-setup.md"), (int)docs, L_MD, person);
	content_fill(&st->f[i], st->r, areas[docs].nouns);
	int rc = put_file(st, st->main, i);
	sb_adds(&st->msg, "docs: café setup notes for the Lisbon office (Wi-Fi, badges, VPN)");
	return rc < 0 ? rc : commit(st, "main", NULL, person, t, st->main, false);
}

/* 1: not now (a branch still works on a file that would move). */
static int event_move_indexer(struct story *st, int64_t t)
{
	size_t area = 0;
	for (size_t a = 0; a < nareas; a++)
		if (areas[a].born_dir)
			area = a;
	if (!st->born[area])
		return 1;
	for (size_t i = 0; i < st->nf; i++)
		if (st->f[i].area == (int)area && st->f[i].alive && st->f[i].lock >= 0)
			return 1;
	const char *from = areas[area].born_dir, *to = areas[area].dir;
	int rc = gw_tree_rename(st->main, from, to);
	if (rc < 0)
		return rc;
	size_t flen = strlen(from);
	for (size_t i = 0; i < st->nf; i++) {
		struct dfile *f = &st->f[i];
		if (strncmp(f->path, from, flen) != 0 || f->path[flen] != '/')
			continue;
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s%s", to, f->path + flen);
		free(f->path);
		f->path = sb_detach(&p);
		f->dir = dir_id(st, f->path);
		if (f->alive)
			touch(st, (int)i);
	}
	st->area_dir[area] = to;
	struct strbuf text = STRBUF_INIT;
	codeowners_text(2, &text);
	int person = person_by_email(st, "taro.yamada");
	rc = set_root_file(st, &st->codeowners, ".github/CODEOWNERS", text.ptr, person);
	sb_free(&text);
	sb_adds(&st->msg, "indexer: move services/indexer under services/search\n\n"
	                  "The indexer has been part of search since the search-infra team\n"
	                  "merged into it; the code follows.");
	return rc < 0 ? rc : commit(st, "main", NULL, person, t, st->main, false);
}

/* Drive-bys whose subjects hold bytes a terminal would obey (an escape
 * sequence pasted from CI output, a right-to-left override): carry must
 * show them inert.  1: not now (the person is not around). */
static int event_hostile(struct story *st, int64_t t, const char *who, const char *area_dir,
                         const char *subject)
{
	int person = cast_find(st->c, who), area = -1;
	for (size_t a = 0; a < nareas; a++)
		if (!strcmp(areas[a].dir, area_dir))
			area = (int)a;
	if (person < 0 || area < 0 || !st->born[area] || !person_active(&st->c->p[person], t))
		return 1;
	return drive_by(st, t, area, person, false, subject);
}

/* ---- time --------------------------------------------------------------- */

/* Bends an even spread of times towards weekdays and working hours (UTC)
 * without reordering them: a week's first 94% maps onto Monday..Friday,
 * each day's middle 88% onto 07:00-19:00. */
static int64_t warp(int64_t t)
{
	const int64_t week = 7 * DAY, monday = 4 * DAY; /* 1970-01-05 was a Monday */
	int64_t off = ((t - monday) % week + week) % week, w0 = t - off;
	const int64_t w1 = week * 94 / 100;
	int64_t y = off < w1 ? off * (5 * DAY) / w1 : 5 * DAY + (off - w1) * (2 * DAY) / (week - w1);
	int64_t d = y / DAY, s = y % DAY;
	const int64_t f1 = DAY * 6 / 100, f2 = DAY * 94 / 100;
	int64_t h = s < f1 ? s * 7 * 3600 / f1
	          : s < f2 ? 7 * 3600 + (s - f1) * 12 * 3600 / (f2 - f1)
	                   : 19 * 3600 + (s - f2) * 5 * 3600 / (DAY - f2);
	return w0 + d * DAY + h;
}

static void plan_times(struct story *st)
{
	int64_t from = st->start + 6 * 3600, to = st->end - 3 * 3600, span = to - from, prev = 0;
	st->times = xmalloc(st->nslots * sizeof(*st->times));
	for (size_t i = 0; i < st->nslots; i++) {
		int64_t lo = from + span * (int64_t)i / (int64_t)st->nslots;
		int64_t hi = from + span * (int64_t)(i + 1) / (int64_t)st->nslots;
		int64_t t = warp(lo + (int64_t)rng_below(st->r, (uint32_t)(hi - lo)));
		if (t < from)
			t = from;  /* the warp stays within a week, which may start before the story */
		if (t <= prev)
			t = prev + 1 + (int64_t)rng_below(st->r, 600);
		if (t >= st->end)
			t = prev + 1;
		st->times[i] = prev = t;
	}
}

/* ---- the loop ----------------------------------------------------------- */

enum { EV_CODEOWNERS, EV_CAFE, EV_MAILMAP, EV_CODEOWNERS_MOBILE, EV_MOVE, EV_ESC, EV_RLO, EV_LAST,
	EV_LAST_ESC, NEV };

static int scripted(struct story *st, int ev, int64_t t)
{
	switch (ev) {
	case EV_CODEOWNERS:
		return event_codeowners(st, t, 0, "chloe.martin",
		                        "Add CODEOWNERS\n\nReviews now go to the team that runs the code.");
	case EV_CAFE:
		return event_cafe(st, t);
	case EV_MAILMAP:
		return event_mailmap(st, t);
	case EV_CODEOWNERS_MOBILE:
		return event_codeowners(st, t, 1, "olivia.brown",
		                        "CODEOWNERS: owners for iOS, Android, the BFF and reporting");
	case EV_MOVE:
		return event_move_indexer(st, t);
	case EV_ESC:
		return event_hostile(st, t, "rahul@devshop-contract.example", ".github/workflows",
		                     "ci: strip \x1b[31mred\x1b[0m colour codes from test logs");
	case EV_RLO:
		return event_hostile(st, t, "marta.kowalska@freelance.example", "data/pipelines",
		                     "pipelines: reject attachment names like \xE2\x80\xAEgpj.exe (RLO spoofing)");
	case EV_LAST_ESC:
		/* In the last week, so the weekly report has it to show. */
		return event_hostile(st, t, "lucas.silva@acme.example", "services/checkout",
		                     "checkout: fix flaky cart test (CI said \x1b[1;31mFAIL\x1b[0m twice)");
	default: {
		/* The drive-by the last week's report leads with: a data engineer,
		 * an AI assistant, the payments service, an incident two days on. */
		int person = person_by_email(st, "camila.torres");
		return drive_by(st, t, 0, person, true, NULL);
	}
	}
}

static const unsigned event_at[NEV] = {
	[EV_CODEOWNERS] = AT_CODEOWNERS, [EV_CAFE] = AT_CAFE, [EV_MAILMAP] = AT_MAILMAP,
	[EV_CODEOWNERS_MOBILE] = AT_CODEOWNERS_MOBILE, [EV_MOVE] = AT_MOVE_INDEXER,
	[EV_ESC] = AT_HOSTILE_ESC, [EV_RLO] = AT_HOSTILE_RLO, [EV_LAST] = 1000, [EV_LAST_ESC] = 1000,
};

/* Days before the end of the events of the last week. */
static const int64_t event_days_left[NEV] = { [EV_LAST] = 4, [EV_LAST_ESC] = 2 };

static int slot(struct story *st, size_t i, bool *done)
{
	int64_t t = st->times[i];
	unsigned pm = per_mille(st, t);
	if (i == 0)
		return bootstrap(st, t);
	for (size_t a = 0; a < nareas; a++)
		if (!st->born[a] && pm >= areas[a].born) {
			int rc = birth(st, a, t);
			if (rc != 0 || st->born[a])
				return rc;
		}
	size_t due = SIZE_MAX;
	for (size_t b = 0; b < st->nbr; b++)
		if (st->br[b].merge_slot <= i && (due == SIZE_MAX || st->br[b].merge_slot < st->br[due].merge_slot))
			due = b;
	if (due != SIZE_MAX)
		return merge_branch(st, due, t);
	for (int ev = 0; ev < NEV; ev++) {
		bool now = event_days_left[ev] ? t >= st->end - event_days_left[ev] * DAY : pm >= event_at[ev];
		if (done[ev] || !now)
			continue;
		int rc = scripted(st, ev, t);
		if (rc <= 0) {
			done[ev] = true;
			return rc;
		}
	}
	if (t >= st->next_release) {
		st->next_release = t + 14 * DAY;
		return release(st, t);
	}
	unsigned x = rng_below(st->r, 1000);
	int rc = 1;
	unsigned drive = 15 + 45 * pm / 1000;
	if (x < 45)
		rc = bot_bump(st, t);
	else if (x < 45 + drive)
		rc = drive_by(st, t, -1, -1, rng_permille(st->r, ai_rate(st, t, true)), NULL);
	else if (x < 85 + drive)
		rc = docs_work(st, t);
	else if (x < 235 + drive) {
		int person = pick_person(st, t, is_contractor, NULL);
		if (person >= 0)
			rc = owner_work(st, i, t, person, st->c->p[person].home_area);
	}
	if (rc <= 0)
		return rc;
	/* Everything else, and whatever could not happen: owners at work. */
	for (int tries = 0; tries < 8 && rc > 0; tries++) {
		int person = pick_person(st, t, is_staff, NULL);
		if (person < 0)
			break;
		rc = owner_work(st, i, t, person, -1);
	}
	return rc < 0 ? rc : 0;
}

static void story_free(struct story *st)
{
	for (size_t i = 0; i < st->nf; i++)
		content_free(&st->f[i]);
	free(st->f);
	for (size_t i = 0; i < st->ndeps; i++)
		free(st->deps[i].dir);
	for (size_t i = 0; i < st->nbr; i++) {
		gw_tree_free(st->br[i].tree);
		free(st->br[i].name);
		free(st->br[i].title);
		free(st->br[i].files);
	}
	free(st->br);
	for (size_t i = 0; i < st->dirs.ncount; i++)
		free(st->dirs.count[i]);
	free(st->dirs.count);
	strmap_free(&st->dirs.ids);
	for (size_t i = 0; i < COUNT_OF(st->recent); i++)
		free(st->recent[i]);
	free(st->touched);
	free(st->times);
	free(st->area_dir);
	free(st->born);
	sb_free(&st->msg);
	sb_free(&st->blob);
	gw_tree_free(st->main);
}

int story_write(struct gitwrite *git, const struct cast *c, struct rng *r, unsigned scale,
                int64_t start, int64_t end, struct story_result *out)
{
	struct story st = { 0 };
	memset(out, 0, sizeof(*out));
	st.git = git;
	st.c = c;
	st.r = r;
	st.scale = scale;
	st.start = start;
	st.end = end;
	st.res = out;
	st.main = gw_tree_new();
	st.changelog = st.codeowners = -1;
	st.next_pr = 101;
	st.next_release = start + 30 * DAY;
	st.nslots = (size_t)3000 * scale + 120;
	st.area_dir = xcalloc(nareas, sizeof(*st.area_dir));
	st.born = xcalloc(nareas, sizeof(*st.born));
	for (size_t a = 0; a < nareas; a++)
		st.area_dir[a] = areas[a].born_dir ? areas[a].born_dir : areas[a].dir;
	plan_times(&st);
	out->first = st.times[0];
	bool done[NEV] = { false };
	int rc = gitwrite_branch(git, "main", NULL);
	for (size_t i = 0; i < st.nslots && rc == 0; i++)
		rc = slot(&st, i, done);
	/* Branches whose merge slot was taken by others merge last. */
	int64_t t = st.times[st.nslots - 1];
	for (size_t b = 0; b < st.nbr && rc == 0; b++)
		if (st.br[b].tree)
			rc = merge_branch(&st, b, ++t);
	for (size_t i = 0; i < st.nf; i++)
		out->files += st.f[i].alive;
	if (rc == 0)
		rc = gitwrite_finish(git, "main", out->head);
	story_free(&st);
	return rc;
}

void story_result_free(struct story_result *s)
{
	for (size_t i = 0; i < s->ndrive_bys; i++)
		free(s->drive_bys[i].path);
	free(s->drive_bys);
	memset(s, 0, sizeof(*s));
}
