/*
 * Locale-independent ASCII helpers: carry parses git objects and data
 * files whose syntax is ASCII whatever the user's locale.
 */
#ifndef CARRY_ASCII_H
#define CARRY_ASCII_H

/* ASCII-only case folding: names and keys compare the same in every locale. */
static inline char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

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
