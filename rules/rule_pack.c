/*
 * rule_pack.c — reading rule packs (docs/rules.md) into a rule set.
 *
 * Every problem is reported, each as "file:line: message"; a set with any
 * problem is not returned.
 */
#include "rule_priv.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "validate.h"

static uint64_t set_serial;	/* the last rule_set_serial() given */

#define MAX_RULES 4096
#define MAX_LIST 64

static const char *const field_names[] = {
	[F_TITLE] = "title", [F_NARRATIVE] = "narrative",
	[F_TARGET_SYSTEM] = "ai_intrusion.target_system",
	[F_TARGET_OWNER] = "ai_intrusion.target_owner", [F_AGENT] = "ai_intrusion.agent",
	[F_MODEL] = "ai_intrusion.model", [F_DATA_ACCESSED] = "ai_intrusion.data_accessed",
	[F_IPS] = "indicators.ips", [F_USER_AGENTS] = "indicators.user_agents",
	[F_ACCOUNTS] = "indicators.accounts", [F_DOMAINS] = "indicators.domains",
	[F_PLATFORM_NAME] = "take_it_down.platforms.name",
	[F_PLATFORM_URL] = "take_it_down.platforms.url",
	[F_CONTENT_HASHES] = "take_it_down.content_hashes", [F_EVIDENCE_PATH] = "evidence.path",
	[F_NOTE_TEXT] = "note.text",
};
_Static_assert(sizeof(field_names) / sizeof(field_names[0]) == F__MAX, "field names");

static const char *const severity_names[] = {
	[SEV_INFO] = "info", [SEV_LOW] = "low", [SEV_MEDIUM] = "medium", [SEV_HIGH] = "high",
	[SEV_CRITICAL] = "critical",
};
_Static_assert(sizeof(severity_names) / sizeof(severity_names[0]) == SEV__MAX, "severities");

const char *
rule_field_name(enum rule_field f)
{
	return (unsigned)f < F__MAX ? field_names[f] : "unknown";
}

const char *
rule_severity_name(enum rule_severity s)
{
	return (unsigned)s < SEV__MAX ? severity_names[s] : "unknown";
}

void
rule_error(struct rule_errors *errs, const char *file, int line, const char *fmt, ...)
{
	char msg[600], full[900];
	va_list ap;

	if (errs == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", file, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", file, msg);
	if (errs->n == errs->cap) {
		size_t cap = errs->cap != 0 ? errs->cap * 2 : 16;
		char **m = realloc(errs->msg, cap * sizeof(*m));

		if (m == NULL)
			return;
		errs->msg = m;
		errs->cap = cap;
	}
	if ((errs->msg[errs->n] = strdup(full)) != NULL)
		errs->n++;
}

const char *
rule_line_problem(const char *line, size_t len)
{
	if (memchr(line, '\0', len) != NULL)
		return "a NUL byte in the line";
	if (!v_utf8(line, len))
		return "not valid UTF-8";	/* it would reach JSON: GET /api/rules, flags */
	return NULL;
}

void
rule_errors_free(struct rule_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	memset(e, 0, sizeof(*e));
}

/* A growing list of strings in the set's arena. */
struct list {
	const char *v[MAX_LIST];
	int line[MAX_LIST];
	size_t n;
};

/* A rule as it is read, before it is checked and compiled. */
struct draft {
	struct rule r;
	int seen_severity, seen_fields;
	int unreadable;		/* a line of it was refused: nothing more is said of it */
	struct list match, nomatch, literals;
	const char *kinds_s, *fields_s;
	int pattern_line, indicator_line;
};

struct loader {
	struct rule_set *rs;
	struct rule_errors *errs;
	const char *file;	/* in the arena */
	const char *pack;
	size_t cap;
	int over_cap;		/* "more than MAX_RULES rules" was said */
	const char **seen;	/* every id met, compiled or not */
	size_t n_seen;
};

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
parse_fields(const char *s, uint32_t *out)
{
	char buf[1024], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *t = trim(tok);
		size_t n = strlen(t);
		int any = 0;

		if (n == 0)
			return -1;
		for (int f = 0; f < F__MAX; f++) {
			int hit = t[n - 1] == '*' ? strncmp(field_names[f], t, n - 1) == 0 :
			    strcmp(field_names[f], t) == 0;

			if (hit) {
				*out |= 1u << f;
				any = 1;
			}
		}
		if (!any)
			return -1;
	}
	return *out != 0 ? 0 : -1;
}

static int
parse_kinds(const char *s, unsigned *out)
{
	char buf[256], *save = NULL, *tok;
	enum case_kind k;

	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *t = trim(tok);

		if (strcmp(t, "*") == 0)
			*out |= (1u << KIND__MAX) - 1;
		else if (kind_parse(t, &k) == 0)
			*out |= 1u << k;
		else
			return -1;
	}
	return *out != 0 ? 0 : -1;
}

