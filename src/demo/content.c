/*
 * File contents that look like a company's code and change the way code
 * does.  A file is a list of lines.  Code files are "block" files: a
 * header, then functions (a header line at the left margin, a body of
 * statements one indent in, a closing line); edits replace, insert or
 * delete statements, add or drop whole functions, so that after three
 * years `git blame` of a file names many commits.  Manifest-like files
 * (Kubernetes, workflows, SQL models, Markdown) are "list" files whose
 * editable groups are env entries, steps, columns or prose lines.
 *
 * Generated lines mostly carry identifiers and numbers drawn at random,
 * so few lines repeat and diffs align the way a reader expects.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/ascii.h"
#include "carry/mem.h"
#include "demo_int.h"

enum model { BLOCKS, LIST };

struct syntax {
	const char *indent;   /* one level */
	enum model model;
	const char *item;     /* LIST: the prefix of a group's first line */
	size_t item_lines;    /* LIST: lines per group (0: MD prose lines) */
};

static const struct syntax syntaxes[] = {
	[L_GO] = { "\t", BLOCKS, NULL, 0 },
	[L_TS] = { "  ", BLOCKS, NULL, 0 },
	[L_SWIFT] = { "    ", BLOCKS, NULL, 0 },
	[L_KOTLIN] = { "    ", BLOCKS, NULL, 0 },
	[L_PY] = { "    ", BLOCKS, NULL, 0 },
	[L_SQL] = { "        ", LIST, "        ", 1 },
	[L_TF] = { "  ", BLOCKS, NULL, 0 },
	[L_K8S] = { "  ", LIST, "            - name: ", 2 },
	[L_WORKFLOW] = { "  ", LIST, "      - name: ", 2 },
	[L_SH] = { "  ", BLOCKS, NULL, 0 },
	[L_MD] = { "", LIST, NULL, 0 },
};

/* Lines being generated, and the words to make them of. */
struct gen {
	struct rng *r;
	const char *const *nouns;
	enum lang lang;
	const char *type;        /* the file's main type/name, PascalCase */
	const char *pkg;
	char **out;
	size_t n, cap;
	struct strbuf ring[16];  /* identifiers for the line being built */
	unsigned next;
};

static void emit(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct gen *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	xgrow(&g->out, &g->cap, g->n + 1, sizeof(*g->out));
	g->out[g->n++] = sb.ptr ? sb_detach(&sb) : xstrdup("");
}

static struct strbuf *slot(struct gen *g)
{
	struct strbuf *sb = &g->ring[g->next++ % COUNT_OF(g->ring)];
	sb_reset(sb);
	return sb;
}

/* Identifiers: PascalCase, camelCase, snake_case, kebab-case, UPPER of
 * "a_b" (b may be NULL). */
enum style { PASCAL, CAMEL, SNAKE, KEBAB, UPPER };
static const char *ident(struct gen *g, enum style st, const char *a, const char *b)
{
	struct strbuf joined = STRBUF_INIT;
	sb_adds(&joined, a);
	if (b) {
		sb_addc(&joined, '_');
		sb_adds(&joined, b);
	}
	struct strbuf *sb = slot(g);
	if (st == PASCAL)
		add_pascal(sb, joined.ptr);
	else if (st == CAMEL)
		add_camel(sb, joined.ptr);
	else
		for (const char *p = joined.ptr; *p; p++)
			sb_addc(sb, st == KEBAB && *p == '_' ? '-'
			            : st == UPPER && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
	sb_free(&joined);
	return sb->ptr;
}

static const char *noun(struct gen *g)
{
	return rng_pick_list(g->r, g->nouns);
}

static const char *verb(struct gen *g)
{
	return rng_pick_list(g->r, verbs);
}

static const char *field(struct gen *g)
{
	return rng_pick_list(g->r, fields);
}

/* What a function does, for its doc comment. */
static const char *phrase(struct gen *g)
{
	struct strbuf *sb = slot(g);
	add_sentence(sb, g->r, noun(g));
	return sb->ptr;
}

static const char *sentence(struct gen *g)
{
	struct strbuf *sb = slot(g);
	sb_adds(sb, g->type);
	sb_addc(sb, ' ');
	add_sentence(sb, g->r, noun(g));
	return sb->ptr;
}

static int num(struct gen *g, int lo, int hi)
{
	return rng_between(g->r, lo, hi);
}

/* ---- statements: one group of lines, one indent in ---------------------- */

static void go_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 12)) {
	case 0: {
		const char *v = verb(g), *store = noun(g);
		emit(g, "\t%s, err := s.%s.%s(ctx, req.%s)", ident(g, CAMEL, n, NULL),
		     ident(g, CAMEL, store, "store"), ident(g, PASCAL, v, n), ident(g, PASCAL, f, NULL));
		break;
	}
	case 1:
		emit(g, "\tif err := s.%s(ctx, %s); err != nil {", ident(g, CAMEL, verb(g), n),
		     ident(g, CAMEL, n, f));
		emit(g, "\t\treturn fmt.Errorf(\"%s %s: %%w\", err)", verb(g), n);
		emit(g, "\t}");
		break;
	case 2:
		emit(g, "\tif req.%s == \"\" {", ident(g, PASCAL, f, NULL));
		emit(g, "\t\treturn %s", ident(g, PASCAL, "err_missing", f));
		emit(g, "\t}");
		break;
	case 3:
		emit(g, "\tmetrics.Inc(\"%s_%s_total\", \"%s\", req.%s)", n, verb(g), f, ident(g, PASCAL, f, NULL));
		break;
	case 4:
		emit(g, "\tlog.Info(ctx, \"%s %s\", \"%s\", req.%s)", verb(g), n, f, ident(g, PASCAL, f, NULL));
		break;
	case 5:
		emit(g, "\t%s := s.cfg.Duration(\"%s.%s\", %d*time.Millisecond)", ident(g, CAMEL, n, "timeout"),
		     n, f, num(g, 5, 120) * 50);
		break;
	case 6:
		emit(g, "\tdefer s.%s.Release(%s)", ident(g, CAMEL, n, "pool"), ident(g, CAMEL, n, f));
		break;
	case 7:
		emit(g, "\t// %s", sentence(g));
		break;
	case 8:
		emit(g, "\tfor _, %s := range req.%ss {", ident(g, CAMEL, n, NULL), ident(g, PASCAL, n, NULL));
		emit(g, "\t\t%s += %s.%s", ident(g, CAMEL, "total", f), ident(g, CAMEL, n, NULL),
		     ident(g, PASCAL, f, NULL));
		emit(g, "\t}");
		break;
	case 9:
		emit(g, "\tctx, cancel := context.WithTimeout(ctx, %d*time.Millisecond)", num(g, 2, 60) * 100);
		break;
	case 10:
		emit(g, "\treq.%s = %s(req.%s)", ident(g, PASCAL, f, NULL), ident(g, CAMEL, "normalize", f),
		     ident(g, PASCAL, f, NULL));
		break;
	default:
		emit(g, "\tif %s > s.%s {", ident(g, CAMEL, n, "count"), ident(g, CAMEL, "max", n));
		emit(g, "\t\t%s = s.%s", ident(g, CAMEL, n, "count"), ident(g, CAMEL, "max", n));
		emit(g, "\t}");
		break;
	}
}

