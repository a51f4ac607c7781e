/*
 * The terminal: the one place that talks to curses.  Panes and the app
 * draw through these calls with semantic styles; this file maps styles to
 * colours (none under NO_COLOR or on a monochrome terminal), makes every
 * string terminal-safe, and restores the terminal however the program ends.
 */
#ifndef CARRY_TUI_SCREEN_H
#define CARRY_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

enum style {
	STYLE_NORMAL,
	STYLE_TITLE,      /* top line */
	STYLE_KEYS,       /* bottom line */
	STYLE_HEADER,     /* column titles */
	STYLE_SELECTED,   /* the cursor row */
	STYLE_DIM,
	STYLE_GONE,       /* gone authors, orphaned code */
	STYLE_DRIVE_BY,
	STYLE_ON_CALL,
	STYLE_BOT,
	STYLE_BAR,        /* share bars, the filled part of a gauge */
	STYLE_BAR_TEXT,   /* sparklines */
	STYLE_GAUGE_HIGH, /* a gauge's filled part past half */
	STYLE_GAUGE_EMPTY,
	STYLE__COUNT
};

/* Can the terminal show UTF-8 (block characters)? */
bool screen_utf8(void);
/* Takes over the terminal; CARRY_ERR with a message when it cannot. */
int screen_open(void);
/* Gives it back (safe to call twice, and from a signal handler). */
void screen_close(void);
void screen_size(int *rows, int *cols);
void screen_clear(void);
/* Draws untrusted text at (y, x), at most `width` columns, made
 * terminal-safe, padded with spaces to `width` when `pad`; returns the
 * columns used. */
int screen_text(int y, int x, int width, enum style s, const char *text, bool pad);
/* Fills (y, x .. x + width) with spaces in a style. */
void screen_fill(int y, int x, int width, enum style s);
void screen_flush(void);
/* The next key (curses KEY_* or a character); KEY_RESIZE after a resize,
 * KEY_MOUSE for a mouse event (then screen_mouse()). */
int screen_key(void);
/* The next key within `ms` milliseconds, else ERR (-1). */
int screen_key_within(int ms);
/* Is a key waiting? (It stays waiting.) */
bool screen_pending(void);
enum mouse_event { MOUSE_NONE, MOUSE_CLICK, MOUSE_DOUBLE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };
/* The mouse event behind a KEY_MOUSE, and where. */
enum mouse_event screen_mouse(int *y, int *x);
/* Redraw everything on the next flush (something else wrote to the terminal). */
void screen_repaint(void);

#endif
