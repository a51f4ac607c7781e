/*
 * `carry demo`: a deterministic demo world.  demo_build() writes, under a
 * directory, a company's git repository (three years of history by 30+
 * people in five teams, bots, contractors, feature branches, renames, a
 * .mailmap, a CODEOWNERS file with a stale entry, AI-assisted drive-by
 * commits) and the on-call data that goes with it, in carry's import
 * formats (DESIGN.md): roster.csv, services.csv, one iCalendar file per
 * rotation, incidents.csv.  The same (seed, scale, end day) give the same
 * bytes: the same HEAD id and the same files.
 *
 * Layout: DIR/repo, DIR/roster.csv, DIR/services.csv, DIR/ROTATION.ics,
 * DIR/incidents.csv.  The repository's git directory holds a manifest of
 * what the demo wrote (repo/.git/carry-demo); a later build removes
 * exactly that and starts again, and refuses a DIR whose repo/, or any
 * file it would write, was not made by a demo build.
 */
#ifndef CARRY_DEMO_H
#define CARRY_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct demo_options {
	const char *dir;          /* created when missing */
	unsigned scale;           /* >= 1: commits, people and files grow with it */
	unsigned seed;
	int64_t end;              /* the world ends on this day (rounded down to 00:00 UTC) */
	/* Other files of DIR the caller will write (its database); listed in
	 * the manifest, so that a rebuild removes them too.  May be NULL. */
	const char *const *owned;
	size_t nowned;
	/* One line per finished phase ("wrote 3,412 commits ..."); may be NULL. */
	void (*progress)(const char *line, void *payload);
	void *payload;
};

struct demo_calendar {
	char *rotation;           /* the rotation's name */
	char *path;               /* DIR/ROTATION.ics */
};

struct demo_world {
	char *repo;               /* DIR/repo */
	char *roster, *services, *incidents;
	struct demo_calendar *calendars;
	size_t ncalendars;
	int64_t end;              /* the end day */
	size_t incident_count, service_count;
};

/* Builds the world; CARRY_EINPUT (one line naming the path) when DIR holds
 * something a demo build did not make.  `out` is set on success. */
int demo_build(const struct demo_options *o, struct demo_world *out);
void demo_world_free(struct demo_world *w);

#endif
