/*
 * Dependency manifests and the bots that bump them: go.mod + go.sum
 * (dependabot), package.json + package-lock.json (renovate),
 * requirements.txt (dependabot).  Each manifest is a small model (name,
 * version) rendered whole on every bump, as the tools do; hashes in the
 * lock files are derived from (name, version), so they change exactly
 * when the version does.
 */
#include <stdio.h>
#include <string.h>

#include "carry/mem.h"
#include "demo_int.h"

struct pkg_seed {
	const char *name;
	int major, minor, patch;
	bool dev;
};

static const struct pkg_seed go_pkgs[] = {
	{ "github.com/jackc/pgx/v5", 5, 5, 1, false },
	{ "go.uber.org/zap", 1, 26, 0, false },
	{ "github.com/prometheus/client_golang", 1, 17, 0, false },
	{ "google.golang.org/grpc", 1, 59, 0, false },
	{ "github.com/redis/go-redis/v9", 9, 3, 0, false },
	{ "go.opentelemetry.io/otel", 1, 21, 0, false },
	{ "github.com/google/uuid", 1, 4, 0, false },
	{ "github.com/stripe/stripe-go/v76", 76, 8, 0, false },
};
static const struct pkg_seed npm_pkgs[] = {
	{ "react", 18, 2, 0, false },
	{ "react-native", 0, 72, 6, false },
	{ "@react-navigation/native", 6, 1, 9, false },
	{ "axios", 1, 6, 2, false },
	{ "zustand", 4, 4, 6, false },
	{ "date-fns", 2, 30, 0, false },
	{ "typescript", 5, 2, 2, true },
	{ "jest", 29, 7, 0, true },
};
static const struct pkg_seed pip_pkgs[] = {
	{ "pandas", 2, 1, 3, false },
	{ "sqlalchemy", 2, 0, 23, false },
	{ "pyarrow", 14, 0, 1, false },
	{ "requests", 2, 31, 0, false },
	{ "boto3", 1, 33, 2, false },
	{ "pydantic", 2, 5, 2, false },
	{ "jinja2", 3, 1, 2, false },
};

static const struct {
	const char *area;      /* the area whose birth brings the manifest */
	const char *dir;
	int kind;
} manifests[] = {
	{ "services/payments", "services/payments", DEP_GO },
	{ "services/search", "services/search", DEP_GO },
	{ "services/mobile-bff", "services/mobile-bff", DEP_GO },
	{ "mobile/app/src", "mobile/app", DEP_NPM },
	{ "data/pipelines", "data/pipelines", DEP_PIP },
	{ "services/reporting", "services/reporting", DEP_PIP },
};

static const struct pkg_seed *seeds(int kind, size_t *n)
{
	switch (kind) {
	case DEP_GO:
		*n = COUNT_OF(go_pkgs);
		return go_pkgs;
	case DEP_NPM:
		*n = COUNT_OF(npm_pkgs);
		return npm_pkgs;
	default:
		*n = COUNT_OF(pip_pkgs);
		return pip_pkgs;
	}
}

size_t deps_for_area(size_t area, struct dep_manifest *out, size_t max, struct rng *r)
{
	size_t k = 0;
	for (size_t i = 0; i < COUNT_OF(manifests) && k < max; i++) {
		if (strcmp(manifests[i].area, areas[area].dir) != 0)
			continue;
		struct dep_manifest *m = &out[k++];
		memset(m, 0, sizeof(*m));
		m->kind = manifests[i].kind;
		m->dir = xstrdup(manifests[i].dir);
		size_t ns;
		const struct pkg_seed *s = seeds(m->kind, &ns);
		for (size_t j = 0; j < ns && m->n < COUNT_OF(m->pkgs); j++) {
			if (j >= 3 && rng_permille(r, 250))
				continue;  /* not every service needs everything */
			struct dep_pkg *p = &m->pkgs[m->n++];
			p->name = s[j].name;
			p->major = s[j].major;
			/* Three years ago: older minors, which the bots bring up. */
			p->minor = s[j].minor > 6 ? s[j].minor - rng_between(r, 2, 6) : s[j].minor;
			p->patch = rng_between(r, 0, 4);
		}
	}
	return k;
}

size_t deps_files(const struct dep_manifest *m, const char *names[2])
{
	if (m->kind == DEP_GO) {
		names[0] = "go.mod";
		names[1] = "go.sum";
		return 2;
	}
	if (m->kind == DEP_NPM) {
		names[0] = "package.json";
		names[1] = "package-lock.json";
		return 2;
	}
	names[0] = "requirements.txt";
	return 1;
}

static bool is_dev(const char *name)
{
	for (size_t i = 0; i < COUNT_OF(npm_pkgs); i++)
		if (!strcmp(npm_pkgs[i].name, name))
			return npm_pkgs[i].dev;
	return false;
}

