/*
 * Reading a whole file into memory, bounded: importers and the mailmap
 * read small files whole, and a hostile file must not eat memory.
 */
#ifndef CARRY_FILE_H
#define CARRY_FILE_H

#include <stddef.h>

#include "carry/strbuf.h"

/* Appends the contents of `path` to `out`.  CARRY_EINPUT with
 * "PATH: <system error>" when it cannot be read (a directory included),
 * or "PATH: larger than N MiB" past `max` bytes. */
int read_file(struct strbuf *out, const char *path, size_t max);

/* Creates each directory along path[0..len) that is missing (every prefix
 * ending before a '/', and the whole when len reaches a name's end), with
 * `mode`.  0, or the errno of the first that could not be made, its path
 * then in `failed`. */
int make_dirs(const char *path, size_t len, unsigned mode, struct strbuf *failed);

#endif
