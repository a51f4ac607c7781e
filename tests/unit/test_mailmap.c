/* .mailmap: every line form and override rule, each expectation checked
 * against git 2.39 (`git log --use-mailmap --format='%aN|%aE'` and
 * `git check-mailmap`) on scratch repositories. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ingest/mailmap.h"

static struct mailmap *load(const char *text)
{
	struct mailmap *m = mailmap_new();
	mailmap_add_buffer(m, text, strlen(text));
	return m;
}

/* Resolves "name" <email> and compares with the expected "name|email". */
static void expect(const struct mailmap *m, const char *name, const char *email,
                   const char *want)
{
	const char *n, *e;
	size_t nl, el;
	mailmap_resolve(m, name, strlen(name), email, strlen(email), &n, &nl, &e, &el);
	char got[512];
	snprintf(got, sizeof(got), "%.*s|%.*s", (int)nl, n, (int)el, e);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' <%s> resolved to '%s', want '%s'", name, email, got, want);
}

static void test_four_forms(void **state)
{
	(void)state;
	struct mailmap *m = load(
		"Proper Name <commit1@x.com>\n"
		"<proper2@x.com> <commit2@x.com>\n"
		"Proper Three <proper3@x.com> <commit3@x.com>\n"
		"Proper Four <proper4@x.com> Commit Four <commit4@x.com>\n");
	assert_int_equal(mailmap_count(m), 4);
	expect(m, "Whoever", "commit1@x.com", "Proper Name|commit1@x.com");
	expect(m, "Whoever", "commit2@x.com", "Whoever|proper2@x.com");
	expect(m, "Whoever", "commit3@x.com", "Proper Three|proper3@x.com");
	expect(m, "Commit Four", "commit4@x.com", "Proper Four|proper4@x.com");
	/* the fourth form needs the name too */
	expect(m, "Someone Else", "commit4@x.com", "Someone Else|commit4@x.com");
	expect(m, "Nobody", "nobody@x.com", "Nobody|nobody@x.com");
	mailmap_free(m);
}

static void test_case_insensitive(void **state)
{
	(void)state;
	struct mailmap *m = load("Proper <Proper@X.com> Old Name <OLD@x.com>\n"
	                         "Bob <bob@x.com>\n");
	/* email and name both compared without case; replacement keeps its case */
	expect(m, "old name", "OLD@X.COM", "Proper|Proper@X.com");
	expect(m, "Old Name", "old@x.com", "Proper|Proper@X.com");
	expect(m, "Bob B", "BOB@X.COM", "Bob|BOB@X.COM");
	/* only ASCII folds, as strcasecmp in git */
	mailmap_free(m);
	m = load("Jose <jos\xc3\xa9@x.com>\n");
	expect(m, "J", "JOS\xc3\x89@x.com", "J|JOS\xc3\x89@x.com");
	expect(m, "J", "JOS\xc3\xa9@X.com", "Jose|JOS\xc3\xa9@X.com");
	mailmap_free(m);
}

static void test_named_beats_simple(void **state)
{
	(void)state;
	struct mailmap *m = load("Proper <Proper@X.com> Old Name <OLD@x.com>\n"
	                         "Simple <old@x.com>\n");
	assert_int_equal(mailmap_count(m), 1);
	expect(m, "Old Name", "old@x.com", "Proper|Proper@X.com");
	expect(m, "Other", "old@x.com", "Simple|old@x.com");
	mailmap_free(m);
}

