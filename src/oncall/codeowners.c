/*
 * CODEOWNERS parsing and owner lookup (see codeowners.h): lines, rules,
 * GitLab sections, problems.  Patterns are compiled and matched in
 * codeowners_match.c, through codeowners_int.h.
 *
 * GitHub departs from gitignore in a few places, and GitHub wins here:
 *   - a pattern whose last segment is a lone `*` ("docs/" then a star, or
 *     "/" then a star) matches the files directly in that directory only,
 *     not the contents of its subdirectories (GitHub's documented example
 *     for "docs/<star>"; gitignore would match the subdirectory, and so
 *     everything beneath it);
 *   - `!` negation, `[ ]` ranges and `\#` are invalid lines, not syntax;
 *   - a `#` starting a token after the pattern starts a comment (gitignore
 *     only knows whole-line comments), and leading blanks are skipped;
 *   - `/` alone matches nothing on GitHub: reported as a problem.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "codeowners.h"
#include "codeowners_int.h"

/* A file with more invalid lines than this lists the first ones and then
 * says that more were left out (a hostile file cannot make the problem
 * list many times larger than itself). */
#define MAX_PROBLEMS 1000

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* ---- the parsed file ---- */

struct rule {
	char *pattern;   /* as written (escapes kept); pat points into it */
	struct pat pat;
	char **owners;   /* effective owners: the line's, or the section's defaults */
	size_t nowners;
	size_t line;
	size_t section;
};

struct section {
	char *name;      /* as first written; "" for the rules before any header */
	size_t *rules;   /* indices into codeowners.rules, in file order */
	size_t nrules, cap;
};

struct codeowners {
	struct rule *rules;
	size_t nrules, rules_cap;
	struct section *sections;
	size_t nsections, sections_cap;
	struct codeowners_problem *problems;
	size_t nproblems, problems_cap;
	bool problems_truncated;
};

static void add_problem(struct codeowners *co, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_problem(struct codeowners *co, size_t line, const char *fmt, ...)
{
	if (co->problems_truncated)
		return;
	struct strbuf sb = STRBUF_INIT;
	if (co->nproblems == MAX_PROBLEMS) {
		sb_adds(&sb, "too many invalid lines; the rest are not listed");
		co->problems_truncated = true;
	} else {
		va_list ap;
		va_start(ap, fmt);
		sb_vaddf(&sb, fmt, ap);
		va_end(ap);
	}
	xgrow(&co->problems, &co->problems_cap, co->nproblems + 1, sizeof *co->problems);
	co->problems[co->nproblems].line = line;
	co->problems[co->nproblems].what = sb_detach(&sb);
	co->nproblems++;
}

static size_t section_find_or_add(struct codeowners *co, const char *name, size_t len)
{
	for (size_t i = 0; i < co->nsections; i++) {
		const char *s = co->sections[i].name;
		if (strlen(s) != len)
			continue;
		size_t k = 0;
		while (k < len) {
			unsigned char a = (unsigned char)s[k], b = (unsigned char)name[k];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b + 32);
			if (a != b)
				break;
			k++;
		}
		if (k == len)
			return i; /* GitLab: names are case-insensitive, duplicates combined */
	}
	xgrow(&co->sections, &co->sections_cap, co->nsections + 1, sizeof *co->sections);
	struct section *sec = &co->sections[co->nsections];
	memset(sec, 0, sizeof *sec);
	sec->name = xstrndup(name, len);
	return co->nsections++;
}

static inline bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* `@user`, `@org/team` (GitLab: `@group/sub/group`), GitLab's `@@role`,
 * or an email address. */
static bool owner_valid(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '@' && s[1] == '@') {
		if (n == 2)
			return false;
		for (size_t i = 2; i < n; i++)
			if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '-')
				return false;
		return true;
	}
	if (n >= 1 && s[0] == '@') {
		size_t seg = 0;
		for (size_t i = 1; i < n; i++) {
			char c = s[i];
			if (c == '/') {
				if (seg == 0)
					return false;
				seg = 0;
			} else if (is_alnum(c) || c == '_' || c == '-' || c == '.')
				seg++;
			else
				return false;
		}
		return seg > 0;
	}
	const char *at = memchr(s, '@', n);
	if (at == NULL || at == s)
		return false;
	for (const char *c = s; c < at; c++)
		if (!is_alnum(*c) && strchr("._%+-'", *c) == NULL)
			return false;
	const char *d = at + 1, *e = s + n;
	size_t labels = 0, lab = 0;
	for (; d < e; d++) {
		if (*d == '.') {
			if (lab == 0)
				return false;
			labels++;
			lab = 0;
		} else if (is_alnum(*d) || *d == '-')
			lab++;
		else
			return false;
	}
	return lab > 0 && labels >= 1;
}

static void free_owner_list(char **owners, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(owners[i]);
	free(owners);
}