static void ts_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 8)) {
	case 0:
		emit(g, "  const %s = await api.%s(`/%ss/${%s}`);", ident(g, CAMEL, n, NULL),
		     rng_permille(g->r, 500) ? "get" : "post", ident(g, KEBAB, n, NULL), ident(g, CAMEL, n, f));
		break;
	case 1:
		emit(g, "  if (!%s) {", ident(g, CAMEL, n, f));
		emit(g, "    throw new Error('%s: missing %s');", n, f);
		emit(g, "  }");
		break;
	case 2:
		emit(g, "  logger.info('%s %s', { %s });", verb(g), n, ident(g, CAMEL, n, f));
		break;
	case 3:
		emit(g, "  track('%s_%s', { %s: %s.%s });", n, verb(g), f, ident(g, CAMEL, n, NULL),
		     ident(g, CAMEL, f, NULL));
		break;
	case 4:
		emit(g, "  %s.%s = %s.%s ?? %d;", ident(g, CAMEL, n, NULL), ident(g, CAMEL, f, NULL),
		     ident(g, CAMEL, "defaults", NULL), ident(g, CAMEL, f, NULL), num(g, 1, 500));
		break;
	case 5:
		emit(g, "  // %s", sentence(g));
		break;
	case 6: {
		const char *v2 = verb(g), *v1 = verb(g);
		emit(g, "  const %s = useMemo(() => %s(%s), [%s]);", ident(g, CAMEL, v1, n),
		     ident(g, CAMEL, v2, n), ident(g, CAMEL, n, NULL), ident(g, CAMEL, n, NULL));
		break;
	}
	default:
		emit(g, "  for (const %s of %ss) {", ident(g, CAMEL, n, NULL), ident(g, CAMEL, n, NULL));
		emit(g, "    %s.push(%s.%s);", ident(g, CAMEL, f, "list"), ident(g, CAMEL, n, NULL),
		     ident(g, CAMEL, f, NULL));
		emit(g, "  }");
		break;
	}
}

static void swift_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 7)) {
	case 0:
		emit(g, "    let %s = try await client.%s(%s: %s)", ident(g, CAMEL, n, NULL),
		     ident(g, CAMEL, verb(g), n), ident(g, CAMEL, f, NULL), ident(g, CAMEL, n, f));
		break;
	case 1:
		emit(g, "    guard let %s = %s.%s else {", ident(g, CAMEL, f, NULL), ident(g, CAMEL, n, NULL),
		     ident(g, CAMEL, f, NULL));
		emit(g, "        throw %sError.%s", ident(g, PASCAL, n, NULL), ident(g, CAMEL, "missing", f));
		emit(g, "    }");
		break;
	case 2:
		emit(g, "    logger.debug(\"%s %s \\(%s)\")", verb(g), n, ident(g, CAMEL, n, f));
		break;
	case 3:
		emit(g, "    %s.%s = %s", ident(g, CAMEL, n, NULL), ident(g, CAMEL, f, NULL),
		     ident(g, CAMEL, "new", f));
		break;
	case 4:
		emit(g, "    // %s", sentence(g));
		break;
	case 5:
		emit(g, "    if %ss.isEmpty {", ident(g, CAMEL, n, NULL));
		emit(g, "        return .%s", ident(g, CAMEL, "empty", n));
		emit(g, "    }");
		break;
	default:
		{
			int value = num(g, 1, 99);
			emit(g, "    analytics.track(.%s, value: %d)", ident(g, CAMEL, n, verb(g)), value);
		}
		break;
	}
}

