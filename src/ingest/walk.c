/*
 * The commit walk: from HEAD down to what the sink already keeps, reading
 * raw commit objects through the object database and parsing them
 * leniently (commit_parse.c), as git does.  libgit2's revwalk would stop
 * at the first malformed commit or missing parent; this walk records the
 * problem and goes on.  It also works out which kept commits are no longer
 * reachable (rewritten history): the kept set is closed under "parent
 * of", so the kept commits still reachable are exactly those reachable,
 * through kept parent links, from where the walk met the kept set.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/patterns.h"
#include "commit_parse.h"
#include "ingest_int.h"

struct known_commit {
	git_oid oid;
	size_t first_parent, nparents; /* into known_set.parents */
	bool reachable;
};

struct known_set {
	struct oidmap index; /* oid -> position in commits */
	struct known_commit *commits;
	size_t n, cap;
	git_oid *parents;
	size_t nparents, pcap;
};

static int known_cb(void *payload, const char *oid, const char (*parents)[CARRY_OID_HEXSZ + 1],
                    size_t nparents)
{
	struct known_set *k = payload;
	xgrow(&k->commits, &k->cap, k->n + 1, sizeof(*k->commits));
	struct known_commit *c = &k->commits[k->n];
	if (git_oid_fromstr(&c->oid, oid) < 0)
		return carry_error(CARRY_ERR, "database holds a malformed commit id '%s'", oid);
	c->first_parent = k->nparents;
	c->nparents = nparents;
	c->reachable = false;
	xgrow(&k->parents, &k->pcap, k->nparents + nparents, sizeof(*k->parents));
	for (size_t i = 0; i < nparents; i++)
		if (git_oid_fromstr(&k->parents[k->nparents++], parents[i]) < 0)
			return carry_error(CARRY_ERR, "database holds a malformed commit id '%s'", parents[i]);
	oidmap_put(&k->index, &c->oid, k->n++);
	return 0;
}

/* Marks `from` and every kept ancestor reachable. */
static void mark_reachable(struct known_set *k, const git_oid *from)
{
	size_t i, *stack = NULL, n = 0, cap = 0;
	if (!oidmap_get(&k->index, from, &i) || k->commits[i].reachable)
		return;
	xgrow(&stack, &cap, 1, sizeof(*stack));
	stack[n++] = i;
	k->commits[i].reachable = true;
	while (n) {
		struct known_commit *c = &k->commits[stack[--n]];
		for (size_t p = 0; p < c->nparents; p++) {
			size_t j;
			if (oidmap_get(&k->index, &k->parents[c->first_parent + p], &j) &&
			    !k->commits[j].reachable) {
				k->commits[j].reachable = true;
				xgrow(&stack, &cap, n + 1, sizeof(*stack));
				stack[n++] = j;
			}
		}
	}
	free(stack);
}

static void known_free(struct known_set *k)
{
	oidmap_free(&k->index);
	free(k->commits);
	free(k->parents);
}

/* Commit text in another encoding (the `encoding` header) becomes UTF-8,
 * as git log shows it.  NULL when no conversion is needed or possible. */
static char *reencode(const char *enc, size_t enclen, const char *s, size_t len)
{
	char name[64];
	if (!enc || enclen == 0 || enclen >= sizeof(name))
		return NULL;
	memcpy(name, enc, enclen);
	name[enclen] = '\0';
	if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
		return NULL;
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 4 + 4, left = cap - 1;
	char *out = xmalloc(cap), *dst = out;
	char *src = (char *)s;
	size_t inleft = len;
	if (iconv(cd, &src, &inleft, &dst, &left) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	*dst = '\0';
	iconv_close(cd);
	return out;
}

/* Records that commit `oid` lists a parent that cannot be read. */
static void add_missing_parent(struct walk_result *w, const git_oid *oid, const git_oid *parent)
{
	w->problems = xrealloc(w->problems, (w->nproblems + 1) * sizeof(*w->problems));
	struct walk_problem *p = &w->problems[w->nproblems++];
	git_oid_tostr(p->oid, sizeof(p->oid), oid);
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), parent);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "parent %s is missing or unreadable; history below it is not scanned", hex);
	p->what = sb_detach(&sb);
}

