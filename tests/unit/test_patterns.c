/* Bot and AI-assistance patterns: the built-in lists on real-world names
 * and messages (and on near misses that must not match), the line format
 * and its errors, and user extension through $XDG_CONFIG_HOME. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carry/error.h"
#include "carry/patterns.h"

static char tmpdir[] = "/tmp/carry-test-patterns-XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	/* no user files unless a test writes them */
	return setenv("XDG_CONFIG_HOME", tmpdir, 1);
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/carry", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/carry/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/carry/%s", tmpdir, name);
	unlink(path);
}

static int teardown(void **state)
{
	(void)state;
	char path[256];
	remove_file("bots.txt");
	remove_file("ai-markers.txt");
	snprintf(path, sizeof(path), "%s/carry", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
	return 0;
}

static struct patterns *builtin(void)
{
	struct patterns *p = NULL;
	int rc = patterns_load(&p);
	if (rc < 0)
		fail_msg("patterns_load: %s", carry_error_last());
	assert_non_null(p);
	return p;
}

static bool ai(const struct patterns *p, const char *msg)
{
	return patterns_is_ai_assisted(p, msg, strlen(msg));
}

static void test_bots(void **state)
{
	(void)state;
	struct patterns *p = builtin();
	static const char *const bots[][2] = {
		{ "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com" },
		{ "dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com" },
		{ "renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com" },
		{ "Renovate Bot", "bot@renovateapp.com" },
		{ "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com" },
		{ "github-actions", "github-actions@github.com" },
		{ "GitHub Action", "action@github.com" },
		{ "greenkeeper[bot]", "23040076+greenkeeper[bot]@users.noreply.github.com" },
		{ "greenkeeperio-bot", "support@greenkeeper.io" },
		{ "Snyk bot", "snyk-bot@snyk.io" },
		{ "mergify[bot]", "37929162+mergify[bot]@users.noreply.github.com" },
		{ "pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com" },
		{ "semantic-release-bot", "semantic-release-bot@martynus.net" },
		{ "Kubernetes Prow Robot", "k8s-ci-robot@users.noreply.github.com" },
		{ "k8s-ci-robot", "k8s-ci-robot@example.com" },
		{ "Chromium Autoroll", "chromium-autoroll@skia-public.iam.gserviceaccount.com" },
		{ "bors", "bors@rust-lang.org" },
		{ "project_42_bot", "project_42_bot_0a1b2c@noreply.gitlab.example.com" },
	};
	for (size_t i = 0; i < sizeof(bots) / sizeof(bots[0]); i++)
		if (!patterns_is_bot(p, bots[i][0], bots[i][1]))
			fail_msg("%s <%s> is a bot", bots[i][0], bots[i][1]);

	static const char *const people[][2] = {
		{ "Ada Lovelace", "ada@example.com" },
		{ "Jean-Bothe Martin", "jb@example.com" },      /* "-bot" inside a word */
		{ "Abbot Smith", "abbot@example.com" },         /* "bot@" inside a word */
		{ "Robot Fan", "robot@example.com" },
		{ "Ada", "12345+ada@users.noreply.github.com" }, /* a person's noreply */
		{ "GitHub", "noreply@github.com" },             /* web-flow committer */
		{ "Marco Bot", "marco@example.com" },
		{ "Renovation Team", "renovate-team@example.com" },
		{ "Travis Cipriano", "travis@example.com" },
		{ "Boris Borsuk", "boris@example.com" },
	};
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		if (patterns_is_bot(p, people[i][0], people[i][1]))
			fail_msg("%s <%s> is not a bot", people[i][0], people[i][1]);

	/* case-insensitive, and either field alone suffices */
	assert_true(patterns_is_bot(p, "DEPENDABOT", NULL));
	assert_true(patterns_is_bot(p, NULL, "x+Renovate[Bot]@users.noreply.github.com"));
	assert_false(patterns_is_bot(p, NULL, NULL));
	assert_false(patterns_is_bot(NULL, "dependabot[bot]", NULL));
	patterns_free(p);
}

static void test_ai_markers(void **state)
{
	(void)state;
	struct patterns *p = builtin();
	static const char *const yes[] = {
		"Fix the parser\n\n"
		"\xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.ai/code)\n\n"
		"Co-Authored-By: Claude <noreply@anthropic.com>\n",
		"Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
		"Fix\n\nCo-authored-by: Claude Opus 4.1 <noreply@anthropic.com>\n",
		"Fix\n\nco-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>\n",
		"Add tests (#12)\n\n* wip\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n",
		"Fix\n\nCo-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>\n",
		"Refactor\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
		"Refactor\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>\n",
		"Refactor\n\nCo-authored-by: Codex <codex@openai.com>\n",
		"Refactor\n\nCo-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>\n",
		"Refactor\n\nCo-authored-by: Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>\n",
		"Refactor\n\nCo-authored-by: Amazon Q Developer <q@amazon.com>\n",
		"Refactor\n\nCo-authored-by:   ChatGPT   <x@y>\n",
		"Refactor\n\nCo-authored-by : Windsurf <w@codeium.com>\n",
		"Fix\n\nAssisted-by: Claude:claude-3-opus\n",
		"Fix\n\nGenerated-by: GitHub Copilot\n",
		"Fix\n\nAI-assisted: yes\n",
		"Fix\n\n  assisted-BY: some tool\n",
		"Fix\n\nCo-developed-by: Claude <noreply@anthropic.com>\n",
		"Fix\n\nGenerated with Claude Code\n",
		"Fix\n\nGenerated   with\tclaude code\n",
		"Fix\n\n\xf0\x9f\xa4\x96 Generated with Codex\n",
		"Port to Rust\n\nLink to Devin run: https://app.devin.ai/sessions/abc\n",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!ai(p, yes[i]))
			fail_msg("AI-assisted: %s", yes[i]);

	static const char *const no[] = {
		"Plain change\n\nSigned-off-by: Ada <ada@example.com>\n",
		"Pair work\n\nCo-authored-by: Haider Ali <haider@example.com>\n",
		"Pair work\n\nCo-authored-by: Claude Shannon <claude@example.com>\n",
		"Pair work\n\nCo-authored-by: Devin Smith <devin@example.com>\n",
		"Fix cursor blinking in the editor\n",            /* not in a trailer */
		"Mention Co-authored-by: Copilot in docs\n",     /* not a trailer line */
		"Regenerate the parser\n\nGenerated with protoc 3.21\n",
		"Update docs about Claude Code support\n",
		"Fix\n\nReviewed-by: Copilot <x@y>\n",
		"Fix\n\nCo-developed-by: Ada <ada@example.com>\n",
		"",
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (ai(p, no[i]))
			fail_msg("not AI-assisted: %s", no[i]);

	/* explicit lengths: a marker past len does not count */
	const char *m = "Fix\n\nAssisted-by: x\n";
	assert_false(patterns_is_ai_assisted(p, m, 4));
	assert_true(patterns_is_ai_assisted(p, m, strlen(m)));
	assert_false(patterns_is_ai_assisted(p, NULL, 0));
	assert_false(patterns_is_ai_assisted(NULL, m, strlen(m)));
	patterns_free(p);
}

static void test_format_and_errors(void **state)
{
	(void)state;
	struct patterns *p = NULL;
	const char *bots = "# comment\n\n   # indented comment\r\n"
	                   "name  Build   Bot  \r\n"
	                   "email ci@\n"
	                   "any \\x5bautomation\\x5d\n";
	const char *ai_ = "text j\\xc3\\xbcrgen\n"
	                  "trailer X-Tool\n"
	                  "trailer Helped-by robot\n"
	                  "coauthor hal 9000\n";
	assert_int_equal(patterns_load_buffers(&p, bots, strlen(bots), ai_, strlen(ai_)), 0);
	assert_true(patterns_is_bot(p, "the build\tbot", NULL));
	assert_false(patterns_is_bot(p, "build bots", NULL));
	assert_true(patterns_is_bot(p, NULL, "ci@example.com"));
	assert_false(patterns_is_bot(p, NULL, "xci@example.com"));
	assert_true(patterns_is_bot(p, "[Automation]", NULL));
	assert_false(patterns_is_bot(p, "dependabot[bot]", NULL)); /* no built-ins */
	assert_true(ai(p, "hi J\xc3\xbcrgen\n"));
	assert_true(ai(p, "x\n\nx-tool: v2\n"));
	assert_true(ai(p, "x\n\nHelped-by: a Robot\n"));
	assert_false(ai(p, "x\n\nHelped-by: Ada\n"));
	assert_true(ai(p, "x\n\nCo-authored-by: HAL 9000 <hal@x>\n"));
	assert_false(ai(p, "x\n\nCo-authored-by: HAL 90001 <hal@x>\n"));
	patterns_free(p);

	static const struct {
		const char *bots, *ai, *msg;
	} bad[] = {
		{ "name x\nnmae y\n", "", "bots.txt:2: unknown rule 'nmae'" },
		{ "email\n", "", "bots.txt:1: 'email' needs" },
		{ "", "text ok\n\ncoauthor\n", "ai-markers.txt:3: 'coauthor' needs" },
		{ "", "trailer Bad:Key\n", "ai-markers.txt:1: a trailer key" },
		{ "", "regex .*\n", "ai-markers.txt:1: unknown rule 'regex'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = (struct patterns *)1;
		int rc = patterns_load_buffers(&p, bad[i].bots, strlen(bad[i].bots),
		                               bad[i].ai, strlen(bad[i].ai));
		assert_int_equal(rc, CARRY_EINPUT);
		assert_null(p);
		if (strncmp(carry_error_last(), bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("error \"%s\", want \"%s...\"", carry_error_last(), bad[i].msg);
	}
}

static void test_user_files(void **state)
{
	(void)state;
	write_file("bots.txt", "# ours\nname Deploy Daemon\n");
	write_file("ai-markers.txt", "coauthor hal 9000\ntext written by skynet\n");
	struct patterns *p = builtin();
	assert_true(patterns_is_bot(p, "Deploy Daemon", "dd@example.com"));
	assert_true(patterns_is_bot(p, "dependabot[bot]", NULL)); /* built-ins stay */
	assert_true(ai(p, "x\n\nCo-authored-by: HAL 9000 <hal@x>\n"));
	assert_true(ai(p, "x\n\nWritten by Skynet.\n"));
	assert_true(ai(p, "x\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"));
	patterns_free(p);

	/* a bad user line names the file and line */
	write_file("ai-markers.txt", "text fine\nbogus line\n");
	p = (struct patterns *)1;
	assert_int_equal(patterns_load(&p), CARRY_EINPUT);
	assert_null(p);
	char want[300];
	snprintf(want, sizeof(want), "%s/carry/ai-markers.txt:2: unknown rule 'bogus'", tmpdir);
	if (strncmp(carry_error_last(), want, strlen(want)) != 0)
		fail_msg("error \"%s\", want \"%s...\"", carry_error_last(), want);
	remove_file("ai-markers.txt");
	remove_file("bots.txt");

	/* without XDG_CONFIG_HOME, $HOME/.config is read */
	char home[300];
	snprintf(home, sizeof(home), "%s/home", tmpdir);
	mkdir(home, 0700);
	char cfg[320];
	snprintf(cfg, sizeof(cfg), "%s/.config", home);
	mkdir(cfg, 0700);
	snprintf(cfg, sizeof(cfg), "%s/.config/carry", home);
	mkdir(cfg, 0700);
	char file[340];
	snprintf(file, sizeof(file), "%s/bots.txt", cfg);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("name Home Bot\n", f);
	fclose(f);
	char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", home, 1);
	p = builtin();
	assert_true(patterns_is_bot(p, "Home Bot", NULL));
	patterns_free(p);
	/* an empty XDG_CONFIG_HOME counts as unset */
	setenv("XDG_CONFIG_HOME", "", 1);
	p = builtin();
	assert_true(patterns_is_bot(p, "Home Bot", NULL));
	patterns_free(p);
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_home);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	unlink(file);
	rmdir(cfg);
	snprintf(cfg, sizeof(cfg), "%s/.config", home);
	rmdir(cfg);
	rmdir(home);
}

static void test_speed(void **state)
{
	(void)state;
	/* 20k messages of ~1 KB that nearly match many rules at every line
	 * ("Generate"): about 0.2 s at -O2, a fraction of a realistic scan */
	struct patterns *p = builtin();
	char msg[1200];
	size_t n = 0;
	while (n + 60 < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		                      "Generate the grammar; coauthored lines go here %zu\n", n);
	size_t hits = 0;
	for (int i = 0; i < 20000; i++) {
		hits += patterns_is_ai_assisted(p, msg, n);
		hits += patterns_is_bot(p, "Some Person", "some.person@example.com");
	}
	assert_int_equal(hits, 0);
	patterns_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bots),
		cmocka_unit_test(test_ai_markers),
		cmocka_unit_test(test_format_and_errors),
		cmocka_unit_test(test_user_files),
		cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
