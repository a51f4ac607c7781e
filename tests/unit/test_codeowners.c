/* CODEOWNERS parsing and matching (src/oncall/codeowners.c): the
 * conformance table in tests/data/codeowners/conformance.tsv (GitHub's
 * documented examples, gitignore(5) examples and cases checked with
 * `git check-ignore`), last-match-wins and un-owning, invalid lines,
 * comments and whitespace, CRLF, owner forms and de-duplication, and
 * GitLab sections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carry/mem.h"
#include "carry/strbuf.h"
#include "../../src/oncall/codeowners.h"

#ifndef CARRY_TEST_DATA
#define CARRY_TEST_DATA "tests/data"
#endif

/* ---- helpers ---- */

static struct codeowners *parse(const char *text)
{
	struct codeowners *co = NULL;
	assert_int_equal(codeowners_parse(&co, text, strlen(text)), 0);
	assert_non_null(co);
	return co;
}

static void collect_cb(const char *owner, void *payload)
{
	struct strbuf *sb = payload;
	if (sb->len > 0)
		sb_addc(sb, ' ');
	sb_adds(sb, owner);
}

/* The owners of path, space-separated ("" for none); *matched as given. */
static char *owners_of(const struct codeowners *co, const char *path, bool *matched)
{
	struct strbuf sb = STRBUF_INIT;
	bool m = false;
	size_t n = codeowners_owners(co, path, collect_cb, &sb, &m);
	/* the count equals the number of callbacks */
	size_t words = 0;
	const char *s = sb_str(&sb);
	for (size_t i = 0; s[i]; i++)
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			words++;
	assert_int_equal(n, words);
	if (n > 0)
		assert_true(m);
	if (matched)
		*matched = m;
	return sb_detach(&sb);
}

static void expect_owners(const struct codeowners *co, const char *path, const char *want)
{
	bool m;
	char *got = owners_of(co, path, &m);
	if (strcmp(got, want) != 0)
		fail_msg("owners of '%s': got '%s', want '%s'", path, got, want);
	free(got);
}

static void expect_unowned(const struct codeowners *co, const char *path, bool want_matched)
{
	bool m = !want_matched;
	char *got = owners_of(co, path, &m);
	if (got[0] != '\0' || m != want_matched)
		fail_msg("'%s': got owners '%s' matched=%d, want none matched=%d", path, got, m,
		         want_matched);
	free(got);
}

static bool has_problem(const struct codeowners *co, size_t line, const char *needle)
{
	for (size_t i = 0; i < codeowners_problem_count(co); i++) {
		const struct codeowners_problem *p = codeowners_problem(co, i);
		if (p->line == line && strstr(p->what, needle) != NULL)
			return true;
	}
	return false;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(&sb, chunk, n);
	fclose(f);
	*len = sb.len;
	return sb_detach(&sb);
}

/* ---- the conformance table ---- */

