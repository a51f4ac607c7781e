/*
 * The path tree of the scanned HEAD: directories and files in preorder
 * (a directory's contents right after it), so a subtree is a range and
 * collapsing one skips it.
 */
#ifndef CARRY_TUI_TREE_H
#define CARRY_TUI_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct world;

struct tree_node {
	char *name;      /* last component ("." for the root) */
	char *path;      /* repository-relative ("" for the root) */
	int depth;
	bool dir, open;
	size_t end;      /* the first node after this one's subtree */
	/* Badges for the window (app: badges_load); -1: none. */
	int orphan_share, pager_gap;  /* per mille */
	int64_t changed;              /* lines in the window */
	char team[12];
};

struct tree {
	struct tree_node *nodes;
	size_t n;
};

void tree_build(struct tree *t, const struct world *w);
void tree_free(struct tree *t);
/* The visible nodes (open directories' contents), as node indices. */
size_t tree_visible(const struct tree *t, size_t *out);

#endif
