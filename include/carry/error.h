/*
 * Errors, the libgit2 way: functions return 0 on success or a negative
 * code; the message lives in a thread-local "last error" that the caller
 * reads with carry_error_last().  A library error (libgit2, sqlite3) is
 * converted once, at the layer that calls the library, never rewrapped
 * on the way up.  The CLI maps codes to exit statuses (DESIGN.md):
 *   CARRY_EUSAGE -> 2, CARRY_EINPUT -> 3, anything else negative -> 1.
 */
#ifndef CARRY_ERROR_H
#define CARRY_ERROR_H

enum {
	CARRY_OK = 0,
	CARRY_ERR = -1,       /* runtime failure: exit 1 */
	CARRY_ENOTFOUND = -2, /* an expected "not there" (caller decides) */
	CARRY_EUSAGE = -3,    /* bad command line: exit 2 */
	CARRY_EINPUT = -4,    /* rejected input (import file, unreadable repository): exit 3 */
	CARRY_EINTR = -5,     /* interrupted by a signal; work so far is committed */
};

/* Sets the last error to the formatted message and returns `code`, so a
 * failing function can `return carry_error(CARRY_EINPUT, "...")`. */
int carry_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes the last error's message with "prefix: " and returns `code`
 * (for naming the option or file an inner error came from). */
int carry_error_prefix(int code, const char *prefix);

/* The message of the last error on this thread ("" when none). */
const char *carry_error_last(void);

/* Forgets the last error on this thread. */
void carry_error_clear(void);

/* The exit status DESIGN.md assigns to a return code. */
int carry_exit_status(int code);

#endif
