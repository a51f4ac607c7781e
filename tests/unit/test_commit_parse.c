/* Raw commit objects and %s, with expectations checked against git 2.39
 * (`git hash-object -t commit --literally`, then `git log --format`). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/error.h"
#include "carry/strbuf.h"
#include "../../src/ingest/commit_parse.h"

#define TREE "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
#define P1 "1111111111111111111111111111111111111111"
#define P2 "2222222222222222222222222222222222222222"
#define P3 "3333333333333333333333333333333333333333"

static void assert_span(const char *p, size_t len, const char *want)
{
	if (len != strlen(want) || memcmp(p, want, len) != 0)
		fail_msg("got '%.*s', want '%s'", (int)len, p, want);
}

static void parse_ok(struct raw_commit *c, const char *buf)
{
	assert_int_equal(commit_parse(c, buf, strlen(buf)), 0);
}

static void test_plain(void **state)
{
	(void)state;
	const char *buf =
		"tree " TREE "\n"
		"parent " P1 "\n"
		"author Ada Lovelace <ada@example.com> 1700000000 +0100\n"
		"committer Charles Babbage <cb@example.com> 1700000500 -0230\n"
		"\n"
		"Add the engine\n\nBody.\n";
	struct raw_commit c;
	parse_ok(&c, buf);
	assert_null(c.error);
	assert_string_equal(c.tree, TREE);
	assert_int_equal(c.nparents, 1);
	assert_string_equal(c.parents[0], P1);
	assert_span(c.author_name, c.author_name_len, "Ada Lovelace");
	assert_span(c.author_email, c.author_email_len, "ada@example.com");
	assert_int_equal(c.author_time, 1700000000);
	assert_int_equal(c.author_tz, 60);
	assert_int_equal(c.committer_time, 1700000500);
	assert_null(c.encoding);
	assert_span(c.message, c.message_len, "Add the engine\n\nBody.\n");
	/* pointers point into the buffer */
	assert_true(c.author_name > buf && c.author_name < buf + strlen(buf));
	raw_commit_free(&c);
	assert_null(c.parents);
}

static void test_root_commit(void **state)
{
	(void)state;
	struct raw_commit c;
	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x> 0 +0000\n"
	             "committer A <a@x> 0 +0000\n\nroot\n");
	assert_null(c.error);
	assert_int_equal(c.nparents, 0);
	assert_null(c.parents);
	assert_int_equal(c.author_time, 0);
	raw_commit_free(&c);
}

static void test_gpgsig(void **state)
{
	(void)state;
	const char *buf =
		"tree " TREE "\n"
		"parent " P1 "\n"
		"author Signer <signer@example.com> 1712345678 +0000\n"
		"committer Signer <signer@example.com> 1712345678 +0000\n"
		"gpgsig -----BEGIN PGP SIGNATURE-----\n"
		" \n"
		" iQIzBAABCAAdFiEEexampleexampleexampleexampleFAmYQabcACgkQexample\n"
		" author Mallory <mallory@evil.example> 1 +0000\n"
		" committer Mallory <mallory@evil.example> 1 +0000\n"
		" \n"
		" =AbCd\n"
		" -----END PGP SIGNATURE-----\n"
		"\n"
		"Signed change\n";
	struct raw_commit c;
	parse_ok(&c, buf);
	assert_null(c.error);
	assert_int_equal(c.nparents, 1);
	assert_span(c.author_name, c.author_name_len, "Signer");
	assert_int_equal(c.committer_time, 1712345678);
	/* the " \n" lines inside the signature do not end the headers */
	assert_span(c.message, c.message_len, "Signed change\n");
	raw_commit_free(&c);
}

static void test_merge_three_parents_with_mergetag(void **state)
{
	(void)state;
	const char *buf =
		"tree " TREE "\n"
		"parent " P1 "\n"
		"parent " P2 "\n"
		"parent " P3 "\n"
		"author Octo Pus <octo@example.com> 1600000000 -0700\n"
		"committer Octo Pus <octo@example.com> 1600000001 -0700\n"
		"mergetag object " P2 "\n"
		" type commit\n"
		" tag v1.0\n"
		" tagger Tagger <t@example.com> 1500000000 +0000\n"
		" \n"
		" Release 1.0\n"
		" -----BEGIN PGP SIGNATURE-----\n"
		" \n"
		" abc\n"
		" -----END PGP SIGNATURE-----\n"
		"\n"
		"Merge branches 'a' and 'b'\n";
	struct raw_commit c;
	parse_ok(&c, buf);
	assert_null(c.error);
	assert_int_equal(c.nparents, 3);
	assert_string_equal(c.parents[0], P1);
	assert_string_equal(c.parents[1], P2);
	assert_string_equal(c.parents[2], P3);
	assert_int_equal(c.author_tz, -420);
	assert_int_equal(c.committer_time, 1600000001);
	assert_span(c.message, c.message_len, "Merge branches 'a' and 'b'\n");
	raw_commit_free(&c);
}

