/*
 * The store's fact sink, shared by sink.c (writing scan facts) and
 * sink_lines.c (the line engine's reads and its one write).
 */
#ifndef CARRY_SINK_INT_H
#define CARRY_SINK_INT_H

#include "carry/sink.h"
#include "store_int.h"

struct store_sink {
	struct fact_sink iface;
	struct store *st;
	int64_t repo_id;
	unsigned batch, pending;
};

/* The commit the stored line origins describe, "" when none. */
int store_lines_head(struct store *st, int64_t repo_id, char head[CARRY_OID_HEXSZ + 1]);

/* Drops the stored line origins (inside the caller's transaction). */
int store_lines_forget(struct store *st, int64_t repo_id);

int sink_lines_head(void *ctx, char head[CARRY_OID_HEXSZ + 1]);
int sink_lines_commits(void *ctx, const struct line_reader *r);
int sink_lines_state(void *ctx, const struct line_reader *r);
int sink_lines_rows(void *ctx, int64_t after, const struct line_reader *r);
int sink_lines_save(void *ctx, const char *head, bool all, const struct line_file_out *files,
                    size_t n);

#endif
