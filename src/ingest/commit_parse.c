/* Raw commit objects, read as git reads them (see commit_parse.h). */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "carry/ascii.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "commit_parse.h"

/* git's isspace(): the C locale's whitespace. */
static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A header line "<key> <40 hex>" ending at eol: copies the id, lowercased. */
static bool parse_oid_line(const char *line, const char *eol, size_t keylen, char out[41])
{
	if ((size_t)(eol - line) != keylen + 40)
		return false;
	for (size_t i = 0; i < 40; i++) {
		char c = line[keylen + i];
		if (hex_digit(c) < 0)
			return false;
		out[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	out[40] = '\0';
	return true;
}

static bool has_prefix(const char *line, const char *eol, const char *prefix)
{
	size_t n = strlen(prefix);
	return (size_t)(eol - line) >= n && memcmp(line, prefix, n) == 0;
}

struct ident {
	const char *name;
	size_t name_len;
	const char *email;
	size_t email_len;
	int64_t time;
	int tz;
	bool malformed;  /* no '<' or '>' */
	bool bad_date;
};

/* Unsigned decimal digits [p, end) into *out; false on overflow past INT64_MAX. */
static bool parse_digits(const char *p, const char *end, int64_t *out)
{
	uint64_t v = 0;
	for (; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = (int64_t)v;
	return true;
}

/* git's split_ident_line() plus show_ident_date()'s reading of the date. */
static void split_ident(struct ident *id, const char *line, size_t len)
{
	const char *end = line + len;
	const char *cp, *mail_begin = NULL, *mail_end = NULL;

	memset(id, 0, sizeof(*id));
	id->name = id->email = line;

	for (cp = line; cp < end && *cp; cp++) {
		if (*cp == '<') {
			mail_begin = cp + 1;
			break;
		}
	}
	if (mail_begin) {
		for (cp = mail_begin; cp < end; cp++) {
			if (*cp == '>') {
				mail_end = cp;
				break;
			}
		}
	}
	if (!mail_begin || !mail_end) {
		id->malformed = true;
		id->bad_date = true;
		return;
	}

	const char *name_end = line;
	for (cp = mail_begin - 1; cp > line; cp--) {
		if (!is_space(cp[-1])) {
			name_end = cp;
			break;
		}
	}
	id->name = line;
	id->name_len = (size_t)(name_end - line);
	id->email = mail_begin;
	id->email_len = (size_t)(mail_end - mail_begin);

	/* The date follows the last '>' of the line. */
	for (cp = end - 1; *cp != '>'; cp--)
		;
	for (cp++; cp < end && is_space(*cp); cp++)
		;
	const char *date_begin = cp;
	while (cp < end && is_digit(*cp))
		cp++;
	const char *date_end = cp;
	for (; cp < end && is_space(*cp); cp++)
		;
	if (date_begin == date_end || cp >= end || (*cp != '+' && *cp != '-')) {
		id->bad_date = true;
		return;
	}
	const char *tz_sign = cp;
	const char *tz_begin = ++cp;
	while (cp < end && is_digit(*cp))
		cp++;
	if (cp == tz_begin) {
		id->bad_date = true;
		return;
	}

	int64_t t, tz;
	if (!parse_digits(date_begin, date_end, &t)) {
		id->bad_date = true; /* git: date_overflows(), shown as the epoch */
		return;
	}
	id->time = t;
	if (!parse_digits(tz_begin, cp, &tz) || tz >= INT_MAX) {
		id->bad_date = true; /* git: strtol() out of int range, the time shown at +0000 */
		return;
	}
	int minutes = (int)(tz / 100 * 60 + tz % 100);
	id->tz = *tz_sign == '-' ? -minutes : minutes;
}

int commit_parse(struct raw_commit *out, const char *buf, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->author_name = out->author_email = "";
	out->message = buf ? buf + len : "";

	const char *p = buf, *end = buf ? buf + len : NULL;
	const char *eol = p ? memchr(p, '\n', len) : NULL;
	if (!eol)
		eol = end;
	if (!buf || !has_prefix(p, eol, "tree ") || !parse_oid_line(p, eol, 5, out->tree)) {
		out->error = "no tree";
		return carry_error(CARRY_ERR, "not a commit object: no tree");
	}
	p = eol < end ? eol + 1 : end;

	size_t cap = 0;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (!has_prefix(p, eol, "parent "))
			break;
		xgrow(&out->parents, &cap, out->nparents + 1, sizeof(*out->parents));
		if (parse_oid_line(p, eol, 7, out->parents[out->nparents]))
			out->nparents++;
		else if (!out->error)
			out->error = "bad parent";
		p = eol < end ? eol + 1 : end;
	}

	const char *author = NULL, *author_end = NULL;
	const char *committer = NULL, *committer_end = NULL;
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol == p) {
			p++; /* the empty line ends the headers */
			break;
		}
		if (has_prefix(p, eol, "author ")) {
			author = p + 7;
			author_end = eol;
		} else if (has_prefix(p, eol, "committer ")) {
			committer = p + 10;
			committer_end = eol;
		} else if (!out->encoding && has_prefix(p, eol, "encoding ")) {
			out->encoding = p + 9;
			out->encoding_len = (size_t)(eol - (p + 9));
		}
		p = eol < end ? eol + 1 : end;
	}
	out->message = p;
	out->message_len = (size_t)(end - p);

	struct ident id;
	if (!author) {
		if (!out->error)
			out->error = "no author";
	} else {
		split_ident(&id, author, (size_t)(author_end - author));
		if (!id.malformed) {
			out->author_name = id.name;
			out->author_name_len = id.name_len;
			out->author_email = id.email;
			out->author_email_len = id.email_len;
		}
		out->author_time = id.time;
		out->author_tz = id.tz;
		if (!out->error && id.malformed)
			out->error = "missing author email";
		else if (!out->error && id.bad_date)
			out->error = "bad author date";
	}
	if (!committer) {
		if (!out->error)
			out->error = "no committer";
	} else {
		split_ident(&id, committer, (size_t)(committer_end - committer));
		out->committer_time = id.time;
		if (!out->error && id.malformed)
			out->error = "missing committer email";
		else if (!out->error && id.bad_date)
			out->error = "bad committer date";
	}
	return 0;
}

