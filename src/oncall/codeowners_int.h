/*
 * Private interface between the two halves of the CODEOWNERS module; not
 * for use outside src/oncall/codeowners*.c (the public API is codeowners.h).
 *
 * codeowners_match.c owns patterns and paths: compiling a pattern into a
 * `struct pat`, splitting a path into a `struct path`, and matching one
 * against the other (git's wildmatch plus GitHub's departures).
 * codeowners.c owns the parsed file: lines, rules, sections, problems and
 * the owners lookup; it stores one compiled `struct pat` per rule and calls
 * pat_match_path for each candidate rule.
 */
#ifndef CARRY_CODEOWNERS_INT_H
#define CARRY_CODEOWNERS_INT_H

#include <stdbool.h>
#include <stddef.h>

/* ---- compiled patterns ---- */

enum pat_kind {
	PAT_LITERAL, /* no wildcard, no escape: plain comparison */
	PAT_SUFFIX,  /* unanchored "*literal": suffix comparison */
	PAT_GLOB,    /* wildmatch */
};

struct pat {
	const char *p;   /* body: one leading and one trailing '/' removed */
	size_t len;
	size_t prefix;   /* bytes of the body before its first '*', '?' or '\' */
	size_t nslash;   /* '/' in the body */
	enum pat_kind kind;
	bool anchored;   /* a '/' at the start or in the middle */
	bool dir_only;   /* a trailing '/' */
	bool deep;       /* a `**` that crosses '/' */
	bool files_only; /* last segment is a lone '*': no parent directories */
};

/* ---- paths ---- */

#define PATH_SLASHES_INLINE 64

struct path {
	const char *s;
	size_t len;
	bool is_dir;          /* given with a trailing '/' */
	size_t nslash;
	size_t *slash;        /* positions of the '/' in s[0..len) */
	size_t inline_slash[PATH_SLASHES_INLINE];
};

/* Defined in codeowners_match.c, with their contracts. */
bool pat_compile(const char *pattern, size_t len, struct pat *out, const char **why);
bool path_init(struct path *pa, const char *path);
void path_release(struct path *pa); /* also after a false path_init */
bool pat_match_path(const struct pat *pt, const struct path *pa);

#endif