/* Fills everything but parents from a raw commit. */
static void describe(struct walk_commit *c, const struct raw_commit *raw, struct carry_repo *r,
                     const struct patterns *pat)
{
	c->has_tree = git_oid_fromstr(&c->tree, raw->tree) == 0;
	char *name8 = reencode(raw->encoding, raw->encoding_len, raw->author_name, raw->author_name_len);
	char *msg8 = reencode(raw->encoding, raw->encoding_len, raw->message, raw->message_len);
	const char *name = name8 ? name8 : raw->author_name ? raw->author_name : "";
	size_t name_len = name8 ? strlen(name8) : raw->author_name_len;
	const char *msg = msg8 ? msg8 : raw->message ? raw->message : "";
	size_t msg_len = msg8 ? strlen(msg8) : raw->message_len;

	const char *rn, *re;
	size_t rnl, rel;
	mailmap_resolve(r->mailmap, name, name_len, raw->author_email ? raw->author_email : "",
	                raw->author_email_len, &rn, &rnl, &re, &rel);
	c->name = xstrndup(rn, rnl);
	c->email = xstrndup(re, rel);
	c->author_time = raw->author_time;
	c->author_tz = raw->author_tz;
	c->committer_time = raw->committer_time;
	struct strbuf subject = STRBUF_INIT;
	commit_subject(&subject, msg, msg_len);
	c->subject = sb_detach(&subject);
	c->ai_assisted = patterns_is_ai_assisted(pat, msg, msg_len);
	c->skipped = raw->error;
	free(name8);
	free(msg8);
}

struct frame {
	size_t idx;     /* into w->commits */
	size_t next;    /* next raw parent to visit */
};

struct pending {
	git_oid *raw_parents; /* parents as the object lists them */
	size_t nraw;
};

/* Reads and describes commit `oid` as a new entry; false when unreadable. */
static bool discover(struct carry_repo *r, git_odb *odb, const git_oid *oid,
                     const struct patterns *pat, struct walk_result *w,
                     struct pending **pend, size_t *cap, struct oidmap *seen)
{
	git_odb_object *obj = NULL;
	if (git_odb_read(&obj, odb, oid) < 0 || git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(obj);
		git_error_clear();
		return false;
	}
	struct raw_commit raw;
	if (commit_parse(&raw, git_odb_object_data(obj), git_odb_object_size(obj)) < 0) {
		git_odb_object_free(obj);
		return false;
	}
	size_t idx = w->ncommits++;
	w->commits = xrealloc(w->commits, w->ncommits * sizeof(*w->commits));
	xgrow(pend, cap, w->ncommits, sizeof(**pend));
	struct walk_commit *c = &w->commits[idx];
	memset(c, 0, sizeof(*c));
	c->oid = *oid;
	describe(c, &raw, r, pat);

	struct pending *p = &(*pend)[idx];
	p->nraw = 0;
	p->raw_parents = NULL;
	if (oidmap_get(&r->shallow, oid, NULL)) {
		if (raw.nparents && !w->truncated_at[0])
			git_oid_tostr(w->truncated_at, sizeof(w->truncated_at), oid);
	} else if (raw.nparents) {
		p->raw_parents = xmalloc(raw.nparents * sizeof(git_oid));
		for (size_t i = 0; i < raw.nparents; i++)
			if (git_oid_fromstr(&p->raw_parents[p->nraw], raw.parents[i]) == 0)
				p->nraw++;
	}
	c->parents = xmalloc((p->nraw ? p->nraw : 1) * sizeof(git_oid));
	oidmap_put(seen, oid, idx);
	raw_commit_free(&raw);
	git_odb_object_free(obj);
	return true;
}

