/*
 * One string hash for carry's in-memory tables (FNV-1a, 64 bits): fast on
 * short keys such as paths and lines, and good enough for open addressing.
 * Not for anything stored or compared across runs.
 */
#ifndef CARRY_HASH_H
#define CARRY_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

#endif
