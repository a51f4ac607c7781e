/*
 * Inside the demo generator: the seeded random stream, the cast, the
 * company's layout (areas of code, services, rotations), file contents
 * and the story that turns them into history.  Only src/demo includes
 * this.  Everything is a function of (seed, scale, end day): no clock,
 * no rand(), no hash order, no locale.
 */
#ifndef CARRY_DEMO_INT_H
#define CARRY_DEMO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/gitwrite.h"
#include "carry/strbuf.h"

#define DAY ((int64_t)86400)
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- random (rng.c): splitmix64, the same sequence on every platform ---- */

struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t a, uint64_t b);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [lo, hi]. */
int rng_between(struct rng *r, int lo, int hi);
/* True with probability pm/1000. */
bool rng_permille(struct rng *r, unsigned pm);
#define RNG_PICK(r, arr) ((arr)[rng_below((r), (uint32_t)COUNT_OF(arr))])
/* An element of a NULL-terminated list. */
const char *rng_pick_list(struct rng *r, const char *const *list);

/* ---- text helpers (words.c) ------------------------------------------- */

/* RFC 4180: quotes the field when it holds a comma, quote or line break. */
void csv_field(struct strbuf *out, const char *s);
/* "refund_webhook" -> "RefundWebhook" / "refundWebhook". */
void add_pascal(struct strbuf *out, const char *snake);
void add_camel(struct strbuf *out, const char *snake);
/* A plain English sentence (no final period), for comments and docs. */
void add_sentence(struct strbuf *out, struct rng *r, const char *noun);
extern const char *const verbs[];     /* load, apply, ... (NULL-terminated) */
extern const char *const fields[];    /* snake_case field names */

/* ---- the cast (cast.c) -------------------------------------------------- */

enum team { TEAM_PAYMENTS, TEAM_PLATFORM, TEAM_SEARCH, TEAM_MOBILE, TEAM_DATA, NTEAMS };
extern const char *const team_names[NTEAMS];

enum bot { BOT_DEPENDABOT, BOT_RENOVATE, BOT_ACTIONS, NBOTS };

struct person {
	char *key;              /* roster person_id; NULL when not on the roster */
	char *name, *email;     /* the current identity */
	char *old_name, *old_email; /* NULL, or what commits said before `renamed_at` */
	int64_t renamed_at;
	int team;               /* enum team, or -1 */
	int64_t joined, left;   /* left: 0 while still here; joined: a day */
	int64_t from, to;       /* commits only in [from, to) */
	int tz;                 /* minutes east of UTC */
	char *handle;           /* "ana" (written "@ana"), or NULL */
	unsigned weight;        /* how much they commit */
	bool bot, sre, lead;
	int home_area;          /* contractors: the area they were hired for; -1 */
};

struct cast {
	struct person *p;
	size_t n;
	int bots[NBOTS];        /* indices into p */
};

/* The cast of a story over [start, end): joins, departures and contracts
 * are placed per mille of that span, as the story's events are. */
void cast_build(struct cast *c, struct rng *r, unsigned scale, int64_t start, int64_t end);
void cast_free(struct cast *c);
bool person_active(const struct person *p, int64_t t);
/* The first person of the cast whose current email is `email` (core cast). */
int cast_find(const struct cast *c, const char *email);
void roster_csv(const struct cast *c, struct strbuf *out);
/* The .mailmap: people who changed name or address. */
void mailmap_text(const struct cast *c, struct strbuf *out);

/* ---- the layout (layout.c) ---------------------------------------------- */

enum lang { L_GO, L_TS, L_SWIFT, L_KOTLIN, L_PY, L_SQL, L_TF, L_K8S, L_WORKFLOW, L_SH, L_MD };

struct area {
	const char *dir;        /* where its files live at the end */
	const char *born_dir;   /* NULL, or where they lived before the move */
	int team;               /* enum team, or -1: nobody's (docs, tools) */
	int service;            /* index into services, or -1 */
	enum lang lang;
	const char *const *subdirs; /* NULL-terminated; "" for the area's root */
	const char *const *nouns;   /* NULL-terminated */
	unsigned files;         /* how many when grown, at scale 1 */
	unsigned born;          /* per mille of the timeline when it appears */
};

struct service {
	const char *name;
	int team;
	int rotation;
	const char *globs[3];   /* services.csv rows, NULL-terminated */
};

struct rotation {
	const char *name, *title;
	int team;               /* staffed by this team's people ... */
	bool sre;               /* ... or by the platform SREs only */
	int lapsed_days;        /* > 0: the schedule stopped this many days before the end */
};

