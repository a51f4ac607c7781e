/*
 * The line engine: the origin (commit) of every line of every file at the
 * scanned HEAD, as `git blame` names it, computed forwards over the whole
 * history from the line deltas a scan stores (no git access: it replays
 * stored facts).  See lines.c for how it matches blame.
 */
#ifndef CARRY_LINES_H
#define CARRY_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "carry/sink.h"

/* Brings the stored origins to `head` (hex): from the stored origins when
 * every newer commit descends only from them, else by replaying the whole
 * history.  0, CARRY_EINTR (polls *interrupted), or an error. */
int lines_update(struct fact_sink *sink, const char *head, volatile int *interrupted,
                 struct lines_summary *out);

#endif