static void kotlin_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 7)) {
	case 0:
		emit(g, "    val %s = %s.%s(%s)", ident(g, CAMEL, n, NULL), ident(g, CAMEL, n, "repository"),
		     ident(g, CAMEL, verb(g), n), ident(g, CAMEL, f, NULL));
		break;
	case 1:
		emit(g, "    if (%s == null) {", ident(g, CAMEL, n, f));
		emit(g, "        throw IllegalStateException(\"%s %s missing\")", n, f);
		emit(g, "    }");
		break;
	case 2:
		emit(g, "    Log.d(TAG, \"%s %s $%s\")", verb(g), n, ident(g, CAMEL, n, f));
		break;
	case 3:
		emit(g, "    %s.%s = %s", ident(g, CAMEL, n, NULL), ident(g, CAMEL, f, NULL),
		     ident(g, CAMEL, "new", f));
		break;
	case 4:
		emit(g, "    // %s", sentence(g));
		break;
	case 5:
		emit(g, "    analytics.track(\"%s_%s\")", n, verb(g));
		break;
	default:
		emit(g, "    val %s = %ss.filter { it.%s > %d }", ident(g, CAMEL, "recent", n),
		     ident(g, CAMEL, n, NULL), ident(g, CAMEL, f, NULL), num(g, 1, 1000));
		break;
	}
}

static void py_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 7)) {
	case 0:
		emit(g, "    %s = %s.%s(%s)", ident(g, SNAKE, n, NULL), ident(g, SNAKE, n, "client"),
		     ident(g, SNAKE, verb(g), n), ident(g, SNAKE, f, NULL));
		break;
	case 1:
		emit(g, "    if not %s:", ident(g, SNAKE, n, f));
		emit(g, "        raise ValueError(\"%s %s is required\")", n, f);
		break;
	case 2:
		emit(g, "    log.info(\"%s %s %%s\", %s)", verb(g), n, ident(g, SNAKE, n, f));
		break;
	case 3:
		emit(g, "    for %s in %ss:", ident(g, SNAKE, n, NULL), ident(g, SNAKE, n, NULL));
		emit(g, "        %s.append(%s.%s)", ident(g, SNAKE, f, "list"), ident(g, SNAKE, n, NULL), f);
		break;
	case 4:
		emit(g, "    %s[\"%s\"] = %s.get(\"%s\", %d)", ident(g, SNAKE, "row", NULL), f,
		     ident(g, SNAKE, n, NULL), f, num(g, 0, 1000));
		break;
	case 5:
		emit(g, "    # %s", sentence(g));
		break;
	default:
		emit(g, "    %s = datetime.now(timezone.utc) - %s.%s", ident(g, SNAKE, n, "age"),
		     ident(g, SNAKE, n, NULL), f);
		break;
	}
}

static void sh_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 7)) {
	case 0:
		emit(g, "  local %s=\"${%s:-%d}\"", ident(g, SNAKE, n, f), ident(g, UPPER, n, f), num(g, 1, 90));
		break;
	case 1:
		emit(g, "  echo \"%s %s: ${%s}\"", verb(g), n, ident(g, SNAKE, n, f));
		break;
	case 2:
		emit(g, "  kubectl -n %s rollout status deploy/%s --timeout=%ds", n, ident(g, KEBAB, n, "api"),
		     num(g, 6, 60) * 10);
		break;
	case 3:
		emit(g, "  [[ -n \"${%s:-}\" ]] || { echo \"missing %s\" >&2; exit 1; }", ident(g, UPPER, n, f),
		     ident(g, UPPER, n, f));
		break;
	case 4:
		emit(g, "  # %s", sentence(g));
		break;
	case 5:
		emit(g, "  docker build -t \"registry.acme.example/%s:${%s}\" .", ident(g, KEBAB, n, NULL),
		     ident(g, UPPER, f, NULL));
		break;
	default:
		emit(g, "  aws s3 cp \"%s.tar.gz\" \"s3://acme-%s/%s/\" --only-show-errors",
		     ident(g, SNAKE, n, NULL), ident(g, KEBAB, n, NULL), f);
		break;
	}
}

static void tf_statement(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (rng_below(g->r, 7)) {
	case 0:
		emit(g, "  name = \"acme-%s-%s\"", n, ident(g, KEBAB, f, NULL));
		break;
	case 1:
		emit(g, "  %s = %d", ident(g, SNAKE, f, NULL), num(g, 1, 720));
		break;
	case 2:
		emit(g, "  %s = var.%s", ident(g, SNAKE, n, f), ident(g, SNAKE, n, f));
		break;
	case 3:
		emit(g, "  tags = {");
		emit(g, "    team    = \"%s\"", n);
		emit(g, "    service = \"%s\"", ident(g, KEBAB, n, f));
		emit(g, "  }");
		break;
	case 4:
		emit(g, "  # %s", sentence(g));
		break;
	case 5:
		emit(g, "  %s = \"%s\"", ident(g, SNAKE, f, "class"), rng_permille(g->r, 500) ? "db.r6g.large" : "standard");
		break;
	default:
		emit(g, "  depends_on = [aws_%s.%s]", ident(g, SNAKE, n, NULL), ident(g, SNAKE, f, NULL));
		break;
	}
}

static void statement(struct gen *g)
{
	switch (g->lang) {
	case L_GO: go_statement(g); break;
	case L_TS: ts_statement(g); break;
	case L_SWIFT: swift_statement(g); break;
	case L_KOTLIN: kotlin_statement(g); break;
	case L_PY: py_statement(g); break;
	case L_SH: sh_statement(g); break;
	case L_TF: tf_statement(g); break;
	default: break;
	}
}

/* ---- functions --------------------------------------------------------- */

static void body(struct gen *g, int lo, int hi)
{
	for (int i = num(g, lo, hi); i > 0; i--)
		statement(g);
}