static void test_missing_email(void **state)
{
	(void)state;
	struct raw_commit c;
	parse_ok(&c, "tree " TREE "\n"
	             "author NoEmail 1700000000 +0100\n"
	             "committer C <c@x> 1700000000 +0000\n\nmsg\n");
	assert_string_equal(c.error, "missing author email");
	/* git shows an empty name and email for such an ident */
	assert_int_equal(c.author_name_len, 0);
	assert_int_equal(c.author_email_len, 0);
	assert_non_null(c.author_name);
	assert_non_null(c.author_email);
	assert_int_equal(c.author_time, 0);
	assert_int_equal(c.committer_time, 1700000000);
	raw_commit_free(&c);

	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x 1700000000 +0100\n"
	             "committer C <c@x> 1700000000 +0000\n\nmsg\n");
	assert_string_equal(c.error, "missing author email");
	raw_commit_free(&c);

	/* "<>" is an empty email, which git accepts */
	parse_ok(&c, "tree " TREE "\n"
	             "author Frank <> 1700000000 +0100\n"
	             "committer C <c@x> 1700000000 +0000\n\nmsg\n");
	assert_null(c.error);
	assert_span(c.author_name, c.author_name_len, "Frank");
	assert_int_equal(c.author_email_len, 0);
	raw_commit_free(&c);

	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x> 1700000000 +0100\n"
	             "committer Nobody 1700000000 +0000\n\nmsg\n");
	assert_string_equal(c.error, "missing committer email");
	assert_int_equal(c.author_time, 1700000000);
	raw_commit_free(&c);
}

static void test_bad_dates(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"author A <a@x> notadate +0100\n",
		"author A <a@x> 1700000000\n",            /* no zone */
		"author A <a@x> 1700000000 0100\n",       /* zone without sign */
		"author A <a@x> 1700000000 +\n",          /* sign without digits */
		"author A <a@x>\n",
		"author A <a@x> 99999999999999999999999 +0100\n", /* overflows */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[512];
		snprintf(buf, sizeof(buf), "tree " TREE "\n%s"
		         "committer C <c@x> 1700000000 +0000\n\nmsg\n", bad[i]);
		struct raw_commit c;
		parse_ok(&c, buf);
		if (!c.error || strcmp(c.error, "bad author date") != 0)
			fail_msg("%s: error %s", bad[i], c.error ? c.error : "(none)");
		assert_int_equal(c.author_time, 0);
		assert_int_equal(c.author_tz, 0);
		/* the ident itself is fine */
		assert_span(c.author_email, c.author_email_len, "a@x");
		raw_commit_free(&c);
	}

	struct raw_commit c;
	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x> 1700000000 +0100\n"
	             "committer C <c@x> soon +0000\n\nmsg\n");
	assert_string_equal(c.error, "bad committer date");
	assert_int_equal(c.committer_time, 0);
	raw_commit_free(&c);
}

static void test_lenient_idents(void **state)
{
	(void)state;
	struct raw_commit c;
	/* git keeps leading blanks of the name (it trims only before '<'),
	 * reads the date after the LAST '>', and ignores what follows the zone */
	parse_ok(&c, "tree " TREE "\n"
	             "author   Spacey  Name   <s@x.com> <t@y>  1700000000   -0030 trailing\n"
	             "committer C <c@x> 1700000000 +0000\n\nmsg\n");
	assert_null(c.error);
	assert_span(c.author_name, c.author_name_len, "  Spacey  Name");
	assert_span(c.author_email, c.author_email_len, "s@x.com");
	assert_int_equal(c.author_time, 1700000000);
	assert_int_equal(c.author_tz, -30);
	raw_commit_free(&c);

	/* no name; zone "+0130" is 90 minutes; the last author header wins */
	parse_ok(&c, "tree " TREE "\n"
	             "author First <f@x> 1 +0000\n"
	             "author <anon@x> 1700000000 +0130\n"
	             "committer C <c@x> 1700000000 +0000\n\nmsg\n");
	assert_null(c.error);
	assert_int_equal(c.author_name_len, 0);
	assert_span(c.author_email, c.author_email_len, "anon@x");
	assert_int_equal(c.author_tz, 90);
	raw_commit_free(&c);
}

