/*
 * .mailmap parsing and resolution with git's semantics (git 2.39 mailmap.c:
 * read_mailmap_line, parse_name_and_email, add_mapping, map_user).
 *
 * The four line forms, where "Old" is how the commit says it and the first
 * pair is what it becomes:
 *     Proper Name <commit@email>                      name only, by email
 *     <proper@email> <commit@email>                   email only, by email
 *     Proper Name <proper@email> <commit@email>       both, by email
 *     Proper Name <proper@email> Commit Name <commit@email>   both, by email
 *                                                      and name
 * (the last form may leave out "Proper Name": then only the email changes).
 *
 * As git does:
 *  - a line is a comment only when its very first byte is '#'; anything
 *    after the second "<...>" is ignored; a line whose first "<...>" is
 *    missing, unterminated or empty ("<>") is ignored; a second "<>" is a
 *    valid (empty) commit email;
 *  - names are trimmed of surrounding whitespace, emails are taken verbatim
 *    between '<' and the first '>' after it;
 *  - emails and names are compared case-insensitively (ASCII), and the
 *    replacement keeps the case written in the file;
 *  - later lines override earlier ones: a name-only or email-only line for
 *    an email replaces just the part it gives, so "A <a@x>" followed by
 *    "<b@x> <a@x>" maps a@x to "A <b@x>"; a later line for the same
 *    (commit name, commit email) replaces the earlier one entirely;
 *  - a (name, email) line wins over an email-only line for the same email
 *    when the commit's name matches, else the email-only mapping applies.
 * Lines end at '\n'; a '\r' before it is harmless (it sits after the last
 * '>').  A NUL byte ends its line, as fgets() does for git.
 */
#ifndef CARRY_INGEST_MAILMAP_H
#define CARRY_INGEST_MAILMAP_H

#include <stddef.h>

struct mailmap;

struct mailmap *mailmap_new(void);
/* Adds the lines of one mailmap source.  May be called repeatedly: later
 * buffers override earlier ones, as git's mailmap.file does after .mailmap. */
void mailmap_add_buffer(struct mailmap *m, const char *buf, size_t len);
void mailmap_free(struct mailmap *m); /* NULL ok */
/* The number of distinct commit emails the map knows (git's map->nr). */
size_t mailmap_count(const struct mailmap *m);

/* Resolves (name, email) as git's map_user() does.  The out pointers point
 * into the map or at the inputs, and stay valid until mailmap_free() (and,
 * for the inputs, as long as they do).  `name` may be NULL when name_len is
 * 0; `m` may be NULL (nothing maps). */
void mailmap_resolve(const struct mailmap *m,
                     const char *name, size_t name_len,
                     const char *email, size_t email_len,
                     const char **out_name, size_t *out_name_len,
                     const char **out_email, size_t *out_email_len);

#endif