static void function(struct gen *g)
{
	const char *n = noun(g), *v = verb(g);
	switch (g->lang) {
	case L_GO:
		if (rng_permille(g->r, 500))
			emit(g, "// %s %s.", ident(g, PASCAL, v, n), phrase(g));
		if (rng_permille(g->r, 700)) {
			emit(g, "func (s *%s) %s(ctx context.Context, req *%s) error {", g->type,
			     ident(g, PASCAL, v, n), ident(g, PASCAL, n, "request"));
			body(g, 3, 7);
			emit(g, "\treturn nil");
		} else {
			emit(g, "func (s *%s) %s(ctx context.Context, id string) (*%s, error) {", g->type,
			     ident(g, PASCAL, v, n), ident(g, PASCAL, n, NULL));
			body(g, 2, 6);
			emit(g, "\treturn %s, nil", ident(g, CAMEL, n, NULL));
		}
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_TS:
		emit(g, "export async function %s(%s: %s): Promise<%s> {", ident(g, CAMEL, v, n),
		     ident(g, CAMEL, n, "id"), "string", ident(g, PASCAL, n, NULL));
		body(g, 2, 6);
		emit(g, "  return %s;", ident(g, CAMEL, n, NULL));
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_SWIFT:
		emit(g, "func %s(%s: %s) async throws -> %s {", ident(g, CAMEL, v, n), ident(g, CAMEL, n, "id"),
		     "String", ident(g, PASCAL, n, NULL));
		body(g, 2, 6);
		emit(g, "    return %s", ident(g, CAMEL, n, NULL));
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_KOTLIN:
		emit(g, "suspend fun %s(%s: %s): %s {", ident(g, CAMEL, v, n), ident(g, CAMEL, n, "id"),
		     "String", ident(g, PASCAL, n, NULL));
		body(g, 2, 6);
		emit(g, "    return %s", ident(g, CAMEL, n, NULL));
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_PY:
		emit(g, "def %s(%s: %s) -> dict:", ident(g, SNAKE, v, n), ident(g, SNAKE, n, NULL),
		     ident(g, PASCAL, n, NULL));
		if (rng_permille(g->r, 500))
			emit(g, "    \"\"\"%s.\"\"\"", sentence(g));
		body(g, 2, 6);
		emit(g, "    return %s", ident(g, SNAKE, "row", NULL));
		emit(g, "%s", "");
		emit(g, "%s", "");
		break;
	case L_SH:
		emit(g, "%s() {", ident(g, SNAKE, v, n));
		body(g, 2, 6);
		emit(g, "  echo \"%s %s: done\"", v, n);
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_TF: {
		static const char *const kinds[] = { "aws_sqs_queue", "aws_s3_bucket", "aws_db_instance",
			"aws_iam_role", "aws_lambda_function", "aws_cloudwatch_metric_alarm", "aws_route53_record" };
		emit(g, "resource \"%s\" \"%s\" {", RNG_PICK(g->r, kinds), ident(g, SNAKE, n, v));
		body(g, 2, 6);
		emit(g, "  %s = %d", ident(g, SNAKE, "retention", "days"), num(g, 1, 400));
		emit(g, "}");
		emit(g, "%s", "");
		break;
	}
	default:
		break;
	}
}

/* ---- list items -------------------------------------------------------- */

static void item(struct gen *g)
{
	const char *n = noun(g), *f = field(g);
	switch (g->lang) {
	case L_K8S:
		emit(g, "            - name: %s", ident(g, UPPER, n, f));
		emit(g, "              value: \"%d\"", num(g, 1, 5000));
		break;
	case L_WORKFLOW:
		emit(g, "      - name: %s %s", verb(g), ident(g, KEBAB, n, NULL));
		{
			int jobs = num(g, 1, 64);
			emit(g, "        run: make %s %s=%d", ident(g, KEBAB, verb(g), n), ident(g, UPPER, f, NULL),
			     jobs);
		}
		break;
	case L_SQL:
		if (rng_permille(g->r, 300))
			emit(g, "        cast(%s as %s) as %s,", ident(g, SNAKE, n, f),
			     rng_permille(g->r, 500) ? "numeric(18, 2)" : "timestamp", ident(g, SNAKE, f, NULL));
		else
			emit(g, "        %s as %s,", ident(g, SNAKE, n, f), ident(g, SNAKE, f, n));
		break;
	case L_MD:
		{
			const char *s = sentence(g);
			emit(g, "%s %s.", rng_permille(g->r, 300) ? "-" : "The", s);
		}
		break;
	default:
		break;
	}
}

static void section(struct gen *g)
{
	const char *n = noun(g);
	emit(g, "## %s %s", ident(g, PASCAL, verb(g), NULL), n);
	emit(g, "%s", "");
	for (int i = num(g, 2, 5); i > 0; i--)
		item(g);
	emit(g, "%s", "");
}

/* ---- whole files ------------------------------------------------------- */

