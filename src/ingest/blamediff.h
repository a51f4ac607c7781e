/*
 * git blame's diff of two file versions, as a line delta (linestate.h).
 * blame differs from `git log --numstat` in two ways that change which
 * lines a diff calls changed: it diffs with no context, so git first trims
 * the common tail of both files in 1024-byte blocks (xdiff-interface.c,
 * trim_common_tail), and xdiff's answer depends on what it is given; and
 * the indent heuristic (on by default) slides ambiguous hunks.
 */
#ifndef CARRY_BLAMEDIFF_H
#define CARRY_BLAMEDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Only regular files have lines to blame (git's modes 100644 and 100755):
 * symlinks and submodules do not. */
static inline bool mode_has_lines(uint32_t mode)
{
	return mode == 0100644 || mode == 0100755;
}

/* How many bytes at the end of both files git blame leaves out of the
 * diff (0 when nothing is trimmed). */
size_t blame_trim_tail(const char *a, size_t alen, const char *b, size_t blen);

/* Number of lines as git counts them (a last line without newline counts). */
int64_t text_line_count(const char *data, size_t len);

/* The delta from `a` (NULL: no old side) to `b` (NULL: no lines).  Returns
 * 0 or -1 when libgit2's diff fails.  `added` and `deleted`, when not NULL,
 * get numstat's counts (from the same diff, or from one with a stand-in
 * tail: see blamediff.c); *counted says whether they were set (not when
 * a diff failed). */
int blame_delta(const char *a, size_t alen, const char *b, size_t blen,
                unsigned char **delta, size_t *delta_len,
                int64_t *added, int64_t *deleted, bool *counted);

#endif