extern const struct area areas[];
extern const size_t nareas;
extern const struct service services[];
extern const size_t nservices;
extern const struct rotation rotations[];
extern const size_t nrotations;
/* Per-mille marks of the story (cast.c and story.c agree on them). */
enum {
	AT_CODEOWNERS = 25, AT_CODEOWNERS_MOBILE = 400, AT_MAILMAP = 340, AT_MOVE_INDEXER = 450,
	AT_CAFE = 200, AT_HOSTILE_ESC = 520, AT_HOSTILE_RLO = 760,
};

void services_csv(struct strbuf *out);
/* CODEOWNERS as of the story's point `stage` (0: first, 1: mobile split,
 * 2: after the indexer moved). */
void codeowners_text(int stage, struct strbuf *out);
/* Whether person p is ever on rotation `rot` (team members, or SREs). */
bool rotation_member(const struct cast *c, size_t rot, size_t p);

/* ---- files and their contents (content.c, deps.c) ----------------------- */

struct dfile {
	char *path;
	int area;               /* -1: a file of the repository's root */
	enum lang lang;
	char **lines;
	size_t n, cap;
	int creator;            /* person index */
	int dir;                /* interned parent directory (story.c) */
	int lock;               /* the open branch working on it, or -1 */
	int dep;                /* dependency manifest (deps.c), or -1 */
	bool alive, exec;
};

/* A new file's name in `subdir` of area a, not yet taken according to
 * `taken` (called with candidate paths). */
char *content_name(struct rng *r, const struct area *a, const char *dir, const char *subdir,
                   bool (*taken)(const char *path, void *ctx), void *ctx);
/* Fills a new file with plausible code or prose. */
void content_fill(struct dfile *f, struct rng *r, const char *const *nouns);
/* Edits a file the way a commit does: `ops` changes (replace, insert,
 * delete a statement or a function).  Returns lines touched. */
size_t content_edit(struct dfile *f, struct rng *r, const char *const *nouns, unsigned ops);
/* The file's bytes: its lines joined with '\n', with a final newline. */
void content_bytes(const struct dfile *f, struct strbuf *out);
void content_set_lines(struct dfile *f, const char *text);
void content_free(struct dfile *f);

enum { DEP_GO, DEP_NPM, DEP_PIP };
struct dep_pkg {
	const char *name;
	int major, minor, patch;
};
struct dep_manifest {
	int kind;
	char *dir;              /* "services/payments" (its current directory) */
	struct dep_pkg pkgs[8];
	size_t n;
};
/* The manifests of an area born with dependencies; returns how many. */
size_t deps_for_area(size_t area, struct dep_manifest *out, size_t max, struct rng *r);
/* The files of a manifest: names (go.mod + go.sum, package.json +
 * package-lock.json, requirements.txt) and contents. */
size_t deps_files(const struct dep_manifest *m, const char *names[2]);
void deps_render(const struct dep_manifest *m, size_t which, struct strbuf *out);
/* Bumps one package; writes the bot's commit message. */
void deps_bump(struct dep_manifest *m, struct rng *r, int bot, struct strbuf *msg);

/* ---- commit messages (messages.c) ---------------------------------------- */

enum msg_kind { MSG_EDIT, MSG_CREATE, MSG_DELETE, MSG_RENAME, MSG_DRIVE_BY, MSG_DOCS };
/* "refund view model" from a path. */
void add_words(struct strbuf *out, const char *path);
/* A subject in the style of `team` (for a drive-by: the author's team). */
void msg_subject(struct strbuf *out, struct rng *r, enum msg_kind kind, int team, const char *path,
                 const char *path2);
/* A blank line and a short paragraph. */
void msg_body(struct strbuf *out, struct rng *r, const char *path);
/* A blank line and an AI-assistance trailer or footer. */
void msg_ai_trailer(struct strbuf *out, struct rng *r);

/* ---- the story (story.c) and the on-call files (oncall_files.c) -------------- */

struct drive_by {
	int64_t time;
	size_t area;
	char *path;
};

struct story_result {
	char head[41];
	int64_t first;          /* the first commit's time */
	size_t commits, merges, branch_commits, ai_assisted, files;
	struct drive_by *drive_bys;
	size_t ndrive_bys;
};

int story_write(struct gitwrite *git, const struct cast *c, struct rng *r, unsigned scale,
                int64_t start, int64_t end, struct story_result *out);
void story_result_free(struct story_result *s);

void calendar_ics(const struct cast *c, size_t rot, int64_t end, struct strbuf *out);
/* incidents.csv; returns how many incidents. */
size_t incidents_csv(const struct story_result *s, struct rng *r,
                     unsigned scale, int64_t end, struct strbuf *out);

#endif