static void header(struct gen *g, const char *path)
{
	const char *n = noun(g);
	switch (g->lang) {
	case L_GO:
		emit(g, "package %s", g->pkg);
		emit(g, "%s", "");
		emit(g, "import (");
		emit(g, "\t\"context\"");
		emit(g, "\t\"fmt\"");
		emit(g, "\t\"time\"");
		emit(g, "%s", "");
		emit(g, "\t\"github.com/acme/monorepo/libs/log\"");
		emit(g, "\t\"github.com/acme/monorepo/libs/metrics\"");
		emit(g, ")");
		emit(g, "%s", "");
		emit(g, "// %s.", sentence(g));
		emit(g, "type %s struct {", g->type);
		emit(g, "\tcfg   *config.Config");
		emit(g, "\t%s %s", ident(g, CAMEL, n, "store"), ident(g, PASCAL, n, "store"));
		emit(g, "\t%s int", ident(g, CAMEL, "max", n));
		emit(g, "}");
		emit(g, "%s", "");
		break;
	case L_TS:
		emit(g, "import { api } from '../api/client';");
		emit(g, "import { logger, track } from '../lib/telemetry';");
		emit(g, "import type { %s } from '../types';", ident(g, PASCAL, n, NULL));
		emit(g, "%s", "");
		break;
	case L_SWIFT:
		emit(g, "import Foundation");
		emit(g, "%s", "");
		emit(g, "// MARK: - %s", g->type);
		emit(g, "%s", "");
		break;
	case L_KOTLIN:
		emit(g, "package com.acme.app.%s", g->pkg);
		emit(g, "%s", "");
		emit(g, "import android.util.Log");
		emit(g, "import javax.inject.Inject");
		emit(g, "%s", "");
		emit(g, "private const val TAG = \"%s\"", g->type);
		emit(g, "%s", "");
		break;
	case L_PY:
		emit(g, "\"\"\"%s.\"\"\"", sentence(g));
		emit(g, "%s", "");
		emit(g, "from __future__ import annotations");
		emit(g, "%s", "");
		emit(g, "import logging");
		emit(g, "from datetime import datetime, timezone");
		emit(g, "%s", "");
		emit(g, "from acme.%s import %s", g->pkg, ident(g, SNAKE, n, "client"));
		emit(g, "%s", "");
		emit(g, "log = logging.getLogger(__name__)");
		emit(g, "%s", "");
		emit(g, "%s", "");
		break;
	case L_SH:
		emit(g, "#!/usr/bin/env bash");
		emit(g, "# %s.", sentence(g));
		emit(g, "set -euo pipefail");
		emit(g, "%s", "");
		emit(g, "ROOT=\"$(git rev-parse --show-toplevel)\"");
		emit(g, "%s", "");
		break;
	case L_TF:
		emit(g, "# %s.", sentence(g));
		emit(g, "%s", "");
		break;
	case L_K8S: {
		const char *app = ident(g, KEBAB, g->pkg, n);
		emit(g, "apiVersion: apps/v1");
		emit(g, "kind: Deployment");
		emit(g, "metadata:");
		emit(g, "  name: %s", app);
		emit(g, "  namespace: %s", g->pkg);
		emit(g, "  labels:");
		emit(g, "    app: %s", app);
		emit(g, "spec:");
		emit(g, "  replicas: %d", num(g, 2, 12));
		emit(g, "  selector:");
		emit(g, "    matchLabels:");
		emit(g, "      app: %s", app);
		emit(g, "  template:");
		emit(g, "    metadata:");
		emit(g, "      labels:");
		emit(g, "        app: %s", app);
		emit(g, "    spec:");
		emit(g, "      containers:");
		emit(g, "        - name: %s", app);
		int patch = num(g, 0, 9);
		emit(g, "          image: registry.acme.example/%s:1.%d.%d", app, num(g, 0, 60), patch);
		emit(g, "          env:");
		for (int i = num(g, 3, 8); i > 0; i--)
			item(g);
		emit(g, "          resources:");
		emit(g, "            limits:");
		emit(g, "              memory: %dMi", num(g, 2, 32) * 64);
		emit(g, "              cpu: %dm", num(g, 1, 20) * 100);
		return;
	}
	case L_WORKFLOW:
		emit(g, "name: %s", g->type);
		emit(g, "on:");
		emit(g, "  push:");
		emit(g, "    branches: [main]");
		emit(g, "  pull_request:");
		emit(g, "jobs:");
		emit(g, "  %s:", ident(g, KEBAB, n, NULL));
		emit(g, "    runs-on: ubuntu-22.04");
		emit(g, "    timeout-minutes: %d", num(g, 2, 12) * 5);
		emit(g, "    steps:");
		emit(g, "      - uses: actions/checkout@v4");
		for (int i = num(g, 3, 7); i > 0; i--)
			item(g);
		return;
	case L_SQL:
		emit(g, "-- %s.", sentence(g));
		emit(g, "with source as (");
		emit(g, "    select * from {{ source('%s', '%s') }}", g->pkg, n);
		emit(g, "),");
		emit(g, "%s", "");
		emit(g, "renamed as (");
		emit(g, "    select");
		emit(g, "        id as %s_id,", n);
		for (int i = num(g, 4, 12); i > 0; i--)
			item(g);
		emit(g, "        _loaded_at");
		emit(g, "    from source");
		emit(g, ")");
		emit(g, "%s", "");
		emit(g, "select * from renamed");
		return;
	case L_MD:
		emit(g, "# %s", g->type);
		emit(g, "%s", "");
		emit(g, "This page is about %s: %s.", n, sentence(g));
		emit(g, "Source: `%s`.", path);
		emit(g, "%s", "");
		for (int i = num(g, 2, 4); i > 0; i--)
			section(g);
		return;
	}
	(void)path;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The file's type name from its base name ("refund_store.go" ->
 * RefundStore) and its package from its directory. */
static void gen_init(struct gen *g, const struct dfile *f, struct rng *r, const char *const *nouns,
                     struct strbuf *type, struct strbuf *pkg)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->nouns = nouns;
	g->lang = f->lang;
	const char *base = basename_of(f->path);
	const char *dot = strchr(base, '.');
	struct strbuf stem = STRBUF_INIT;
	sb_add(&stem, base, dot ? (size_t)(dot - base) : strlen(base));
	for (char *p = stem.ptr; p && *p; p++)
		if (*p == '-' || (*p >= '0' && *p <= '9'))
			*p = '_';
	add_pascal(type, stem.ptr);
	sb_free(&stem);
	const char *slash = strrchr(f->path, '/');
	const char *dir = f->path;
	if (slash) {
		const char *prev = slash;
		while (prev > f->path && prev[-1] != '/')
			prev--;
		dir = prev;
	}
	for (const char *p = dir; slash && p < slash; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9' && pkg->len))
			sb_addc(pkg, *p);
		else if (*p >= 'A' && *p <= 'Z')
			sb_addc(pkg, ascii_lower(*p));
	if (!pkg->len)
		sb_adds(pkg, "main");
	g->type = type->ptr ? type->ptr : "Main";
	g->pkg = pkg->ptr;
}

