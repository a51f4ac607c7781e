/*
 * Locale-independent ASCII helpers: carry parses git objects and data
 * files whose syntax is ASCII whatever the user's locale.
 */
#ifndef CARRY_ASCII_H
#define CARRY_ASCII_H

/* The value of a hexadecimal digit, or -1. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
