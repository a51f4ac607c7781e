/* .mailmap with git's semantics (see mailmap.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "mailmap.h"

/* A replacement: NULL parts are left as the commit has them. */
struct mm_info {
	const char *name;
	size_t name_len;
	const char *email;
	size_t email_len;
};

/* A "Proper <proper> Commit Name <commit>" line: applies when the commit's
 * name equals old_name (case-insensitively). */
struct mm_named {
	const char *old_name;
	size_t old_name_len;
	struct mm_info to;
};

/* Everything known about one commit email (case-insensitively). */
struct mm_entry {
	const char *email;   /* as first written */
	size_t email_len;
	uint64_t hash;
	struct mm_info simple;
	struct mm_named *named;
	size_t nnamed, named_cap;
};

struct mm_chunk {
	struct mm_chunk *next;
	size_t used, cap;
	char data[];
};

struct mailmap {
	struct mm_entry *entries;
	size_t nentries, entries_cap;
	uint32_t *slots;      /* entry index + 1; 0 = empty */
	size_t nslots;        /* a power of two, or 0 */
	struct mm_chunk *chunks;
};

static inline unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* git's isspace(): the C locale's whitespace. */
static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool same_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

static uint64_t hash_nocase(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= lower((unsigned char)s[i]);
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static const char *intern(struct mailmap *m, const char *s, size_t len)
{
	struct mm_chunk *c = m->chunks;
	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > 4096 ? len + 1 : 4096;
		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->cap = cap;
		c->next = m->chunks;
		m->chunks = c;
	}
	char *p = c->data + c->used;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

struct mailmap *mailmap_new(void)
{
	return xcalloc(1, sizeof(struct mailmap));
}

void mailmap_free(struct mailmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nentries; i++)
		free(m->entries[i].named);
	free(m->entries);
	free(m->slots);
	while (m->chunks) {
		struct mm_chunk *next = m->chunks->next;
		free(m->chunks);
		m->chunks = next;
	}
	free(m);
}

size_t mailmap_count(const struct mailmap *m)
{
	return m ? m->nentries : 0;
}

static struct mm_entry *find_entry(const struct mailmap *m, const char *email,
                                   size_t len, uint64_t h)
{
	if (!m->nslots)
		return NULL;
	size_t mask = m->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		uint32_t s = m->slots[i];
		if (!s)
			return NULL;
		struct mm_entry *e = &m->entries[s - 1];
		if (e->hash == h && same_nocase(e->email, e->email_len, email, len))
			return e;
	}
}

static void place(struct mailmap *m, size_t idx)
{
	size_t mask = m->nslots - 1;
	size_t i = (size_t)m->entries[idx].hash & mask;
	while (m->slots[i])
		i = (i + 1) & mask;
	m->slots[i] = (uint32_t)(idx + 1);
}

static struct mm_entry *get_entry(struct mailmap *m, const char *email, size_t len)
{
	uint64_t h = hash_nocase(email, len);
	struct mm_entry *e = find_entry(m, email, len, h);
	if (e)
		return e;

	if ((m->nentries + 1) * 2 > m->nslots) {
		free(m->slots);
		m->nslots = m->nslots ? m->nslots * 2 : 64;
		m->slots = xcalloc(m->nslots, sizeof(*m->slots));
		for (size_t i = 0; i < m->nentries; i++)
			place(m, i);
	}
	xgrow(&m->entries, &m->entries_cap, m->nentries + 1, sizeof(*m->entries));
	e = &m->entries[m->nentries];
	memset(e, 0, sizeof(*e));
	e->email = intern(m, email, len);
	e->email_len = len;
	e->hash = h;
	place(m, m->nentries++);
	return e;
}

/* A span of the line; ptr == NULL means "absent" (git's NULL). */
struct span {
	const char *ptr;
	size_t len;
};

/* git's parse_name_and_email() over s[0..len): on success fills name and
 * email and returns true, with *rest the text after '>' (rest->ptr NULL
 * when nothing follows, as git returns NULL at the terminating NUL). */
static bool parse_name_and_email(const char *s, size_t len, bool allow_empty_email,
                                 struct span *name, struct span *email, struct span *rest)
{
	name->ptr = email->ptr = rest->ptr = NULL;
	name->len = email->len = rest->len = 0;