/* strcasestr for ASCII literals. */
static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static int
has_literal(const struct list *literals, const char *text)
{
	for (size_t k = 0; k < literals->n; k++)
		if (contains_ci(text, literals->v[k]))
			return 1;
	return 0;
}

static const char **
list_copy(struct loader *ld, const struct list *l, int **lines)
{
	const char **v = arena_alloc(&ld->rs->mem, (l->n + 1) * sizeof(*v));
	int *ln = arena_alloc(&ld->rs->mem, (l->n + 1) * sizeof(*ln));

	if (v == NULL || ln == NULL)
		return NULL;
	memcpy(v, l->v, l->n * sizeof(*v));
	memcpy(ln, l->line, l->n * sizeof(*ln));
	if (lines != NULL)
		*lines = ln;
	return v;
}

/* Check a finished draft, compile it and add it to the set. */
static void
draft_finish(struct loader *ld, struct draft *d)
{
	struct rule *r = &d->r;
	int errcode, bad = 0;
	long risky;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	char msg[256];

	if (r->id == NULL || d->unreadable)
		return;
#define NEED(cond, ...) do { if (!(cond)) { rule_error(ld->errs, ld->file, r->line, __VA_ARGS__); bad = 1; } } while (0)
	NEED(r->description != NULL, "rule %s: no description", r->id);
	NEED(d->seen_severity, "rule %s: no severity", r->id);
	NEED(d->seen_fields, "rule %s: no fields", r->id);
	NEED(r->pattern != NULL, "rule %s: no pattern", r->id);
	NEED(d->match.n > 0, "rule %s: no match: example", r->id);
	NEED(d->nomatch.n > 0, "rule %s: no no-match: example", r->id);
	if (r->indicator != NULL && !rule_indicator_type_known(r->indicator)) {
		rule_error(ld->errs, ld->file, d->indicator_line,
		    "rule %s: unknown indicator type '%s'", r->id, r->indicator);
		bad = 1;
	}
	NEED(r->indicator == NULL || strcmp(r->indicator, "api_key") != 0 || r->provider != NULL,
	    "rule %s: an api_key rule needs a provider", r->id);
	if (r->kinds == 0)
		r->kinds = (1u << KIND__MAX) - 1;
	for (size_t i = 0; d->literals.n > 0 && i < d->match.n; i++)
		if (!has_literal(&d->literals, d->match.v[i])) {
			rule_error(ld->errs, ld->file, d->match.line[i],
			    "rule %s: this example contains none of the literals", r->id);
			bad = 1;
		}
#undef NEED
	if (r->pattern == NULL)
		return;
	code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &errcode,
	    &erroff, NULL);
	if (code == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, sizeof(msg));
		rule_error(ld->errs, ld->file, d->pattern_line,
		    "rule %s: pattern does not compile at offset %zu: %s", r->id, (size_t)erroff, msg);
		return;
	}
	if ((risky = rule_pattern_risky(r->pattern)) >= 0) {
		rule_error(ld->errs, ld->file, d->pattern_line, "rule %s: the group at offset %ld"
		    " is repeated and can match the same text in many ways, so a failing match"
		    " backtracks without end: make the repetition inside it possessive (a++) or"
		    " the group atomic ((?>...))", r->id, risky);
		bad = 1;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* else the interpreter runs it */
	errcode = pcre2_substring_number_from_name(code, (PCRE2_SPTR) "value");
	r->value_group = errcode > 0 ? errcode : 0;
	if (bad || ld->rs->n >= ld->cap) {
		pcre2_code_free(code);
		if (!bad && !ld->over_cap)
			rule_error(ld->errs, ld->file, r->line,
			    "more than %d rules (the limit of a rule set, all its packs together)",
			    MAX_RULES);
		ld->over_cap |= !bad;
		return;
	}
	r->code = code;
	r->pack = ld->pack;
	r->file = ld->file;
	r->examples_match = list_copy(ld, &d->match, &r->match_lines);
	r->examples_nomatch = list_copy(ld, &d->nomatch, &r->nomatch_lines);
	r->literals = list_copy(ld, &d->literals, NULL);
	r->n_match = d->match.n;
	r->n_nomatch = d->nomatch.n;
	r->n_literals = d->literals.n;
	ld->rs->rules[ld->rs->n++] = *r;
}

static int
list_add(struct loader *ld, struct list *l, const char *v, int line)
{
	if (l->n >= MAX_LIST) {
		rule_error(ld->errs, ld->file, line, "more than %d values for one key", MAX_LIST);
		return -1;
	}
	l->v[l->n] = v;
	l->line[l->n++] = line;
	return 0;
}

