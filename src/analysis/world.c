/*
 * Loading the world (world.h) from the store: one pass over each table,
 * identities resolved as DESIGN.md says, everything numbered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../oncall/codeowners.h"
#include "carry/analysis.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/patterns.h"
#include "carry/store.h"
#include "carry/strbuf.h"
#include "world.h"

/* Loading state besides the world itself. */
struct loader {
	struct world *w;
	size_t pcap, ccap, xcap, fcap, facap, rcap, scap, gcap, icap;
	size_t nroster;             /* people[0..nroster) came from the people table, by db id */
	int64_t *commit_db_id;      /* by commit index, ascending */
	uint32_t *dense;            /* commit index by db id - dense_base, when ids are dense */
	int64_t dense_base;
	size_t ndense;
	uint32_t *file_of_path;     /* path id -> file index (NONE) */
	size_t file_of_path_cap;
	struct strbuf lower;
	/* line runs of the current path, summed per person */
	int64_t *acc;
	uint32_t *touched;
	size_t ntouched;
	uint32_t run_file;
	struct strmap incident_ids;
	uint32_t *person_of_pooled; /* per id in world.strings: the person of that email */
	size_t person_of_pooled_cap;
};

static const char *lower(struct loader *l, const char *s, size_t len)
{
	sb_reset(&l->lower);
	sb_add_lower(&l->lower, s, len);
	return sb_str(&l->lower);
}

/* One copy of each name and email. */
static const char *pooled(struct world *w, const char *s, size_t len)
{
	return strmap_key(&w->strings, strmap_intern(&w->strings, s, len));
}

/* A copy of `s` in the world's text chunks: one allocation per 64 KiB
 * instead of one per commit subject. */
static const char *text_copy(struct world *w, const char *s, size_t len)
{
	enum { CHUNK = 64 << 10 };
	if (len + 1 > CHUNK)
		return pooled(w, s, len);
	if (!w->ntext || w->text_used + len + 1 > CHUNK) {
		w->text = xrealloc(w->text, (w->ntext + 1) * sizeof(*w->text));
		w->text[w->ntext++] = xmalloc(CHUNK);
		w->text_used = 0;
	}
	char *dst = w->text[w->ntext - 1] + w->text_used;
	memcpy(dst, s, len);
	dst[len] = '\0';
	w->text_used += len + 1;
	return dst;
}

static const char *team_name(struct world *w, const char *name)
{
	if (!*name)
		return "";
	return strmap_key(&w->teams, strmap_intern(&w->teams, name, strlen(name)));
}

/* The person with people.id `db_id`, or NONE. */
static uint32_t person_by_db_id(const struct loader *l, int64_t db_id)
{
	size_t lo = 0, hi = l->nroster;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->w->people[mid].db_id < db_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->nroster && l->w->people[lo].db_id == db_id ? (uint32_t)lo : NONE;
}

static uint32_t commit_by_db_id(const struct loader *l, int64_t db_id)
{
	if (l->dense) {
		uint64_t i = (uint64_t)(db_id - l->dense_base);
		return i < l->ndense ? l->dense[i] : NONE;
	}
	size_t lo = 0, hi = l->w->ncommits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->commit_db_id[mid] < db_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->w->ncommits && l->commit_db_id[lo] == db_id ? (uint32_t)lo : NONE;
}

static uint32_t add_person(struct loader *l)
{
	struct world *w = l->w;
	xgrow(&w->people, &l->pcap, w->npeople + 1, sizeof(*w->people));
	memset(&w->people[w->npeople], 0, sizeof(*w->people));
	w->people[w->npeople].team = "";
	w->people[w->npeople].latest = INT64_MIN;
	return (uint32_t)w->npeople++;
}

