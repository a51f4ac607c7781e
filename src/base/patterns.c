/* Bot and AI-assistance patterns (see patterns.h, data/bots.txt and
 * data/ai-markers.txt). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/ascii.h"
#include "carry/error.h"
#include "carry/mem.h"
#include "carry/strbuf.h"
#include "carry/patterns.h"

extern const char carry_data_bots[];
extern const size_t carry_data_bots_len;
extern const char carry_data_ai_markers[];
extern const size_t carry_data_ai_markers_len;

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static inline bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A text-side word character: ASCII letters and digits, and any byte of a
 * multi-byte UTF-8 character (most of them are letters). */
static inline bool is_word(unsigned char c)
{
	return is_alnum(c) || c >= 0x80;
}

static inline bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* ---- a set of TEXT patterns, searched together ---- */

struct pat {
	char *s;          /* lowercased, inner blank runs collapsed to one ' ' */
	size_t len;
	bool word_start, word_end;
};

struct pset {
	struct pat *pats;
	size_t n, cap;
	/* pats whose first byte is c: byidx[start[c] .. start[c + 1]) */
	uint32_t start[257];
	uint32_t *byidx;
};

/* Adds TEXT, reading "\xHH" as the byte HH and "\\" as one backslash
 * (the built-in files are ASCII, so non-ASCII bytes are written that way). */
static void pset_add(struct pset *ps, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    hex_digit(s[i + 2]) >= 0 && hex_digit(s[i + 3]) >= 0) {
			c = (unsigned char)(hex_digit(s[i + 2]) * 16 + hex_digit(s[i + 3]));
			i += 3;
			sb_addc(&sb, (char)lower(c));
		} else if (c == '\\' && i + 1 < len && s[i + 1] == '\\') {
			i++;
			sb_addc(&sb, '\\');
		} else if (is_blank(c)) {
			if (sb.len && sb.ptr[sb.len - 1] != ' ')
				sb_addc(&sb, ' ');
		} else {
			sb_addc(&sb, (char)lower(c));
		}
	}
	xgrow(&ps->pats, &ps->cap, ps->n + 1, sizeof(*ps->pats));
	struct pat *p = &ps->pats[ps->n++];
	p->len = sb.len;
	p->s = sb_detach(&sb);
	p->word_start = is_alnum((unsigned char)p->s[0]);
	p->word_end = is_alnum((unsigned char)p->s[p->len - 1]);
}

/* Builds the first-byte index; call after the last pset_add(). */
static void pset_index(struct pset *ps)
{
	free(ps->byidx);
	ps->byidx = xcalloc(ps->n ? ps->n : 1, sizeof(*ps->byidx));
	memset(ps->start, 0, sizeof(ps->start));
	for (size_t i = 0; i < ps->n; i++)
		ps->start[(unsigned char)ps->pats[i].s[0] + 1]++;
	for (size_t c = 1; c <= 256; c++)
		ps->start[c] += ps->start[c - 1];
	uint32_t fill[256];
	memcpy(fill, ps->start, sizeof(fill));
	for (size_t i = 0; i < ps->n; i++)
		ps->byidx[fill[(unsigned char)ps->pats[i].s[0]]++] = (uint32_t)i;
}

static void pset_free(struct pset *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->pats[i].s);
	free(ps->pats);
	free(ps->byidx);
	memset(ps, 0, sizeof(*ps));
}

static bool match_at(const struct pat *p, const unsigned char *t, size_t tlen, size_t at)
{
	if (p->word_start && at > 0 && is_word(t[at - 1]))
		return false;
	size_t j = at;
	for (size_t k = 0; k < p->len; k++) {
		unsigned char pc = (unsigned char)p->s[k];
		if (pc == ' ') {
			if (j >= tlen || !is_blank(t[j]))
				return false;
			while (j < tlen && is_blank(t[j]))
				j++;
		} else {
			if (j >= tlen || lower(t[j]) != pc)
				return false;
			j++;
		}
	}
	if (p->word_end && j < tlen && is_word(t[j]))
		return false;
	return true;
}

/* True when any pattern of the set occurs in t[0..tlen). */
static bool pset_search(const struct pset *ps, const char *text, size_t tlen)
{
	if (!ps->n || !text)
		return false;
	const unsigned char *t = (const unsigned char *)text;
	for (size_t i = 0; i < tlen; i++) {
		unsigned c = lower(t[i]);
		for (uint32_t k = ps->start[c]; k < ps->start[c + 1]; k++)
			if (match_at(&ps->pats[ps->byidx[k]], t, tlen, i))
				return true;
	}
	return false;
}