static void
add_literals(struct loader *ld, struct draft *d, char *v, int line)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(v, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *t = trim(tok);

		if (*t == '\0') {
			rule_error(ld->errs, ld->file, line, "rule %s: an empty literal", d->r.id);
			continue;
		}
		for (char *c = t; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		(void)list_add(ld, &d->literals, arena_strdup(&ld->rs->mem, t), line);
	}
}

/* One "key: value" line of a rule; value is in the arena. */
static void
rule_key(struct loader *ld, struct draft *d, const char *key, char *v, int line)
{
	struct rule *r = &d->r;
	const char **single = NULL;

	if (strcmp(key, "description") == 0)
		single = &r->description;
	else if (strcmp(key, "statute") == 0)
		single = &r->statute;
	else if (strcmp(key, "pattern") == 0) {
		single = &r->pattern;
		d->pattern_line = line;
	} else if (strcmp(key, "indicator") == 0) {
		single = &r->indicator;
		d->indicator_line = line;
	} else if (strcmp(key, "provider") == 0)
		single = &r->provider;
	if (single != NULL) {
		if (*single != NULL)
			rule_error(ld->errs, ld->file, line, "rule %s: %s given twice", r->id, key);
		*single = v;
		return;
	}
	if (strcmp(key, "severity") == 0) {
		int s = -1;

		for (int i = 0; i < SEV__MAX; i++)
			if (strcmp(v, severity_names[i]) == 0)
				s = i;
		if (s < 0)
			rule_error(ld->errs, ld->file, line,
			    "rule %s: severity must be info, low, medium, high or critical", r->id);
		r->severity = s < 0 ? SEV_INFO : (enum rule_severity)s;
		d->seen_severity = 1;
	} else if (strcmp(key, "kinds") == 0) {
		if (parse_kinds(v, &r->kinds) != 0)
			rule_error(ld->errs, ld->file, line,
			    "rule %s: kinds are ai_intrusion, take_it_down or *", r->id);
	} else if (strcmp(key, "fields") == 0) {
		if (parse_fields(v, &r->fields) != 0)
			rule_error(ld->errs, ld->file, line, "rule %s: unknown field in '%s'", r->id, v);
		d->seen_fields = 1;
	} else if (strcmp(key, "literals") == 0) {
		add_literals(ld, d, v, line);
	} else if (strcmp(key, "match") == 0) {
		(void)list_add(ld, &d->match, v, line);
	} else if (strcmp(key, "no-match") == 0) {
		(void)list_add(ld, &d->nomatch, v, line);
	} else {
		rule_error(ld->errs, ld->file, line, "rule %s: unknown key '%s'", r->id, key);
	}
}

/* 1 if id was met before; else remembers it. */
static int
id_taken(struct loader *ld, const char *id)
{
	for (size_t i = 0; i < ld->n_seen; i++)
		if (strcmp(ld->seen[i], id) == 0)
			return 1;
	if (ld->n_seen < MAX_RULES)
		ld->seen[ld->n_seen++] = arena_strdup(&ld->rs->mem, id);
	return 0;
}

