/*
 * Allocation that cannot fail: carry has no useful way to continue when
 * malloc fails, so these print one line and abort.  Everything returned
 * is freed with free().
 */
#ifndef CARRY_MEM_H
#define CARRY_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (holding *cap elements of `size` bytes) to hold at least `need`. */
void xgrow(void *pp, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
