/*
 * A lenient parser of raw git commit objects (the bytes `git cat-file
 * commit X` prints), reading them the way git itself does:
 *
 *  - "tree <hex>" must be the first line and "parent <hex>" lines follow it
 *    (parse_commit_buffer); a "parent" header anywhere else is ignored, as
 *    git ignores it;
 *  - the author and committer are the LAST "author "/"committer " headers
 *    (pretty.c parse_commit_header, what `git log --format=%an` shows); the
 *    encoding is the FIRST "encoding " header (find_commit_header);
 *  - any other header is skipped, including multi-line ones (gpgsig,
 *    mergetag) whose continuation lines start with a space;
 *  - the headers end at the first empty line ("\n" exactly); the message is
 *    everything after it (empty when there is no such line);
 *  - ident lines ("Name <email> 1234567890 +0100") are split like git's
 *    split_ident_line(): the email runs from the first '<' to the first '>'
 *    after it; the name is what precedes the '<', with trailing whitespace
 *    trimmed (leading whitespace is kept, as git keeps it); the date follows
 *    the LAST '>' of the line: digits, whitespace, then '+' or '-' and
 *    digits.  A missing '<' or '>' makes the whole ident malformed (git
 *    then shows an empty name and email); a missing or unparsable date or
 *    zone leaves the time 0 (git shows the epoch).
 *
 * Only SHA-1 object ids (40 hex digits) are understood.
 */
#ifndef CARRY_INGEST_COMMIT_PARSE_H
#define CARRY_INGEST_COMMIT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "carry/strbuf.h"

struct raw_commit {
	char tree[41];              /* lowercase hex */
	char (*parents)[41];        /* nparents lowercase hex ids, or NULL */
	size_t nparents;
	const char *author_name;    /* "" (len 0) when the ident is malformed */
	size_t author_name_len;
	const char *author_email;
	size_t author_email_len;
	int64_t author_time;        /* Unix seconds; 0 when the date is bad (but
	                               kept when only the zone is out of range,
	                               as git shows it at +0000) */
	int author_tz;              /* minutes east of UTC ("+0130" is 90); 0 when
	                               the date is bad */
	int64_t committer_time;     /* 0 when missing or bad */
	const char *encoding;       /* NULL when there is no encoding header */
	size_t encoding_len;
	const char *message;        /* after the first empty line; never NULL */
	size_t message_len;
	/* NULL when well-formed, else a static reason for the first problem:
	 * "bad parent", "no author", "missing author email", "bad author date",
	 * "no committer", "missing committer email", "bad committer date". */
	const char *error;
};

/* Parses buf[0..len).  Returns 0 (check out->error for a malformed but
 * usable commit), or CARRY_ERR with the last error set when the bytes are
 * not a commit at all (no "tree <40 hex>" first line; out->error is then
 * "no tree").  The string pointers point into buf.  Free with
 * raw_commit_free() in both cases. */
int commit_parse(struct raw_commit *out, const char *buf, size_t len);
void raw_commit_free(struct raw_commit *c);

/* Appends git's %s of a commit message to `out`: leading blank lines are
 * skipped, then the lines up to the next blank (whitespace-only) line are
 * joined with single spaces, each with its trailing whitespace (including
 * '\r') removed; leading whitespace is kept.  A NUL byte ends the message. */
void commit_subject(struct strbuf *out, const char *msg, size_t len);

#endif