	const char *left = memchr(s, '<', len);
	if (!left)
		return false;
	size_t l = (size_t)(left - s);
	const char *right = memchr(left + 1, '>', len - l - 1);
	if (!right)
		return false;
	size_t r = (size_t)(right - s);
	if (!allow_empty_email && r == l + 1)
		return false;

	size_t nstart = 0;
	while (nstart < l && is_space(s[nstart]))
		nstart++;
	if (nstart < l) {
		size_t nend = l - 1; /* inclusive, >= nstart */
		while (nend > nstart && is_space(s[nend]))
			nend--;
		name->ptr = s + nstart;
		name->len = nend + 1 - nstart;
	}
	email->ptr = left + 1;
	email->len = r - l - 1;
	if (r + 1 < len) {
		rest->ptr = right + 1;
		rest->len = len - r - 1;
	}
	return true;
}

static void set_info(struct mailmap *m, struct mm_info *to, struct span name, struct span email)
{
	to->name = name.ptr ? intern(m, name.ptr, name.len) : NULL;
	to->name_len = name.ptr ? name.len : 0;
	to->email = email.ptr ? intern(m, email.ptr, email.len) : NULL;
	to->email_len = email.ptr ? email.len : 0;
}

/* git's add_mapping(). */
static void add_mapping(struct mailmap *m, struct span new_name, struct span new_email,
                        struct span old_name, struct span old_email)
{
	if (!old_email.ptr) {
		old_email = new_email;
		new_email.ptr = NULL;
		new_email.len = 0;
	}
	struct mm_entry *e = get_entry(m, old_email.ptr, old_email.len);

	if (!old_name.ptr) {
		/* Replace only what this line gives. */
		if (new_name.ptr) {
			e->simple.name = intern(m, new_name.ptr, new_name.len);
			e->simple.name_len = new_name.len;
		}
		if (new_email.ptr) {
			e->simple.email = intern(m, new_email.ptr, new_email.len);
			e->simple.email_len = new_email.len;
		}
		return;
	}

	for (size_t i = 0; i < e->nnamed; i++) {
		if (same_nocase(e->named[i].old_name, e->named[i].old_name_len,
		                old_name.ptr, old_name.len)) {
			set_info(m, &e->named[i].to, new_name, new_email);
			return;
		}
	}
	xgrow(&e->named, &e->named_cap, e->nnamed + 1, sizeof(*e->named));
	struct mm_named *n = &e->named[e->nnamed++];
	n->old_name = intern(m, old_name.ptr, old_name.len);
	n->old_name_len = old_name.len;
	set_info(m, &n->to, new_name, new_email);
}

/* git's read_mailmap_line(). */
static void read_line(struct mailmap *m, const char *s, size_t len)
{
	if (len && s[0] == '#')
		return;

	struct span name1, email1, rest, name2 = { 0 }, email2 = { 0 }, rest2;
	if (!parse_name_and_email(s, len, false, &name1, &email1, &rest))
		return;
	if (rest.ptr)
		parse_name_and_email(rest.ptr, rest.len, true, &name2, &email2, &rest2);
	add_mapping(m, name1, email1, name2, email2);
}

void mailmap_add_buffer(struct mailmap *m, const char *buf, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t linelen = end - pos;
		const char *nul = memchr(buf + pos, '\0', linelen);
		if (nul)
			linelen = (size_t)(nul - (buf + pos));
		read_line(m, buf + pos, linelen);
		pos = end + 1;
	}
}

void mailmap_resolve(const struct mailmap *m,
                     const char *name, size_t name_len,
                     const char *email, size_t email_len,
                     const char **out_name, size_t *out_name_len,
                     const char **out_email, size_t *out_email_len)
{
	*out_name = name ? name : "";
	*out_name_len = name ? name_len : 0;
	*out_email = email ? email : "";
	*out_email_len = email ? email_len : 0;
	if (!m || !m->nentries)
		return;

	const struct mm_entry *e = find_entry(m, *out_email, *out_email_len,
	                                      hash_nocase(*out_email, *out_email_len));
	if (!e)
		return;
	const struct mm_info *to = &e->simple;
	for (size_t i = 0; i < e->nnamed; i++) {
		if (same_nocase(e->named[i].old_name, e->named[i].old_name_len,
		                *out_name, *out_name_len)) {
			to = &e->named[i].to;
			break;
		}
	}
	if (to->email) {
		*out_email = to->email;
		*out_email_len = to->email_len;
	}
	if (to->name) {
		*out_name = to->name;
		*out_name_len = to->name_len;
	}
}