static void test_later_lines_override(void **state)
{
	(void)state;
	/* simple entries replace only the part they give */
	struct mailmap *m = load("Bob One <bob@x.com>\n"
	                         "Bob Two <bob@x.com>\n"
	                         "<bobnew@x.com> <bob@x.com>\n");
	expect(m, "Bob", "bob@x.com", "Bob Two|bobnew@x.com");
	mailmap_free(m);

	m = load("K1 <k1@x.com> <kim@x.com>\n");
	mailmap_add_buffer(m, "<k2@x.com> <kim@x.com>\n", 23);
	expect(m, "Kim", "kim@x.com", "K1|k2@x.com");
	mailmap_free(m);

	/* a named entry is replaced as a whole, name matched without case */
	m = load("A <a@x.com> Old <o@x.com>\n"
	         "<b@x.com> old <O@x.com>\n");
	expect(m, "Old", "o@x.com", "Old|b@x.com");
	mailmap_free(m);

	/* a second buffer (mailmap.file after .mailmap) overrides the first */
	m = load("Ivan I <ivan@x.com>\n");
	const char *more = "Ivan Two <ivan@x.com>\n";
	mailmap_add_buffer(m, more, strlen(more));
	expect(m, "Ivan", "ivan@x.com", "Ivan Two|ivan@x.com");
	assert_int_equal(mailmap_count(m), 1);
	mailmap_free(m);
}

static void test_email_only_named_entry(void **state)
{
	(void)state;
	/* "<new> Name <old>": only the email changes */
	struct mailmap *m = load("<HANK2@x.com> Hank <hank@x.com>\n");
	expect(m, "Hank", "hank@x.com", "Hank|HANK2@x.com");
	expect(m, "Other", "hank@x.com", "Other|hank@x.com");
	mailmap_free(m);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	struct mailmap *m = load(
		"Carol X <carol@x.com\n"           /* no '>': ignored */
		"Dan <>\n"                         /* empty first email: ignored */
		"No email at all\n"
		"# Eve <eve@x.com>\n"              /* comment */
		" # not a comment <frank@x.com>\n" /* '#' not first: a name */
		"\n"
		"<gina@x.com>\n"                   /* an entry that maps nothing */
		"Empty <e@x.com> <>\n");           /* second email may be empty */
	expect(m, "Carol", "carol@x.com", "Carol|carol@x.com");
	expect(m, "Eve", "eve@x.com", "Eve|eve@x.com");
	expect(m, "Frank", "frank@x.com", "# not a comment|frank@x.com");
	expect(m, "Gina", "gina@x.com", "Gina|gina@x.com");
	expect(m, "Frank", "", "Empty|e@x.com");
	assert_int_equal(mailmap_count(m), 3); /* frank, gina, "" */
	mailmap_free(m);
}

static void test_whitespace(void **state)
{
	(void)state;
	struct mailmap *m = load(
		"   Dave    Spaced   <dave@x.com>   \n"
		"\tTab Name\t<tab@x.com>\n"
		"New <new@x.com>    Old   Name   <old@x.com>   trailing junk\n"
		"   <only@x.com>\n"
		"Spaced <sp@x.com> < spaced@x.com >\n");
	expect(m, "Dave", "dave@x.com", "Dave    Spaced|dave@x.com");
	expect(m, "T", "tab@x.com", "Tab Name|tab@x.com");
	expect(m, "Old   Name", "old@x.com", "New|new@x.com");
	expect(m, "Old Name", "old@x.com", "Old Name|old@x.com");
	expect(m, "O", "only@x.com", "O|only@x.com");
	/* emails are not trimmed */
	expect(m, "S", "spaced@x.com", "S|spaced@x.com");
	expect(m, "S", " spaced@x.com ", "Spaced|sp@x.com");
	mailmap_free(m);
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	struct mailmap *m = load("Gina G <gina@x.com>\r\n"
	                         "P <p@x.com> Old <o@x.com>\r\n"
	                         "Last <last@x.com>");
	expect(m, "Gina", "gina@x.com", "Gina G|gina@x.com");
	expect(m, "Old", "o@x.com", "P|p@x.com");
	expect(m, "L", "last@x.com", "Last|last@x.com");
	mailmap_free(m);
}

