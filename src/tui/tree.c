/* The path tree (tree.h). */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "tree.h"

static size_t add_node(struct tree *t, size_t *cap, const char *path, size_t len, int depth, bool dir)
{
	xgrow(&t->nodes, cap, t->n + 1, sizeof(*t->nodes));
	struct tree_node *n = &t->nodes[t->n];
	const char *slash = NULL;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			slash = path + i;
	n->path = xstrndup(path, len);
	n->name = len ? xstrndup(slash ? slash + 1 : path, len - (size_t)(slash ? slash + 1 - path : 0))
	              : xstrdup(".");
	n->depth = depth;
	n->dir = dir;
	n->open = depth == 0;
	n->end = 0;
	n->orphan_share = n->pager_gap = -1;
	n->team[0] = '\0';
	return t->n++;
}

void tree_build(struct tree *t, const struct world *w)
{
	memset(t, 0, sizeof(*t));
	size_t nf = world_file_count(w), cap = 0, scap = 8;
	/* path first: path_order compares what the element starts with. */
	const char **files = xmalloc((nf + 1) * sizeof(*files));
	for (size_t i = 0; i < nf; i++)
		files[i] = world_file_path(w, i, NULL);
	if (nf)
		qsort(files, nf, sizeof(*files), path_order);
	/* The open directories from the root down to the current one. */
	size_t *stack = xmalloc(scap * sizeof(*stack));
	size_t depth = 0;
	stack[0] = add_node(t, &cap, "", 0, 0, true);
	for (size_t i = 0; i < nf; i++) {
		const char *p = files[i];
		/* Close directories that are not a prefix of p. */
		while (depth > 0) {
			const char *dp = t->nodes[stack[depth]].path;
			size_t dl = strlen(dp);
			if (!strncmp(p, dp, dl) && p[dl] == '/')
				break;
			t->nodes[stack[depth]].end = t->n;
			depth--;
		}
		/* Open the directories between. */
		const char *start = depth ? p + strlen(t->nodes[stack[depth]].path) + 1 : p;
		for (const char *s = strchr(start, '/'); s; s = strchr(s + 1, '/')) {
			size_t d = add_node(t, &cap, p, (size_t)(s - p), (int)depth + 1, true);
			xgrow(&stack, &scap, depth + 2, sizeof(*stack));
			stack[++depth] = d;
		}
		size_t f = add_node(t, &cap, p, strlen(p), (int)depth + 1, false);
		t->nodes[f].end = f + 1;
	}
	while (depth > 0)
		t->nodes[stack[depth--]].end = t->n;
	t->nodes[0].end = t->n;
	free(stack);
	free(files);
}

void tree_free(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].path);
	}
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

size_t tree_visible(const struct tree *t, size_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n;) {
		out[n++] = i;
		i = t->nodes[i].dir && !t->nodes[i].open ? t->nodes[i].end : i + 1;
	}
	return n;
}