static int load_person(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	uint32_t id = add_person(l);
	struct person *p = &l->w->people[id];
	p->db_id = store_row_int(r, 0);
	p->name = pooled(l->w, store_row_text(r, 1), store_row_len(r, 1));
	p->team = team_name(l->w, store_row_text(r, 2));
	p->has_left = !store_row_null(r, 3);
	p->left_on = store_row_int(r, 3);
	p->bot = store_row_int(r, 4) != 0;
	p->on_roster = store_row_int(r, 5) != 0;
	l->nroster++;
	return 0;
}

/* Maps an email (or handle) id to a person, growing the array. */
static void map_id(uint32_t **arr, size_t *cap, uint32_t id, uint32_t person)
{
	size_t old = *cap;
	xgrow(arr, cap, (size_t)id + 1, sizeof(**arr));
	for (size_t i = old; i < *cap; i++)
		(*arr)[i] = NONE;
	(*arr)[id] = person;
}

static int load_email(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	uint32_t p = person_by_db_id(l, store_row_int(r, 1));
	const char *e = lower(l, store_row_text(r, 0), store_row_len(r, 0));
	if (p != NONE) {
		map_id(&l->w->person_of_email, &l->w->person_of_email_cap, strmap_intern(&l->w->emails, e, strlen(e)), p);
		if (!l->w->people[p].email)
			l->w->people[p].email = pooled(l->w, store_row_text(r, 0), store_row_len(r, 0));
	}
	return 0;
}

static int load_handle(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	uint32_t p = person_by_db_id(l, store_row_int(r, 1));
	const char *h = lower(l, store_row_text(r, 0), store_row_len(r, 0));
	if (p != NONE)
		map_id(&l->w->person_of_handle, &l->w->person_of_handle_cap, strmap_intern(&l->w->handles, h, strlen(h)), p);
	return 0;
}

static int load_rotation(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	xgrow(&w->rotations, &l->rcap, w->nrotations + 1, sizeof(*w->rotations));
	struct rotation *rot = &w->rotations[w->nrotations++];
	memset(rot, 0, sizeof(*rot));
	rot->db_id = store_row_int(r, 0);
	rot->name = xstrdup(store_row_text(r, 1));
	return 0;
}

static uint32_t rotation_by_db_id(const struct world *w, int64_t db_id)
{
	for (size_t i = 0; i < w->nrotations; i++)
		if (w->rotations[i].db_id == db_id)
			return (uint32_t)i;
	return NONE;
}

static int load_shift(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	uint32_t rot = rotation_by_db_id(l->w, store_row_int(r, 0));
	uint32_t p = person_by_db_id(l, store_row_int(r, 1));
	if (rot == NONE || p == NONE)
		return 0;
	struct rotation *ro = &l->w->rotations[rot];
	ro->shifts = xrealloc(ro->shifts, (ro->nshifts + 1) * sizeof(*ro->shifts));
	struct shift_rec *s = &ro->shifts[ro->nshifts++];
	*s = (struct shift_rec){ p, store_row_int(r, 2), store_row_int(r, 3), (int)store_row_int(r, 4) };
	if (s->ends - s->starts > ro->longest)
		ro->longest = s->ends - s->starts;
	return 0;
}

static int load_service(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	xgrow(&w->services, &l->scap, w->nservices + 1, sizeof(*w->services));
	struct service *s = &w->services[w->nservices++];
	s->db_id = store_row_int(r, 0);
	s->name = xstrdup(store_row_text(r, 1));
	s->team = team_name(w, store_row_text(r, 2));
	s->rotation = store_row_int(r, 3) ? rotation_by_db_id(w, store_row_int(r, 3)) : NONE;
	return 0;
}

static uint32_t service_by_db_id(const struct world *w, int64_t db_id)
{
	for (size_t i = 0; i < w->nservices; i++)
		if (w->services[i].db_id == db_id)
			return (uint32_t)i;
	return NONE;
}

static int load_glob(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	uint32_t svc = service_by_db_id(w, store_row_int(r, 0));
	if (svc == NONE)
		return 0;
	xgrow(&w->globs, &l->gcap, w->nglobs + 1, sizeof(*w->globs));
	w->globs[w->nglobs].glob = xstrdup(store_row_text(r, 1));
	w->globs[w->nglobs++].service = svc;
	return 0;
}

