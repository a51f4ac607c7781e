/*
 * A growable, always NUL-terminated byte buffer.  A zeroed strbuf
 * (STRBUF_INIT) is valid and empty; sb_free() returns it to that state.
 * The buffer owns `ptr`; sb_detach() hands ownership to the caller.
 */
#ifndef CARRY_STRBUF_H
#define CARRY_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { 0 }

void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
/* Appends s[0..len) with ASCII letters folded to lower case (emails,
 * handles and names that people type compare that way in every locale). */
void sb_add_lower(struct strbuf *sb, const char *s, size_t len);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);
/* ptr, or "" when nothing was ever added. */
const char *sb_str(const struct strbuf *sb);

#endif
