/*
 * The demo's people: five teams of a made-up company (acme), each with a
 * lead and people who joined or left during the story; three contractors
 * who appear only in git; three bots.  The core cast is written out by
 * hand (it carries the story: Oleg and Ben leave while CODEOWNERS still
 * names them, José and Zoë commit under old identities until the
 * .mailmap fixes them, 山田太郎 leads search); larger scales add people
 * made from name lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carry/mem.h"
#include "carry/timeutil.h"
#include "demo_int.h"

const char *const team_names[NTEAMS] = { "payments", "platform", "search", "mobile", "data" };

enum { LEAD = 1, SRE = 2 };

struct core {
	const char *name, *local, *handle;
	int team, tz;
	int days_before;        /* joined that many days before the story; 0: at join_pm */
	int join_pm, left_pm;   /* per mille of the story; left_pm 0: still here */
	unsigned weight, flags;
	const char *old_name, *old_email;
};

static const struct core core_cast[] = {
	{ "Ana Lima", "ana.lima", "ana", TEAM_PAYMENTS, 0, 900, 0, 0, 5, LEAD, "Ana", "ana@ana-macbook.local" },
	{ "Ben \"Benji\" Okafor", "ben.okafor", "benji", TEAM_PAYMENTS, 60, 1400, 0, 600, 4, 0, NULL, NULL },
	{ "José Núñez", "jose.nunez", "jnunez", TEAM_PAYMENTS, 60, 400, 0, 0, 4, 0, "Jose Nunez", "jnunez@acme-legacy.example" },
	{ "Priya Raman", "priya.raman", "priya", TEAM_PAYMENTS, 330, 300, 0, 0, 3, 0, NULL, NULL },
	{ "Kwame Mensah", "kwame.mensah", "kwame", TEAM_PAYMENTS, 0, 200, 0, 0, 3, 0, NULL, NULL },
	{ "Sofia Rossi", "sofia.rossi", "srossi", TEAM_PAYMENTS, 60, 0, 400, 0, 3, 0, NULL, NULL },
	{ "Liam O'Brien", "liam.obrien", "liam", TEAM_PAYMENTS, 0, 700, 0, 0, 2, 0, NULL, NULL },

	{ "Chloé Martin", "chloe.martin", "chloe", TEAM_PLATFORM, 60, 2000, 0, 0, 5, LEAD, NULL, NULL },
	{ "Oleg Ivanov", "oleg.ivanov", "oleg", TEAM_PLATFORM, 180, 1100, 0, 350, 4, 0, NULL, NULL },
	{ "Zoë Ødegård", "zoe.odegard", "zoe", TEAM_PLATFORM, 60, 500, 0, 0, 4, 0, "zoe", "zoe@build-01.acme.internal" },
	{ "Marcus Johnson", "marcus.johnson", "marcus", TEAM_PLATFORM, -300, 800, 0, 0, 2, SRE, NULL, NULL },
	{ "Fatima Zahra", "fatima.zahra", "fatima", TEAM_PLATFORM, 60, 350, 0, 0, 2, SRE, NULL, NULL },
	{ "Dmitri Volkov", "dmitri.volkov", "dvolkov", TEAM_PLATFORM, 120, 250, 0, 0, 3, 0, NULL, NULL },
	{ "Hannah Schmidt", "hannah.schmidt", "hannah", TEAM_PLATFORM, 60, 0, 500, 0, 2, SRE, NULL, NULL },
	{ "Ravi Patel", "ravi.patel", "ravi", TEAM_PLATFORM, 330, 150, 0, 0, 3, 0, NULL, NULL },

	{ "山田太郎", "taro.yamada", "taro", TEAM_SEARCH, 540, 1600, 0, 0, 5, LEAD, NULL, NULL },
	{ "김민준", "minjun.kim", "minjun", TEAM_SEARCH, 540, 450, 0, 0, 3, 0, NULL, NULL },
	{ "Lucas Silva", "lucas.silva", "lucas", TEAM_SEARCH, -180, 600, 0, 0, 3, 0, NULL, NULL },
	{ "Emma Wilson", "emma.wilson", "emma", TEAM_SEARCH, 0, 350, 0, 0, 3, 0, NULL, NULL },
	{ "Noah Fischer", "noah.fischer", "noah", TEAM_SEARCH, 60, 900, 0, 750, 4, 0, NULL, NULL },
	{ "Aisha Bello", "aisha.bello", "aisha", TEAM_SEARCH, 60, 0, 300, 0, 3, 0, NULL, NULL },
	{ "Mateo García", "mateo.garcia", "mateo", TEAM_SEARCH, -360, 250, 0, 0, 2, 0, NULL, NULL },

	{ "Olivia Brown", "olivia.brown", "olivia", TEAM_MOBILE, -480, 1300, 0, 0, 5, LEAD, NULL, NULL },
	{ "Kenji Sato", "kenji.sato", "kenji", TEAM_MOBILE, 540, 800, 0, 500, 4, 0, NULL, NULL },
	{ "Sarah Cohen", "sarah.cohen", "sarah", TEAM_MOBILE, 120, 400, 0, 0, 3, 0, NULL, NULL },
	{ "Tom Nguyen", "tom.nguyen", "tomn", TEAM_MOBILE, -480, 300, 0, 0, 3, 0, NULL, NULL },
	{ "Ingrid Larsen", "ingrid.larsen", "ingrid", TEAM_MOBILE, 60, 200, 0, 0, 3, 0, NULL, NULL },
	{ "Diego Fernández", "diego.fernandez", "diego", TEAM_MOBILE, -180, 0, 200, 0, 3, 0, NULL, NULL },
	{ "Yuki Tanaka", "yuki.tanaka", "yuki", TEAM_MOBILE, 540, 700, 0, 850, 3, 0, NULL, NULL },

	{ "Amara Okeke", "amara.okeke", "amara", TEAM_DATA, 60, 1000, 0, 0, 5, LEAD, NULL, NULL },
	{ "Henrik Berg", "henrik.berg", "henrik", TEAM_DATA, 60, 650, 0, 0, 3, 0, NULL, NULL },
	{ "Camila Torres", "camila.torres", "camila", TEAM_DATA, -300, 300, 0, 0, 3, 0, NULL, NULL },
	{ "张伟", "wei.zhang", "weizhang", TEAM_DATA, 480, 500, 0, 0, 3, 0, NULL, NULL },
	{ "Grace Kim", "grace.kim", "grace", TEAM_DATA, -480, 200, 0, 0, 2, 0, NULL, NULL },
	{ "Pavel Novák", "pavel.novak", "pavel", TEAM_DATA, 60, 1200, 0, 200, 4, 0, NULL, NULL },
	{ "Nadia Haddad", "nadia.haddad", "nadia", TEAM_DATA, 120, 0, 600, 0, 2, 0, NULL, NULL },
};

