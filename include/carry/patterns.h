/*
 * Bot and AI-assistance detection (DESIGN.md: "Bot", "AI-assisted commit").
 *
 * The patterns come from data/bots.txt and data/ai-markers.txt, compiled
 * into the binary, followed by the user's own files of the same names in
 * $XDG_CONFIG_HOME/carry/ (default ~/.config/carry/) when they exist.  The
 * line format is documented at the top of each data file.  In short:
 *
 *   bots.txt        name TEXT | email TEXT | any TEXT
 *   ai-markers.txt  coauthor TEXT | trailer KEY [TEXT] | text TEXT
 *
 * TEXT matches case-insensitively (ASCII) anywhere in the field; a run of
 * spaces in TEXT matches a run of spaces and tabs; and when TEXT starts
 * (ends) with an ASCII letter or digit, the byte just before (after) the
 * match must not be a letter, digit or byte >= 0x80 (part of a UTF-8
 * letter, most likely), so "aider" does not match "Haider" and "-bot" does
 * not match "Jean-Botha".  Edges that are not letters or digits ("[bot]",
 * an emoji) match anywhere.  In TEXT, "\xHH" is the byte HH and "\\" a
 * backslash (the built-in files must stay ASCII: the build embeds them as
 * char arrays).
 *
 * A loaded set is read-only: share it freely between threads.
 */
#ifndef CARRY_BASE_PATTERNS_H
#define CARRY_BASE_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

struct patterns;

/* Loads the built-in lists and the user's files.  Returns 0, or
 * CARRY_EINPUT naming "file:line" for a bad line (or an unreadable user
 * file); *out is NULL then. */
int patterns_load(struct patterns **out);

/* Loads from these buffers only (no built-ins, no user files), for tests
 * and tools; errors name them "bots.txt" and "ai-markers.txt". */
int patterns_load_buffers(struct patterns **out,
                          const char *bots, size_t bots_len,
                          const char *ai, size_t ai_len);

void patterns_free(struct patterns *p); /* NULL ok */

/* True when the name or email (NUL-terminated; either may be NULL) matches
 * a bot pattern. */
bool patterns_is_bot(const struct patterns *p, const char *name, const char *email);

/* True when the commit message message[0..len) carries an AI marker: a
 * trailer line ("Key: value" at the start of any line of the message,
 * leading blanks allowed, key case-insensitive) that a coauthor/trailer
 * rule names, or a text phrase anywhere. */
bool patterns_is_ai_assisted(const struct patterns *p, const char *message, size_t len);

#endif