/* ---- the rule sets ---- */

struct trailer_rule {
	char *key;          /* lowercased */
	size_t key_len;
	bool any;           /* a rule without TEXT: every such trailer counts */
	struct pset words;
};

struct patterns {
	struct pset bot_name, bot_email;
	struct pset ai_text;
	struct trailer_rule *trailers;
	size_t ntrailers, trailers_cap;
};

void patterns_free(struct patterns *p)
{
	if (!p)
		return;
	pset_free(&p->bot_name);
	pset_free(&p->bot_email);
	pset_free(&p->ai_text);
	for (size_t i = 0; i < p->ntrailers; i++) {
		free(p->trailers[i].key);
		pset_free(&p->trailers[i].words);
	}
	free(p->trailers);
	free(p);
}

static bool same_nocase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

static struct trailer_rule *trailer_rule(struct patterns *p, const char *key, size_t len)
{
	for (size_t i = 0; i < p->ntrailers; i++)
		if (p->trailers[i].key_len == len && same_nocase(p->trailers[i].key, key, len))
			return &p->trailers[i];
	xgrow(&p->trailers, &p->trailers_cap, p->ntrailers + 1, sizeof(*p->trailers));
	struct trailer_rule *r = &p->trailers[p->ntrailers++];
	memset(r, 0, sizeof(*r));
	r->key = xstrndup(key, len);
	for (size_t i = 0; i < len; i++)
		r->key[i] = (char)lower((unsigned char)r->key[i]);
	r->key_len = len;
	return r;
}

static bool is_key_char(unsigned char c)
{
	return is_alnum(c) || c == '-';
}

enum list_kind { LIST_BOTS, LIST_AI };

static int parse_list(struct patterns *p, enum list_kind kind, const char *origin,
                      const char *buf, size_t len)
{
	size_t lineno = 0, pos = 0;
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		lineno++;

		/* trim, including a CR of CRLF files */
		while (n && (is_blank((unsigned char)line[n - 1]) || line[n - 1] == '\r'))
			n--;
		while (n && is_blank((unsigned char)*line)) {
			line++;
			n--;
		}
		if (!n || line[0] == '#')
			continue;
		if (memchr(line, '\0', n))
			return carry_error(CARRY_EINPUT, "%s:%zu: NUL byte in line", origin, lineno);

		size_t kl = 0;
		while (kl < n && !is_blank((unsigned char)line[kl]))
			kl++;
		const char *val = line + kl;
		size_t vl = n - kl;
		while (vl && is_blank((unsigned char)*val)) {
			val++;
			vl--;
		}
		int kw = (int)kl;

#define KIND(s) (kl == sizeof(s) - 1 && memcmp(line, s, kl) == 0)
		if (kind == LIST_BOTS) {
			if (!KIND("name") && !KIND("email") && !KIND("any"))
				return carry_error(CARRY_EINPUT,
				                   "%s:%zu: unknown rule '%.*s' (want name, email or any)",
				                   origin, lineno, kw, line);
			if (!vl)
				return carry_error(CARRY_EINPUT, "%s:%zu: '%.*s' needs a text to match",
				                   origin, lineno, kw, line);
			if (KIND("name") || KIND("any"))
				pset_add(&p->bot_name, val, vl);
			if (KIND("email") || KIND("any"))
				pset_add(&p->bot_email, val, vl);
			continue;
		}

		if (!KIND("coauthor") && !KIND("trailer") && !KIND("text"))
			return carry_error(CARRY_EINPUT,
			                   "%s:%zu: unknown rule '%.*s' (want coauthor, trailer or text)",
			                   origin, lineno, kw, line);
		if (!vl)
			return carry_error(CARRY_EINPUT, "%s:%zu: '%.*s' needs a value",
			                   origin, lineno, kw, line);
		if (KIND("text")) {
			pset_add(&p->ai_text, val, vl);
		} else if (KIND("coauthor")) {
			static const char co[] = "co-authored-by";
			pset_add(&trailer_rule(p, co, sizeof(co) - 1)->words, val, vl);
		} else {
			size_t kkl = 0;
			while (kkl < vl && is_key_char((unsigned char)val[kkl]))
				kkl++;
			if (kkl < vl && !is_blank((unsigned char)val[kkl]))
				return carry_error(CARRY_EINPUT,
				                   "%s:%zu: a trailer key is letters, digits and '-', not '%.*s'",
				                   origin, lineno, (int)vl, val);
			struct trailer_rule *r = trailer_rule(p, val, kkl);
			const char *w = val + kkl;
			size_t wl = vl - kkl;
			while (wl && is_blank((unsigned char)*w)) {
				w++;
				wl--;
			}
			if (wl)
				pset_add(&r->words, w, wl);
			else
				r->any = true;
		}
#undef KIND
	}
	return 0;
}