static void test_conformance_table(void **state)
{
	(void)state;
	const char *path = CARRY_TEST_DATA "/codeowners/conformance.tsv";
	size_t len = 0;
	char *text = read_file(path, &len);
	if (text == NULL)
		fail_msg("cannot read %s (run from the source root or define CARRY_TEST_DATA)", path);

	size_t rows = 0, failures = 0, lineno = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		size_t l = strlen(line);
		if (l > 0 && line[l - 1] == '\r')
			line[--l] = '\0';
		if (l == 0 || line[0] == '#')
			continue;
		char *f[4] = { 0 };
		char *p = line;
		for (int k = 0; k < 4; k++) {
			f[k] = p;
			char *tab = k < 3 ? strchr(p, '\t') : NULL;
			if (k < 3 && tab == NULL)
				fail_msg("%s: row '%s' does not have 4 fields", path, line);
			if (tab) {
				*tab = '\0';
				p = tab + 1;
			}
		}
		const char *pattern = f[0], *file = f[1], *expected = f[2], *why = f[3];
		bool want = false;
		if (strcmp(expected, "match") == 0)
			want = true;
		else if (strcmp(expected, "nomatch") == 0)
			want = false;
		else
			fail_msg("%s: row %s/%s: expected must be match or nomatch, not '%s'", path,
			         pattern, file, expected);
		assert_true(strlen(why) > 0); /* every row names its source */
		rows++;

		/* 1. the building block */
		bool got = codeowners_pattern_matches(pattern, file);
		/* 2. the same pattern as a rule after a catch-all: last match wins */
		struct strbuf co_text = STRBUF_INIT;
		sb_addf(&co_text, "* @default\n%s @owner\n", pattern);
		struct codeowners *co = parse(co_text.ptr);
		bool m = false;
		char *owners = owners_of(co, file, &m);
		const char *want_owners = want ? "@owner" : "@default";
		bool ok = got == want && strcmp(owners, want_owners) == 0 && m;
		/* 3. alone: matched says whether the rule applied */
		struct strbuf alone = STRBUF_INIT;
		sb_addf(&alone, "%s @owner\n", pattern);
		struct codeowners *co2 = parse(alone.ptr);
		bool m2 = true;
		char *owners2 = owners_of(co2, file, &m2);
		ok = ok && m2 == want && strcmp(owners2, want ? "@owner" : "") == 0;
		if (!ok) {
			print_error("conformance row %zu: pattern '%s' path '%s': want %s, got "
			            "pattern_matches=%d, owners '%s' / '%s' (%s)\n",
			            lineno, pattern, file, expected, got, owners, owners2, why);
			failures++;
		}
		free(owners);
		free(owners2);
		codeowners_free(co);
		codeowners_free(co2);
		sb_free(&co_text);
		sb_free(&alone);
	}
	free(text);
	assert_true(rows >= 60);
	assert_int_equal(failures, 0);
}

/* ---- GitHub's example file ---- */

static const char github_example[] =
	"# This is a comment.\n"
	"# Each line is a file pattern followed by one or more owners.\n"
	"\n"
	"*       @global-owner1 @global-owner2\n"
	"*.js    @js-owner #This is an inline comment.\n"
	"*.go docs@example.com\n"
	"*.txt @octo-org/octocats\n"
	"/build/logs/ @doctocat\n"
	"docs/*  docs@example.com\n"
	"apps/ @octocat\n"
	"/docs/ @doctocat\n"
	"/scripts/ @doctocat @octocat\n"
	"**/logs @octocat\n"
	"/apps/ @octocat\n"
	"/apps/github\n";

static void test_github_example(void **state)
{
	(void)state;
	struct codeowners *co = parse(github_example);
	assert_int_equal(codeowners_problem_count(co), 0);
	assert_int_equal(codeowners_rule_count(co), 12);

	assert_string_equal(codeowners_rule_pattern(co, 0), "*");
	assert_int_equal(codeowners_rule_line(co, 0), 4);
	assert_int_equal(codeowners_rule_owner_count(co, 0), 2);
	assert_string_equal(codeowners_rule_owner(co, 0, 1), "@global-owner2");
	assert_string_equal(codeowners_rule_section(co, 0), "");
	/* the inline comment is not an owner */
	assert_int_equal(codeowners_rule_owner_count(co, 1), 1);
	assert_string_equal(codeowners_rule_owner(co, 1, 0), "@js-owner");
	assert_string_equal(codeowners_rule_owner(co, 3, 0), "@octo-org/octocats");
	/* the un-owning rule is kept, with no owners */
	assert_string_equal(codeowners_rule_pattern(co, 11), "/apps/github");
	assert_int_equal(codeowners_rule_owner_count(co, 11), 0);
	assert_null(codeowners_rule_owner(co, 11, 0));
	assert_null(codeowners_rule_pattern(co, 12));

	expect_owners(co, "README.md", "@global-owner1 @global-owner2");
	expect_owners(co, "src/web/app.js", "@js-owner");
	expect_owners(co, "cmd/main.go", "docs@example.com");
	expect_owners(co, "notes/todo.txt", "@octo-org/octocats");
	expect_owners(co, "build/logs/app.log", "@octocat"); /* **\/logs is later than /build/logs/ */
	expect_owners(co, "docs/getting-started.md", "@doctocat");
	expect_owners(co, "scripts/deploy.sh", "@doctocat @octocat");
	expect_owners(co, "src/apps/web/index.html", "@octocat");
	expect_owners(co, "apps/web/index.html", "@octocat");
	expect_unowned(co, "apps/github/main.go", true);
	expect_unowned(co, "apps/github", true);
	codeowners_free(co);

	/* the variant where the subdirectory has its own owner */
	co = parse("/apps/ @octocat\n/apps/github @doctocat\n");
	expect_owners(co, "apps/api/x.go", "@octocat");
	expect_owners(co, "apps/github/x.go", "@doctocat");
	expect_unowned(co, "lib/x.go", false);
	codeowners_free(co);

	/* "docs/<star>" without /docs/ after it: nested files are not its */
	co = parse("* @all\ndocs/* docs@example.com\n");
	expect_owners(co, "docs/getting-started.md", "docs@example.com");
	expect_owners(co, "docs/build-app/troubleshooting.md", "@all");
	codeowners_free(co);
}

