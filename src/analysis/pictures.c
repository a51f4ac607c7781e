/*
 * What the dashboard draws rather than lists: a badge per path of the
 * tree (owning team, orphan share, pager gap) for every path at once, and
 * the activity of one subtree over the window as a series.  Both are one
 * pass over the world, so the tree can carry badges on a repository the
 * size of git/git without a query per row.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/mem.h"
#include "carry/strmap.h"
#include "world.h"

static const struct table_col badge_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "lines", "LINES", COL_INT, true },
	{ "orphan_share", "ORPHANED", COL_PCT, true },
	{ "changed", "CHANGED", COL_INT, true },
	{ "pager_gap", "PAGER GAP", COL_PCT, true },
};

struct badge {
	int64_t lines, orphaned, changed, gap;
};

enum { MAX_DEPTH = 256 };

static size_t ancestry(const struct strmap *nodes, const char *path, uint32_t *ids, size_t cap);

/* Adds to the node of `path` and of every directory above it (those the
 * map holds: directories of HEAD). */
static void add_up(const struct strmap *nodes, struct badge *b, const char *path,
                   int64_t lines, int64_t orphaned, int64_t changed, int64_t gap)
{
	uint32_t ids[MAX_DEPTH];
	size_t n = ancestry(nodes, path, ids, MAX_DEPTH);
	for (size_t i = 0; i < n; i++) {
		b[ids[i]].lines += lines;
		b[ids[i]].orphaned += orphaned;
		b[ids[i]].changed += changed;
		b[ids[i]].gap += gap;
	}
}

/* Every directory and file of HEAD, "" the root first. */
static void head_nodes(const struct world *w, struct strmap *nodes)
{
	memset(nodes, 0, sizeof(*nodes));
	strmap_intern(nodes, "", 0);
	for (size_t f = 0; f < w->nfiles; f++) {
		const char *path = strmap_key(&w->paths, w->files[f].path);
		for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
			strmap_intern(nodes, path, (size_t)(s - path));
		strmap_intern(nodes, path, strlen(path));
	}
}

/* The nodes of `path` and of every directory above it, as ids (n of them). */
static size_t ancestry(const struct strmap *nodes, const char *path, uint32_t *ids, size_t cap)
{
	size_t len = strlen(path), n = 0;
	for (;;) {
		uint32_t id = strmap_find(nodes, path, len);
		if (id != STRMAP_NONE && n < cap)
			ids[n++] = id;
		if (!len)
			return n;
		while (len && path[len - 1] != '/')
			len--;
		len -= len > 0;
	}
}

int path_badges_table(struct world *w, const struct analysis_params *p, struct table *out)
{
	table_init(out, badge_cols, sizeof(badge_cols) / sizeof(badge_cols[0]));
	struct strmap nodes;
	head_nodes(w, &nodes);
	struct badge *b = xcalloc(nodes.count + 1, sizeof(*b));
	for (size_t f = 0; f < w->nfiles; f++) {
		int64_t lines[2];
		bool orphaned = file_orphaned(w, f, p, p->at, lines) != 0;
		add_up(&nodes, b, strmap_key(&w->paths, w->files[f].path), w->files[f].lines,
		       orphaned ? w->files[f].lines : 0, 0, 0);
	}
	/* Changes in the window on any path, HEAD's or gone since: they count
	 * for the directories still there. */
	size_t npaths = w->paths.count;
	int64_t (*gap)[2] = gap_by_path(w, p->since, p->until);
	for (size_t i = 0; i < npaths; i++)
		if (gap[i][0])
			add_up(&nodes, b, strmap_key(&w->paths, (uint32_t)i), 0, 0, gap[i][0], gap[i][1]);
	free(gap);
	for (uint32_t id = 0; id < nodes.count; id++) {
		const char *path = strmap_key(&nodes, id);
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[0], path);
		cell_set_int(&row[1], b[id].lines);
		cell_set_int(&row[2], per_mille(b[id].orphaned, b[id].lines));
		cell_set_int(&row[3], b[id].changed);
		if (b[id].changed)
			cell_set_int(&row[4], per_mille(b[id].gap, b[id].changed));
	}
	free(b);
	strmap_free(&nodes);
	return 0;
}

/* ---- owning teams ---- */

static const struct table_col team_cols[] = {
	{ "path", "PATH", COL_STR, false },
	{ "team", "TEAM", COL_STR, false },
	{ "main_email", "MAIN DEVELOPER", COL_STR, false },
};

/* (node, person) -> their lines and DOA files beneath the node. */
struct share {
	uint64_t key;  /* node << 32 | person, + 1; 0 empty */
	int64_t lines;
	uint32_t authored;
};

struct shares {
	struct share *slots;
	size_t cap, n;
};

