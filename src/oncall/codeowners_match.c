/*
 * CODEOWNERS patterns: compiling and matching (codeowners_int.h is the
 * interface; the parsed file and owners lookup are in codeowners.c).
 *
 * Patterns are compiled once, at parse time, into a small descriptor that
 * points into the stored pattern text: whether the pattern is anchored at
 * the root, directory-only, "deep" (holds a slash-crossing `**`), how many
 * '/' it has, its literal prefix, and whether a cheap comparison (whole
 * literal, `*.ext` suffix) can replace the glob matcher.  Matching a path
 * then tries only the candidates the pattern can match: for an anchored
 * pattern without `**`, the one leading part of the path with as many
 * slashes as the pattern; for an unanchored pattern, each path component.
 *
 * The glob matcher is git's wildmatch (wildmatch.c, WM_PATHNAME, no
 * bracket expressions since CODEOWNERS has none), rewritten over
 * length-bounded strings, so its answers agree with `git check-ignore`
 * (tests/data/codeowners/conformance.tsv was checked against git 2.39).
 * Where GitHub departs from gitignore, see the list in codeowners.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "codeowners.h"
#include "codeowners_int.h"

/* Longer patterns are invalid lines: the matcher recurses once per '*',
 * so this bounds its stack depth (paths are at most 4096 bytes anyway). */
#define MAX_PATTERN 4096

/* ---- compiled patterns ---- */

static inline bool is_glob_special(char c)
{
	return c == '*' || c == '?' || c == '\\';
}

/* Compiles pattern[0..len) into *out (which then points into it).  On an
 * invalid pattern returns false with *why set to a static message. */
bool pat_compile(const char *pattern, size_t len, struct pat *out, const char **why)
{
	memset(out, 0, sizeof *out);
	if (len == 0) {
		*why = "empty pattern";
		return false;
	}
	if (len > MAX_PATTERN) {
		*why = "pattern longer than 4096 bytes";
		return false;
	}
	if (pattern[0] == '!') {
		*why = "negation '!' is not supported";
		return false;
	}
	const char *p = pattern;
	size_t n = len;
	if (n > 0 && p[n - 1] == '/') {
		out->dir_only = true;
		n--;
	}
	if (n > 0 && p[0] == '/') {
		out->anchored = true;
		p++;
		n--;
	}
	if (n == 0) {
		*why = "pattern '/' matches nothing (use '*' for every file)";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c == '\\') {
			if (i + 1 == n) {
				*why = "pattern ends with a backslash";
				return false;
			}
			if (p[i + 1] == '#') {
				*why = "escaping '#' with '\\' is not supported";
				return false;
			}
			i++;
			continue;
		}
		if (c == '[' || c == ']') {
			*why = "character ranges '[ ]' are not supported (escape '[' and ']' with '\\')";
			return false;
		}
		if (c == '/') {
			out->anchored = true;
			out->nslash++;
		}
	}

	/* gitignore(5): "**" + "/foo" is the same as "foo".  A leading run of
	 * "**" + "/" before a remainder without '/' gives an unanchored pattern,
	 * matched by cheap per-component comparisons. */
	const char *q = p;
	size_t m = n;
	while (m > 3 && q[0] == '*' && q[1] == '*' && q[2] == '/') {
		q += 3;
		m -= 3;
	}
	if (q != p && memchr(q, '/', m) == NULL) {
		p = q;
		n = m;
		out->anchored = false;
		out->nslash = 0;
	}
	out->p = p;
	out->len = n;

	/* A slash-crossing `**`: preceded by the start or '/', followed by the
	 * end or '/' (wildmatch's rule; other runs of '*' are plain '*'). */
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] != '*')
			continue;
		size_t j = i;
		while (j < n && p[j] == '*')
			j++;
		if (j - i >= 2 && (i == 0 || p[i - 1] == '/') &&
		    (j == n || p[j] == '/' || (p[j] == '\\' && j + 1 < n && p[j + 1] == '/')))
			out->deep = true;
		i = j - 1;
	}

	size_t pre = 0;
	while (pre < n && !is_glob_special(p[pre]))
		pre++;
	out->prefix = pre;

	if (pre == n)
		out->kind = PAT_LITERAL;
	else if (!out->anchored && n > 1 && p[0] == '*') {
		size_t k = 1;
		while (k < n && !is_glob_special(p[k]))
			k++;
		out->kind = k == n ? PAT_SUFFIX : PAT_GLOB;
	} else
		out->kind = PAT_GLOB;

	/* GitHub: "docs/<star>" owns docs' files, not its subdirectories. */
	out->files_only = !out->dir_only && p[n - 1] == '*' && (n == 1 || p[n - 2] == '/');
	return true;
}

/* ---- wildmatch (git's algorithm, WM_PATHNAME, bounded strings) ---- */

enum { WM_MATCH = 0, WM_NOMATCH = 1, WM_ABORT_ALL = -1, WM_ABORT_TO_STARSTAR = -2 };