static void test_encoding_and_other_headers(void **state)
{
	(void)state;
	struct raw_commit c;
	parse_ok(&c, "tree " TREE "\n"
	             "author J\xf6rg <j@x> 1700000000 +0200\n"
	             "committer J\xf6rg <j@x> 1700000000 +0200\n"
	             "encoding ISO-8859-1\n"
	             "encoding UTF-8\n"
	             "x-custom some value\n"
	             "change-id I1234\n"
	             "\n"
	             "Gr\xfc\xdf" "e\n");
	assert_null(c.error);
	assert_span(c.encoding, c.encoding_len, "ISO-8859-1");
	assert_span(c.author_name, c.author_name_len, "J\xf6rg");
	assert_span(c.message, c.message_len, "Gr\xfc\xdf" "e\n");
	raw_commit_free(&c);
}

static void test_empty_message(void **state)
{
	(void)state;
	struct raw_commit c;
	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x> 1 +0000\n"
	             "committer A <a@x> 1 +0000\n\n");
	assert_null(c.error);
	assert_int_equal(c.message_len, 0);
	assert_non_null(c.message);
	raw_commit_free(&c);

	/* no blank line at all, and no final newline */
	parse_ok(&c, "tree " TREE "\n"
	             "author A <a@x> 1 +0000\n"
	             "committer A <a@x> 2 +0000");
	assert_null(c.error);
	assert_int_equal(c.committer_time, 2);
	assert_int_equal(c.message_len, 0);
	raw_commit_free(&c);
}

static void test_not_a_commit(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"hello world\n",
		"author A <a@x> 1 +0000\ntree " TREE "\n\nmsg\n", /* tree must come first */
		"tree 4b825dc\n\nshort\n",
		"tree " TREE "x\n\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct raw_commit c;
		assert_int_equal(commit_parse(&c, bad[i], strlen(bad[i])), CARRY_ERR);
		assert_string_equal(c.error, "no tree");
		raw_commit_free(&c);
	}
}

static void test_parents_and_missing_idents(void **state)
{
	(void)state;
	struct raw_commit c;
	/* uppercase hex is accepted and lowercased; a bad parent is dropped;
	 * a parent header after the author is not a parent (as in git) */
	parse_ok(&c, "tree 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\n"
	             "parent " P1 "\n"
	             "parent nothex\n"
	             "parent " P2 "\n"
	             "author A <a@x> 1 +0000\n"
	             "parent " P3 "\n"
	             "committer A <a@x> 1 +0000\n\nm\n");
	assert_string_equal(c.tree, TREE);
	assert_string_equal(c.error, "bad parent");
	assert_int_equal(c.nparents, 2);
	assert_string_equal(c.parents[1], P2);
	raw_commit_free(&c);

	parse_ok(&c, "tree " TREE "\n\nm\n");
	assert_string_equal(c.error, "no author");
	raw_commit_free(&c);

	parse_ok(&c, "tree " TREE "\nauthor A <a@x> 1 +0000\n\nm\n");
	assert_string_equal(c.error, "no committer");
	raw_commit_free(&c);
}

/* ---- %s ---- */

static void expect_subject(const char *msg, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	commit_subject(&sb, msg, strlen(msg));
	if (strcmp(sb_str(&sb), want) != 0)
		fail_msg("subject of \"%s\" is \"%s\", want \"%s\"", msg, sb_str(&sb), want);
	sb_free(&sb);
}

static void test_subject(void **state)
{
	(void)state;
	expect_subject("Simple\n", "Simple");
	expect_subject("Simple", "Simple");
	expect_subject("Two line\nsubject\n\nbody\n", "Two line subject");
	/* leading blank (whitespace-only) lines skipped, leading blanks of a
	 * line kept, trailing whitespace (CR included) trimmed */
	expect_subject("\n  \n  Lead line  \nsecond\t \r\nthird\n\nbody\n",
	               "  Lead line second third");
	expect_subject("line1\r\nline2\r\n\r\nbody\n", "line1 line2");
	/* a whitespace-only line ends the paragraph */
	expect_subject("a\n \t\nb\n", "a");
	expect_subject("", "");
	expect_subject("\n\n\n", "");
	expect_subject("  \n", "");
	expect_subject("x\n\n", "x");
	/* inner whitespace kept as is */
	expect_subject("a  b\tc\n", "a  b\tc");

	/* appends; a NUL ends the message */
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "> ");
	static const char nul[] = "fix\0hidden\n";
	commit_subject(&sb, nul, sizeof(nul) - 1);
	assert_string_equal(sb_str(&sb), "> fix");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_root_commit),
		cmocka_unit_test(test_gpgsig),
		cmocka_unit_test(test_merge_three_parents_with_mergetag),
		cmocka_unit_test(test_missing_email),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_lenient_idents),
		cmocka_unit_test(test_encoding_and_other_headers),
		cmocka_unit_test(test_empty_message),
		cmocka_unit_test(test_not_a_commit),
		cmocka_unit_test(test_parents_and_missing_idents),
		cmocka_unit_test(test_subject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