static int load_incident(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	xgrow(&w->incidents, &l->icap, w->nincidents + 1, sizeof(*w->incidents));
	struct incident_rec *in = &w->incidents[w->nincidents++];
	memset(in, 0, sizeof(*in));
	in->id = xstrdup(store_row_text(r, 0));
	strmap_intern(&l->incident_ids, in->id, strlen(in->id));
	in->title = xstrdup(store_row_text(r, 1));
	in->service = store_row_int(r, 2) ? service_by_db_id(w, store_row_int(r, 2)) : NONE;
	in->severity = xstrdup(store_row_text(r, 3));
	in->started = store_row_int(r, 4);
	in->status = xstrdup(store_row_text(r, 5));
	return 0;
}

static int load_incident_path(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	const char *id = store_row_text(r, 0);
	uint32_t i = strmap_find(&l->incident_ids, id, strlen(id));
	if (i == NONE)
		return 0;
	struct incident_rec *in = &l->w->incidents[i];
	in->paths = xrealloc(in->paths, (in->npaths + 1) * sizeof(*in->paths));
	in->paths[in->npaths++] = xstrdup(store_row_text(r, 1));
	return 0;
}

static int load_oncall(struct loader *l)
{
	struct world *w = l->w;
	struct store *st = w->st;
	int rc;
	if ((rc = store_each_row(st, ROWS_PEOPLE, 0, load_person, l)) ||
	    (rc = store_each_row(st, ROWS_EMAILS, 0, load_email, l)) ||
	    (rc = store_each_row(st, ROWS_HANDLES, 0, load_handle, l)) ||
	    (rc = store_each_row(st, ROWS_ROTATIONS, 0, load_rotation, l)) ||
	    (rc = store_each_row(st, ROWS_SHIFTS, 0, load_shift, l)) ||
	    (rc = store_each_row(st, ROWS_SERVICES, 0, load_service, l)) ||
	    (rc = store_each_row(st, ROWS_GLOBS, 0, load_glob, l)) ||
	    (rc = store_each_row(st, ROWS_INCIDENTS, 0, load_incident, l)) ||
	    (rc = store_each_row(st, ROWS_INCIDENT_PATHS, 0, load_incident_path, l)))
		return rc;
	for (size_t i = 0; i < l->nroster; i++)
		if (!w->people[i].email)
			w->people[i].email = "";
	if (w->repo_id < 0)
		return 0;
	struct strbuf origin = STRBUF_INIT, content = STRBUF_INIT;
	rc = store_codeowners_get(st, w->repo_id, &origin, &content);
	if (rc == 0)
		rc = codeowners_parse(&w->co, sb_str(&content), content.len);
	sb_free(&origin);
	sb_free(&content);
	if (rc == CARRY_ENOTFOUND) {
		carry_error_clear();
		rc = 0;
	}
	return rc;
}

/* The person a commit's author is: by email (case-insensitive), else a new
 * person; a bot when a bot pattern matches.  Called once per distinct
 * email as written; `name` and `email` are pooled. */
static uint32_t author_person(struct loader *l, const char *name, const char *email, size_t elen)
{
	struct world *w = l->w;
	const char *e = lower(l, email, elen);
	uint32_t id = strmap_intern(&w->emails, e, strlen(e));
	if (id >= w->person_of_email_cap || w->person_of_email[id] == NONE) {
		uint32_t p = add_person(l);
		w->people[p].name = name;
		w->people[p].email = email;
		map_id(&w->person_of_email, &w->person_of_email_cap, id, p);
	}
	uint32_t p = w->person_of_email[id];
	if (patterns_is_bot(w->pat, name, email))
		w->people[p].bot = true;
	return p;
}