/* ---- last match wins, un-owning ---- */

static void test_last_match_wins(void **state)
{
	(void)state;
	struct codeowners *co = parse("*.js @js\n"
	                              "/src/ @src\n"
	                              "* @everyone\n"
	                              "/src/legacy/ @legacy\n"
	                              "*.md\n");
	/* "* @everyone" comes after *.js and /src/: it wins for them */
	expect_owners(co, "src/app.js", "@everyone");
	expect_owners(co, "lib/app.js", "@everyone");
	expect_owners(co, "src/legacy/old.c", "@legacy");
	/* the ownerless *.md un-owns markdown, even under /src/legacy/ */
	expect_unowned(co, "src/legacy/README.md", true);
	expect_unowned(co, "README.md", true);
	codeowners_free(co);

	/* earlier rules are not consulted once a later one matched */
	co = parse("* @a\n/docs/ @b\n/docs/api/\n");
	expect_owners(co, "docs/guide.md", "@b");
	expect_unowned(co, "docs/api/ref.md", true);
	expect_owners(co, "src/x.c", "@a");
	codeowners_free(co);

	/* no rule at all */
	co = parse("/docs/ @b\n");
	expect_unowned(co, "src/x.c", false);
	codeowners_free(co);

	/* an empty file, and an empty path */
	co = parse("");
	assert_int_equal(codeowners_rule_count(co), 0);
	expect_unowned(co, "x", false);
	codeowners_free(co);
	co = parse("* @a\n");
	expect_unowned(co, "", false);
	codeowners_free(co);
}

/* ---- invalid lines ---- */

static void test_invalid_lines(void **state)
{
	(void)state;
	const char text[] =
		"* @all\n"                 /* 1 */
		"!docs/ @nobody\n"         /* 2: negation */
		"*.[ch] @c-team\n"         /* 3: range */
		"\\#notes.txt @notes\n"    /* 4: escaped # */
		"src/ owner-without-at\n"  /* 5: bad owner */
		"/ @root\n"                /* 6: root matches nothing */
		"lib/ @ok\n"               /* 7: valid */
		"trailing\\\n"             /* 8: trailing backslash */
		"bin/ @a #x @b\n"          /* 9: valid, owners stop at the comment */
		"tools/ @a@b\n"            /* 10: bad owner */
		"test/ @org/\n"            /* 11: bad team */
		"x/ user@localhost\n"      /* 12: email needs a dotted domain */
		"*.py @snake\n";           /* 13: valid */
	struct codeowners *co = parse(text);
	assert_int_equal(codeowners_problem_count(co), 9);
	assert_true(has_problem(co, 2, "negation '!' is not supported"));
	assert_true(has_problem(co, 3, "character ranges"));
	assert_true(has_problem(co, 4, "escaping '#'"));
	assert_true(has_problem(co, 5, "owner 'owner-without-at'"));
	assert_true(has_problem(co, 6, "matches nothing"));
	assert_true(has_problem(co, 8, "backslash"));
	assert_true(has_problem(co, 10, "owner '@a@b'"));
	assert_true(has_problem(co, 11, "owner '@org/'"));
	assert_true(has_problem(co, 12, "owner 'user@localhost'"));
	assert_null(codeowners_problem(co, 9));

	/* the valid lines are kept, with their own line numbers */
	assert_int_equal(codeowners_rule_count(co), 4);
	assert_int_equal(codeowners_rule_line(co, 0), 1);
	assert_int_equal(codeowners_rule_line(co, 1), 7);
	assert_int_equal(codeowners_rule_line(co, 2), 9);
	assert_int_equal(codeowners_rule_line(co, 3), 13);
	assert_int_equal(codeowners_rule_owner_count(co, 2), 1);

	/* skipped lines change nothing: the negation does not un-own docs/ */
	expect_owners(co, "docs/a.md", "@all");
	expect_owners(co, "main.c", "@all");
	expect_owners(co, "src/x.c", "@all");
	expect_owners(co, "lib/x.c", "@ok");
	expect_owners(co, "bin/run", "@a");
	expect_owners(co, "tools/x.py", "@snake");
	codeowners_free(co);

	/* an overlong pattern is an invalid line (it bounds the matcher's recursion) */
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "* @all\n");
	for (int i = 0; i < 3000; i++)
		sb_adds(&sb, "*a");
	sb_adds(&sb, " @long\n");
	co = parse(sb.ptr);
	assert_true(has_problem(co, 2, "longer than 4096"));
	assert_int_equal(codeowners_rule_count(co), 1);
	codeowners_free(co);
	assert_false(codeowners_pattern_matches(sb.ptr + 7, "aaaa"));
	sb_free(&sb);

	/* invalid patterns never match through the API either */
	assert_false(codeowners_pattern_matches("!foo", "foo"));
	assert_false(codeowners_pattern_matches("[ab]", "a"));
	assert_false(codeowners_pattern_matches("\\#x", "#x"));
	assert_false(codeowners_pattern_matches("x\\", "x"));
	assert_false(codeowners_pattern_matches("/", "x"));
	assert_false(codeowners_pattern_matches("", "x"));
	assert_false(codeowners_pattern_matches(NULL, "x"));
	assert_false(codeowners_pattern_matches("*", NULL));
}