static void gen_done(struct gen *g)
{
	for (size_t i = 0; i < COUNT_OF(g->ring); i++)
		sb_free(&g->ring[i]);
	for (size_t i = 0; i < g->n; i++)
		free(g->out[i]);
	free(g->out);
}

/* Replaces lines [at, at + del) of f with the generated lines. */
static size_t splice(struct dfile *f, size_t at, size_t del, struct gen *g)
{
	for (size_t i = at; i < at + del; i++)
		free(f->lines[i]);
	size_t add = g->n;
	xgrow(&f->lines, &f->cap, f->n - del + add + 1, sizeof(*f->lines));
	memmove(&f->lines[at + add], &f->lines[at + del], (f->n - at - del) * sizeof(*f->lines));
	for (size_t i = 0; i < add; i++)
		f->lines[at + i] = g->out[i];
	f->n = f->n - del + add;
	g->n = 0;
	return add + del;
}

void content_fill(struct dfile *f, struct rng *r, const char *const *nouns)
{
	struct strbuf type = STRBUF_INIT, pkg = STRBUF_INIT;
	struct gen g;
	gen_init(&g, f, r, nouns, &type, &pkg);
	header(&g, f->path);
	if (syntaxes[f->lang].model == BLOCKS)
		for (int i = num(&g, 2, 6); i > 0; i--)
			function(&g);
	while (g.n && !g.out[g.n - 1][0])
		free(g.out[--g.n]);
	splice(f, f->n, 0, &g);
	gen_done(&g);
	sb_free(&type);
	sb_free(&pkg);
}

/* ---- reading a file's shape back ------------------------------------- */

struct group {
	size_t start, len;
	size_t fn;            /* the function it belongs to (BLOCKS) */
	bool last;            /* a function's final statement: kept */
};

struct fn {
	size_t start, end;    /* header line .. closing line (inclusive) */
	size_t first;         /* first line including its doc comment */
};

struct shape {
	struct group *g;
	size_t ng, gcap;
	struct fn *f;
	size_t nf, fcap;
};

static bool is_fn_header(enum lang l, const char *s)
{
	size_t n = strlen(s);
	switch (l) {
	case L_GO: return !strncmp(s, "func ", 5) && s[n - 1] == '{';
	case L_TS: return !strncmp(s, "export ", 7) && s[n - 1] == '{';
	case L_SWIFT: return !strncmp(s, "func ", 5) && s[n - 1] == '{';
	case L_KOTLIN: return (!strncmp(s, "fun ", 4) || !strncmp(s, "suspend fun ", 12)) && s[n - 1] == '{';
	case L_PY: return !strncmp(s, "def ", 4);
	case L_SH: return n > 4 && !strcmp(s + n - 4, "() {");
	case L_TF: return !strncmp(s, "resource ", 9) && s[n - 1] == '{';
	default: return false;
	}
}

static bool is_comment(enum lang l, const char *s)
{
	if (l == L_GO || l == L_TS || l == L_SWIFT || l == L_KOTLIN)
		return !strncmp(s, "//", 2);
	return s[0] == '#' && s[1] != '!';
}

/* Exactly one indent level. */
static bool at_level1(const char *s, const char *ind)
{
	size_t k = strlen(ind);
	return !strncmp(s, ind, k) && s[k] != ' ' && s[k] != '\t' && s[k] != '\0';
}

static bool deeper(const char *s, const char *ind)
{
	size_t k = strlen(ind);
	return !strncmp(s, ind, k) && (s[k] == ' ' || s[k] == '\t');
}

static void add_group(struct shape *sh, size_t start, size_t len, size_t fn)
{
	xgrow(&sh->g, &sh->gcap, sh->ng + 1, sizeof(*sh->g));
	sh->g[sh->ng++] = (struct group){ start, len, fn, false };
}

static void read_blocks(const struct dfile *f, struct shape *sh)
{
	const char *ind = syntaxes[f->lang].indent;
	bool py = f->lang == L_PY;
	for (size_t i = 0; i < f->n; i++) {
		if (!is_fn_header(f->lang, f->lines[i]))
			continue;
		size_t end = i + 1;
		if (py) {
			while (end < f->n && (!f->lines[end][0] || f->lines[end][0] == ' '))
				end++;
			while (end > i + 1 && !f->lines[end - 1][0])
				end--;
			end--;  /* the last body line */
		} else {
			while (end < f->n && strcmp(f->lines[end], "}") != 0)
				end++;
			if (end == f->n)
				break;  /* unbalanced: leave the rest alone */
		}
		size_t first = i;
		while (first > 0 && is_comment(f->lang, f->lines[first - 1]))
			first--;
		xgrow(&sh->f, &sh->fcap, sh->nf + 1, sizeof(*sh->f));
		sh->f[sh->nf++] = (struct fn){ i, end, first };
		size_t body_end = py ? end + 1 : end;
		size_t ng0 = sh->ng;
		for (size_t k = i + 1; k < body_end;) {
			if (!at_level1(f->lines[k], ind) || f->lines[k][strlen(ind)] == '}') {
				k++;
				continue;
			}
			size_t s = k++;
			while (k < body_end && (deeper(f->lines[k], ind) || !f->lines[k][0] ||
			                        (!py && at_level1(f->lines[k], ind) &&
			                         f->lines[k][strlen(ind)] == '}')))
				k++;
			add_group(sh, s, k - s, sh->nf - 1);
		}
		if (sh->ng > ng0)
			sh->g[sh->ng - 1].last = true;
		i = end;
	}
}