static int load_commit(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	size_t cap = l->ccap;
	xgrow(&w->commits, &l->ccap, w->ncommits + 1, sizeof(*w->commits));
	if (l->ccap != cap)
		l->commit_db_id = xrealloc(l->commit_db_id, l->ccap * sizeof(*l->commit_db_id));
	struct commit *c = &w->commits[w->ncommits];
	memset(c, 0, sizeof(*c));
	l->commit_db_id[w->ncommits++] = store_row_int(r, 0);
	memcpy(c->oid, store_row_text(r, 1), store_row_len(r, 1) < 40 ? store_row_len(r, 1) : 40);
	c->name = pooled(w, store_row_text(r, 2), store_row_len(r, 2));
	/* The exact email seen before: its person, without folding case again. */
	uint32_t eid = strmap_intern(&w->strings, store_row_text(r, 3), store_row_len(r, 3));
	c->email = strmap_key(&w->strings, eid);
	if (eid >= l->person_of_pooled_cap || l->person_of_pooled[eid] == NONE)
		map_id(&l->person_of_pooled, &l->person_of_pooled_cap, eid,
		       author_person(l, c->name, c->email, store_row_len(r, 3)));
	c->person = l->person_of_pooled[eid];
	c->time = store_row_int(r, 4);
	c->merge = store_row_int(r, 5) > 1;
	c->ai = store_row_int(r, 6) != 0;
	c->subject = text_copy(w, store_row_text(r, 7), store_row_len(r, 7));
	struct person *p = &w->people[c->person];
	p->ncommits++;
	if (c->time >= p->latest) {
		/* Who they are now: the latest commit's email, and its name
		 * unless the roster names them. */
		p->latest = c->time;
		p->email = c->email;
		if (!p->db_id || !p->on_roster)
			p->name = c->name;
	}
	return 0;
}

/* Commit ids of one repository are nearly contiguous (other repositories'
 * and forgotten commits leave gaps): an array by id beats a binary search
 * for the line runs' lookups when the gaps are few. */