/* Reads the owners in line[i..n) (up to a '#' comment) into a fresh array.
 * Returns false, with a problem added, on an invalid owner. */
static bool parse_owners(struct codeowners *co, size_t lineno, const char *line, size_t i, size_t n,
                         char ***out, size_t *nout)
{
	char **owners = NULL;
	size_t count = 0, cap = 0;
	for (;;) {
		while (i < n && is_blank(line[i]))
			i++;
		if (i == n || line[i] == '#')
			break;
		size_t start = i;
		while (i < n && !is_blank(line[i]))
			i++;
		if (!owner_valid(line + start, i - start)) {
			int shown = (int)(i - start > 60 ? 60 : i - start);
			add_problem(co, lineno, "owner '%.*s%s' is not @user, @org/team or an email",
			            shown, line + start, i - start > 60 ? "..." : "");
			free_owner_list(owners, count);
			return false;
		}
		xgrow(&owners, &cap, count + 1, sizeof *owners);
		owners[count++] = xstrndup(line + start, i - start);
	}
	*out = owners;
	*nout = count;
	return true;
}

struct parser {
	struct codeowners *co;
	size_t section;       /* current section */
	char **defaults;      /* the current section header's default owners */
	size_t ndefaults;
};

/* A GitLab section header: `[Name]`, `^[Name]`, `[Name][N]`, then optional
 * default owners.  Returns false when the line is not shaped like one (it
 * is then read as a rule). */
static bool parse_section(struct parser *ps, size_t lineno, const char *line, size_t i, size_t n)
{
	if (line[i] == '^')
		i++;
	if (i >= n || line[i] != '[')
		return false;
	const char *close = memchr(line + i + 1, ']', n - i - 1);
	if (close == NULL)
		return false;
	size_t name = i + 1, name_len = (size_t)(close - (line + name));
	i = (size_t)(close - line) + 1;
	if (i < n && line[i] == '[') {
		size_t k = i + 1;
		while (k < n && line[k] >= '0' && line[k] <= '9')
			k++;
		if (k >= n || line[k] != ']')
			return false;
		i = k + 1;
	}
	if (i < n && !is_blank(line[i]) && line[i] != '#')
		return false;

	if (name_len == 0) {
		add_problem(ps->co, lineno, "section header has no name");
		return true;
	}
	char **owners = NULL;
	size_t nowners = 0;
	bool ok = parse_owners(ps->co, lineno, line, i, n, &owners, &nowners);
	/* The section starts even when its owners are invalid (those are
	 * reported and dropped): its rules must not fall into the previous one. */
	ps->section = section_find_or_add(ps->co, line + name, name_len);
	free_owner_list(ps->defaults, ps->ndefaults);
	ps->defaults = ok ? owners : NULL;
	ps->ndefaults = ok ? nowners : 0;
	return true;
}

static void parse_line(struct parser *ps, size_t lineno, const char *line, size_t n)
{
	struct codeowners *co = ps->co;
	if (memchr(line, '\0', n) != NULL) {
		add_problem(co, lineno, "line contains a NUL byte");
		return;
	}
	size_t i = 0;
	while (i < n && is_blank(line[i]))
		i++;
	if (i == n || line[i] == '#')
		return;
	if ((line[i] == '[' || (line[i] == '^' && i + 1 < n && line[i + 1] == '[')) &&
	    parse_section(ps, lineno, line, i, n))
		return;

	/* the pattern: up to the first unescaped blank */
	size_t start = i;
	while (i < n && !is_blank(line[i])) {
		if (line[i] == '\\' && i + 1 < n)
			i++;
		i++;
	}
	size_t plen = i - start;

	struct pat probe;
	const char *why = NULL;
	if (!pat_compile(line + start, plen, &probe, &why)) {
		int shown = (int)(plen > 60 ? 60 : plen);
		add_problem(co, lineno, "pattern '%.*s%s': %s", shown, line + start,
		            plen > 60 ? "..." : "", why);
		return;
	}
	char **owners = NULL;
	size_t nowners = 0;
	if (!parse_owners(co, lineno, line, i, n, &owners, &nowners))
		return;
	if (nowners == 0 && ps->ndefaults > 0) {
		owners = xmalloc(ps->ndefaults * sizeof *owners);
		for (size_t k = 0; k < ps->ndefaults; k++)
			owners[k] = xstrdup(ps->defaults[k]);
		nowners = ps->ndefaults;
	}

	xgrow(&co->rules, &co->rules_cap, co->nrules + 1, sizeof *co->rules);
	struct rule *r = &co->rules[co->nrules];
	r->pattern = xstrndup(line + start, plen);
	pat_compile(r->pattern, plen, &r->pat, &why); /* valid: checked above */
	r->owners = owners;
	r->nowners = nowners;
	r->line = lineno;
	r->section = ps->section;

	struct section *sec = &co->sections[ps->section];
	xgrow(&sec->rules, &sec->cap, sec->nrules + 1, sizeof *sec->rules);
	sec->rules[sec->nrules++] = co->nrules;
	co->nrules++;
}

