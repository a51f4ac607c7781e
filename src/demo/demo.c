/*
 * `carry demo`'s world on disk (see include/carry/demo.h): the directory
 * checks, the repository, the import files, and the manifest that lets a
 * later build remove exactly what this one wrote.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carry/demo.h"
#include "carry/error.h"
#include "carry/timeutil.h"
#include "carry/file.h"
#include "carry/mem.h"
#include "demo_int.h"

#define MANIFEST "repo/.git/carry-demo"
#define MANIFEST_HEAD "carry demo: the repository and the files of its directory listed below " \
                      "were written by `carry demo`, which removes them when it builds again.\n"

static void say(const struct demo_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct demo_options *o, const char *fmt, ...)
{
	if (!o->progress)
		return;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	o->progress(sb.ptr, o->payload);
	sb_free(&sb);
}

static char *join(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s/%s", dir, name);
	return sb_detach(&sb);
}

static int mkdirs(const char *dir)
{
	struct strbuf failed = STRBUF_INIT;
	int e = make_dirs(dir, strlen(dir), 0777, &failed);
	int rc = e ? carry_error(CARRY_EINPUT, "%s: %s", failed.ptr, strerror(e)) : 0;
	sb_free(&failed);
	struct stat st;
	if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = carry_error(CARRY_EINPUT, "%s: not a directory", dir);
	return rc;
}

static int remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb, (void)type, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* The names this build writes into DIR, besides repo/. */
static size_t outputs(const struct demo_options *o, const char ***out)
{
	static const char *const fixed[] = { "roster.csv", "services.csv", "incidents.csv" };
	size_t n = COUNT_OF(fixed) + nrotations + o->nowned, k = 0;
	const char **v = xmalloc(n * sizeof(*v));
	for (size_t i = 0; i < COUNT_OF(fixed); i++)
		v[k++] = xstrdup(fixed[i]);
	for (size_t i = 0; i < nrotations; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "%s.ics", rotations[i].name);
		v[k++] = sb_detach(&sb);
	}
	for (size_t i = 0; i < o->nowned; i++)
		v[k++] = xstrdup(o->owned[i]);
	*out = v;
	return k;
}

/* A name of the manifest is removed only when it is a plain file name. */
static bool plain_name(const char *s, size_t n)
{
	return n && memchr(s, '/', n) == NULL && !(n == 1 && s[0] == '.') &&
	       !(n == 2 && !strncmp(s, "..", 2)) && !(n == 4 && !strncmp(s, "repo", 4));
}

/* Removes an earlier demo build from DIR, or refuses what is not one. */
static int clear_dir(const struct demo_options *o, const char *const *names, size_t n)
{
	char *repo = join(o->dir, "repo"), *manifest = join(o->dir, MANIFEST);
	struct strbuf text = STRBUF_INIT;
	struct stat st;
	int rc = 0;
	if (lstat(repo, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || read_file(&text, manifest, 1 << 20) < 0 ||
		    strncmp(sb_str(&text), MANIFEST_HEAD, strlen(MANIFEST_HEAD)) != 0) {
			carry_error_clear();
			rc = carry_error(CARRY_EINPUT, "%s: exists and is not a repository carry demo built; "
			                 "choose another directory", repo);
			goto out;
		}
		for (const char *p = text.ptr + strlen(MANIFEST_HEAD); *p;) {
			size_t len = strcspn(p, "\n");
			if (plain_name(p, len)) {
				char *name = xstrndup(p, len), *path = join(o->dir, name);
				if (unlink(path) < 0 && errno != ENOENT)
					rc = carry_error(CARRY_ERR, "%s: %s", path, strerror(errno));
				free(name);
				free(path);
			}
			p += len + (p[len] == '\n');
		}
		if (rc == 0 && nftw(repo, remove_one, 32, FTW_DEPTH | FTW_PHYS) < 0)
			rc = carry_error(CARRY_ERR, "%s: cannot remove the earlier demo: %s", repo, strerror(errno));
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join(o->dir, names[i]);
		if (lstat(path, &st) == 0)
			rc = carry_error(CARRY_EINPUT, "%s: exists and was not written by carry demo; "
			                 "choose another directory", path);
		free(path);
		if (rc < 0)
			break;
	}
out:
	sb_free(&text);
	free(repo);
	free(manifest);
	return rc;
}

static int write_text(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return carry_error(CARRY_ERR, "%s: %s", path, strerror(errno));
	bool ok = fwrite(sb_str(sb), 1, sb->len, f) == sb->len;
	ok = fclose(f) == 0 && ok;
	return ok ? 0 : carry_error(CARRY_ERR, "%s: %s", path, strerror(errno));
}