static void index_commit_ids(struct loader *l)
{
	size_t n = l->w->ncommits;
	if (!n)
		return;
	int64_t span = l->commit_db_id[n - 1] - l->commit_db_id[0] + 1;
	if (span > (int64_t)(4 * n + 1024))
		return;
	l->dense_base = l->commit_db_id[0];
	l->ndense = (size_t)span;
	l->dense = xmalloc(l->ndense * sizeof(*l->dense));
	for (size_t i = 0; i < l->ndense; i++)
		l->dense[i] = NONE;
	for (size_t i = 0; i < n; i++)
		l->dense[l->commit_db_id[i] - l->dense_base] = (uint32_t)i;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static void index_commit_times(struct world *w)
{
	for (size_t i = 0; i < w->npeople; i++) {
		w->people[i].commit_times = xmalloc((w->people[i].ncommits + 1) * sizeof(int64_t));
		w->people[i].ncommits = 0;
	}
	for (size_t i = 0; i < w->ncommits; i++) {
		struct person *p = &w->people[w->commits[i].person];
		p->commit_times[p->ncommits++] = w->commits[i].time;
	}
	for (size_t i = 0; i < w->npeople; i++)
		qsort(w->people[i].commit_times, w->people[i].ncommits, sizeof(int64_t), cmp_i64);
}

static int load_change(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	uint32_t c = commit_by_db_id(l, store_row_int(r, 0));
	if (c == NONE)
		return 0;
	xgrow(&w->changes, &l->xcap, w->nchanges + 1, sizeof(*w->changes));
	struct change *x = &w->changes[w->nchanges];
	x->commit = c;
	x->path = strmap_intern(&w->paths, store_row_text(r, 1), store_row_len(r, 1));
	x->old_path = store_row_null(r, 2) ? NONE
	            : strmap_intern(&w->paths, store_row_text(r, 2), store_row_len(r, 2));
	x->status = store_row_text(r, 3)[0];
	x->added = (int32_t)store_row_int(r, 4);
	x->deleted = (int32_t)store_row_int(r, 5);
	struct commit *cm = &w->commits[c];
	if (!cm->nchanges)
		cm->first_change = (uint32_t)w->nchanges;
	cm->nchanges++;
	w->nchanges++;
	return 0;
}

static int load_file(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	uint32_t path = strmap_intern(&w->paths, store_row_text(r, 0), store_row_len(r, 0));
	size_t old = l->file_of_path_cap;
	xgrow(&l->file_of_path, &l->file_of_path_cap, (size_t)path + 1, sizeof(uint32_t));
	for (size_t i = old; i < l->file_of_path_cap; i++)
		l->file_of_path[i] = NONE;
	l->file_of_path[path] = (uint32_t)w->nfiles;
	xgrow(&w->files, &l->fcap, w->nfiles + 1, sizeof(*w->files));
	w->files[w->nfiles++] = (struct file){ path, store_row_int(r, 1), 0, 0 };
	return 0;
}

static int cmp_author(const void *a, const void *b)
{
	const struct file_author *x = a, *y = b;
	if (x->lines != y->lines)
		return x->lines < y->lines ? 1 : -1;
	return (x->person > y->person) - (x->person < y->person);
}

/* Ends the current file's runs: its per-person sums, by lines. */
static void flush_file(struct loader *l)
{
	struct world *w = l->w;
	if (l->run_file == NONE)
		return;
	struct file *f = &w->files[l->run_file];
	f->first_author = (uint32_t)w->nfile_authors;
	for (size_t i = 0; i < l->ntouched; i++) {
		uint32_t p = l->touched[i];
		xgrow(&w->file_authors, &l->facap, w->nfile_authors + 1, sizeof(*w->file_authors));
		w->file_authors[w->nfile_authors++] = (struct file_author){ p, l->acc[p] };
		l->acc[p] = 0;
	}
	f->nauthors = (uint32_t)l->ntouched;
	if (f->nauthors)
		qsort(w->file_authors + f->first_author, f->nauthors, sizeof(*w->file_authors), cmp_author);
	l->ntouched = 0;
	l->run_file = NONE;
}

static int load_run(const struct store_row *r, void *payload)
{
	struct loader *l = payload;
	struct world *w = l->w;
	uint32_t path = strmap_find(&w->paths, store_row_text(r, 0), store_row_len(r, 0));
	uint32_t file = path < l->file_of_path_cap ? l->file_of_path[path] : NONE;
	if (file != l->run_file) {
		flush_file(l);
		l->run_file = file;
	}
	uint32_t c = commit_by_db_id(l, store_row_int(r, 1));
	if (file == NONE || c == NONE)
		return 0;
	uint32_t p = w->commits[c].person;
	if (!l->acc[p])
		l->touched[l->ntouched++] = p;
	l->acc[p] += store_row_int(r, 2);
	return 0;
}

int world_load(struct world *w, struct store *st, int64_t repo_id, unsigned parts)
{
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->repo_id = repo_id;
	struct loader l = { .w = w, .run_file = NONE };
	if (parts & WORLD_RUNS)
		parts |= WORLD_FILES;
	if (parts & (WORLD_CHANGES | WORLD_RUNS))
		parts |= WORLD_COMMITS;
	w->parts = parts | WORLD_ONCALL;
	int rc = patterns_load(&w->pat);
	if (rc == 0)
		rc = load_oncall(&l);
	if (rc == 0 && (parts & WORLD_COMMITS)) {
		rc = store_each_row(st, ROWS_COMMITS, repo_id, load_commit, &l);
		index_commit_ids(&l);
		if (rc == 0 && (parts & WORLD_CHANGES))
			rc = store_each_row(st, ROWS_CHANGES, repo_id, load_change, &l);
		index_commit_times(w);
	}
	if (rc == 0 && (parts & WORLD_FILES))
		rc = store_each_row(st, ROWS_LINE_FILES, repo_id, load_file, &l);
	if (rc == 0 && (parts & WORLD_RUNS)) {
		l.acc = xcalloc(w->npeople + 1, sizeof(*l.acc));
		l.touched = xmalloc((w->npeople + 1) * sizeof(*l.touched));
		rc = store_each_row(st, ROWS_LINE_RUNS, repo_id, load_run, &l);
		flush_file(&l);
	}
	/* Every path loaded so far is a file's (history, HEAD). */
	w->is_file_cap = w->paths.count;
	w->is_file = xmalloc(w->is_file_cap + 1);
	memset(w->is_file, 1, w->is_file_cap);
	free(l.commit_db_id);
	free(l.dense);
	free(l.file_of_path);
	free(l.acc);
	free(l.touched);
	free(l.person_of_pooled);
	sb_free(&l.lower);
	strmap_free(&l.incident_ids);
	if (rc != 0)
		world_free(w);
	return rc;
}

void world_free(struct world *w)
{
	for (size_t i = 0; i < w->npeople; i++)
		free(w->people[i].commit_times);
	free(w->people);
	free(w->commits);
	for (size_t i = 0; i < w->ntext; i++)
		free(w->text[i]);
	free(w->text);
	strmap_free(&w->strings);
	free(w->changes);
	for (size_t i = 0; i < w->paths.count && i < w->path_info_cap; i++)
		free(w->path_info[i].owners);
	free(w->path_info);
	free(w->is_file);
	strmap_free(&w->paths);
	strmap_free(&w->dirs);
	strmap_free(&w->emails);
	strmap_free(&w->handles);
	strmap_free(&w->teams);
	free(w->person_of_email);
	free(w->person_of_handle);
	free(w->files);
	free(w->file_authors);
	for (size_t i = 0; i < w->nrotations; i++) {
		free(w->rotations[i].name);
		free(w->rotations[i].shifts);
	}
	free(w->rotations);
	for (size_t i = 0; i < w->nservices; i++)
		free(w->services[i].name);
	free(w->services);
	for (size_t i = 0; i < w->nglobs; i++)
		free(w->globs[i].glob);
	free(w->globs);
	for (size_t i = 0; i < w->nincidents; i++) {
		struct incident_rec *in = &w->incidents[i];
		free(in->id);
		free(in->title);
		free(in->severity);
		free(in->status);
		for (size_t k = 0; k < in->npaths; k++)
			free(in->paths[k]);
		free(in->paths);
		free(in->named);
	}
	free(w->incidents);
	free(w->earlier);
	free(w->doa_first);
	free(w->doa_n);
	free(w->doa_people);
	free(w->svc_tf);
	codeowners_free(w->co);
	patterns_free(w->pat);
	memset(w, 0, sizeof(*w));
}

int world_open(struct world **out, struct store *st, int64_t repo_id, unsigned parts)
{
	struct world *w = xcalloc(1, sizeof(*w));
	int rc = world_load(w, st, repo_id, parts);
	if (rc != 0) {
		free(w);
		w = NULL;
	}
	*out = w;
	return rc;
}

void world_close(struct world *w)
{
	if (!w)
		return;
	world_free(w);
	free(w);
}

void analysis_params_default(struct analysis_params *p, int64_t at, int window_days)
{
	*p = (struct analysis_params){ at, at - window_days * DAY, at, 3, 50, 180, 72 };
}

size_t world_file_count(const struct world *w)
{
	return w->nfiles;
}

const char *world_file_path(const struct world *w, size_t i, int64_t *lines)
{
	if (lines)
		*lines = w->files[i].lines;
	return strmap_key(&w->paths, w->files[i].path);
}

void world_prepare(struct world *w)
{
	/* Paths first: resolving one interns its directory, which is no
	 * path of its own. */
	size_t npaths = w->paths.count;
	for (size_t i = 0; i < npaths; i++)
		world_path(w, (uint32_t)i);
	if (w->parts & WORLD_CHANGES)
		world_index_earlier(w);
	if ((w->parts & WORLD_FILES) && (w->parts & WORLD_CHANGES))
		world_index_doa(w);
	for (size_t i = 0; (w->parts & WORLD_FILES) && i < w->nincidents; i++)
		world_index_incident(w, &w->incidents[i]);
}
