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

/* Reading a pipe through a buffer: one read(2) brings in many messages
 * (a system call and a wake-up per message were a third of the scan's
 * kernel time). */
struct pipe_reader {
	int fd;
	size_t pos, len;
	unsigned char buf[1 << 16];
};

/* Exactly n bytes; 0, or -1 at the end of input or on an error. */
int pipe_read(struct pipe_reader *r, void *dst, size_t n);
/* Whether n bytes can be read without waiting. */
bool pipe_has(const struct pipe_reader *r, size_t n);

#endif