static void
load_pack(struct loader *ld, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *s, *colon, *v;
	const char *why;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, in_rule = 0, header_unreadable = 0;
	struct draft *d = calloc(1, sizeof(*d));

	ld->file = arena_strdup(&ld->rs->mem, path);
	ld->pack = NULL;
	if (fp == NULL || d == NULL || ld->file == NULL) {
		rule_error(ld->errs, path, 0, "cannot read the pack");
		goto out;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if ((why = rule_line_problem(line, (size_t)len)) != NULL) {
			/* said once: the rule (or header) it belongs to is not judged further */
			rule_error(ld->errs, path, lineno, "%s", why);
			if (line[strspn(line, " \t")] == '[') {
				draft_finish(ld, d);
				memset(d, 0, sizeof(*d));
				in_rule = 1;
			}
			d->unreadable = 1;
			header_unreadable |= !in_rule;
			continue;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			size_t n = strlen(s);

			draft_finish(ld, d);
			memset(d, 0, sizeof(*d));
			in_rule = 1;
			if (n < 3 || s[n - 1] != ']') {
				rule_error(ld->errs, path, lineno, "a rule starts with [id]");
				continue;
			}
			s[n - 1] = '\0';
			s++;
			if (v_rule_id(s, RULE_ID_MAX) != 0)
				rule_error(ld->errs, path, lineno,
				    "rule id '%s': use a-z, 0-9, '.', '_' and '-'", s);
			else if (id_taken(ld, s))
				rule_error(ld->errs, path, lineno, "duplicate rule id '%s'", s);
			d->r.id = arena_strdup(&ld->rs->mem, s);
			d->r.line = lineno;
			continue;
		}
		if ((colon = strchr(s, ':')) == NULL) {
			rule_error(ld->errs, path, lineno, "expected 'key: value'");
			continue;
		}
		*colon = '\0';
		v = arena_strdup(&ld->rs->mem, trim(colon + 1));
		if (v == NULL)
			break;
		s = trim(s);
		if (!in_rule) {
			if (strcmp(s, "pack") == 0)
				ld->pack = v;
			else if (strcmp(s, "title") != 0 && strcmp(s, "source") != 0)
				rule_error(ld->errs, path, lineno, "unknown pack key '%s'", s);
			continue;
		}
		if (d->r.id == NULL)
			continue;	/* the bad [id] line was reported */
		rule_key(ld, d, s, v, lineno);
	}
	if (ferror(fp))
		rule_error(ld->errs, path, lineno + 1, "cannot read the pack");
	draft_finish(ld, d);
	if (ld->pack == NULL && !header_unreadable)
		rule_error(ld->errs, path, 1, "the pack has no 'pack:' name");
out:
	if (fp != NULL)
		fclose(fp);
	free(line);
	free(d);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fill rs->by_field with the rules of each (field, kind), in load order. */
static int
index_fields(struct rule_set *rs)
{
	for (int f = 0; f < F__MAX; f++)
		for (int k = 0; k < KIND__MAX; k++) {
			uint32_t *v = arena_alloc(&rs->mem, (rs->n + 1) * sizeof(*v));
			size_t n = 0;

			if (v == NULL)
				return -1;
			for (size_t i = 0; i < rs->n; i++)
				if ((rs->rules[i].fields & (1u << f)) && (rs->rules[i].kinds & (1u << k)))
					v[n++] = (uint32_t)i;
			rs->by_field[f][k] = v;
			rs->n_by_field[f][k] = n;
		}
	return 0;
}

struct rule_set *
rule_set_load(const char *path, struct rule_errors *errs)
{
	struct rule_set *rs = calloc(1, sizeof(*rs));
	struct loader ld = { .rs = rs, .errs = errs, .cap = MAX_RULES };
	size_t before = errs->n, nfiles = 0;
	char **files = NULL, noise[4096] = "";
	struct stat sb;

	if (rs == NULL)
		return NULL;
	arena_init(&rs->mem, 0);
	rs->refs = 1;
	rs->serial = __atomic_add_fetch(&set_serial, 1, __ATOMIC_RELAXED);
	rs->path = strdup(path);
	rs->rules = calloc(MAX_RULES, sizeof(*rs->rules));
	ld.seen = calloc(MAX_RULES, sizeof(*ld.seen));
	if (rs->path == NULL || rs->rules == NULL || ld.seen == NULL) {
		rule_error(errs, path, 0, "out of memory");
		goto fail;
	}
	if (stat(path, &sb) != 0) {
		rule_error(errs, path, 0, "no such file or directory");
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *de;

		while (dir != NULL && (de = readdir(dir)) != NULL) {
			size_t n = strlen(de->d_name);
			char **nf;

			if (n < 7 || strcmp(de->d_name + n - 6, ".rules") != 0 || de->d_name[0] == '.')
				continue;
			if ((nf = realloc(files, (nfiles + 1) * sizeof(*nf))) == NULL)
				break;
			files = nf;
			n += strlen(path) + 2;
			if ((files[nfiles] = malloc(n)) != NULL) {
				snprintf(files[nfiles], n, "%s/%s", path, de->d_name);
				nfiles++;
			}
		}
		if (dir != NULL)
			closedir(dir);
		if (nfiles > 1)
			qsort(files, nfiles, sizeof(*files), by_name);
		snprintf(noise, sizeof(noise), "%s/noise.txt", path);
	} else if ((files = malloc(sizeof(*files))) != NULL &&
	    (files[0] = strdup(path)) != NULL) {
		nfiles = 1;
	}
	if (nfiles == 0)
		rule_error(errs, path, 0, "no *.rules pack here");
	for (size_t i = 0; i < nfiles; i++)
		load_pack(&ld, files[i]);
	if (noise[0] != '\0' && stat(noise, &sb) == 0)
		rule_noise_load(rs, noise, errs);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(ld.seen);
	ld.seen = NULL;
	if (errs->n != before)
		goto fail;
	if (index_fields(rs) != 0 || rule_ac_build(rs) != 0) {
		rule_error(errs, path, 0, "out of memory");
		goto fail;
	}
	return rs;
fail:
	free(ld.seen);
	rule_set_unref(rs);
	return NULL;
}
