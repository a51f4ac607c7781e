/* The terminal (screen.h): curses, colours, terminal-safe text, restore. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/strbuf.h"
#include "carry/termsafe.h"
#include "screen.h"

static volatile sig_atomic_t is_open;
static bool utf8;  /* the terminal's locale is UTF-8: else non-ASCII shows as '?' */
static attr_t attrs[STYLE__COUNT];

void screen_close(void)
{
	if (is_open) {
		is_open = 0;
		endwin();
	}
}

/* A fatal signal: give the terminal back, then die of the same signal. */
static void on_fatal(int sig)
{
	screen_close();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGINT, SIGTERM, SIGHUP: restore and exit as a killed process would. */
static void on_quit(int sig)
{
	screen_close();
	_exit(128 + sig);
}

static void set_styles(bool colour)
{
	static const struct {
		enum style s;
		short fg, bg;
		attr_t mono;  /* without colour */
		attr_t extra; /* with colour too */
	} map[] = {
		{ STYLE_NORMAL, -1, -1, A_NORMAL, A_NORMAL },
		{ STYLE_TITLE, COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
		{ STYLE_KEYS, COLOR_BLACK, COLOR_WHITE, A_REVERSE, A_NORMAL },
		{ STYLE_HEADER, COLOR_YELLOW, -1, A_BOLD, A_BOLD },
		{ STYLE_SELECTED, COLOR_BLACK, COLOR_GREEN, A_REVERSE, A_NORMAL },
		{ STYLE_DIM, COLOR_BLUE, -1, A_DIM, A_NORMAL },
		{ STYLE_GONE, COLOR_RED, -1, A_BOLD, A_NORMAL },
		{ STYLE_DRIVE_BY, COLOR_MAGENTA, -1, A_UNDERLINE, A_NORMAL },
		{ STYLE_ON_CALL, COLOR_GREEN, -1, A_BOLD, A_BOLD },
		{ STYLE_BOT, COLOR_CYAN, -1, A_DIM, A_NORMAL },
		{ STYLE_BAR, COLOR_CYAN, -1, A_REVERSE, A_REVERSE },
		{ STYLE_BAR_TEXT, COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
		{ STYLE_GAUGE_HIGH, COLOR_RED, -1, A_REVERSE | A_BOLD, A_REVERSE },
		{ STYLE_GAUGE_EMPTY, -1, -1, A_UNDERLINE, A_UNDERLINE },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (colour) {
			init_pair((short)(i + 1), map[i].fg, map[i].bg);
			attrs[map[i].s] = COLOR_PAIR((int)(i + 1)) | map[i].extra;
		} else {
			attrs[map[i].s] = map[i].mono;
		}
	}
}

int screen_open(void)
{
	const char *term = getenv("TERM");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return carry_error(CARRY_ERR, "the dashboard needs a terminal; "
		                   "'carry report' gives the same answers as text");
	if (!term || !*term || !strcmp(term, "dumb"))
		return carry_error(CARRY_ERR, "TERM is %s: the dashboard needs a real terminal; "
		                   "'carry report' gives the same answers as text",
		                   term && *term ? term : "unset");
	setlocale(LC_CTYPE, "");
	utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	if (!newterm(NULL, stdout, stdin))
		return carry_error(CARRY_ERR, "cannot start the terminal '%s'", term);
	is_open = 1;
	signal(SIGINT, on_quit);
	signal(SIGTERM, on_quit);
	signal(SIGHUP, on_quit);
	signal(SIGSEGV, on_fatal);
	signal(SIGABRT, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGFPE, on_fatal);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);  /* Esc is "back": do not wait a second for a sequence */
	/* Wheel and clicks where the terminal reports them; no drag, so the
	 * terminal's own selection still works with Shift. */
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
	          BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	const char *no_colour = getenv("NO_COLOR");
	bool colour = has_colors() && !(no_colour && *no_colour);
	if (colour) {
		start_color();
		use_default_colors();
	}
	set_styles(colour);
	return 0;
}

bool screen_utf8(void)
{
	return utf8;
}

void screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void screen_clear(void)
{
	erase();
}

void screen_fill(int y, int x, int width, enum style s)
{
	attrset(attrs[s]);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

int screen_text(int y, int x, int width, enum style s, const char *text, bool pad)
{
	if (width <= 0)
		return 0;
	struct strbuf safe = STRBUF_INIT;
	size_t used = ts_fit(&safe, text, strlen(text), (size_t)width);
	if (!utf8) {
		/* One '?' per character a non-UTF-8 terminal could not show (its
		 * columns may then differ: pad below keeps the layout). */
		size_t k = 0;
		for (size_t i = 0; i < safe.len; i++) {
			unsigned char c = (unsigned char)safe.ptr[i];
			if (c < 0x80)
				safe.ptr[k++] = (char)c;
			else if (c >= 0xc0)
				safe.ptr[k++] = '?';
		}
		safe.len = k;
		used = k;
	}
	attrset(attrs[s]);
	mvaddnstr(y, x, safe.ptr ? safe.ptr : "", (int)safe.len);
	if (pad)
		for (int i = (int)used; i < width; i++)
			mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
	sb_free(&safe);
	return pad ? width : (int)used;
}

void screen_flush(void)
{
	refresh();
}

int screen_key(void)
{
	return getch();
}

int screen_key_within(int ms)
{
	timeout(ms);
	int key = getch();
	timeout(-1);
	return key;
}

static int screen_poll(void)
{
	nodelay(stdscr, TRUE);
	int key = getch();
	nodelay(stdscr, FALSE);
	return key;
}

bool screen_pending(void)
{
	int key = screen_poll();
	if (key == ERR)
		return false;
	ungetch(key);
	return true;
}

enum mouse_event screen_mouse(int *y, int *x)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return MOUSE_NONE;
	*y = ev.y;
	*x = ev.x;
	if (ev.bstate & BUTTON4_PRESSED)
		return MOUSE_WHEEL_UP;
	if (ev.bstate & BUTTON5_PRESSED)
		return MOUSE_WHEEL_DOWN;
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		return MOUSE_DOUBLE_CLICK;
	if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		return MOUSE_CLICK;
	return MOUSE_NONE;
}

void screen_repaint(void)
{
	clearok(curscr, TRUE);
}
