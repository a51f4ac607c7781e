/*
 * The world the analyses answer from: the repository's history facts and
 * line origins joined with the on-call database, loaded from the store in
 * one pass per table (struct world) and then read only.  Everything is
 * numbered: people, commits, paths, directories, services, rotations are
 * array indices, so the analyses are loops over arrays, not queries.
 *
 * Identity (DESIGN.md "Identity"): a commit's mailmap-resolved email is
 * matched case-insensitively to a roster person; an email nobody on the
 * roster holds is its own person.
 */
#ifndef CARRY_ANALYSIS_WORLD_H
#define CARRY_ANALYSIS_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/analysis.h"
#include "carry/strmap.h"

struct store;
struct strbuf;
struct codeowners;
struct patterns;

#define NONE UINT32_MAX
#define DAY INT64_C(86400)

struct person {
	int64_t db_id;          /* people.id, 0 for an email met only in commits */
	const char *name, *email; /* shown: roster name (else latest commit name), latest email
	                           * (in world.strings) */
	const char *team;       /* "" for none (points into world.teams) */
	bool on_roster, has_left, bot;
	int64_t left_on;
	int64_t *commit_times;  /* author times of every commit, ascending */
	size_t ncommits;
	int64_t latest;         /* author time of the latest commit naming `name`/`email` */
};

struct commit {
	char oid[41];
	uint32_t person;
	const char *name, *email;  /* this commit's mailmap-resolved author (in world.strings) */
	int64_t time;
	bool merge, ai;
	const char *subject;       /* in world.text */
	uint32_t first_change, nchanges;  /* into world.changes */
};

struct change {
	uint32_t commit, path, old_path;  /* old_path NONE unless renamed */
	char status;                      /* A M D R T */
	int32_t added, deleted;
};

struct file_author {
	uint32_t person;
	int64_t lines;
};

/* A file of the scanned HEAD that has lines. */
struct file {
	uint32_t path;
	int64_t lines;
	uint32_t first_author, nauthors;  /* into world.file_authors, by lines desc */
};

struct shift_rec {
	uint32_t person;
	int64_t starts, ends;  /* [starts, ends) */
	int level;
};

struct rotation {
	int64_t db_id;
	char *name;
	struct shift_rec *shifts;  /* by start */
	size_t nshifts;
	int64_t longest;           /* the longest shift: bounds the searches */
};

struct service {
	int64_t db_id;
	char *name;
	const char *team;
	uint32_t rotation;  /* NONE: no rotation */
};

struct incident_rec {
	char *id, *title, *severity, *status;
	uint32_t service;  /* NONE */
	int64_t started;
	char **paths;
	size_t npaths;
	/* The HEAD files (indices into world.files) its paths name, found on
	 * first use (world_index_incident); `indexed` once they are. */
	uint32_t *named;
	size_t nnamed;
	bool indexed;
};

/* What is known of a path, filled on first use. */
struct path_info {
	bool resolved, has_dir;
	uint32_t service;     /* NONE */
	uint32_t dir;         /* parent directory, in world.dirs */
	uint32_t *owners;     /* declared owners (people), sorted */
	size_t nowners;
	const char *declared_team;  /* the first @org/team owner that is a roster team, else NULL */
};

struct world {
	struct store *st;
	int64_t repo_id;
	struct patterns *pat;
	struct codeowners *co;
	struct strmap strings;     /* names and emails, each kept once */
	char **text;               /* 64 KiB chunks holding subjects (freed together) */
	size_t ntext, text_used;

	struct person *people;
	size_t npeople;
	struct strmap emails;      /* lower-case email -> id; person_of_email by id */
	uint32_t *person_of_email;
	size_t person_of_email_cap;
	struct strmap handles;     /* lower-case handle -> id */
	uint32_t *person_of_handle;
	size_t person_of_handle_cap;
	struct strmap teams;       /* team names as the roster spells them */

	struct commit *commits;    /* parents before children */
	size_t ncommits;
	struct change *changes;
	size_t nchanges;

	struct strmap paths;
	struct path_info *path_info;  /* by path id, grown with paths */
	size_t path_info_cap;
	bool *is_file;             /* by path id: a file (in history, or marked); else a directory */
	size_t is_file_cap;
	struct strmap dirs;        /* parent directories, "" the root */

