/*
 * The company's code and who answers for it: areas of the monorepo (a
 * directory, a language, an owning team, a service), the services with
 * their path globs, and the rotations that carry their pagers.  Two
 * rotations tell a story: reporting-ops is staffed by platform SREs who
 * never write the reporting code (a pager gap of nearly 100%), and the
 * mobile schedule stopped ten days before the end (no pager: orphaned).
 */
#include <string.h>

#include "demo_int.h"

enum {
	SVC_PAYMENTS, SVC_CHECKOUT, SVC_SEARCH, SVC_INDEXER, SVC_PLATFORM, SVC_MOBILE, SVC_BFF,
	SVC_PIPELINES, SVC_REPORTING,
};
enum { ROT_PAYMENTS, ROT_SEARCH, ROT_PLATFORM, ROT_MOBILE, ROT_BFF, ROT_DATA, ROT_REPORTING };

static const char *const root[] = { "", NULL };

static const char *const pay_sub[] = { "api", "ledger", "refunds", "webhooks", "payouts", NULL };
static const char *const pay_nouns[] = { "refund", "charge", "ledger", "payout", "webhook",
	"dispute", "invoice", "balance", "settlement", "fee", NULL };
static const char *const chk_sub[] = { "cart", "pricing", "tax", "session", NULL };
static const char *const chk_nouns[] = { "cart", "price", "tax", "coupon", "session", "basket",
	"discount", "quote", NULL };
static const char *const money_nouns[] = { "round", "currency", "amount", "format", "parse",
	"rate", NULL };
static const char *const search_sub[] = { "query", "ranking", "api", "synonyms", NULL };
static const char *const search_nouns[] = { "query", "rank", "score", "shard", "synonym",
	"facet", "filter", "token", "snippet", NULL };
static const char *const idx_sub[] = { "crawl", "pipeline", "schema", NULL };
static const char *const idx_nouns[] = { "document", "crawl", "batch", "schema", "segment",
	"commit", "queue", NULL };
static const char *const tf_sub[] = { "", "modules/network", "modules/database", NULL };
static const char *const tf_nouns[] = { "vpc", "queue", "bucket", "database", "cluster", "dns",
	"alarm", "iam", NULL };
static const char *const k8s_sub[] = { "payments", "search", "data", "mobile", NULL };
static const char *const k8s_nouns[] = { "api", "worker", "cron", "gateway", "consumer",
	"indexer", NULL };
static const char *const ci_nouns[] = { "deploy", "release", "lint", "image", "migrate", "smoke",
	NULL };
static const char *const wf_nouns[] = { "ci", "release", "nightly", "lint", "deploy", "codeql",
	NULL };
static const char *const app_sub[] = { "screens", "components", "api", "state", NULL };
static const char *const app_nouns[] = { "checkout", "cart", "profile", "search", "order",
	"wallet", "onboarding", "settings", NULL };
static const char *const ios_sub[] = { "Sources/App", "Sources/Checkout", NULL };
static const char *const android_sub[] = { "app/src/main/java/com/acme/app", NULL };
static const char *const native_nouns[] = { "checkout", "wallet", "profile", "order", "push",
	"session", NULL };
static const char *const bff_sub[] = { "api", "session", NULL };
static const char *const bff_nouns[] = { "session", "feed", "order", "profile", "device", "push",
	NULL };
static const char *const pipe_sub[] = { "ingest", "transform", "jobs", NULL };
static const char *const pipe_nouns[] = { "event", "order", "refund", "session", "click",
	"inventory", NULL };
static const char *const dbt_sub[] = { "staging", "marts", NULL };
static const char *const dbt_nouns[] = { "orders", "refunds", "sessions", "payments", "searches",
	"customers", NULL };
static const char *const rep_sub[] = { "api", "exports", NULL };
static const char *const rep_nouns[] = { "report", "export", "schedule", "dashboard", "metric",
	"attachment", NULL };
static const char *const tool_nouns[] = { "bootstrap", "lint", "release", "seed", "backup",
	"codegen", NULL };
