/*
 * CODEOWNERS: parsing and matching with GitHub's semantics (DESIGN.md,
 * "Declared owners"), plus GitLab's [Section] syntax.
 *
 * GitHub: each non-comment line is "PATTERN OWNER...".  Patterns follow
 * gitignore rules except that `!` negation, `[ ]` character ranges and
 * `\#` escapes are not supported (such lines are invalid: reported with
 * their line number and skipped, as GitHub does).  A pattern with a `/`
 * at the start or in the middle is anchored at the repository root;
 * otherwise it matches at any depth; a trailing `/` matches a directory
 * (and so everything under it); `*` does not cross `/`; `**` does; a
 * pattern matching a directory owns everything beneath it, except a
 * pattern whose last segment is a lone `*` (as in `docs/` + `*`), which owns only
 * the files directly in that directory, as GitHub documents.  The last
 * matching rule wins; a rule with no owners un-owns the path.
 *
 * GitLab: `[Section]` / `^[Optional Section]` / `[Section][2]` headers,
 * optionally followed by default owners (`[Docs] @docs-team`); rules
 * below a header with no owners of their own take the section's default
 * owners.  Each section is evaluated on its own (last match wins within
 * it) and the owners of all sections are united, in section order.
 *
 * Owners are kept as written (`@user`, `@org/team`, `user@example.com`);
 * expanding them to people is the roster's business.
 */
#ifndef CARRY_CODEOWNERS_H
#define CARRY_CODEOWNERS_H

#include <stdbool.h>
#include <stddef.h>

struct codeowners;

struct codeowners_problem {
	size_t line;        /* 1-based */
	char *what;         /* e.g. "negation '!' is not supported" */
};

/* Parses a CODEOWNERS file's contents (any size; CRLF accepted).  Never
 * fails on content: invalid lines become problems.  `*out` is freed with
 * codeowners_free. */
int codeowners_parse(struct codeowners **out, const char *buf, size_t len);
void codeowners_free(struct codeowners *co);

size_t codeowners_problem_count(const struct codeowners *co);
const struct codeowners_problem *codeowners_problem(const struct codeowners *co, size_t i);

/* Number of rules kept (valid lines), and rule i's pattern, owners and line. */
size_t codeowners_rule_count(const struct codeowners *co);
const char *codeowners_rule_pattern(const struct codeowners *co, size_t i);
size_t codeowners_rule_line(const struct codeowners *co, size_t i);
const char *codeowners_rule_section(const struct codeowners *co, size_t i); /* "" for none */
size_t codeowners_rule_owner_count(const struct codeowners *co, size_t i);
const char *codeowners_rule_owner(const struct codeowners *co, size_t i, size_t k);

/* The owners of a file path (repository-relative, no leading '/'):
 * calls `cb` once per owner, in order, de-duplicated.  Returns the number
 * of owners (0: un-owned or no rule matched); *matched (may be NULL) says
 * whether any rule matched at all (so "un-owned by an empty rule" and
 * "no rule" can be told apart). */
size_t codeowners_owners(const struct codeowners *co, const char *path,
                         void (*cb)(const char *owner, void *payload), void *payload,
                         bool *matched);

/* Does the CODEOWNERS pattern match the path (file path; the pattern also
 * matches when it matches one of the path's parent directories)?  The
 * building block, exposed for the services table (DESIGN.md: service path
 * globs use CODEOWNERS pattern syntax). */
bool codeowners_pattern_matches(const char *pattern, const char *path);

#endif