int codeowners_parse(struct codeowners **out, const char *buf, size_t len)
{
	if (out == NULL)
		return carry_error(CARRY_ERR, "codeowners_parse: no output");
	*out = NULL;
	if (buf == NULL && len > 0)
		return carry_error(CARRY_ERR, "codeowners_parse: no buffer");

	struct codeowners *co = xcalloc(1, sizeof *co);
	section_find_or_add(co, "", 0);
	struct parser ps = { .co = co, .section = 0 };

	size_t pos = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* UTF-8 byte order mark */
	size_t lineno = 0;
	while (pos < len) {
		const char *start = buf + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl != NULL);
		if (n > 0 && start[n - 1] == '\r')
			n--;
		parse_line(&ps, ++lineno, start, n);
	}
	free_owner_list(ps.defaults, ps.ndefaults);
	*out = co;
	return 0;
}

void codeowners_free(struct codeowners *co)
{
	if (co == NULL)
		return;
	for (size_t i = 0; i < co->nrules; i++) {
		free(co->rules[i].pattern);
		free_owner_list(co->rules[i].owners, co->rules[i].nowners);
	}
	free(co->rules);
	for (size_t i = 0; i < co->nsections; i++) {
		free(co->sections[i].name);
		free(co->sections[i].rules);
	}
	free(co->sections);
	for (size_t i = 0; i < co->nproblems; i++)
		free(co->problems[i].what);
	free(co->problems);
	free(co);
}

size_t codeowners_problem_count(const struct codeowners *co)
{
	return co ? co->nproblems : 0;
}

const struct codeowners_problem *codeowners_problem(const struct codeowners *co, size_t i)
{
	return co && i < co->nproblems ? &co->problems[i] : NULL;
}

size_t codeowners_rule_count(const struct codeowners *co)
{
	return co ? co->nrules : 0;
}

static const struct rule *rule_at(const struct codeowners *co, size_t i)
{
	return co && i < co->nrules ? &co->rules[i] : NULL;
}

const char *codeowners_rule_pattern(const struct codeowners *co, size_t i)
{
	const struct rule *r = rule_at(co, i);
	return r ? r->pattern : NULL;
}

size_t codeowners_rule_line(const struct codeowners *co, size_t i)
{
	const struct rule *r = rule_at(co, i);
	return r ? r->line : 0;
}

const char *codeowners_rule_section(const struct codeowners *co, size_t i)
{
	const struct rule *r = rule_at(co, i);
	return r ? co->sections[r->section].name : NULL;
}

size_t codeowners_rule_owner_count(const struct codeowners *co, size_t i)
{
	const struct rule *r = rule_at(co, i);
	return r ? r->nowners : 0;
}

const char *codeowners_rule_owner(const struct codeowners *co, size_t i, size_t k)
{
	const struct rule *r = rule_at(co, i);
	return r && k < r->nowners ? r->owners[k] : NULL;
}

/* Owners are the same when equal ignoring ASCII case (GitHub logins,
 * team slugs and email addresses are all case-insensitive). */
static bool owner_same(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

size_t codeowners_owners(const struct codeowners *co, const char *path,
                         void (*cb)(const char *owner, void *payload), void *payload,
                         bool *matched)
{
	if (matched)
		*matched = false;
	if (co == NULL || path == NULL)
		return 0;
	struct path pa;
	if (!path_init(&pa, path)) {
		path_release(&pa);
		return 0;
	}

	const char *seen_inline[32];
	const char **seen = seen_inline;
	size_t nseen = 0, seen_cap = sizeof seen_inline / sizeof seen_inline[0];
	bool any = false;

	for (size_t s = 0; s < co->nsections; s++) {
		const struct section *sec = &co->sections[s];
		for (size_t k = sec->nrules; k-- > 0;) {
			const struct rule *r = &co->rules[sec->rules[k]];
			if (!pat_match_path(&r->pat, &pa))
				continue;
			any = true; /* last match wins within the section */
			for (size_t o = 0; o < r->nowners; o++) {
				const char *owner = r->owners[o];
				bool dup = false;
				for (size_t q = 0; q < nseen && !dup; q++)
					dup = owner_same(seen[q], owner);
				if (dup)
					continue;
				if (nseen == seen_cap) {
					const char **bigger = xmalloc(2 * seen_cap * sizeof *bigger);
					memcpy(bigger, seen, nseen * sizeof *seen);
					if (seen != seen_inline)
						free(seen);
					seen = bigger;
					seen_cap *= 2;
				}
				seen[nseen++] = owner;
				if (cb)
					cb(owner, payload);
			}
			break;
		}
	}
	if (seen != seen_inline)
		free(seen);
	path_release(&pa);
	if (matched)
		*matched = any;
	return nseen;
}
