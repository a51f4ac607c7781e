/*
 * Interned paths and per-commit file maps for the line engine (linemap.h).
 * Both are open-addressing tables with linear probing; the file map
 * deletes by shifting back, so it needs no tombstones.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/hash.h"
#include "carry/mem.h"
#include "linemap.h"

static uint64_t hash_u32(uint32_t x)
{
	uint64_t h = x * 0x9E3779B97F4A7C15u;
	return h ^ (h >> 29);
}

static size_t pathtab_slot(const struct pathtab *t, const char *path)
{
	size_t i = (size_t)hash_bytes(path, strlen(path)) & (t->nslots - 1);
	while (t->slots[i] && strcmp(t->names[t->slots[i] - 1], path) != 0)
		i = (i + 1) & (t->nslots - 1);
	return i;
}

bool pathtab_find(const struct pathtab *t, const char *path, uint32_t *id)
{
	if (!t->nslots)
		return false;
	size_t i = pathtab_slot(t, path);
	if (!t->slots[i])
		return false;
	*id = t->slots[i] - 1;
	return true;
}

uint32_t pathtab_intern(struct pathtab *t, const char *path)
{
	uint32_t id;
	if (pathtab_find(t, path, &id))
		return id;
	if ((t->n + 1) * 2 > t->nslots) {
		free(t->slots);
		t->nslots = t->nslots ? t->nslots * 2 : 1024;
		t->slots = xcalloc(t->nslots, sizeof(*t->slots));
		for (size_t k = 0; k < t->n; k++)
			t->slots[pathtab_slot(t, t->names[k])] = (uint32_t)k + 1;
	}
	xgrow(&t->names, &t->cap, t->n + 1, sizeof(*t->names));
	t->names[t->n] = xstrdup(path);
	t->slots[pathtab_slot(t, path)] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

void pathtab_free(struct pathtab *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->names[k]);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static size_t fmap_slot(const struct fmap *m, uint32_t key)
{
	size_t i = (size_t)hash_u32(key) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != key + 1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

struct lfile *fmap_get(const struct fmap *m, uint32_t path)
{
	if (!m->cap)
		return NULL;
	size_t i = fmap_slot(m, path);
	return m->keys[i] ? m->vals[i] : NULL;
}

static void fmap_grow(struct fmap *m)
{
	struct fmap old = *m;
	m->cap = m->cap ? m->cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i]) {
			size_t j = fmap_slot(m, old.keys[i] - 1);
			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
		}
	free(old.keys);
	free(old.vals);
}

static void fmap_delete_slot(struct fmap *m, size_t i)
{
	lfile_unref(m->vals[i]);
	m->keys[i] = 0;
	m->vals[i] = NULL;
	m->count--;
	/* Shift back the entries of the probe run that follows. */
	for (size_t j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		size_t home = (size_t)hash_u32(m->keys[j] - 1) & (m->cap - 1);
		bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
		if (movable) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->keys[j] = 0;
			m->vals[j] = NULL;
			i = j;
		}
	}
}

void fmap_put(struct fmap *m, uint32_t path, struct lfile *f)
{
	if (!f) {
		if (m->cap) {
			size_t i = fmap_slot(m, path);
			if (m->keys[i])
				fmap_delete_slot(m, i);
		}
		return;
	}
	if ((m->count + 1) * 4 > m->cap * 3)
		fmap_grow(m);
	size_t i = fmap_slot(m, path);
	if (m->keys[i]) {
		lfile_unref(m->vals[i]);
	} else {
		m->keys[i] = path + 1;
		m->count++;
	}
	m->vals[i] = f;
}

struct fmap *fmap_copy(const struct fmap *m)
{
	struct fmap *c = xcalloc(1, sizeof(*c));
	if (!m || !m->cap)
		return c;
	c->cap = m->cap;
	c->count = m->count;
	c->keys = xmalloc(c->cap * sizeof(*c->keys));
	c->vals = xmalloc(c->cap * sizeof(*c->vals));
	memcpy(c->keys, m->keys, c->cap * sizeof(*c->keys));
	memcpy(c->vals, m->vals, c->cap * sizeof(*c->vals));
	for (size_t i = 0; i < c->cap; i++)
		if (c->keys[i])
			c->vals[i]->refs++;
	return c;
}

void fmap_free(struct fmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i])
			lfile_unref(m->vals[i]);
	free(m->keys);
	free(m->vals);
	free(m);
}
