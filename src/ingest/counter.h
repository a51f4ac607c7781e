/*
 * Counting lines and computing line deltas in worker processes
 * (counter.c), and the messages the diff pool (diffpool.c) exchanges with
 * them over pipes.
 * A worker answers every request, in order, until a request with `quit`
 * set or the end of its input.
 */
#ifndef CARRY_COUNTER_H
#define CARRY_COUNTER_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct count_request {
	git_oid old_oid, new_oid; /* zero id: that side does not exist */
	uint32_t old_mode, new_mode;
	uint8_t quit;
	uint8_t want_counts;      /* added/deleted as numstat says */
	uint8_t want_lines;       /* the line delta (linestate.h) */
};

/* Followed on the pipe by `lines_len` bytes: the line delta. */
struct count_response {
	int64_t added, deleted;
	uint32_t lines_len;
	uint8_t binary, failed; /* failed: a blob could not be read */
};

/* The body of a worker process: opens its own handle on `gitdir` and
 * serves requests from fd `in`, answers to fd `out`, keeping at most
 * `cache_bytes` of blobs. */
void counter_main(const char *gitdir, int in, int out, size_t cache_bytes);

/* write(2)/read(2) of exactly n bytes, retrying on EINTR; 0 or -1. */
int write_all(int fd, const void *buf, size_t n);
int read_all(int fd, void *buf, size_t n);

#endif