static bool is_item(const struct dfile *f, const char *s)
{
	const struct syntax *sx = &syntaxes[f->lang];
	if (f->lang == L_MD)
		return s[0] && s[0] != '#' && strncmp(s, "```", 3) != 0 && strncmp(s, "Source:", 7) != 0;
	size_t k = strlen(sx->item);
	if (strncmp(s, sx->item, k) != 0)
		return false;
	if (f->lang == L_SQL)
		return s[k] != ' ' && s[strlen(s) - 1] == ',' && strncmp(s + k, "id as ", 6) != 0;
	return true;
}

static void read_list(const struct dfile *f, struct shape *sh)
{
	size_t len = syntaxes[f->lang].item_lines ? syntaxes[f->lang].item_lines : 1;
	for (size_t i = 0; i + len <= f->n; i++)
		if (is_item(f, f->lines[i])) {
			add_group(sh, i, len, 0);
			i += len - 1;
		}
	if (f->lang != L_MD)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (!strncmp(f->lines[i], "## ", 3)) {
			size_t end = i + 1;
			while (end < f->n && strncmp(f->lines[end], "## ", 3) != 0)
				end++;
			xgrow(&sh->f, &sh->fcap, sh->nf + 1, sizeof(*sh->f));
			sh->f[sh->nf++] = (struct fn){ i, end - 1, i };
		}
}

static void shape_free(struct shape *sh)
{
	free(sh->g);
	free(sh->f);
}

/* ---- edits ------------------------------------------------------------- */

enum op { OP_REPLACE, OP_INSERT, OP_DELETE, OP_ADD_FN, OP_DEL_FN };

static enum op pick_op(struct rng *r, size_t lines)
{
	unsigned x = rng_below(r, 100);
	if (lines < 40)
		return x < 35 ? OP_ADD_FN : x < 65 ? OP_INSERT : OP_REPLACE;
	if (lines > 220)
		return x < 20 ? OP_DEL_FN : x < 55 ? OP_DELETE : OP_REPLACE;
	return x < 42 ? OP_REPLACE : x < 67 ? OP_INSERT : x < 82 ? OP_DELETE : x < 93 ? OP_ADD_FN : OP_DEL_FN;
}

static void new_groups(struct gen *g, int count)
{
	for (int i = 0; i < count; i++)
		if (syntaxes[g->lang].model == BLOCKS)
			statement(g);
		else
			item(g);
}

static size_t edit_once(struct dfile *f, struct gen *g, struct rng *r)
{
	struct shape sh = { 0 };
	size_t touched = 0;
	if (syntaxes[f->lang].model == BLOCKS)
		read_blocks(f, &sh);
	else
		read_list(f, &sh);
	size_t editable[256], ne = 0;
	for (size_t i = 0; i < sh.ng && ne < COUNT_OF(editable); i++)
		if (!sh.g[i].last)
			editable[ne++] = i;
	enum op op = pick_op(r, f->n);
	if ((op == OP_REPLACE || op == OP_DELETE) && ne == 0)
		op = OP_INSERT;
	if (op == OP_DEL_FN && sh.nf < 3)
		op = OP_REPLACE;
	if (op == OP_REPLACE && ne == 0)
		op = OP_ADD_FN;
	if (op == OP_DELETE && ne < 3)
		op = OP_INSERT;
	if (op == OP_ADD_FN && syntaxes[f->lang].model == LIST && f->lang != L_MD && sh.ng)
		op = OP_INSERT; /* new items go among the others, not after the file's tail */
	if (op == OP_INSERT && sh.ng == 0)
		op = OP_ADD_FN;
	switch (op) {
	case OP_REPLACE: {
		const struct group *a = &sh.g[editable[rng_below(r, (uint32_t)ne)]];
		size_t end = a->start + a->len;
		const struct group *b = a + 1;
		if (rng_permille(r, 300) && b < sh.g + sh.ng && !b->last && b->fn == a->fn &&
		    b->start == end)
			end = b->start + b->len;
		new_groups(g, rng_between(r, 1, 2));
		touched = splice(f, a->start, end - a->start, g);
		break;
	}
	case OP_INSERT: {
		const struct group *a = &sh.g[rng_below(r, (uint32_t)sh.ng)];
		new_groups(g, rng_between(r, 1, 3));
		touched = splice(f, a->start, 0, g);
		break;
	}
	case OP_DELETE: {
		const struct group *a = &sh.g[editable[rng_below(r, (uint32_t)ne)]];
		touched = splice(f, a->start, a->len, g);
		break;
	}
	case OP_ADD_FN: {
		size_t at = f->n;
		if (sh.nf && rng_permille(r, 600)) {
			const struct fn *x = &sh.f[rng_below(r, (uint32_t)sh.nf)];
			at = x->end + 1;
			while (at < f->n && !f->lines[at][0])
				at++;
		}
		if (f->lang == L_MD) {
			section(g);
		} else {
			if (at == f->n && f->n && f->lines[f->n - 1][0]) {
				emit(g, "%s", "");
				if (f->lang == L_PY)
					emit(g, "%s", "");
			}
			if (syntaxes[f->lang].model == BLOCKS)
				function(g);
			else
				new_groups(g, rng_between(r, 1, 3));
		}
		if (at == f->n)
			while (g->n && !g->out[g->n - 1][0])
				free(g->out[--g->n]);
		touched = splice(f, at, 0, g);
		break;
	}
	case OP_DEL_FN: {
		const struct fn *x = &sh.f[rng_below(r, (uint32_t)sh.nf)];
		size_t end = x->end + 1;
		while (end < f->n && !f->lines[end][0])
			end++;
		touched = splice(f, x->first, end - x->first, g);
		break;
	}
	}
	while (f->n && !f->lines[f->n - 1][0])
		free(f->lines[--f->n]);
	shape_free(&sh);
	return touched;
}