static void test_problem_cap(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 3000; i++)
		sb_adds(&sb, "!x @a\n");
	sb_adds(&sb, "* @a\n");
	struct codeowners *co = NULL;
	assert_int_equal(codeowners_parse(&co, sb.ptr, sb.len), 0);
	size_t n = codeowners_problem_count(co);
	assert_true(n > 100 && n < 3000);
	assert_int_equal(codeowners_problem(co, 0)->line, 1);
	assert_non_null(strstr(codeowners_problem(co, n - 1)->what, "too many"));
	assert_int_equal(codeowners_rule_count(co), 1);
	assert_int_equal(codeowners_rule_line(co, 0), 3001);
	codeowners_free(co);
	sb_free(&sb);
}

static void test_nul_byte(void **state)
{
	(void)state;
	const char text[] = "* @a\nsrc\0x/ @b\nlib/ @c\n";
	struct codeowners *co = NULL;
	assert_int_equal(codeowners_parse(&co, text, sizeof text - 1), 0);
	assert_int_equal(codeowners_problem_count(co), 1);
	assert_true(has_problem(co, 2, "NUL"));
	assert_int_equal(codeowners_rule_count(co), 2);
	assert_int_equal(codeowners_rule_line(co, 1), 3);
	codeowners_free(co);

	assert_true(codeowners_parse(NULL, "", 0) < 0);
	assert_true(codeowners_parse(&co, NULL, 5) < 0);
	assert_null(co);
	assert_int_equal(codeowners_parse(&co, NULL, 0), 0);
	assert_int_equal(codeowners_rule_count(co), 0);
	codeowners_free(co);
	codeowners_free(NULL);
}

/* ---- comments, whitespace, escapes ---- */

