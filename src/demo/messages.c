/*
 * Commit messages the way each team writes them: payments in plain
 * imperative sentences, platform with conventional-commit scopes, search
 * with a component prefix, mobile with a platform tag, data with ticket
 * numbers.  Drive-bys read like quick fixes from elsewhere; AI-assisted
 * commits carry the trailers the tools write (data/ai-markers.txt).
 */
#include <string.h>

#include "carry/ascii.h"
#include "demo_int.h"

/* "services/payments/refunds/RefundViewModel.swift" -> "refund view model". */
void add_words(struct strbuf *out, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strchr(base, '.');
	size_t n = dot ? (size_t)(dot - base) : strlen(base);
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		if (c >= '0' && c <= '9' && i < 5 && base[0] >= '0' && base[0] <= '9')
			continue;  /* ADR numbers */
		if (c == '_' || c == '-') {
			space = out->len > 0;
			continue;
		}
		if (c >= 'A' && c <= 'Z') {
			if (out->len && i > 0)
				space = true;
			c = ascii_lower(c);
		}
		if (space && out->len && out->ptr[out->len - 1] != ' ')
			sb_addc(out, ' ');
		space = false;
		sb_addc(out, c);
	}
}

static const char *const qualifiers[] = {
	"on timeout", "for EUR and JPY", "when the cache is cold", "in batch jobs", "behind a flag",
	"under load", "for old clients", "after a deploy", "on retries", "for empty pages",
};

static void team_prefix(struct strbuf *out, struct rng *r, int team, const char *path)
{
	switch (team) {
	case TEAM_PLATFORM: {
		static const char *const types[] = { "fix", "feat", "chore", "refactor", "perf" };
		const char *scope = strstr(path, "terraform") ? "terraform" : strstr(path, "k8s") ? "k8s"
		                    : strstr(path, "workflows") ? "gha" : "ci";
		sb_addf(out, "%s(%s): ", RNG_PICK(r, types), scope);
		break;
	}
	case TEAM_SEARCH:
		sb_adds(out, strstr(path, "indexer") ? "indexer: " : "search: ");
		break;
	case TEAM_MOBILE:
		sb_adds(out, strstr(path, "/ios/") ? "[iOS] " : strstr(path, "/android/") ? "[Android] "
		             : strstr(path, "mobile-bff") ? "[BFF] " : "[app] ");
		break;
	case TEAM_DATA:
		sb_addf(out, "DATA-%d: ", rng_between(r, 100, 2999));
		break;
	default:
		break;
	}
}

/* Lowercase after a conventional-commit or component prefix. */
static void verb_phrase(struct strbuf *out, struct rng *r, bool lower, const char *what)
{
	struct strbuf v = STRBUF_INIT;
	switch (rng_below(r, 14)) {
	case 0: sb_addf(&v, "Fix %s %s", what, RNG_PICK(r, qualifiers)); break;
	case 1: sb_addf(&v, "Handle errors in %s", what); break;
	case 2: sb_addf(&v, "Add metrics to %s", what); break;
	case 3: sb_addf(&v, "Refactor %s", what); break;
	case 4: sb_addf(&v, "Simplify %s", what); break;
	case 5: sb_addf(&v, "Speed up %s", what); break;
	case 6: sb_addf(&v, "Log %s failures with the request id", what); break;
	case 7: sb_addf(&v, "Validate %s input", what); break;
	case 8: sb_addf(&v, "Retry %s %s", what, RNG_PICK(r, qualifiers)); break;
	case 9: sb_addf(&v, "Cache %s lookups", what); break;
	case 10: sb_addf(&v, "Clean up %s", what); break;
	case 11: sb_addf(&v, "Tune %s limits", what); break;
	case 12: sb_addf(&v, "Support pagination in %s", what); break;
	default: sb_addf(&v, "Make %s idempotent", what); break;
	}
	if (lower)
		v.ptr[0] = ascii_lower(v.ptr[0]);
	sb_add(out, v.ptr, v.len);
	sb_free(&v);
}

