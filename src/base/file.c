/* Bounded whole-file reads (see include/carry/file.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "carry/error.h"
#include "carry/file.h"

int read_file(struct strbuf *out, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return carry_error(CARRY_EINPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= max)
		sb_grow(out, (size_t)st.st_size + 1); /* room to see the end */
	size_t start = out->len;
	for (;;) {
		sb_grow(out, 64 * 1024);
		size_t room = out->cap - out->len - 1;
		size_t got = fread(out->ptr + out->len, 1, room, f);
		out->len += got;
		out->ptr[out->len] = '\0';
		if (out->len - start > max) {
			fclose(f);
			return carry_error(CARRY_EINPUT, "%s: larger than %zu MiB", path, max >> 20);
		}
		if (got < room)
			break;
	}
	int bad = ferror(f), saved = errno;
	fclose(f);
	if (bad)
		return carry_error(CARRY_EINPUT, "%s: %s", path, strerror(saved ? saved : EIO));
	return 0;
}

int make_dirs(const char *path, size_t len, unsigned mode, struct strbuf *failed)
{
	struct strbuf p = STRBUF_INIT;
	sb_add(&p, path, len);
	int err = 0;
	for (size_t i = 1; i <= p.len && !err; i++) {
		if (i < p.len && p.ptr[i] != '/')
			continue;
		char c = p.ptr[i];
		p.ptr[i] = '\0';
		if (mkdir(p.ptr, (mode_t)mode) < 0 && errno != EEXIST) {
			err = errno;
			sb_adds(failed, p.ptr);
		}
		p.ptr[i] = c;
	}
	sb_free(&p);
	return err;
}
