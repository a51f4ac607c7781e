/*
 * The demo's only source of chance: splitmix64 (Steele, Lea, Flood 2014),
 * a 64-bit counter run through a fixed mixer.  Integer arithmetic only,
 * so a seed gives the same world on every platform and libc; rand()
 * would not.  A call's arguments are evaluated in an order C leaves to the
 * compiler: never draw twice in one expression.
 */
#include "demo_int.h"

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t a, uint64_t b)
{
	r->s = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);
	(void)rng_next(r);
}

/* Lemire's multiply-shift: the bias (n / 2^32) is far below anything a
 * story could show. */
uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int rng_between(struct rng *r, int lo, int hi)
{
	return hi <= lo ? lo : lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

bool rng_permille(struct rng *r, unsigned pm)
{
	return rng_below(r, 1000) < pm;
}

const char *rng_pick_list(struct rng *r, const char *const *list)
{
	uint32_t n = 0;
	while (list[n])
		n++;
	return n ? list[rng_below(r, n)] : "";
}
