/* The thread-local last error (see include/carry/error.h). */
#include <stdarg.h>
#include <stdio.h>

#include "carry/error.h"

static _Thread_local char last_error[1024];

int carry_error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

int carry_error_prefix(int code, const char *prefix)
{
	char copy[sizeof(last_error)];
	snprintf(copy, sizeof(copy), "%s", last_error);
	snprintf(last_error, sizeof(last_error), "%s: %s", prefix, copy);
	return code;
}

const char *carry_error_last(void)
{
	return last_error;
}

void carry_error_clear(void)
{
	last_error[0] = '\0';
}

int carry_exit_status(int code)
{
	switch (code) {
	case CARRY_OK: return 0;
	case CARRY_EUSAGE: return 2;
	case CARRY_EINPUT: return 3;
	default: return 1;
	}
}
