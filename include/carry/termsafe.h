/*
 * Terminal-safe text.  Author names, commit subjects, file contents and
 * paths come from other people's repositories and can carry escape
 * sequences, bidi overrides and invalid UTF-8.  Every byte carry prints to
 * a terminal (CLI text tables, blame lines, the dashboard, text reports)
 * first goes through ts_escape(); JSON and CSV output use their own exact
 * escaping instead (see src/cli/output.c).
 *
 * The mapping (documented in man/carry.1):
 *   C0 controls (U+0000-U+001F) and DEL   ->  caret form: ^@ ^A ... ^[ ... ^_ ^?
 *   C1 controls (U+0080-U+009F)           ->  \u{80} ... \u{9f}
 *   invalid UTF-8 (each offending byte)   ->  \xHH (upper-case hex)
 *   bidi controls and invisible characters
 *     U+061C, U+200B-U+200F, U+2028, U+2029, U+202A-U+202E,
 *     U+2066-U+2069, U+FEFF              ->  <U+202E> (upper-case hex, 4+ digits)
 *   everything else                        ->  unchanged
 * The output is printable ASCII plus safe UTF-8 only, so ts_escape is
 * idempotent: escaping already-escaped text changes nothing.
 */
#ifndef CARRY_TERMSAFE_H
#define CARRY_TERMSAFE_H

#include <stddef.h>

#include "carry/strbuf.h"

/* Appends the terminal-safe form of s[0..len) to out and returns the
 * display width (terminal columns) of what it appended.  Wide (East Asian
 * W/F) characters count 2, combining marks and other zero-width
 * characters 0; the width table does not depend on the process locale. */
size_t ts_escape(struct strbuf *out, const char *s, size_t len);

/* Convenience: ts_escape of a NUL-terminated string. */
size_t ts_escapes(struct strbuf *out, const char *s);

/* Display width of one Unicode scalar value as ts_escape counts it for a
 * character it passes through unchanged: 0, 1 or 2. */
int ts_codepoint_width(unsigned cp);

/* Display width of already-safe UTF-8 text (the output of ts_escape).
 * On any other text it is the width ts_escape would return. */
size_t ts_width(const char *s, size_t len);

/* Appends safe text s[0..len) to out if it is at most `cols` wide.  If not,
 * appends its longest prefix at most cols - 1 wide followed by "~" (with
 * cols 0: its zero-width start, no "~").  "~" can land a column early when
 * a wide character did not fit; callers pad.  Never splits a character or
 * an escape, nor a run of overlapping escape-shaped text such as "^^[".
 * Unsafe input is escaped on the way.  Returns the width appended. */
size_t ts_fit(struct strbuf *out, const char *s, size_t len, size_t cols);

#endif