static void index_all(struct patterns *p)
{
	pset_index(&p->bot_name);
	pset_index(&p->bot_email);
	pset_index(&p->ai_text);
	for (size_t i = 0; i < p->ntrailers; i++)
		pset_index(&p->trailers[i].words);
}

int patterns_load_buffers(struct patterns **out, const char *bots, size_t bots_len,
                          const char *ai, size_t ai_len)
{
	struct patterns *p = xcalloc(1, sizeof(*p));
	int rc;
	*out = NULL;
	if ((rc = parse_list(p, LIST_BOTS, "bots.txt", bots, bots_len)) < 0 ||
	    (rc = parse_list(p, LIST_AI, "ai-markers.txt", ai, ai_len)) < 0) {
		patterns_free(p);
		return rc;
	}
	index_all(p);
	*out = p;
	return 0;
}

/* Adds the user's file `dir`/`name` when it exists. */
static int load_user_file(struct patterns *p, enum list_kind kind, const char *dir,
                          const char *name)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	int rc = 0;
	sb_addf(&path, "%s/carry/%s", dir, name);
	FILE *f = fopen(path.ptr, "rb");
	if (!f) {
		if (errno != ENOENT && errno != ENOTDIR)
			rc = carry_error(CARRY_EINPUT, "%s: %s", path.ptr, strerror(errno));
		goto out;
	}
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&data, chunk, n);
	if (ferror(f))
		rc = carry_error(CARRY_EINPUT, "%s: read error", path.ptr);
	fclose(f);
	if (rc == 0)
		rc = parse_list(p, kind, path.ptr, sb_str(&data), data.len);
out:
	sb_free(&path);
	sb_free(&data);
	return rc;
}

int patterns_load(struct patterns **out)
{
	struct patterns *p = xcalloc(1, sizeof(*p));
	struct strbuf dir = STRBUF_INIT;
	int rc;
	*out = NULL;

	if ((rc = parse_list(p, LIST_BOTS, "data/bots.txt (built in)",
	                     carry_data_bots, carry_data_bots_len)) < 0 ||
	    (rc = parse_list(p, LIST_AI, "data/ai-markers.txt (built in)",
	                     carry_data_ai_markers, carry_data_ai_markers_len)) < 0)
		goto fail;

	/* XDG: an unset, empty or relative XDG_CONFIG_HOME means ~/.config. */
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		sb_adds(&dir, xdg);
	else if (home && home[0])
		sb_addf(&dir, "%s/.config", home);
	if (dir.len) {
		if ((rc = load_user_file(p, LIST_BOTS, dir.ptr, "bots.txt")) < 0 ||
		    (rc = load_user_file(p, LIST_AI, dir.ptr, "ai-markers.txt")) < 0)
			goto fail;
	}
	sb_free(&dir);
	index_all(p);
	*out = p;
	return 0;
fail:
	sb_free(&dir);
	patterns_free(p);
	return rc;
}

bool patterns_is_bot(const struct patterns *p, const char *name, const char *email)
{
	if (!p)
		return false;
	return (name && pset_search(&p->bot_name, name, strlen(name))) ||
	       (email && pset_search(&p->bot_email, email, strlen(email)));
}

bool patterns_is_ai_assisted(const struct patterns *p, const char *message, size_t len)
{
	if (!p || !message)
		return false;
	if (pset_search(&p->ai_text, message, len))
		return true;
	if (!p->ntrailers)
		return false;

	const unsigned char *m = (const unsigned char *)message;
	size_t pos = 0;
	while (pos < len) {
		const unsigned char *nl = memchr(m + pos, '\n', len - pos);
		size_t eol = nl ? (size_t)(nl - m) : len;
		size_t i = pos;
		pos = eol + 1;

		while (i < eol && is_blank(m[i]))
			i++;
		size_t key = i;
		while (i < eol && is_key_char(m[i]))
			i++;
		size_t key_len = i - key;
		while (i < eol && is_blank(m[i]))
			i++;
		if (!key_len || i >= eol || m[i] != ':')
			continue;
		i++;
		for (size_t r = 0; r < p->ntrailers; r++) {
			const struct trailer_rule *tr = &p->trailers[r];
			if (tr->key_len != key_len || !same_nocase(tr->key, message + key, key_len))
				continue;
			if (tr->any || pset_search(&tr->words, message + i, eol - i))
				return true;
		}
	}
	return false;
}