size_t content_edit(struct dfile *f, struct rng *r, const char *const *nouns, unsigned ops)
{
	struct strbuf type = STRBUF_INIT, pkg = STRBUF_INIT;
	struct gen g;
	size_t touched = 0;
	gen_init(&g, f, r, nouns, &type, &pkg);
	for (unsigned i = 0; i < ops; i++)
		touched += edit_once(f, &g, r);
	gen_done(&g);
	sb_free(&type);
	sb_free(&pkg);
	return touched;
}

void content_bytes(const struct dfile *f, struct strbuf *out)
{
	for (size_t i = 0; i < f->n; i++) {
		sb_adds(out, f->lines[i]);
		sb_addc(out, '\n');
	}
}

void content_set_lines(struct dfile *f, const char *text)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->lines[i]);
	f->n = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		xgrow(&f->lines, &f->cap, f->n + 1, sizeof(*f->lines));
		f->lines[f->n++] = xstrndup(p, len);
		p += len + (nl != NULL);
	}
}

void content_free(struct dfile *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->lines[i]);
	free(f->lines);
	free(f->path);
	f->lines = NULL;
	f->n = f->cap = 0;
	f->path = NULL;
}

/* ---- names ------------------------------------------------------------- */

static const char *const go_suffixes[] = { "handler", "store", "client", "service", "worker", "cache",
	"metrics", "validator", "router", "config", "model", "errors", NULL };
static const char *const ts_components[] = { "Screen", "List", "Card", "Sheet", "Banner", NULL };
static const char *const ts_modules[] = { "Api", "Store", "Slice", "Hooks", "Client", NULL };
static const char *const native_suffixes[] = { "ViewModel", "View", "Service", "Repository",
	"Coordinator", "Mapper", NULL };
static const char *const py_suffixes[] = { "job", "loader", "transform", "client", "schema", "utils",
	"export", "report", NULL };
static const char *const sql_prefixes[] = { "stg", "int", "fct", "dim", NULL };
static const char *const tf_suffixes[] = { "iam", "alarms", "network", "outputs", "replica", NULL };
static const char *const k8s_suffixes[] = { "deployment", "worker", "cronjob", NULL };
static const char *const sh_suffixes[] = { "check", "run", "sync", "rotate", "cleanup", NULL };
static const char *const md_suffixes[] = { "runbook", "checklist", "guide", "overview", "notes", NULL };

static void candidate(struct strbuf *sb, struct rng *r, const struct area *a, const char *subdir,
                      unsigned attempt)
{
	const char *n = rng_pick_list(r, a->nouns);
	char extra[16] = "";
	if (attempt >= 40)
		snprintf(extra, sizeof(extra), "%u", attempt - 38);
	switch (a->lang) {
	case L_GO:
		sb_addf(sb, "%s_%s%s.go", n, rng_pick_list(r, go_suffixes), extra);
		break;
	case L_TS:
		if (!strcmp(subdir, "screens") || !strcmp(subdir, "components")) {
			add_pascal(sb, n);
			sb_addf(sb, "%s%s.tsx", rng_pick_list(r, ts_components), extra);
		} else {
			add_camel(sb, n);
			sb_addf(sb, "%s%s.ts", rng_pick_list(r, ts_modules), extra);
		}
		break;
	case L_SWIFT:
	case L_KOTLIN:
		add_pascal(sb, n);
		sb_addf(sb, "%s%s.%s", rng_pick_list(r, native_suffixes), extra,
		        a->lang == L_SWIFT ? "swift" : "kt");
		break;
	case L_PY:
		sb_addf(sb, "%s_%s%s.py", n, rng_pick_list(r, py_suffixes), extra);
		break;
	case L_SQL:
		{
			bool daily = rng_permille(r, 300);
			sb_addf(sb, "%s_%s%s%s.sql", !strcmp(subdir, "staging") ? "stg" : rng_pick_list(r, sql_prefixes + 1),
			        n, daily ? "_daily" : "", extra);
		}
		break;
	case L_TF:
		if (rng_permille(r, 400))
			sb_addf(sb, "%s%s.tf", n, extra);
		else
			sb_addf(sb, "%s_%s%s.tf", n, rng_pick_list(r, tf_suffixes), extra);
		break;
	case L_K8S:
		sb_addf(sb, "%s-%s%s.yaml", n, rng_pick_list(r, k8s_suffixes), extra);
		break;
	case L_WORKFLOW:
		sb_addf(sb, "%s%s%s.yml", n, rng_permille(r, 500) ? "-main" : "", extra);
		break;
	case L_SH:
		sb_addf(sb, "%s-%s%s.sh", n, rng_pick_list(r, sh_suffixes), extra);
		break;
	case L_MD:
		if (!strcmp(subdir, "adr"))
			{
				const char *v = rng_pick_list(r, verbs);
				sb_addf(sb, "%04d-%s-%s%s.md", rng_between(r, 1, 60), n, v, extra);
			}
		else
			sb_addf(sb, "%s-%s%s.md", n, rng_pick_list(r, md_suffixes), extra);
		break;
	}
}

char *content_name(struct rng *r, const struct area *a, const char *dir, const char *subdir,
                   bool (*taken)(const char *path, void *ctx), void *ctx)
{
	struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT;
	sb_adds(&where, dir);
	if (*subdir)
		sb_addf(&where, "/%s", subdir);
	/* Names follow the directory the file lands in (screens/ has screens). */
	const char *last = strrchr(where.ptr, '/');
	last = last ? last + 1 : where.ptr;
	for (unsigned attempt = 0;; attempt++) {
		sb_reset(&sb);
		sb_addf(&sb, "%s/", where.ptr);
		candidate(&sb, r, a, last, attempt);
		if (!taken(sb.ptr, ctx)) {
			sb_free(&where);
			return sb_detach(&sb);
		}
	}
}
