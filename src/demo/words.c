/* Words the demo's code, prose and commit messages are made of. */
#include <string.h>

#include "demo_int.h"

const char *const verbs[] = {
	"load", "apply", "validate", "build", "parse", "fetch", "emit", "retry", "flush",
	"merge", "render", "compute", "resolve", "sync", "encode", "decode", "normalize",
	"schedule", "reconcile", "publish", "record", "expire", "refresh", "lookup", NULL,
};

const char *const fields[] = {
	"id", "amount", "currency", "created_at", "status", "region", "limit", "offset",
	"cursor", "user_id", "version", "attempts", "deadline", "locale", "account_id",
	"request_id", "shard", "priority", "batch_size", "timeout", NULL,
};

static const char *const adjectives[] = {
	"stale", "pending", "partial", "duplicate", "expired", "cached", "retried",
	"empty", "oversized", "concurrent", "late", "unknown", "zero", "negative",
};

static const char *const sentence_forms[] = {
	"keeps %s state consistent across retries",
	"returns early when the %s is %s",
	"is called once per %s batch",
	"must stay idempotent: %s events are delivered at least once",
	"was split out of the old %s module",
	"guards against %s input from older clients",
	"logs every %s it drops, with the reason",
	"owns the lifecycle of each %s",
	"exists because the %s provider times out under load",
	"reads its limits from config, never from the %s itself",
};

void csv_field(struct strbuf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	sb_addc(out, '"');
}

static void add_cased(struct strbuf *out, const char *snake, bool upper_first)
{
	bool up = upper_first;
	for (const char *p = snake; *p; p++) {
		if (*p == '_' || *p == '-' || *p == ' ') {
			up = true;
			continue;
		}
		char c = *p;
		if (up && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		sb_addc(out, c);
		up = false;
	}
}

void add_pascal(struct strbuf *out, const char *snake)
{
	add_cased(out, snake, true);
}

void add_camel(struct strbuf *out, const char *snake)
{
	add_cased(out, snake, false);
}

void add_sentence(struct strbuf *out, struct rng *r, const char *noun)
{
	const char *form = RNG_PICK(r, sentence_forms);
	/* Every form has one or two %s: the noun, then an adjective. */
	const char *adj = RNG_PICK(r, adjectives);
	for (const char *p = form; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			sb_adds(out, noun);
			noun = adj;
			p++;
		} else {
			sb_addc(out, *p);
		}
	}
}