static void test_comments_and_whitespace(void **state)
{
	(void)state;
	struct codeowners *co = parse("   # indented comment\n"
	                              "\t\n"
	                              "   /docs/   \t @a    @b   \n"      /* 3 */
	                              "*.js\t@js\t# trailing comment\n"   /* 4 */
	                              "/vendor/ # ownerless: un-owns\n"   /* 5 */
	                              "my\\ dir/ @spaces\n"               /* 6 */
	                              "foo#bar @hash\n"                   /* 7: '#' inside a token is literal */
	                              "/gen/ @g # @not-an-owner\n");      /* 8 */
	assert_int_equal(codeowners_problem_count(co), 0);
	assert_int_equal(codeowners_rule_count(co), 6);
	assert_string_equal(codeowners_rule_pattern(co, 0), "/docs/");
	assert_int_equal(codeowners_rule_line(co, 0), 3);
	assert_int_equal(codeowners_rule_owner_count(co, 0), 2);
	assert_string_equal(codeowners_rule_owner(co, 0, 1), "@b");
	assert_string_equal(codeowners_rule_owner(co, 1, 0), "@js");
	assert_int_equal(codeowners_rule_owner_count(co, 2), 0);
	assert_string_equal(codeowners_rule_pattern(co, 3), "my\\ dir/");
	assert_int_equal(codeowners_rule_owner_count(co, 5), 1);

	expect_owners(co, "docs/x.md", "@a @b");
	expect_owners(co, "web/app.js", "@js");
	expect_unowned(co, "vendor/lib.js", true);
	expect_owners(co, "my dir/x", "@spaces");
	expect_unowned(co, "my/x", false);
	expect_owners(co, "a/foo#bar", "@hash");
	expect_owners(co, "gen/x.c", "@g");
	codeowners_free(co);
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	const char lf[] = "* @a\n/docs/ @b @c\n*.md\n[Sec] @s\nsrc/\n";
	const char crlf[] = "\xEF\xBB\xBF* @a\r\n/docs/ @b @c\r\n*.md\r\n[Sec] @s\r\nsrc/";
	struct codeowners *a = parse(lf), *b = parse(crlf);
	assert_int_equal(codeowners_problem_count(b), 0);
	assert_int_equal(codeowners_rule_count(a), codeowners_rule_count(b));
	for (size_t i = 0; i < codeowners_rule_count(a); i++) {
		assert_string_equal(codeowners_rule_pattern(a, i), codeowners_rule_pattern(b, i));
		assert_int_equal(codeowners_rule_line(a, i), codeowners_rule_line(b, i));
		assert_string_equal(codeowners_rule_section(a, i), codeowners_rule_section(b, i));
		assert_int_equal(codeowners_rule_owner_count(a, i), codeowners_rule_owner_count(b, i));
		for (size_t k = 0; k < codeowners_rule_owner_count(a, i); k++)
			assert_string_equal(codeowners_rule_owner(a, i, k), codeowners_rule_owner(b, i, k));
	}
	assert_string_equal(codeowners_rule_owner(b, 1, 1), "@c"); /* no "\r" */
	assert_string_equal(codeowners_rule_section(b, 3), "Sec");
	assert_int_equal(codeowners_rule_line(b, 3), 5);
	const char *paths[] = { "x", "docs/y", "docs/z.md", "src/q.c", "README.md" };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		char *x = owners_of(a, paths[i], NULL), *y = owners_of(b, paths[i], NULL);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	expect_owners(b, "docs/y", "@b @c");
	expect_owners(b, "src/q.c", "@a @s");
	codeowners_free(a);
	codeowners_free(b);

	/* blank CRLF lines, and an ownerless rule before CRLF */
	struct codeowners *c = parse("\r\n* @a\r\n\r\n/x/\r\n");
	assert_int_equal(codeowners_rule_count(c), 2);
	assert_int_equal(codeowners_rule_line(c, 1), 4);
	assert_string_equal(codeowners_rule_pattern(c, 1), "/x/");
	expect_unowned(c, "x/y", true);
	codeowners_free(c);
}

/* ---- owners ---- */

static void test_owner_forms(void **state)
{
	(void)state;
	struct codeowners *co = parse("* @octocat @octo-org/team-name user@example.com "
	                              "First.Last+tag@sub.example.co.uk @gitlab/group/sub_group "
	                              "@@maintainer @user_name @a.b\n");
	assert_int_equal(codeowners_problem_count(co), 0);
	assert_int_equal(codeowners_rule_owner_count(co, 0), 8);
	expect_owners(co, "x",
	              "@octocat @octo-org/team-name user@example.com First.Last+tag@sub.example.co.uk "
	              "@gitlab/group/sub_group @@maintainer @user_name @a.b");
	codeowners_free(co);

	const char *bad[] = { "octocat", "@", "@org/", "@/team", "@a b", "a@", "@a@b", "a@b",
	                      "a@b.", "a@.b", "@@", "@@ro/le", "@a#b", "<a@b.c>" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "* %s\n", bad[i]);
		co = parse(sb.ptr);
		if (codeowners_problem_count(co) != 1 || codeowners_rule_count(co) != 0)
			fail_msg("owner '%s' should make the line invalid", bad[i]);
		assert_int_equal(codeowners_problem(co, 0)->line, 1);
		codeowners_free(co);
		sb_free(&sb);
	}
}

