/*
 * The core of the line engine: who wrote each line of one file, and how
 * that changes across one diff.  Pure C, no git, no SQL (unit-tested on
 * its own in tests/unit/test_linestate.c).
 *
 * A *line delta* is what a scan keeps of one diff (git blame's diff: xdiff
 * with context 0 after trimming the common tail, indent heuristic on):
 *   varint  header     0 = the new side has no lines (binary, symlink,
 *                      submodule); else 1 + its line count
 *   then per hunk, in order:
 *   varint  gap        old lines unchanged since the previous hunk
 *   varint  old_count  old lines replaced
 *   varint  new_count  new lines in their place
 * Unchanged stretches pair up old and new lines one to one, so a delta
 * carries everything blame needs and nothing of the content.
 */
#ifndef CARRY_LINESTATE_H
#define CARRY_LINESTATE_H

#include <stddef.h>
#include <stdint.h>

/* Origins of the lines of one file version: commit indexes, shared
 * between commits until one changes it (reference counted). */
struct lfile {
	uint32_t refs;
	uint32_t n;
	uint32_t origin[];
};

#define LFILE_UNSET UINT32_MAX

struct lfile *lfile_new(uint32_t n, uint32_t fill);
struct lfile *lfile_ref(struct lfile *f);
void lfile_unref(struct lfile *f);

/* ---- deltas ---- */

struct ldelta_hunk {
	uint32_t old_start, old_count; /* 0-based first old line, count */
	uint32_t new_start, new_count;
};

/* Encodes a delta.  `new_lines` < 0: no lines. */
void ldelta_encode(unsigned char **out, size_t *len, int64_t new_lines,
                   const struct ldelta_hunk *h, size_t nh);

/* The new side's line count from the header: >= 0, -1 when it has no
 * lines, -2 when the delta is malformed. */
int64_t ldelta_new_lines(const unsigned char *d, size_t len);

/* For every line of `out` that `delta` keeps unchanged from `old` (NULL:
 * an empty file) and that is still LFILE_UNSET, takes old's origin: git
 * blame passing lines to a parent.  Returns 0, or -1 when the delta does
 * not fit `old` or `out` (nothing in `out` is changed then). */
int lfile_pass(struct lfile *out, const struct lfile *old, const unsigned char *delta, size_t len);

/* Sets every LFILE_UNSET line to `self`: the lines this commit wrote. */
void lfile_fill(struct lfile *out, uint32_t self);

/* One diff in one step: the file after `delta` applied to `old` in commit
 * `self`.  *out is NULL when the new side has no lines.  -1 when the
 * delta does not fit (then *out holds every line as `self`'s, so the
 * engine can go on and say so). */
int lfile_apply(struct lfile **out, const struct lfile *old, const unsigned char *delta,
                size_t len, uint32_t self);

#endif
