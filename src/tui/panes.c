/*
 * The panes on the right: each is a line in one table, an analysis that
 * answers for the selected subtree and the columns shown of its answer.
 * Panes never draw; app.c draws every pane's table the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "carry/analysis.h"
#include "carry/store.h"
#include "panes.h"

static int owners(const struct pane_query *q, struct table *out)
{
	return owners_people_table(q->w, q->p, q->path, out);
}

static int drive_bys(const struct pane_query *q, struct table *out)
{
	return drivebys_table(q->w, q->p, q->path, out);
}

static int orphans(const struct pane_query *q, struct table *out)
{
	return orphans_table(q->w, q->p, q->path, false, out);
}

static int pager(const struct pane_query *q, struct table *out)
{
	const char *paths[] = { q->path };
	bool dir = q->is_dir;
	if (q->w)
		return pager_world_table(q->w, paths, 1, &dir, q->p->at, out);
	return pager_table(q->st, q->repo_id, paths, 1, &dir, q->p->at, out);
}

/* Those of the subtree once the history is in; every one until then. */
static int incidents(const struct pane_query *q, struct table *out)
{
	if (q->w)
		return incidents_table(q->w, q->st, q->p, q->path, out);
	return store_incidents(q->st, q->p->since, q->p->until, out);
}

size_t pane_ncols(const struct pane *p)
{
	size_t n = 0;
	while (n < sizeof(p->cols) / sizeof(p->cols[0]) && p->cols[n].key)
		n++;
	return n;
}

/* Columns: key of the analysis table, width (0: what is left). */
const struct pane panes[] = {
	{ "Owners", owners, false, true,
	  { { "name", 20 }, { "share", 14 }, { "lines", 7 }, { "authored", 8 }, { "team", 10 },
	    { "gone", 4 } } },
	{ "Drive-bys", drive_bys, false, true,
	  { { "time", 10 }, { "name", 16 }, { "ai_assisted", 3 }, { "path", 28 }, { "subject", 0 } } },
	{ "Orphans", orphans, false, true,
	  { { "path", 0 }, { "lines", 6 }, { "gone_share", 6 }, { "reasons", 22 } } },
	{ "Pager", pager, true, false,
	  { { "service", 12 }, { "level", 3 }, { "name", 18 }, { "until", 10 }, { "next_name", 0 } } },
	{ "Incidents", incidents, false, false,
	  { { "started_at", 10 }, { "incident_id", 10 }, { "severity", 5 }, { "service", 12 },
	    { "title", 0 } } },
};
const size_t npanes = sizeof(panes) / sizeof(panes[0]);