static void test_owner_dedup(void **state)
{
	(void)state;
	struct codeowners *co = parse("* @a @b @a @B @A user@x.org USER@X.ORG @c\n");
	/* rules keep owners as written */
	assert_int_equal(codeowners_rule_owner_count(co, 0), 8);
	/* codeowners_owners reports each once, first spelling, in order */
	expect_owners(co, "f", "@a @b user@x.org @c");
	assert_int_equal(codeowners_owners(co, "f", NULL, NULL, NULL), 4);
	codeowners_free(co);

	/* across sections */
	co = parse("* @a @b\n[S1] @b @c\n*\n[S2]\n* @c @a @d\n");
	expect_owners(co, "f", "@a @b @c @d");
	codeowners_free(co);

	/* many owners (beyond any inline buffer) */
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "*");
	for (int i = 0; i < 100; i++)
		sb_addf(&sb, " @u%d @U%d", i, i);
	sb_addc(&sb, '\n');
	co = parse(sb.ptr);
	assert_int_equal(codeowners_owners(co, "x", NULL, NULL, NULL), 100);
	codeowners_free(co);
	sb_free(&sb);
}

/* ---- GitLab sections ---- */

static const char gitlab_file[] =
	"# Required for all files\n"                       /* 1 */
	"* @general-approvers\n"                           /* 2 */
	"/vendor/\n"                                       /* 3: un-owns in the unnamed section */
	"\n"                                               /* 4 */
	"[Documentation][2] @docs-team\n"                  /* 5 */
	"docs/\n"                                          /* 6 */
	"README.md\n"                                      /* 7 */
	"*.txt @writers\n"                                 /* 8 */
	"\n"                                               /* 9 */
	"^[Database] @database-team\n"                     /* 10 */
	"model/db/\n"                                      /* 11 */
	"config/db/database-setup.md @docs-team\n"         /* 12 */
	"\n"                                               /* 13 */
	"[Security] @sec @sec-lead # defaults\n"           /* 14 */
	"/auth/\n"                                         /* 15 */
	"/auth/public/ @web\n"                             /* 16 */
	"[no-defaults]\n"                                  /* 17 */
	"/tmp/\n"                                          /* 18: no owners, no defaults */
	"[documentation]\n"                                /* 19: same section, case-insensitive */
	"guides/ @guides\n";                               /* 20 */

static void test_gitlab_sections(void **state)
{
	(void)state;
	struct codeowners *co = parse(gitlab_file);
	assert_int_equal(codeowners_problem_count(co), 0);
	assert_int_equal(codeowners_rule_count(co), 11);

	/* sections and default owners, as seen through the rule accessors */
	assert_string_equal(codeowners_rule_section(co, 0), "");
	assert_string_equal(codeowners_rule_section(co, 1), "");
	assert_string_equal(codeowners_rule_section(co, 2), "Documentation");
	assert_int_equal(codeowners_rule_line(co, 2), 6);
	assert_int_equal(codeowners_rule_owner_count(co, 2), 1);
	assert_string_equal(codeowners_rule_owner(co, 2, 0), "@docs-team");
	assert_string_equal(codeowners_rule_owner(co, 4, 0), "@writers");
	assert_int_equal(codeowners_rule_owner_count(co, 4), 1);
	assert_string_equal(codeowners_rule_section(co, 5), "Database");
	assert_string_equal(codeowners_rule_owner(co, 5, 0), "@database-team");
	assert_string_equal(codeowners_rule_owner(co, 6, 0), "@docs-team");
	assert_string_equal(codeowners_rule_section(co, 7), "Security");
	assert_int_equal(codeowners_rule_owner_count(co, 7), 2);
	assert_string_equal(codeowners_rule_section(co, 9), "no-defaults");
	assert_int_equal(codeowners_rule_owner_count(co, 9), 0);
	/* a duplicate header joins the first section, under its first spelling */
	assert_string_equal(codeowners_rule_section(co, 10), "Documentation");
	assert_int_equal(codeowners_rule_line(co, 10), 20);

	/* owners of every section are united, in section order */
	expect_owners(co, "docs/setup.md", "@general-approvers @docs-team");
	expect_owners(co, "README.md", "@general-approvers @docs-team");
	expect_owners(co, "sub/README.md", "@general-approvers @docs-team");
	expect_owners(co, "notes.txt", "@general-approvers @writers");
	expect_owners(co, "model/db/schema.sql", "@general-approvers @database-team");
	expect_owners(co, "config/db/database-setup.md", "@general-approvers @docs-team");
	expect_owners(co, "auth/login.c", "@general-approvers @sec @sec-lead");
	/* last match wins within a section */
	expect_owners(co, "auth/public/index.html", "@general-approvers @web");
	expect_owners(co, "docs/guides/intro.md", "@general-approvers @guides");
	/* docs/readme.txt: docs/ then *.txt in Documentation: *.txt is later */
	expect_owners(co, "docs/readme.txt", "@general-approvers @writers");
	expect_owners(co, "guides/a.md", "@general-approvers @guides");
	/* an ownerless rule un-owns in its own section only */
	expect_owners(co, "vendor/docs/x.md", "@docs-team");
	expect_unowned(co, "vendor/lib.c", true);
	expect_owners(co, "tmp/x", "@general-approvers");
	expect_owners(co, "src/main.c", "@general-approvers");
	codeowners_free(co);

	/* sections only, no unnamed rules; a path matching no section */
	co = parse("[A] @a\n/a/\n[B]\n/b/ @b\n");
	expect_owners(co, "a/x", "@a");
	expect_owners(co, "b/x", "@b");
	expect_unowned(co, "c/x", false);
	codeowners_free(co);
}