	struct file *files;        /* HEAD files with lines, by path */
	size_t nfiles;
	struct file_author *file_authors;
	size_t nfile_authors;

	struct rotation *rotations;
	size_t nrotations;
	struct service *services;  /* by name */
	size_t nservices;
	struct { char *glob; uint32_t service; } *globs;
	size_t nglobs;
	struct incident_rec *incidents;  /* by start */
	size_t nincidents;

	unsigned parts;            /* what was loaded (enum world_parts) */

	/* Computed on first use. */
	uint32_t *earlier;         /* per change: its author's earlier changes in its directory */
	uint32_t *doa_first;       /* per file: its DOA authors, doa_people[first .. first+n) */
	uint32_t *doa_n;
	uint32_t *doa_people;
	int *svc_tf;               /* per service: truck factor, rotation truck factor (-1: not yet) */
	int64_t svc_tf_at;
};


int world_load(struct world *w, struct store *st, int64_t repo_id, unsigned parts);
void world_free(struct world *w);

/* ---- facts (facts.c) ---- */

/* The id of a path (interned).  A path the history names is a file; any
 * other is taken for a directory unless world_file_id() marked it. */
uint32_t world_path_id(struct world *w, const char *path);
uint32_t world_file_id(struct world *w, const char *path);
const struct path_info *world_path(struct world *w, uint32_t path);
/* Just the parent directory (in world.dirs) of a path: cheaper than
 * world_path(), which also matches CODEOWNERS and service globs. */
uint32_t world_path_dir(struct world *w, uint32_t path);
/* The changes of commits with an author time in [since, until], in commit
 * order (indices into w->changes, freed by the caller); *n how many. */
uint32_t *changes_in(const struct world *w, int64_t since, int64_t until, size_t *n);
/* Is `path` the subtree `prefix` ("" everything) or beneath it? */
bool path_within(const char *path, const char *prefix);

/* Gone at t (DESIGN.md "Gone"): roster left_on <= t; off the roster, no
 * commit in the `gone_days` days before t. */
bool person_gone(const struct person *p, int64_t t, int gone_days);
/* The CODEOWNERS owners of a path as written; a directory's are those of
 * a file directly in it (rules name directories by what is in them). */
void path_codeowners(const struct world *w, uint32_t path,
                     void (*cb)(const char *owner, void *payload), void *payload);
/* Is the person declared owner of the path? */
bool world_declared_owner(struct world *w, uint32_t path, uint32_t person);

/* Does the shift cover an instant of [from, to]?  Shifts are half-open: one
 * ending at `from` does not.  Every "on call at", "around" and "in the next
 * days" question is this one. */
static inline bool shift_overlaps(const struct shift_rec *s, int64_t from, int64_t to)
{
	return s->starts <= to && s->ends > from;
}
/* Has rotation r a shift (of `person`, or ANY_PERSON) covering an instant
 * of [from, to]? */
bool rotation_has_shift(const struct rotation *r, int64_t from, int64_t to, uint32_t person);
#define ANY_PERSON NONE
/* Carries the pager: a shift of r covering t. */
bool rotation_covers(const struct rotation *r, int64_t t, uint32_t person);
/* On the rotation around t: a shift within 30 days either side. */
bool on_rotation_around(const struct rotation *r, int64_t t, uint32_t person);
/* A person's status at t for rotation r (NULL: none): "on_call" (a
 * shift of r covers t), "on_rotation" (around t), "gone" or "active". */
const char *person_status(struct world *w, uint32_t person, const struct rotation *r, int64_t t,
                          int gone_days);
/* The rotation (any) with a shift of the person covering t, or NULL. */
const struct rotation *rotation_on_call(const struct world *w, uint32_t person, int64_t t);
/* The rotation of a path's service, or NULL. */
const struct rotation *world_rotation_of(struct world *w, uint32_t path);

/* ---- degree of authorship and truck factor (doa.c) ---- */

