/* Object-id hash map (see oidmap.h). */
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "oidmap.h"

static size_t hash(const git_oid *k)
{
	size_t h;
	memcpy(&h, k->id, sizeof(h));
	return h;
}

static void rehash(struct oidmap *m, size_t cap)
{
	struct oidmap_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	m->count = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			oidmap_put(m, &old[i].key, old[i].value);
	free(old);
}

void oidmap_put(struct oidmap *m, const git_oid *key, size_t value)
{
	if ((m->count + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? m->cap * 2 : 64);
	size_t i = hash(key) & (m->cap - 1);
	while (m->slots[i].used && !git_oid_equal(&m->slots[i].key, key))
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].used) {
		m->slots[i].used = true;
		m->slots[i].key = *key;
		m->count++;
	}
	m->slots[i].value = value;
}

bool oidmap_get(const struct oidmap *m, const git_oid *key, size_t *value)
{
	if (!m->cap)
		return false;
	size_t i = hash(key) & (m->cap - 1);
	while (m->slots[i].used) {
		if (git_oid_equal(&m->slots[i].key, key)) {
			if (value)
				*value = m->slots[i].value;
			return true;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return false;
}

void oidmap_free(struct oidmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