static const char *const docs_sub[] = { "adr", "runbooks", "onboarding", NULL };
static const char *const docs_nouns[] = { "incident", "deploy", "oncall", "rollback", "schema",
	"access", "review", NULL };

const struct area areas[] = {
	{ "services/payments", NULL, TEAM_PAYMENTS, SVC_PAYMENTS, L_GO, pay_sub, pay_nouns, 34, 0 },
	{ "services/checkout", NULL, TEAM_PAYMENTS, SVC_CHECKOUT, L_GO, chk_sub, chk_nouns, 20, 0 },
	{ "libs/money", NULL, TEAM_PAYMENTS, SVC_CHECKOUT, L_GO, root, money_nouns, 6, 0 },
	{ "services/search", NULL, TEAM_SEARCH, SVC_SEARCH, L_GO, search_sub, search_nouns, 26, 0 },
	{ "services/search/indexer", "services/indexer", TEAM_SEARCH, SVC_INDEXER, L_GO, idx_sub,
	  idx_nouns, 14, 30 },
	{ "platform/terraform", NULL, TEAM_PLATFORM, SVC_PLATFORM, L_TF, tf_sub, tf_nouns, 12, 0 },
	{ "platform/k8s", NULL, TEAM_PLATFORM, SVC_PLATFORM, L_K8S, k8s_sub, k8s_nouns, 14, 0 },
	{ "platform/ci", NULL, TEAM_PLATFORM, SVC_PLATFORM, L_SH, root, ci_nouns, 6, 0 },
	{ ".github/workflows", NULL, TEAM_PLATFORM, SVC_PLATFORM, L_WORKFLOW, root, wf_nouns, 5, 0 },
	{ "mobile/app/src", NULL, TEAM_MOBILE, SVC_MOBILE, L_TS, app_sub, app_nouns, 28, 0 },
	{ "mobile/ios", NULL, TEAM_MOBILE, SVC_MOBILE, L_SWIFT, ios_sub, native_nouns, 10, 80 },
	{ "mobile/android", NULL, TEAM_MOBILE, SVC_MOBILE, L_KOTLIN, android_sub, native_nouns, 10, 120 },
	{ "services/mobile-bff", NULL, TEAM_MOBILE, SVC_BFF, L_GO, bff_sub, bff_nouns, 10, 150 },
	{ "data/pipelines", NULL, TEAM_DATA, SVC_PIPELINES, L_PY, pipe_sub, pipe_nouns, 20, 0 },
	{ "data/warehouse/models", NULL, TEAM_DATA, SVC_PIPELINES, L_SQL, dbt_sub, dbt_nouns, 16, 0 },
	{ "services/reporting", NULL, TEAM_DATA, SVC_REPORTING, L_PY, rep_sub, rep_nouns, 14, 250 },
	{ "tools", NULL, -1, -1, L_SH, root, tool_nouns, 8, 0 },
	{ "docs", NULL, -1, -1, L_MD, docs_sub, docs_nouns, 16, 0 },
};
const size_t nareas = COUNT_OF(areas);

const struct service services[] = {
	[SVC_PAYMENTS] = { "payments", TEAM_PAYMENTS, ROT_PAYMENTS, { "/services/payments/" } },
	[SVC_CHECKOUT] = { "checkout", TEAM_PAYMENTS, ROT_PAYMENTS, { "/services/checkout/", "/libs/money/" } },
	[SVC_SEARCH] = { "search", TEAM_SEARCH, ROT_SEARCH, { "/services/search/" } },
	/* After search: the last matching glob wins. */
	[SVC_INDEXER] = { "indexer", TEAM_SEARCH, ROT_SEARCH, { "/services/search/indexer/" } },
	[SVC_PLATFORM] = { "platform", TEAM_PLATFORM, ROT_PLATFORM, { "/platform/", "/.github/workflows/" } },
	[SVC_MOBILE] = { "mobile", TEAM_MOBILE, ROT_MOBILE, { "/mobile/" } },
	[SVC_BFF] = { "mobile-bff", TEAM_MOBILE, ROT_BFF, { "/services/mobile-bff/" } },
	[SVC_PIPELINES] = { "pipelines", TEAM_DATA, ROT_DATA, { "/data/" } },
	[SVC_REPORTING] = { "reporting", TEAM_DATA, ROT_REPORTING, { "/services/reporting/" } },
};
const size_t nservices = COUNT_OF(services);