static void test_gitlab_section_errors(void **state)
{
	(void)state;
	struct codeowners *co = parse("* @all\n"             /* 1 */
	                              "[] @x\n"              /* 2: no name */
	                              "[Docs\n"              /* 3: not a header: '[' in a pattern */
	                              "[Bad] @ok nope\n"     /* 4: header with a bad owner */
	                              "/bad/\n"              /* 5: in Bad, no defaults */
	                              "[abc].txt @x\n"       /* 6: not a header: range */
	                              "[Num][x] @n\n"        /* 7: not a header: range */
	                              "[Sp ace] @s\n"        /* 8: names may hold spaces */
	                              "/sp/\n");             /* 9 */
	assert_true(has_problem(co, 2, "no name"));
	assert_true(has_problem(co, 3, "character ranges"));
	assert_true(has_problem(co, 4, "owner 'nope'"));
	assert_true(has_problem(co, 6, "character ranges"));
	assert_true(has_problem(co, 7, "character ranges"));
	assert_int_equal(codeowners_problem_count(co), 5);
	assert_int_equal(codeowners_rule_count(co), 3);
	assert_string_equal(codeowners_rule_section(co, 1), "Bad");
	assert_int_equal(codeowners_rule_owner_count(co, 1), 0);
	assert_string_equal(codeowners_rule_section(co, 2), "Sp ace");
	expect_owners(co, "bad/x", "@all");
	expect_owners(co, "sp/x", "@all @s");
	codeowners_free(co);
}

/* ---- the matcher's edges ---- */

