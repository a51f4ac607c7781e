/*
 * A hash map from git object ids to size_t values (open addressing, linear
 * probing).  Object ids are already uniformly distributed, so their first
 * bytes serve as the hash.  Zeroed is empty and valid.
 */
#ifndef CARRY_OIDMAP_H
#define CARRY_OIDMAP_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

struct oidmap_slot {
	git_oid key;
	size_t value;
	bool used;
};

struct oidmap {
	struct oidmap_slot *slots;
	size_t cap, count; /* cap is 0 or a power of two */
};

/* Sets key -> value, replacing any earlier value. */
void oidmap_put(struct oidmap *m, const git_oid *key, size_t value);
/* True and *value set when present; value may be NULL. */
bool oidmap_get(const struct oidmap *m, const git_oid *key, size_t *value);
void oidmap_free(struct oidmap *m);

#endif