static int dowild(const char *p, const char *pe, const char *t, const char *te)
{
	const char *pstart = p;

	for (; p < pe; p++, t++) {
		char pc = *p;
		if (t >= te && pc != '*')
			return WM_ABORT_ALL;
		switch (pc) {
		case '\\':
			/* pat_compile rejects a trailing backslash */
			p++;
			if (*t != *p)
				return WM_NOMATCH;
			break;
		case '?':
			if (*t == '/')
				return WM_NOMATCH;
			break;
		case '*': {
			bool match_slash = false;
			if (p + 1 < pe && p[1] == '*') {
				const char *prev = p - 1;
				p++;
				while (p + 1 < pe && p[1] == '*')
					p++;
				const char *after = p + 1;
				if ((prev < pstart || *prev == '/') &&
				    (after == pe || *after == '/' ||
				     (after + 1 < pe && after[0] == '\\' && after[1] == '/'))) {
					/* "**" + "/" may match no directory at all */
					if (after < pe && *after == '/' &&
					    dowild(after + 1, pe, t, te) == WM_MATCH)
						return WM_MATCH;
					match_slash = true;
				}
			}
			p++; /* past the run of stars */
			if (p == pe) {
				/* trailing "**" matches everything, "*" up to a '/' */
				if (!match_slash && t < te && memchr(t, '/', (size_t)(te - t)))
					return WM_NOMATCH;
				return WM_MATCH;
			}
			if (!match_slash && *p == '/') {
				/* one '*' then '/': the rest of this component */
				const char *slash = t < te ? memchr(t, '/', (size_t)(te - t)) : NULL;
				if (!slash)
					return WM_NOMATCH;
				t = slash;
				break; /* the loop steps past both slashes */
			}
			while (t < te) {
				if (!is_glob_special(*p)) {
					/* skip to the next occurrence of the literal */
					while (t < te && (match_slash || *t != '/') && *t != *p)
						t++;
					if (t >= te || *t != *p)
						return match_slash ? WM_ABORT_ALL : WM_ABORT_TO_STARSTAR;
				}
				int m = dowild(p, pe, t, te);
				if (m != WM_NOMATCH) {
					if (!match_slash || m != WM_ABORT_TO_STARSTAR)
						return m;
				} else if (!match_slash && *t == '/')
					return WM_ABORT_TO_STARSTAR;
				t++;
			}
			return WM_ABORT_ALL;
		}
		default:
			if (*t != pc)
				return WM_NOMATCH;
			break;
		}
	}
	return t < te ? WM_NOMATCH : WM_MATCH;
}

/* Does the compiled pattern's body match text[0..tlen) as a whole? */
static bool pat_match_text(const struct pat *pt, const char *text, size_t tlen)
{
	switch (pt->kind) {
	case PAT_LITERAL:
		return tlen == pt->len && memcmp(text, pt->p, tlen) == 0;
	case PAT_SUFFIX:
		return tlen >= pt->len - 1 &&
		       memcmp(text + tlen - (pt->len - 1), pt->p + 1, pt->len - 1) == 0;
	case PAT_GLOB:
	default:
		if (tlen < pt->prefix || memcmp(text, pt->p, pt->prefix) != 0)
			return false;
		return dowild(pt->p, pt->p + pt->len, text, text + tlen) == WM_MATCH;
	}
}

/* ---- paths ---- */

/* Returns false for a path that cannot match anything (empty). */
bool path_init(struct path *pa, const char *path)
{
	while (*path == '/')
		path++;
	size_t len = strlen(path);
	pa->is_dir = false;
	while (len > 0 && path[len - 1] == '/') {
		pa->is_dir = true;
		len--;
	}
	pa->s = path;
	pa->len = len;
	pa->nslash = 0;
	pa->slash = pa->inline_slash;
	if (len == 0)
		return false;
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += path[i] == '/';
	if (count > PATH_SLASHES_INLINE)
		pa->slash = xmalloc(count * sizeof *pa->slash);
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			pa->slash[pa->nslash++] = i;
	return true;
}

void path_release(struct path *pa)
{
	if (pa->slash != pa->inline_slash)
		free(pa->slash);
	pa->slash = pa->inline_slash;
}

/* The pattern matches the path or one of its parent directories. */
bool pat_match_path(const struct pat *pt, const struct path *pa)
{
	const char *s = pa->s;
	bool full_ok = !pt->dir_only || pa->is_dir; /* may the path itself match? */

	if (!pt->anchored) {
		/* the pattern has no '/': match each component's name */
		size_t start = 0;
		for (size_t i = 0; i <= pa->nslash; i++) {
			bool last = i == pa->nslash;
			size_t end = last ? pa->len : pa->slash[i];
			if (last ? full_ok : !pt->files_only) {
				if (pat_match_text(pt, s + start, end - start))
					return true;
			}
			start = end + 1;
		}
		return false;
	}

	if (!pt->deep) {
		/* only the leading part with as many slashes as the pattern */
		if (pa->nslash < pt->nslash)
			return false;
		bool full = pa->nslash == pt->nslash;
		if (full ? !full_ok : pt->files_only)
			return false;
		size_t end = full ? pa->len : pa->slash[pt->nslash];
		return pat_match_text(pt, s, end);
	}

	/* every leading directory, then the path itself */
	size_t pre = pt->prefix < pa->len ? pt->prefix : pa->len;
	if (memcmp(s, pt->p, pre) != 0)
		return false;
	if (!pt->files_only) {
		for (size_t i = 0; i < pa->nslash; i++)
			if (pa->slash[i] >= pt->prefix && pat_match_text(pt, s, pa->slash[i]))
				return true;
	}
	return full_ok && pat_match_text(pt, s, pa->len);
}

bool codeowners_pattern_matches(const char *pattern, const char *path)
{
	if (pattern == NULL || path == NULL)
		return false;
	struct pat pt;
	const char *why;
	if (!pat_compile(pattern, strlen(pattern), &pt, &why))
		return false;
	struct path pa;
	bool ok = false;
	if (path_init(&pa, path))
		ok = pat_match_path(&pt, &pa);
	path_release(&pa);
	return ok;
}