/* Contractors: not on the roster, only in git, during their contract. */
static const struct contractor {
	const char *name, *email;
	int tz, from_pm, to_pm;
	const char *area;       /* the area they were hired for */
} contractors[] = {
	{ "Sam Taylor", "sam.taylor@pixelforge-agency.example", -300, 180, 260, "mobile/app/src" },
	{ "Rahul Verma", "rahul@devshop-contract.example", 330, 450, 600, "platform/ci" },
	{ "Marta Kowalska", "marta.kowalska@freelance.example", 60, 700, 800, "services/reporting" },
};

static const struct bot_id {
	const char *name, *email;
	bool on_roster;
} bot_ids[NBOTS] = {
	[BOT_DEPENDABOT] = { "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", true },
	[BOT_RENOVATE] = { "renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", false },
	[BOT_ACTIONS] = { "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", false },
};

/* Names for the people larger scales add: display form and ASCII form
 * (for the email address). */
struct name_part {
	const char *shown, *ascii;
};
static const struct name_part first_names[] = {
	{ "Aino", "aino" }, { "Björn", "bjorn" }, { "Søren", "soren" }, { "Łukasz", "lukasz" },
	{ "Ayşe", "ayse" }, { "Chiara", "chiara" }, { "Mohammed", "mohammed" }, { "Elena", "elena" },
	{ "Jonas", "jonas" }, { "Nora", "nora" }, { "Omar", "omar" }, { "Leila", "leila" },
	{ "Andrés", "andres" }, { "Inès", "ines" }, { "Mikko", "mikko" }, { "Sven", "sven" },
	{ "Kofi", "kofi" }, { "Rania", "rania" }, { "Tomás", "tomas" }, { "Hugo", "hugo" },
	{ "Maja", "maja" }, { "Arjun", "arjun" }, { "Linh", "linh" }, { "Farah", "farah" },
	{ "Jakub", "jakub" }, { "Noémie", "noemie" }, { "Erik", "erik" }, { "Zainab", "zainab" },
};
static const struct name_part last_names[] = {
	{ "Virtanen", "virtanen" }, { "Lindqvist", "lindqvist" }, { "Jørgensen", "jorgensen" },
	{ "Kowalczyk", "kowalczyk" }, { "Yılmaz", "yilmaz" }, { "Ricci", "ricci" },
	{ "Popescu", "popescu" }, { "Müller", "muller" }, { "Dubois", "dubois" },
	{ "Santos", "santos" }, { "Nakamura", "nakamura" }, { "Osei", "osei" },
	{ "Herrera", "herrera" }, { "Sharma", "sharma" }, { "Tran", "tran" },
	{ "Andersen", "andersen" }, { "Costa", "costa" }, { "Eriksson", "eriksson" },
	{ "Moreau", "moreau" }, { "Gómez", "gomez" }, { "Ivanova", "ivanova" }, { "Abdi", "abdi" },
};
static const struct name_part whole_names[] = {
	{ "王芳", "fang.wang" }, { "李娜", "na.li" }, { "佐藤花子", "hanako.sato" },
	{ "박지훈", "jihoon.park" }, { "陈静", "jing.chen" }, { "鈴木一郎", "ichiro.suzuki" },
};
static const int zones[] = { 0, 60, 60, 120, -300, -480, 330, 540, 480, -180 };

