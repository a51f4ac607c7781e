/* Growable byte buffers (see include/carry/strbuf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/ascii.h"
#include "carry/mem.h"
#include "carry/strbuf.h"

void sb_grow(struct strbuf *sb, size_t extra)
{
	xgrow(&sb->ptr, &sb->cap, sb->len + extra + 1, 1);
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	sb_grow(sb, len);
	if (len)
		memcpy(sb->ptr + sb->len, data, len);
	sb->len += len;
	sb->ptr[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_add_lower(struct strbuf *sb, const char *s, size_t len)
{
	sb_grow(sb, len);
	for (size_t i = 0; i < len; i++)
		sb->ptr[sb->len + i] = ascii_lower(s[i]);
	sb->len += len;
	sb->ptr[sb->len] = '\0';
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->ptr + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->ptr)
		sb->ptr[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->ptr);
	sb->ptr = NULL;
	sb->len = sb->cap = 0;
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->ptr ? sb->ptr : xstrdup("");
	sb->ptr = NULL;
	sb->len = sb->cap = 0;
	return p;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->ptr ? sb->ptr : "";
}