void raw_commit_free(struct raw_commit *c)
{
	if (!c)
		return;
	free(c->parents);
	c->parents = NULL;
	c->nparents = 0;
}

/* git's get_one_line(): the length of the line at msg, '\n' included. */
static size_t one_line(const char *msg, size_t len)
{
	const char *nl = memchr(msg, '\n', len);
	return nl ? (size_t)(nl - msg) + 1 : len;
}

/* git's is_blank_line(): trims trailing whitespace, true when nothing is left. */
static bool blank_line(const char *line, size_t *len)
{
	size_t n = *len;
	while (n && is_space(line[n - 1]))
		n--;
	*len = n;
	return n == 0;
}

void commit_subject(struct strbuf *out, const char *msg, size_t len)
{
	if (!msg)
		return;
	const char *nul = memchr(msg, '\0', len);
	if (nul)
		len = (size_t)(nul - msg);

	/* skip_blank_lines() */
	for (;;) {
		size_t linelen = one_line(msg, len), ll = linelen;
		if (!linelen || !blank_line(msg, &ll))
			break;
		msg += linelen;
		len -= linelen;
	}
	/* format_subject(sb, msg, " ") */
	bool first = true;
	for (;;) {
		const char *line = msg;
		size_t linelen = one_line(msg, len);
		msg += linelen;
		len -= linelen;
		if (!linelen || blank_line(line, &linelen))
			break;
		if (!first)
			sb_addc(out, ' ');
		sb_add(out, line, linelen);
		first = false;
	}
	if (first)
		sb_add(out, "", 0); /* leave out NUL-terminated even when empty */
}