static int64_t day_of(int64_t t)
{
	return t - (((t % DAY) + DAY) % DAY);
}

static int64_t at_pm(int64_t start, int64_t end, int pm)
{
	return day_of(start + (end - start) / 1000 * pm);
}

static struct person *add_person(struct cast *c, size_t *cap)
{
	xgrow(&c->p, cap, c->n + 1, sizeof(*c->p));
	struct person *p = &c->p[c->n++];
	memset(p, 0, sizeof(*p));
	p->team = -1;
	p->home_area = -1;
	p->to = INT64_MAX;
	return p;
}

static bool email_taken(const struct cast *c, const char *email, const char *handle)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->p[i].email, email) || (handle && c->p[i].handle &&
		                                       !strcmp(c->p[i].handle, handle)))
			return true;
	return false;
}

/* People larger scales add to team `team`. */
static void add_generated(struct cast *c, size_t *cap, struct rng *r, int team, int64_t start,
                          int64_t end)
{
	struct strbuf name = STRBUF_INIT, local = STRBUF_INIT, email = STRBUF_INIT, handle = STRBUF_INIT;
	for (unsigned attempt = 0;; attempt++) {
		sb_reset(&name);
		sb_reset(&local);
		sb_reset(&handle);
		if (rng_permille(r, 80)) {
			const struct name_part *w = &RNG_PICK(r, whole_names);
			sb_adds(&name, w->shown);
			sb_adds(&local, w->ascii);
			sb_adds(&handle, w->ascii);
		} else {
			const struct name_part *f = &RNG_PICK(r, first_names), *l = &RNG_PICK(r, last_names);
			sb_addf(&name, "%s %s", f->shown, l->shown);
			sb_addf(&local, "%s.%s", f->ascii, l->ascii);
			sb_addf(&handle, "%s%c", f->ascii, l->ascii[0]);
		}
		if (attempt) {
			sb_addf(&local, "%u", attempt + 1);
			sb_addf(&handle, "%u", attempt + 1);
		}
		sb_reset(&email);
		sb_addf(&email, "%s@acme.example", local.ptr);
		if (!email_taken(c, email.ptr, handle.ptr))
			break;
	}
	struct person *p = add_person(c, cap);
	p->key = xmalloc(16);
	snprintf(p->key, 16, "p%03zu", c->n);
	p->name = sb_detach(&name);
	p->email = sb_detach(&email);
	p->handle = sb_detach(&handle);
	p->team = team;
	p->tz = RNG_PICK(r, zones);
	p->weight = (unsigned)rng_between(r, 1, 4);
	p->sre = team == TEAM_PLATFORM && rng_permille(r, 250);
	if (rng_permille(r, 250)) {
		p->joined = at_pm(start, end, rng_between(r, 50, 900));
	} else {
		p->joined = day_of(start) - (int64_t)rng_between(r, 30, 2000) * DAY;
	}
	p->from = p->joined > start ? p->joined : start;
	if (rng_permille(r, 150)) {
		int64_t left = at_pm(start, end, rng_between(r, 100, 950));
		if (left > p->from + 90 * DAY)
			p->left = p->to = left;
	}
	if (rng_permille(r, 80)) {
		char *dot = strchr(local.ptr ? local.ptr : "", '.');
		p->old_email = xmalloc(64 + local.len);
		snprintf(p->old_email, 64 + local.len, "%.*s@old-laptop.local",
		         dot ? (int)(dot - local.ptr) : (int)local.len, local.ptr);
		p->renamed_at = p->from + (p->to == INT64_MAX ? end - p->from : p->to - p->from) / 4;
	}
	sb_free(&local);
}