static int write_manifest(const struct demo_options *o, const char *const *names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, MANIFEST_HEAD);
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s\n", names[i]);
	char *path = join(o->dir, MANIFEST);
	int rc = write_text(path, &sb);
	free(path);
	sb_free(&sb);
	return rc;
}

/* The on-call files, next to the repository. */
static int write_oncall(const struct demo_options *o, const struct cast *c,
                        const struct story_result *s, int64_t end, struct demo_world *w)
{
	struct strbuf sb = STRBUF_INIT;
	struct rng r;
	int rc;
	rng_seed(&r, o->seed, 3000 + o->scale);
	w->roster = join(o->dir, "roster.csv");
	roster_csv(c, &sb);
	if ((rc = write_text(w->roster, &sb)) < 0)
		goto out;
	sb_reset(&sb);
	w->services = join(o->dir, "services.csv");
	services_csv(&sb);
	if ((rc = write_text(w->services, &sb)) < 0)
		goto out;
	w->calendars = xcalloc(nrotations, sizeof(*w->calendars));
	for (size_t i = 0; i < nrotations && rc == 0; i++) {
		struct strbuf name = STRBUF_INIT;
		sb_addf(&name, "%s.ics", rotations[i].name);
		w->calendars[i].rotation = xstrdup(rotations[i].name);
		w->calendars[i].path = join(o->dir, name.ptr);
		w->ncalendars++;
		sb_free(&name);
		sb_reset(&sb);
		calendar_ics(c, i, end, &sb);
		rc = write_text(w->calendars[i].path, &sb);
	}
	if (rc < 0)
		goto out;
	sb_reset(&sb);
	w->incidents = join(o->dir, "incidents.csv");
	w->incident_count = incidents_csv(s, &r, o->scale, end, &sb);
	rc = write_text(w->incidents, &sb);
out:
	sb_free(&sb);
	return rc;
}

int demo_build(const struct demo_options *o, struct demo_world *w)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(w, 0, sizeof(*w));
	unsigned scale = o->scale ? o->scale : 1;
	int64_t end = o->end - ((o->end % DAY) + DAY) % DAY;
	/* 2005..2199: history after the epoch, calendars within what
	 * carry's iCalendar reader takes (years 1900-2200). */
	if (end < 1104537600 || end > 7258118400)
		return carry_error(CARRY_EUSAGE, "demo: the world must end between 2005 and 2199 (--at)");
	int64_t start = end - 1100 * DAY;   /* three years and five days */
	const char **names = NULL;
	size_t nnames = outputs(o, &names);
	struct cast cast = { 0 };
	struct story_result story = { 0 };
	struct gitwrite *git = NULL;
	int rc = mkdirs(o->dir);
	if (rc == 0)
		rc = clear_dir(o, names, nnames);
	if (rc < 0)
		goto out;
	w->repo = join(o->dir, "repo");
	/* Separate streams: the cast does not shift when the story changes. */
	struct rng rcast, rstory;
	rng_seed(&rcast, o->seed, 1000 + scale);
	rng_seed(&rstory, o->seed, 2000 + scale);
	cast_build(&cast, &rcast, scale, start, end);
	if ((rc = gitwrite_create(&git, w->repo)) < 0)
		goto out;
	if ((rc = write_manifest(o, names, nnames)) < 0)
		goto out;
	rc = story_write(git, &cast, &rstory, scale, start, end, &story);
	gitwrite_free(git);
	git = NULL;
	if (rc < 0)
		goto out;
	w->end = end;
	w->service_count = nservices;
	say(o, "demo: wrote %zu commits (%zu merges, %zu on feature branches, %zu AI-assisted) by %zu "
	       "people and bots, %zu files, head %.12s, in %.1f s",
	    story.commits, story.merges, story.branch_commits, story.ai_assisted, cast.n, story.files,
	    story.head, seconds_since(&t0));
	if ((rc = write_oncall(o, &cast, &story, end, w)) < 0)
		goto out;
	say(o, "demo: wrote roster.csv, services.csv, %zu calendars and incidents.csv (%zu incidents) "
	       "in %s", w->ncalendars, w->incident_count, o->dir);
out:
	gitwrite_free(git);
	story_result_free(&story);
	cast_free(&cast);
	for (size_t i = 0; i < nnames; i++)
		free((char *)names[i]);
	free(names);
	if (rc < 0)
		demo_world_free(w);
	return rc;
}

void demo_world_free(struct demo_world *w)
{
	free(w->repo);
	free(w->roster);
	free(w->services);
	free(w->incidents);
	for (size_t i = 0; i < w->ncalendars; i++) {
		free(w->calendars[i].rotation);
		free(w->calendars[i].path);
	}
	free(w->calendars);
	memset(w, 0, sizeof(*w));
}