int walk_new_commits(struct carry_repo *r, struct fact_sink *sink, const git_oid *head,
                     const struct patterns *pat, struct walk_result *w)
{
	struct known_set known = { 0 };
	struct oidmap seen = { 0 };
	struct pending *pend = NULL;
	size_t pcap = 0, *order = NULL, norder = 0, ocap = 0;
	struct frame *stack = NULL;
	size_t nstack = 0, scap = 0;
	git_odb *odb = NULL;
	int rc = CARRY_ERR;

	memset(w, 0, sizeof(*w));
	if (sink->known(sink->ctx, known_cb, &known) < 0)
		goto out;
	if (git_repository_odb(&odb, r->repo) < 0) {
		repo_git_error(CARRY_EINPUT, r->key);
		goto out;
	}

	if (oidmap_get(&known.index, head, NULL)) {
		mark_reachable(&known, head);
	} else {
		if (!discover(r, odb, head, pat, w, &pend, &pcap, &seen)) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), head);
			rc = carry_error(CARRY_EINPUT, "%s: HEAD commit %s cannot be read", r->key, hex);
			goto out;
		}
		xgrow(&stack, &scap, 1, sizeof(*stack));
		stack[nstack++] = (struct frame){ 0, 0 };
	}
	/* Iterative depth-first walk; post-order puts parents first. */
	while (nstack) {
		struct frame *f = &stack[nstack - 1];
		struct pending *p = &pend[f->idx];
		if (f->next == p->nraw) {
			xgrow(&order, &ocap, norder + 1, sizeof(*order));
			order[norder++] = f->idx;
			nstack--;
			continue;
		}
		git_oid parent = p->raw_parents[f->next++];
		size_t idx = f->idx, j;
		struct walk_commit *c = &w->commits[idx];
		if (oidmap_get(&known.index, &parent, NULL)) {
			mark_reachable(&known, &parent);
			c->parents[c->nparents++] = parent;
		} else if (oidmap_get(&seen, &parent, &j)) {
			c->parents[c->nparents++] = parent;
		} else if (discover(r, odb, &parent, pat, w, &pend, &pcap, &seen)) {
			c = &w->commits[idx]; /* discover may move the array */
			c->parents[c->nparents++] = parent;
			xgrow(&stack, &scap, nstack + 1, sizeof(*stack));
			stack[nstack++] = (struct frame){ w->ncommits - 1, 0 };
		} else {
			/* Not a shallow boundary: the history is damaged.  Diffing
			 * against the other parent (or none) would invent changes,
			 * so the commit's facts are skipped; its other ancestors
			 * are still walked. */
			add_missing_parent(w, &c->oid, &parent);
			c->skipped = "a parent commit is missing or unreadable";
		}
	}

	/* Reorder new commits parents-first. */
	struct walk_commit *sorted = xmalloc((w->ncommits ? w->ncommits : 1) * sizeof(*sorted));
	for (size_t i = 0; i < norder; i++)
		sorted[i] = w->commits[order[i]];
	free(w->commits);
	w->commits = sorted;

	for (size_t i = 0; i < known.n; i++) {
		if (known.commits[i].reachable)
			continue;
		w->stale = xrealloc(w->stale, (w->nstale + 1) * sizeof(*w->stale));
		w->stale[w->nstale++] = known.commits[i].oid;
	}
	rc = 0;
out:
	for (size_t i = 0; i < w->ncommits && pend; i++)
		free(pend[i].raw_parents);
	free(pend);
	free(order);
	free(stack);
	oidmap_free(&seen);
	known_free(&known);
	git_odb_free(odb);
	return rc;
}

void walk_result_free(struct walk_result *w)
{
	for (size_t i = 0; i < w->ncommits; i++) {
		free(w->commits[i].parents);
		free(w->commits[i].name);
		free(w->commits[i].email);
		free(w->commits[i].subject);
	}
	free(w->commits);
	free(w->stale);
	for (size_t i = 0; i < w->nproblems; i++)
		free(w->problems[i].what);
	free(w->problems);
	memset(w, 0, sizeof(*w));
}

int walk_commit_tree(git_odb *odb, const git_oid *commit, git_oid *tree)
{
	git_odb_object *obj = NULL;
	if (git_odb_read(&obj, odb, commit) < 0)
		return repo_git_error(CARRY_ERR, "cannot read commit");
	const char *d = git_odb_object_data(obj);
	size_t n = git_odb_object_size(obj);
	int rc = CARRY_ERR;
	if (n > 5 + GIT_OID_HEXSZ && memcmp(d, "tree ", 5) == 0 &&
	    git_oid_fromstrn(tree, d + 5, GIT_OID_HEXSZ) == 0)
		rc = 0;
	git_odb_object_free(obj);
	return rc;
}