static void test_comment_after_entry(void **state)
{
	(void)state;
	/* git reads what follows the first "<...>" as "Name <email>" when it
	 * can: a '#' there is not a comment */
	struct mailmap *m = load("A <a@x.com> # comment\n"
	                         "B <b@x.com> # old <c@x.com>\n");
	expect(m, "X", "a@x.com", "A|a@x.com");
	expect(m, "# old", "c@x.com", "B|b@x.com");
	expect(m, "X", "c@x.com", "X|c@x.com");
	mailmap_free(m);
}

static void test_nul_ends_line(void **state)
{
	(void)state;
	static const char buf[] = "A <a@x.com>\0junk <j@x.com>\nB <b@x.com>\n";
	struct mailmap *m = mailmap_new();
	mailmap_add_buffer(m, buf, sizeof(buf) - 1);
	expect(m, "X", "a@x.com", "A|a@x.com");
	expect(m, "X", "j@x.com", "X|j@x.com");
	expect(m, "X", "b@x.com", "B|b@x.com");
	mailmap_free(m);
}

static void test_inputs_not_nul_terminated(void **state)
{
	(void)state;
	struct mailmap *m = load("Proper <p@x.com> Old <o@x.com>\nS <o@x.co>\n");
	const char *line = "Old <o@x.com> 1700000000 +0100";
	const char *n, *e;
	size_t nl, el;
	mailmap_resolve(m, line, 3, line + 5, 7, &n, &nl, &e, &el);
	assert_int_equal(nl, 6);
	assert_memory_equal(n, "Proper", 6);
	assert_int_equal(el, 7);
	assert_memory_equal(e, "p@x.com", 7);
	/* the first 6 bytes are the email o@x.co, which is known too */
	mailmap_resolve(m, line, 3, line + 5, 6, &n, &nl, &e, &el);
	assert_int_equal(nl, 1);
	assert_memory_equal(n, "S", 1);
	assert_ptr_equal(e, line + 5);
	assert_int_equal(el, 6);
	/* a prefix of a known email is not that email */
	mailmap_resolve(m, line, 3, line + 5, 5, &n, &nl, &e, &el);
	assert_ptr_equal(n, line);
	assert_ptr_equal(e, line + 5);
	/* and the name must match in full */
	mailmap_resolve(m, line, 2, line + 5, 7, &n, &nl, &e, &el);
	assert_ptr_equal(n, line);
	assert_int_equal(nl, 2);
	mailmap_free(m);
}

static void test_empty_and_null(void **state)
{
	(void)state;
	const char *n, *e;
	size_t nl, el;
	mailmap_resolve(NULL, "A", 1, "a@x", 3, &n, &nl, &e, &el);
	assert_int_equal(nl, 1);
	assert_int_equal(el, 3);
	struct mailmap *m = mailmap_new();
	assert_int_equal(mailmap_count(m), 0);
	mailmap_add_buffer(m, "", 0);
	mailmap_resolve(m, NULL, 0, "a@x", 3, &n, &nl, &e, &el);
	assert_int_equal(nl, 0);
	assert_non_null(n);
	mailmap_free(m);
	mailmap_free(NULL);
}

static void test_many_entries(void **state)
{
	(void)state;
	struct mailmap *m = mailmap_new();
	char line[128];
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(line, sizeof(line), "Person %d <p%d@new.org> <P%d@Old.org>\n", i, i, i);
		mailmap_add_buffer(m, line, (size_t)n);
	}
	assert_int_equal(mailmap_count(m), 20000);
	for (int i = 0; i < 20000; i += 7) {
		char email[64], want[128];
		snprintf(email, sizeof(email), "p%d@old.ORG", i);
		snprintf(want, sizeof(want), "Person %d|p%d@new.org", i, i);
		expect(m, "x", email, want);
	}
	expect(m, "x", "p20000@old.org", "x|p20000@old.org");
	mailmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_forms),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_named_beats_simple),
		cmocka_unit_test(test_later_lines_override),
		cmocka_unit_test(test_email_only_named_entry),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_comment_after_entry),
		cmocka_unit_test(test_nul_ends_line),
		cmocka_unit_test(test_inputs_not_nul_terminated),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_many_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