/* Indexes every HEAD file's DOA authors (world.doa_*), once. */
void world_index_doa(struct world *w);
/* The unpruned greedy truck factor over `files` (indices into w->files),
 * counting only people for whom `member` is true (NULL: everyone). */
int truck_factor(struct world *w, const uint32_t *files, size_t nfiles, const bool *member);

/* The truck factor of a service's files (everyone, or with `rotation_only`
 * only its rotation's members around `at`: the rotation truck factor). */
int service_truck_factor(struct world *w, uint32_t service, int64_t at, bool rotation_only);
/* People on the rotation within 30 days of `at` (an array by person). */
bool *rotation_members(const struct world *w, const struct rotation *r, int64_t at);

/* ---- drive-bys (drivebys.c) ---- */

struct analysis_params;
/* Indexes every change's earlier changes by its author in its directory
 * (world.earlier), once. */
void world_index_earlier(struct world *w);
/* Is change x a drive-by (DESIGN.md "Drive-by change")? */
bool change_is_drive_by(struct world *w, uint32_t x, const struct analysis_params *p);
/* The same, appending to `why` (when given) the conditions that make it
 * one, or the first that does not. */
bool drive_by_reasons(struct world *w, uint32_t x, const struct analysis_params *p,
                      struct strbuf *why);
/* The drive-by changes under `path` in p's window, newest first by author
 * time (a commit's changes together, in order); freed by the caller. */
uint32_t *drive_by_changes(struct world *w, const struct analysis_params *p, const char *path,
                           size_t *n);
/* Appends to `list` the ids of incidents on `service` that started within
 * 30 days after t, (t, t + 30 days]. */
void incidents_after(const struct world *w, uint32_t service, int64_t t, struct strbuf *list);
/* Appends `item` to a '\n'-separated list unless it is there already. */
void list_add_once(struct strbuf *list, const char *item);
/* Changes counted in a pager gap: was x made by someone not on its
 * path's rotation around the change (or is there no rotation)? */
bool change_in_gap(struct world *w, uint32_t x);

/* ---- triage (triage.c) ---- */

const struct incident_rec *find_incident(const struct world *w, const char *id);
/* Finds the HEAD files an incident's own paths name (in->named), once. */
void world_index_incident(struct world *w, struct incident_rec *in);
/* A suspect commit of an incident: its drive-by flag and churn over the
 * incident's files. */
struct suspect {
	uint32_t commit;
	bool drive_by;
	int64_t churn;
};
/* The incident's suspects, ranked (freed by the caller); marks the paths
 * they touched in `touched_path` (by path id) when given. */
struct suspect *incident_suspects(struct world *w, const struct analysis_params *p,
                                  const struct incident_rec *in, bool *touched_path, size_t *n);

/* ---- orphans (orphans.c) ---- */

enum orphan_reason { ORPHAN_AUTHORS_GONE = 1, ORPHAN_NO_PAGER = 2 };
/* The reasons file f is orphaned at `at` (0: it is not); lines[0] its
 * non-bot surviving lines, lines[1] those by people gone. */
unsigned file_orphaned(struct world *w, size_t f, const struct analysis_params *p, int64_t at,
                       int64_t lines[2]);

/* The shifts of r covering `at`, by level, start and name (*out freed by
 * the caller); how many.  (pager.c) */
size_t shifts_covering(const struct world *w, const struct rotation *r, int64_t at,
                       const struct shift_rec ***out);

/* ---- pager gap (pagergap.c) ---- */

/* Changed lines in [since, until] per path id: [p][0] all, [p][1] by
 * people not on the rotation around the change (the pager gap). */
int64_t (*gap_by_path(struct world *w, int64_t since, int64_t until))[2];
/* Changed lines in [since, until] per service (index nservices: paths
 * with none): sums[s][0] all, sums[s][1] by people not on the rotation. */
int64_t (*gap_by_service(struct world *w, int64_t since, int64_t until))[2];
/* The primary on call for a rotation at t, or NONE. */
uint32_t on_call_primary(const struct world *w, const struct rotation *r, int64_t t);

/* a / b in per mille, rounded; 0 when b is 0. */
static inline int64_t per_mille(int64_t a, int64_t b)
{
	return b ? (a * 1000 + b / 2) / b : 0;
}

#endif