void msg_subject(struct strbuf *out, struct rng *r, enum msg_kind kind, int team, const char *path,
                 const char *path2)
{
	struct strbuf what = STRBUF_INIT, what2 = STRBUF_INIT;
	add_words(&what, path);
	if (path2)
		add_words(&what2, path2);
	size_t before = out->len;
	if (kind != MSG_DRIVE_BY)
		team_prefix(out, r, team, path);
	bool lower = out->len > before && team == TEAM_PLATFORM;
	switch (kind) {
	case MSG_EDIT:
		verb_phrase(out, r, lower, what.ptr);
		break;
	case MSG_CREATE:
		sb_addf(out, lower ? "add %s" : "Add %s", what.ptr);
		break;
	case MSG_DELETE:
		sb_addf(out, lower ? "remove unused %s" : "Remove unused %s", what.ptr);
		break;
	case MSG_RENAME:
		sb_addf(out, lower ? "rename %s to %s" : "Rename %s to %s", what.ptr, what2.ptr);
		break;
	case MSG_DRIVE_BY:
		switch (rng_below(r, 7)) {
		case 0: sb_addf(out, "Fix typo in %s error message", what.ptr); break;
		case 1: sb_addf(out, "Bump %s timeout used by %s", what.ptr, team >= 0 ? team_names[team] : "tools"); break;
		case 2: sb_addf(out, "Quick fix: handle empty %s", what.ptr); break;
		case 3: sb_addf(out, "Make %s work with the new %s client", what.ptr, team >= 0 ? team_names[team] : "CLI"); break;
		case 4: sb_addf(out, "Add missing nil check in %s", what.ptr); break;
		case 5: sb_addf(out, "Patch %s for the %s migration", what.ptr, team >= 0 ? team_names[team] : "CI"); break;
		default: sb_addf(out, "Unblock %s: loosen validation in %s", team >= 0 ? team_names[team] : "release", what.ptr); break;
		}
		break;
	case MSG_DOCS:
		sb_addf(out, "docs: update %s", what.ptr);
		break;
	}
	sb_free(&what);
	sb_free(&what2);
}

void msg_body(struct strbuf *out, struct rng *r, const char *path)
{
	struct strbuf what = STRBUF_INIT;
	add_words(&what, path);
	sb_adds(out, "\n\n");
	switch (rng_below(r, 6)) {
	case 0:
		sb_addf(out, "The %s retried forever when the upstream answered 429;\ncap it at %d attempts "
		             "with jittered backoff.", what.ptr, rng_between(r, 3, 8));
		break;
	case 1:
		sb_adds(out, "No behaviour change intended: this only moves code around\nso the next change is smaller.");
		break;
	case 2:
		{
			int after = rng_between(r, 80, 290);
			sb_addf(out, "Measured on staging: p99 went from %d ms to %d ms.", rng_between(r, 300, 900),
			        after);
		}
		break;
	case 3:
		sb_addf(out, "Follow-up to last week's incident review: the %s\nswallowed errors, so the alert "
		             "never fired.", what.ptr);
		break;
	case 4:
		sb_addf(out, "Needed by the %s work that lands next.", what.ptr);
		break;
	default:
		sb_addf(out, "Found while reading %s for the on-call handbook.", what.ptr);
		break;
	}
	sb_free(&what);
}

void msg_ai_trailer(struct strbuf *out, struct rng *r)
{
	/* After another trailer, in the same block, as git interpret-trailers
	 * would have it. */
	const char *s = sb_str(out), *nl = strrchr(s, '\n');
	sb_adds(out, nl && !strncmp(nl + 1, "Co-authored-by: ", 16) ? "\n" : "\n\n");
	switch (rng_below(r, 6)) {
	case 0:
		sb_adds(out, "Co-authored-by: Claude <noreply@anthropic.com>");
		break;
	case 1:
		sb_adds(out, "Co-authored-by: GitHub Copilot <copilot@github.com>");
		break;
	case 2:
		sb_adds(out, "Generated-by: Cursor");
		break;
	case 3:
		sb_adds(out, "\xF0\x9F\xA4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
		             "Co-Authored-By: Claude <noreply@anthropic.com>");
		break;
	case 4:
		sb_adds(out, "Assisted-by: aider (gpt-4o)");
		break;
	default:
		sb_adds(out, "Co-authored-by: Codex <codex@openai.com>");
		break;
	}
}
