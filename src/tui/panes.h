/* The panes (panes.c): a title, an analysis, the columns shown. */
#ifndef CARRY_TUI_PANES_H
#define CARRY_TUI_PANES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carry/table.h"

struct world;
struct store;
struct analysis_params;

/* What a pane is asked: the selected subtree at the current window. */
struct pane_query {
	struct world *w;
	struct store *st;
	int64_t repo_id;
	const struct analysis_params *p;
	const char *path;
	bool is_dir;
};

struct pane_column {
	const char *key;
	int width;          /* 0: the rest of the line */
	const char *title;  /* NULL: the analysis table's */
};

struct pane {
	const char *title;
	int (*fill)(const struct pane_query *q, struct table *out);
	bool on_call_rows;  /* its rows are people on call (styled so) */
	bool needs_world;   /* answers from the loaded history (else the store) */
	struct pane_column cols[8];
};

/* How many columns the pane shows. */
size_t pane_ncols(const struct pane *p);

extern const struct pane panes[];
extern const size_t npanes;

#endif
