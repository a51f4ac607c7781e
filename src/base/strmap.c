/* String interning (include/carry/strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "carry/hash.h"
#include "carry/mem.h"
#include "carry/strmap.h"

static size_t slot_of(const struct strmap *m, const char *s, size_t len)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
		uint32_t v = m->slots[i];
		if (!v)
			return i;
		const char *k = m->keys[v - 1];
		if (strncmp(k, s, len) == 0 && k[len] == '\0')
			return i;
	}
}

static void grow(struct strmap *m)
{
	struct strmap bigger = *m;
	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
	for (size_t id = 0; id < m->count; id++)
		bigger.slots[slot_of(&bigger, m->keys[id], strlen(m->keys[id]))] = (uint32_t)id + 1;
	free(m->slots);
	*m = bigger;
}

uint32_t strmap_intern(struct strmap *m, const char *s, size_t len)
{
	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot_of(m, s, len);
	if (m->slots[i])
		return m->slots[i] - 1;
	xgrow(&m->keys, &m->kcap, m->count + 1, sizeof(*m->keys));
	m->keys[m->count] = xstrndup(s, len);
	m->slots[i] = (uint32_t)++m->count;
	return (uint32_t)m->count - 1;
}

uint32_t strmap_find(const struct strmap *m, const char *s, size_t len)
{
	if (!m->cap)
		return STRMAP_NONE;
	uint32_t v = m->slots[slot_of(m, s, len)];
	return v ? v - 1 : STRMAP_NONE;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