static void test_pattern_edges(void **state)
{
	(void)state;
	/* path forms: a leading '/' is ignored, a trailing '/' marks a directory */
	assert_true(codeowners_pattern_matches("/docs/", "/docs/a.md"));
	assert_true(codeowners_pattern_matches("docs/", "docs/"));
	assert_false(codeowners_pattern_matches("docs/", "docs"));
	assert_false(codeowners_pattern_matches("*", ""));
	assert_false(codeowners_pattern_matches("*", "/"));

	/* very deep paths (more slashes than any inline buffer) */
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 200; i++)
		sb_addf(&sb, "d%d/", i);
	sb_adds(&sb, "leaf.c");
	assert_true(codeowners_pattern_matches("d150/", sb.ptr));
	assert_true(codeowners_pattern_matches("**/d199/leaf.c", sb.ptr));
	assert_true(codeowners_pattern_matches("/d0/**/leaf.c", sb.ptr));
	assert_true(codeowners_pattern_matches("*.c", sb.ptr));
	assert_false(codeowners_pattern_matches("/d1/", sb.ptr));
	assert_false(codeowners_pattern_matches("d0/*", sb.ptr));
	struct codeowners *co = parse("* @a\nd150/ @b\n");
	expect_owners(co, sb.ptr, "@b");
	codeowners_free(co);
	sb_free(&sb);

	/* wildmatch must not backtrack exponentially */
	sb_adds(&sb, "x/");
	for (int i = 0; i < 4000; i++)
		sb_addc(&sb, 'a');
	clock_t t0 = clock();
	assert_false(codeowners_pattern_matches("x/*a*a*a*a*a*a*a*a*a*a*b", sb.ptr));
	assert_false(codeowners_pattern_matches("**/**/**/**/**/**/*a*a*a*a*b", sb.ptr));
	assert_true(codeowners_pattern_matches("x/*a*a*a*a*a*a*a*a*a*a", sb.ptr));
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	sb_free(&sb);

	/* runs of stars, '?', escapes */
	assert_true(codeowners_pattern_matches("a/***/b", "a/x/y/b"));
	assert_true(codeowners_pattern_matches("a/**", "a/b/c"));
	assert_true(codeowners_pattern_matches("**/", "a/b"));
	assert_false(codeowners_pattern_matches("**/", "a"));
	assert_true(codeowners_pattern_matches("?", "a/b"));
	assert_true(codeowners_pattern_matches("a\\?b", "a?b"));
	assert_false(codeowners_pattern_matches("a\\?b", "axb"));
	assert_true(codeowners_pattern_matches("\\!important", "!important"));
	assert_true(codeowners_pattern_matches("x!", "x!"));
	/* case-sensitive */
	assert_false(codeowners_pattern_matches("*.JS", "a.js"));
	/* directory-only, anchored, with wildcards in the middle */
	assert_true(codeowners_pattern_matches("/src/*/gen/", "src/a/gen/b/c.c"));
	assert_false(codeowners_pattern_matches("/src/*/gen/", "src/a/gen"));
	assert_false(codeowners_pattern_matches("/src/*/gen/", "x/src/a/gen/c.c"));
}

/* ---- speed: every file of a 5,000-file repository against 400 rules ---- */

static void test_speed(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "* @everyone\n");
	for (int i = 0; i < 100; i++) {
		sb_addf(&sb, "/services/svc%d/ @org/team%d\n", i, i % 17);
		sb_addf(&sb, "services/svc%d/**/*.sql @org/dba\n", i);
		sb_addf(&sb, "*.gen%d.go @org/codegen\n", i);
		sb_addf(&sb, "**/fixtures%d/ @org/qa\n", i);
	}
	struct codeowners *co = parse(sb.ptr);
	sb_free(&sb);
	size_t rules = codeowners_rule_count(co);

	char path[256];
	size_t owned = 0, dba = 0;
	clock_t t0 = clock();
	for (int f = 0; f < 5000; f++) {
		snprintf(path, sizeof path, "services/svc%d/internal/pkg%d/sub/file%d.%s", f % 120,
		         f % 13, f, f % 3 ? "go" : "sql");
		bool m = false;
		owned += codeowners_owners(co, path, NULL, NULL, &m);
		dba += f % 120 < 100 && f % 3 == 0;
	}
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	print_message("codeowners: 5,000 files against %zu rules in %.3f s\n", rules, secs);
	bool svc5_sql = codeowners_owners(co, "services/svc5/a.sql", NULL, NULL, NULL) == 1;
	char *a = owners_of(co, "services/svc5/a.sql", NULL);
	char *b = owners_of(co, "services/svc5/a.go", NULL);
	char *c = owners_of(co, "services/svc110/a.go", NULL);
	bool ok = strcmp(a, "@org/dba") == 0 && strcmp(b, "@org/team5") == 0 &&
	          strcmp(c, "@everyone") == 0;
	free(a);
	free(b);
	free(c);
	codeowners_free(co);

	assert_int_equal(rules, 401);
	assert_int_equal(owned, 5000);
	assert_true(dba > 0 && svc5_sql && ok);
	assert_true(secs < 5.0); /* generous: sanitizer builds are slow; bench/ holds the real budget */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_table),
		cmocka_unit_test(test_github_example),
		cmocka_unit_test(test_last_match_wins),
		cmocka_unit_test(test_invalid_lines),
		cmocka_unit_test(test_problem_cap),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_comments_and_whitespace),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_owner_forms),
		cmocka_unit_test(test_owner_dedup),
		cmocka_unit_test(test_gitlab_sections),
		cmocka_unit_test(test_gitlab_section_errors),
		cmocka_unit_test(test_pattern_edges),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
