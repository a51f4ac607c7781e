/*
 * One string hash for carry's in-memory tables (paths, lines): eight bytes
 * at a time, multiply and fold, good enough for open addressing and about
 * eight times faster than a byte-at-a-time hash on the long lines the
 * blame diff's check hashes.  Not for anything stored or compared across
 * runs.
 */
#ifndef CARRY_HASH_H
#define CARRY_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, sizeof(w));
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

#endif