void cast_build(struct cast *c, struct rng *r, unsigned scale, int64_t start, int64_t end)
{
	size_t cap = 0;
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < COUNT_OF(core_cast); i++) {
		const struct core *k = &core_cast[i];
		struct person *p = add_person(c, &cap);
		p->key = xmalloc(16);
		snprintf(p->key, 16, "p%03zu", c->n);
		p->name = xstrdup(k->name);
		p->email = xmalloc(strlen(k->local) + 16);
		sprintf(p->email, "%s@acme.example", k->local);
		p->handle = xstrdup(k->handle);
		p->team = k->team;
		p->tz = k->tz;
		p->weight = k->weight;
		p->lead = k->flags & LEAD;
		p->sre = k->flags & SRE;
		p->joined = k->days_before ? day_of(start) - (int64_t)k->days_before * DAY
		                           : at_pm(start, end, k->join_pm);
		p->from = p->joined > start ? p->joined : start;
		if (k->left_pm)
			p->left = p->to = at_pm(start, end, k->left_pm);
		if (k->old_email) {
			p->old_name = k->old_name ? xstrdup(k->old_name) : NULL;
			p->old_email = xstrdup(k->old_email);
			p->renamed_at = at_pm(start, end, AT_MAILMAP - 40);
		}
	}
	for (unsigned s = 1; s < scale; s++)
		for (int t = 0; t < NTEAMS; t++)
			for (int k = 0; k < 5; k++)
				add_generated(c, &cap, r, t, start, end);
	for (size_t i = 0; i < COUNT_OF(contractors); i++) {
		const struct contractor *k = &contractors[i];
		struct person *p = add_person(c, &cap);
		p->name = xstrdup(k->name);
		p->email = xstrdup(k->email);
		p->tz = k->tz;
		p->weight = 3;
		p->joined = p->from = at_pm(start, end, k->from_pm);
		p->to = at_pm(start, end, k->to_pm);
		for (size_t a = 0; a < nareas; a++)
			if (!strcmp(areas[a].dir, k->area))
				p->home_area = (int)a;
	}
	for (int b = 0; b < NBOTS; b++) {
		struct person *p = add_person(c, &cap);
		p->name = xstrdup(bot_ids[b].name);
		p->email = xstrdup(bot_ids[b].email);
		p->bot = true;
		p->from = start;
		if (bot_ids[b].on_roster) {
			p->key = xstrdup("b001");
			p->handle = xstrdup("dependabot");
		}
		c->bots[b] = (int)(c->n - 1);
	}
}

void cast_free(struct cast *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct person *p = &c->p[i];
		free(p->key);
		free(p->name);
		free(p->email);
		free(p->old_name);
		free(p->old_email);
		free(p->handle);
	}
	free(c->p);
	memset(c, 0, sizeof(*c));
}

bool person_active(const struct person *p, int64_t t)
{
	return t >= p->from && t < p->to;
}

int cast_find(const struct cast *c, const char *email)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->p[i].email, email))
			return (int)i;
	return -1;
}

void roster_csv(const struct cast *c, struct strbuf *out)
{
	sb_adds(out, "person_id,name,emails,team,joined_on,left_on,is_bot,handles\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct person *p = &c->p[i];
		if (!p->key)
			continue;
		char joined[11] = "", left[11] = "";
		if (!p->bot)
			time_format_date(p->joined, joined);
		if (p->left)
			time_format_date(p->left, left);
		csv_field(out, p->key);
		sb_addc(out, ',');
		csv_field(out, p->name);
		sb_addc(out, ',');
		csv_field(out, p->email);
		sb_addf(out, ",%s,%s,%s,%s,", p->team >= 0 ? team_names[p->team] : "", joined, left,
		        p->bot ? "true" : "false");
		if (p->handle)
			sb_addf(out, "@%s", p->handle);
		sb_addc(out, '\n');
	}
}

void mailmap_text(const struct cast *c, struct strbuf *out)
{
	sb_adds(out, "# Canonical names and addresses (git shortlog, git blame, carry).\n"
	             "# Format: Proper Name <proper@email> [Commit Name] <commit@email>\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct person *p = &c->p[i];
		if (!p->old_email)
			continue;
		sb_addf(out, "%s <%s>", p->name, p->email);
		if (p->old_name)
			sb_addf(out, " %s", p->old_name);
		sb_addf(out, " <%s>\n", p->old_email);
	}
}