const struct rotation rotations[] = {
	[ROT_PAYMENTS] = { "payments-primary", "Payments Primary", TEAM_PAYMENTS, false, 0 },
	[ROT_SEARCH] = { "search-oncall", "Search On-Call", TEAM_SEARCH, false, 0 },
	[ROT_PLATFORM] = { "platform-oncall", "Platform On-Call", TEAM_PLATFORM, false, 0 },
	[ROT_MOBILE] = { "mobile-oncall", "Mobile On-Call", TEAM_MOBILE, false, 10 },
	[ROT_BFF] = { "mobile-bff-oncall", "Mobile BFF On-Call", TEAM_MOBILE, false, 0 },
	[ROT_DATA] = { "data-oncall", "Data On-Call", TEAM_DATA, false, 0 },
	[ROT_REPORTING] = { "reporting-ops", "Reporting Ops", TEAM_PLATFORM, true, 0 },
};
const size_t nrotations = COUNT_OF(rotations);

void services_csv(struct strbuf *out)
{
	sb_adds(out, "service,team,rotation,path_glob\n");
	for (size_t s = 0; s < nservices; s++)
		for (size_t g = 0; g < COUNT_OF(services[s].globs) && services[s].globs[g]; g++)
			sb_addf(out, "%s,%s,%s,%s\n", services[s].name, team_names[services[s].team],
			        rotations[services[s].rotation].name, services[s].globs[g]);
}

static void rule(struct strbuf *out, const char *pattern, const char *owners)
{
	sb_addf(out, "%-28s %s\n", pattern, owners);
}

/* Nobody prunes CODEOWNERS: Oleg and Ben stay named after they leave,
 * and the indexer's old directory keeps its rule for a team (search-infra)
 * that was folded into search. */
void codeowners_text(int stage, struct strbuf *out)
{
	sb_adds(out, "# Code owners of acme/monorepo: a pull request needs a review from one\n"
	             "# of them.  The last matching pattern takes precedence.\n"
	             "# Teams: https://github.com/orgs/acme/teams\n\n");
	rule(out, "/.github/", "@acme/platform");
	rule(out, "/platform/", "@acme/platform");
	rule(out, "/platform/terraform/", "@acme/platform @oleg");
	sb_addc(out, '\n');
	rule(out, "/services/payments/", "@acme/payments @ana");
	rule(out, "/services/checkout/", "@acme/payments @benji");
	rule(out, "/libs/money/", "@acme/payments");
	sb_addc(out, '\n');
	rule(out, "/services/search/", "@acme/search @taro");
	rule(out, "/services/indexer/", "@acme/search-infra");
	if (stage >= 2)
		rule(out, "/services/search/indexer/", "@acme/search @minjun");
	sb_addc(out, '\n');
	rule(out, "/mobile/", "@acme/mobile @olivia");
	if (stage >= 1) {
		rule(out, "/mobile/ios/", "@acme/mobile @kenji");
		rule(out, "/mobile/android/", "@acme/mobile @yuki");
		rule(out, "/services/mobile-bff/", "@acme/mobile");
	}
	sb_addc(out, '\n');
	rule(out, "/data/", "@acme/data");
	if (stage >= 1)
		rule(out, "/services/reporting/", "@acme/data @amara");
}

bool rotation_member(const struct cast *c, size_t rot, size_t p)
{
	const struct person *x = &c->p[p];
	if (x->bot || !x->key)
		return false;
	return rotations[rot].sre ? x->sre : x->team == rotations[rot].team;
}