static struct share *share_of(struct shares *m, uint32_t node, uint32_t person)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct shares bigger = { xcalloc(m->cap ? m->cap * 2 : 1024, sizeof(struct share)),
		                         m->cap ? m->cap * 2 : 1024, 0 };
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key) {
				struct share *to = share_of(&bigger, (uint32_t)((m->slots[i].key - 1) >> 32),
				                            (uint32_t)(m->slots[i].key - 1));
				to->lines = m->slots[i].lines;
				to->authored = m->slots[i].authored;
			}
		free(m->slots);
		*m = bigger;
	}
	uint64_t key = ((uint64_t)node << 32 | person) + 1;
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & (m->cap - 1);
	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].key) {
		m->slots[i].key = key;
		m->n++;
	}
	return &m->slots[i];
}

int path_teams_table(struct world *w, struct table *out)
{
	table_init(out, team_cols, sizeof(team_cols) / sizeof(team_cols[0]));
	world_index_doa(w);
	struct strmap nodes;
	head_nodes(w, &nodes);
	struct shares m = { 0 };
	uint32_t ids[MAX_DEPTH];
	for (size_t f = 0; f < w->nfiles; f++) {
		size_t n = ancestry(&nodes, strmap_key(&w->paths, w->files[f].path), ids, MAX_DEPTH);
		for (uint32_t k = 0; k < w->files[f].nauthors; k++) {
			const struct file_author *fa = &w->file_authors[w->files[f].first_author + k];
			if (!w->people[fa->person].bot)
				for (size_t i = 0; i < n; i++)
					share_of(&m, ids[i], fa->person)->lines += fa->lines;
		}
		for (uint32_t k = 0; k < w->doa_n[f]; k++) {
			uint32_t person = w->doa_people[w->doa_first[f] + k];
			if (!w->people[person].bot)
				for (size_t i = 0; i < n; i++)
					share_of(&m, ids[i], person)->authored++;
		}
	}
	/* The main developer of each node: as `carry owners` ranks people
	 * (lines, then DOA files, then email), among people with lines. */
	const struct share **best = xcalloc(nodes.count + 1, sizeof(*best));
	for (size_t i = 0; i < m.cap; i++) {
		const struct share *sh = &m.slots[i];
		if (!sh->key || !sh->lines)
			continue;
		uint32_t node = (uint32_t)((sh->key - 1) >> 32), person = (uint32_t)(sh->key - 1);
		const struct share *b = best[node];
		int c = !b ? -1 : sh->lines != b->lines ? (sh->lines > b->lines ? -1 : 1)
		      : sh->authored != b->authored ? (sh->authored > b->authored ? -1 : 1)
		      : strcmp(w->people[person].email, w->people[(uint32_t)(b->key - 1)].email);
		if (c < 0 || (c == 0 && person < (uint32_t)(b->key - 1)))
			best[node] = sh;
	}
	for (uint32_t id = 0; id < nodes.count; id++) {
		const char *path = strmap_key(&nodes, id);
		const struct path_info *pi = world_path(w, world_path_id(w, path));
		const struct person *main = best[id] ? &w->people[(uint32_t)(best[id]->key - 1)] : NULL;
		/* As `carry owners` says: the service's team, else the declared
		 * one, else the main developer's. */
		const char *team = pi->service != NONE && w->services[pi->service].team[0]
		                 ? w->services[pi->service].team
		                 : pi->declared_team ? pi->declared_team
		                 : main && main->team[0] ? main->team : NULL;
		struct table_cell *row = table_add_row(out);
		cell_set_str(&row[0], path);
		if (team)
			cell_set_str(&row[1], team);
		if (main)
			cell_set_str(&row[2], main->email);
	}
	free(best);
	free(m.slots);
	strmap_free(&nodes);
	return 0;
}

int activity_series(struct world *w, const struct analysis_params *p, const char *path,
                    int64_t *buckets, size_t n)
{
	memset(buckets, 0, n * sizeof(*buckets));
	if (!n || !w->ncommits)
		return 0;
	int64_t since = p->since, until = p->until, oldest = INT64_MAX, newest = INT64_MIN;
	for (size_t i = 0; (since == INT64_MIN || until == INT64_MAX) && i < w->ncommits; i++) {
		oldest = w->commits[i].time < oldest ? w->commits[i].time : oldest;
		newest = w->commits[i].time > newest ? w->commits[i].time : newest;
	}
	if (since == INT64_MIN)
		since = oldest;  /* all history: from the first commit */
	if (until == INT64_MAX)
		until = newest;
	if (until <= since)
		return 0;
	size_t nx;
	uint32_t *xs = changes_in(w, since, until, &nx);
	uint32_t last = NONE;
	bool inside = false;
	for (size_t i = 0; i < nx; i++) {
		const struct change *c = &w->changes[xs[i]];
		if (c->path != last) {
			last = c->path;
			inside = path_within(strmap_key(&w->paths, c->path), path);
		}
		if (!inside)
			continue;
		int64_t t = w->commits[c->commit].time;
		size_t k = (size_t)((double)(t - since) / (double)(until - since + 1) * (double)n);
		buckets[k < n ? k : n - 1] += (int64_t)c->added + c->deleted;
	}
	free(xs);
	return 0;
}
