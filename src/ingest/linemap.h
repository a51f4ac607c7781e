/*
 * The line engine's tree state: paths interned to small ids, and per
 * commit a map from path id to that file's origins (linestate.h).  A
 * map copied for a second child shares every file with its parent (only
 * references are counted), so branches share state until they change it.
 */
#ifndef CARRY_LINEMAP_H
#define CARRY_LINEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linestate.h"

struct pathtab {
	char **names;      /* id -> path */
	size_t n, cap;
	uint32_t *slots;   /* open addressing: id + 1, 0 = empty */
	size_t nslots;
};

uint32_t pathtab_intern(struct pathtab *t, const char *path);
bool pathtab_find(const struct pathtab *t, const char *path, uint32_t *id);
void pathtab_free(struct pathtab *t);

struct fmap {
	uint32_t *keys;    /* path id + 1, 0 = empty */
	struct lfile **vals;
	size_t cap, count;
};

struct lfile *fmap_get(const struct fmap *m, uint32_t path);
/* Stores `f` (the caller's reference moves into the map; NULL deletes). */
void fmap_put(struct fmap *m, uint32_t path, struct lfile *f);
struct fmap *fmap_copy(const struct fmap *m);
void fmap_free(struct fmap *m);

#endif
