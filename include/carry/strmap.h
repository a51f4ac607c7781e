/*
 * Interning strings to dense ids 0, 1, 2, ... in first-seen order (open
 * addressing over hash_bytes).  The analyses name every path, directory
 * and email by such an id, so their tables are arrays, not hash lookups.
 * Zeroed is empty and valid; the map owns copies of its keys.
 */
#ifndef CARRY_STRMAP_H
#define CARRY_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STRMAP_NONE UINT32_MAX

struct strmap {
	uint32_t *slots;   /* id + 1, 0 empty */
	size_t cap;        /* 0 or a power of two */
	char **keys;       /* by id */
	size_t count, kcap;
};

/* The id of `s` (len bytes, no NUL needed), adding it when absent. */
uint32_t strmap_intern(struct strmap *m, const char *s, size_t len);
/* The id of `s`, or STRMAP_NONE. */
uint32_t strmap_find(const struct strmap *m, const char *s, size_t len);
static inline const char *strmap_key(const struct strmap *m, uint32_t id) { return m->keys[id]; }
void strmap_free(struct strmap *m);

#endif