/* A stable pseudo-hash of (name, version) in base64, `len` characters. */
static void fake_hash(struct strbuf *out, const struct dep_pkg *p, const char *salt, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = p->name; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	for (const char *s = salt; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	struct rng r;
	rng_seed(&r, h, (uint64_t)(p->major * 1000000 + p->minor * 1000 + p->patch));
	for (size_t i = 0; i < len; i++)
		sb_addc(out, b64[rng_below(&r, 64)]);
}

static void version(struct strbuf *out, const struct dep_pkg *p)
{
	sb_addf(out, "%d.%d.%d", p->major, p->minor, p->patch);
}

void deps_render(const struct dep_manifest *m, size_t which, struct strbuf *out)
{
	if (m->kind == DEP_GO && which == 0) {
		sb_addf(out, "module github.com/acme/monorepo/%s\n\ngo 1.21\n\nrequire (\n", m->dir);
		for (size_t i = 0; i < m->n; i++) {
			sb_addf(out, "\t%s v", m->pkgs[i].name);
			version(out, &m->pkgs[i]);
			sb_addc(out, '\n');
		}
		sb_adds(out, ")\n");
	} else if (m->kind == DEP_GO) {
		for (size_t i = 0; i < m->n; i++)
			for (int mod = 0; mod < 2; mod++) {
				sb_addf(out, "%s v", m->pkgs[i].name);
				version(out, &m->pkgs[i]);
				sb_adds(out, mod ? "/go.mod h1:" : " h1:");
				fake_hash(out, &m->pkgs[i], mod ? "mod" : "zip", 43);
				sb_adds(out, "=\n");
			}
	} else if (m->kind == DEP_NPM && which == 0) {
		sb_adds(out, "{\n  \"name\": \"@acme/mobile-app\",\n  \"version\": \"1.0.0\",\n"
		             "  \"private\": true,\n  \"scripts\": {\n    \"start\": \"react-native start\",\n"
		             "    \"test\": \"jest\",\n    \"lint\": \"eslint .\"\n  },\n");
		for (int dev = 0; dev < 2; dev++) {
			sb_addf(out, "  \"%s\": {\n", dev ? "devDependencies" : "dependencies");
			bool first = true;
			for (size_t i = 0; i < m->n; i++) {
				if (is_dev(m->pkgs[i].name) != (dev == 1))
					continue;
				sb_addf(out, "%s    \"%s\": \"^", first ? "" : ",\n", m->pkgs[i].name);
				version(out, &m->pkgs[i]);
				sb_addc(out, '"');
				first = false;
			}
			sb_addf(out, "\n  }%s\n", dev ? "" : ",");
		}
		sb_adds(out, "}\n");
	} else if (m->kind == DEP_NPM) {
		sb_adds(out, "{\n  \"name\": \"@acme/mobile-app\",\n  \"version\": \"1.0.0\",\n"
		             "  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n");
		for (size_t i = 0; i < m->n; i++) {
			const char *name = m->pkgs[i].name, *slash = strrchr(name, '/');
			sb_addf(out, "    \"node_modules/%s\": {\n      \"version\": \"", name);
			version(out, &m->pkgs[i]);
			sb_addf(out, "\",\n      \"resolved\": \"https://registry.npmjs.org/%s/-/%s-", name,
			        slash ? slash + 1 : name);
			version(out, &m->pkgs[i]);
			sb_adds(out, ".tgz\",\n      \"integrity\": \"sha512-");
			fake_hash(out, &m->pkgs[i], "tgz", 86);
			sb_addf(out, "==\"\n    }%s\n", i + 1 < m->n ? "," : "");
		}
		sb_adds(out, "  }\n}\n");
	} else {
		sb_adds(out, "# Pinned; dependabot keeps these current.\n");
		for (size_t i = 0; i < m->n; i++) {
			sb_addf(out, "%s==", m->pkgs[i].name);
			version(out, &m->pkgs[i]);
			sb_addc(out, '\n');
		}
	}
}

void deps_bump(struct dep_manifest *m, struct rng *r, int bot, struct strbuf *msg)
{
	struct dep_pkg *p = &m->pkgs[rng_below(r, (uint32_t)m->n)];
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	version(&from, p);
	const char *kind = "patch";
	unsigned x = rng_below(r, 100);
	if (x < 70) {
		p->patch++;
	} else if (x < 96 || m->kind == DEP_GO) {
		/* Go majors live in the module path: never bumped in place. */
		p->minor++;
		p->patch = 0;
		kind = "minor";
	} else {
		p->major++;
		p->minor = p->patch = 0;
		kind = "major";
	}
	version(&to, p);
	if (bot == BOT_RENOVATE) {
		sb_addf(msg, "chore(deps): update dependency %s to v%s\n\n"
		             "This PR contains the following updates:\n\n"
		             "| Package | Change |\n|---|---|\n| %s | `%s` -> `%s` |\n\n---\n\n"
		             "This PR was generated by [Mend Renovate](https://mend.io/renovate/).\n",
		        p->name, to.ptr, p->name, from.ptr, to.ptr);
	} else {
		const char *home = m->kind == DEP_GO ? "https://pkg.go.dev/" : "https://pypi.org/project/";
		sb_addf(msg, "build(deps): bump %s from %s to %s in /%s\n\n"
		             "Bumps [%s](%s%s) from %s to %s.\n"
		             "- [Release notes](%s%s)\n\n---\nupdated-dependencies:\n"
		             "- dependency-name: %s\n  dependency-type: direct:production\n"
		             "  update-type: version-update:semver-%s\n...\n\n"
		             "Signed-off-by: dependabot[bot] <support@github.com>\n",
		        p->name, from.ptr, to.ptr, m->dir, p->name, home, p->name, from.ptr, to.ptr, home,
		        p->name, p->name, kind);
	}
	sb_free(&from);
	sb_free(&to);
}
