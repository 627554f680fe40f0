/*
 * Unit tests: the rules engine — packs refused with file:line, scanning with
 * the prefilter and limits, indicator normal forms, noise, key redaction,
 * and the shipped packs' own examples and hostile lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "findings.h"
#include "rule.h"
#include "rule_priv.h"
#include "unit.h"

static char good[512], broken[512], shipped[512];

static void
paths(void)
{
	snprintf(good, sizeof(good), "%s/fixtures/rules/good", AIM_SOURCE_DIR);
	snprintf(broken, sizeof(broken), "%s/fixtures/rules/broken", AIM_SOURCE_DIR);
	snprintf(shipped, sizeof(shipped), "%s/rules/packs", AIM_SOURCE_DIR);
}

static struct rule_set *
load(const char *path)
{
	struct rule_errors errs = { 0 };
	struct rule_set *rs = rule_set_load(path, &errs);

	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	ck_assert_msg(rs != NULL, "%s does not load", path);
	rule_errors_free(&errs);
	return rs;
}

START_TEST(broken_pack_is_refused_with_every_problem)
{
	struct rule_errors errs = { 0 };
	static const char *const expected[] = { "broken.rules:4: rule b.nopattern: no pattern",
		"broken.rules:15: rule b.badregex: pattern does not compile",
		"broken.rules:19: duplicate rule id 'b.badregex'",
		"broken.rules:29: rule b.keys: severity", "broken.rules:30: rule b.keys: unknown field",
		"broken.rules:31: rule b.keys: unknown key 'colour'",
		"broken.rules:42: rule b.literal: this example contains none of the literals",
		"rule b.noexamples: no match: example" };

	paths();
	ck_assert_ptr_null(rule_set_load(broken, &errs));
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		int found = 0;

		for (size_t k = 0; k < errs.n; k++)
			found |= strstr(errs.msg[k], expected[i]) != NULL;
		ck_assert_msg(found, "missing problem: %s", expected[i]);
	}
	rule_errors_free(&errs);
}
END_TEST

/* ---- packs written by the test: bytes a text editor would not make ---- */

static char tmpdir[64];

/* Write len bytes as tmpdir/name; returns the path (static storage, one at a time). */
static const char *
pack_file(const char *name, const char *bytes, size_t len)
{
	static char path[128];
	FILE *fp;

	if (tmpdir[0] == '\0') {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/aimcase-rules-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(bytes, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* Load path, which must fail with exactly the problems "path:LINE: MESSAGE" given. */
static void
expect_problems(const char *path, const char *const *want, size_t n_want)
{
	struct rule_errors errs = { 0 };
	char line[512];

	ck_assert_ptr_null(rule_set_load(path, &errs));
	for (size_t i = 0; errs.n != n_want && i < errs.n; i++)
		fprintf(stderr, "  %s\n", errs.msg[i]);
	ck_assert_uint_eq(errs.n, n_want);
	for (size_t i = 0; i < n_want; i++) {
		snprintf(line, sizeof(line), "%s:%s", path, want[i]);
		ck_assert_str_eq(errs.msg[i], line);
	}
	rule_errors_free(&errs);
}

static void
pack_files_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	tmpdir[0] = '\0';
}

#define RULE_BODY "severity: low\nfields: narrative\npattern: cafe\nmatch: cafe\nno-match: tea\n"

START_TEST(lines_must_be_utf8_without_nul)
{
	static const char latin1[] = "pack: latin\ntitle: caf\xe9\n\n[l.one]\ndescription: caf\xe9\n"
	    RULE_BODY "statute: \xa7 1030\n";
	/* overlong '/', a surrogate, past U+10FFFF, a cut sequence; then U+10FFFF itself is fine */
	static const char strict[] = "pack: strict\n\n[s.one]\ndescription: \xc0\xaf\n" RULE_BODY
	    "[s.two]\ndescription: \xed\xa0\x80\n" RULE_BODY "[s.three]\ndescription: \xf4\x90\x80\x80\n"
	    RULE_BODY "[s.four]\ndescription: \xe6\x97\n" RULE_BODY "[s.ok]\ndescription: \xf4\x8f\xbf\xbf"
	    " \xe6\x97\xa5\n" RULE_BODY;
	/* "pattern: tri<NUL>pword" would otherwise compile as "tri" */
	static const char nul[] = "pack: nul\n\n[n.one]\ndescription: d\nseverity: low\n"
	    "fields: narrative\npattern: tri\0pword\nmatch: tripword\nno-match: x\n";
	/* a bad [id] line: the rule's other lines are not judged, the next rule is */
	static const char id[] = "pack: id\n\n[i.bad\xff]\ndescription: d\n\n[i.next]\ndescription: d\n";
	static const char *const want_latin1[] = { "2: not valid UTF-8", "5: not valid UTF-8",
		"11: not valid UTF-8" };
	static const char *const want_strict[] = { "4: not valid UTF-8", "11: not valid UTF-8",
		"18: not valid UTF-8", "25: not valid UTF-8" };
	static const char *const want_nul[] = { "7: a NUL byte in the line" };
	static const char *const want_id[] = { "3: not valid UTF-8",
		"6: rule i.next: no severity", "6: rule i.next: no fields",
		"6: rule i.next: no pattern", "6: rule i.next: no match: example",
		"6: rule i.next: no no-match: example" };

	expect_problems(pack_file("latin1.rules", latin1, sizeof(latin1) - 1), want_latin1, 3);
	expect_problems(pack_file("strict.rules", strict, sizeof(strict) - 1), want_strict, 4);
	expect_problems(pack_file("nul.rules", nul, sizeof(nul) - 1), want_nul, 1);
	expect_problems(pack_file("id.rules", id, sizeof(id) - 1), want_id, 6);
	pack_files_remove();
}
END_TEST

START_TEST(problems_at_the_right_line_and_said_once)
{
	static const char ind[] = "pack: ind\n\n[x.ind]\ndescription: d\nindicator: ssn\n" RULE_BODY;
	static const char *const want_ind[] = { "5: rule x.ind: unknown indicator type 'ssn'" };
	static const char *const want_many[] = {
		"32771: more than 4096 rules (the limit of a rule set, all its packs together)" };
	size_t cap = 5000 * 100, n = 0;
	char *many = malloc(cap);

	expect_problems(pack_file("ind.rules", ind, sizeof(ind) - 1), want_ind, 1);
	/* 5,000 rules of 8 lines after 2: one line for the limit, at rule 4,097 (2 + 4096 * 8 + 1) */
	ck_assert_ptr_nonnull(many);
	n = (size_t)snprintf(many, cap, "pack: many\n\n");
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(many + n, cap - n, "[m.%d]\ndescription: d\nseverity: low\n"
		    "fields: narrative\npattern: w%dx\nmatch: w%dx\nno-match: y\n\n", i, i, i);
	ck_assert_uint_lt(n, cap);
	expect_problems(pack_file("many.rules", many, n), want_many, 1);
	free(many);
	pack_files_remove();
}
END_TEST

/* The static check of rule_lint.c: the classic shapes, and what is not one. */
START_TEST(repeated_groups_that_backtrack)
{
	static const struct {
		const char *pattern;
		long at;	/* the offset reported, -1 none */
	} cases[] = {
		{ "(a+)+", 0 }, { "^(a|aa)+$", 1 }, { "x(\\w+\\s?)*$", 1 }, { "(a*)*", 0 },
		{ "(?:x*y?)+", 0 }, { "((a+))+", 0 }, { "(a+){2,}", 0 }, { "(a+){1,100}", 0 },
		{ "(?<n>\\d+)+", 0 }, { "(?:foo|foobar)*", 0 }, { "(?:a\\w|ab)+", 0 },
		{ "(?i)(?:a|a)+", 4 }, { "((?:a|b)+c?)*", 0 }, { "(?x) ( a + ) +", 5 },
		/* not repeated many times, or something in it matches once, or it never gives back */
		{ "(a+){1,99}", -1 }, { "(?:\\.\\d{1,8}){0,4}", -1 }, { "\\w+(?:\\.\\w+)+", -1 },
		{ "(?:[a-z]+\\.)+com", -1 }, { "(a++)+", -1 }, { "(?>a+)+", -1 }, { "(a+)++", -1 },
		{ "(?:ab|ac)+", -1 }, { "(?:foo|bar)+", -1 }, { "(a|b|c)*d", -1 },
		{ "(?:\xc3\xa9|\xc3\xa8)+", -1 }, { "(?:\\Qab\\E|ac)+", -1 }, { "(?:\\Qab\\E|ab)+", 0 },
		{ "(?x-i) ( a + ) +", 7 }, { "(?x)(?-x) ( a + ) +", -1 },
		/* not groups: a class, escaped parentheses, quoted text, a lookahead */
		{ "[(a+)+]", -1 }, { "\\(a+\\)+", -1 }, { "\\Q(a+)+\\E", -1 }, { "(?=a+)+x", -1 },
		/* not seen (the run-time limits stop these): a class overlapping a literal */
		{ "^(\\w|a)+$", -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(rule_pattern_risky(cases[i].pattern) == cases[i].at, "%s: %ld",
		    cases[i].pattern, rule_pattern_risky(cases[i].pattern));
}
END_TEST

START_TEST(an_example_that_hits_a_limit_fails)
{
	/* neither a match (the match: example) nor a no-match (the no-match: one) */
	static const char pack[] = "pack: lim\n\n[l.cat]\ndescription: d\nseverity: low\n"
	    "fields: narrative\npattern: ^(\\w|a)+$\nmatch: aaa\n"
	    "match: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\nno-match: -\n"
	    "no-match: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n";
	struct rule_errors errs = { 0 };
	const char *path = pack_file("lim.rules", pack, sizeof(pack) - 1);
	struct rule_set *rs = load(path);
	char want[256];

	ck_assert_uint_eq(rule_set_test(rs, &errs), 2);
	ck_assert_uint_eq(errs.n, 2);
	snprintf(want, sizeof(want), "%s:9: rule l.cat: hits the PCRE2 match limit on its match:"
	    " example", path);
	ck_assert_str_eq(errs.msg[0], want);
	snprintf(want, sizeof(want), "%s:11: rule l.cat: hits the PCRE2 match limit on its"
	    " no-match: example", path);
	ck_assert_str_eq(errs.msg[1], want);
	rule_errors_free(&errs);
	rule_set_unref(rs);
	pack_files_remove();
}
END_TEST

struct hits {
	char ids[32][64];
	int n, limits;
	char values[32][RULE_VALUE_MAX];
	int n_values;
	const char *text;
};

static int
collect(void *ctx, const struct rule_hit *h)
{
	struct hits *c = ctx;

	if (h->limit)
		c->limits++;
	if (h->count <= 1 && c->n < 32)
		snprintf(c->ids[c->n++], 64, "%s", h->rule->id);
	if (h->rule->indicator != NULL && !h->limit && c->n_values < 32)
		(void)rule_indicator_normalize(h->rule->indicator, h->rule->provider,
		    c->text + h->value_start, h->value_end - h->value_start, c->values[c->n_values++]);
	return 0;
}

static int
has(const struct hits *c, const char *id)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->ids[i], id) == 0)
			return 1;
	return 0;
}

START_TEST(scan_flags_and_extracts)
{
	struct rule_set *rs;
	struct rule_scratch *sc = rule_scratch_new();
	struct hits c = { 0 };
	const char *text = "At 03:12 GPTBot/1.2 from 203.0.113.45 and 198.51.100.7 pulled records; "
	    "Chrome/128.0.0.0 is not an address. Mail Extort.Crew@Example.NET.";

	paths();
	rs = load(good);
	c.text = text;
	ck_assert_int_eq(rule_scan(rs, sc, F_NARRATIVE, KIND_AI_INTRUSION, text, strlen(text),
	    collect, &c), 3);
	ck_assert(has(&c, "t.ua.gptbot") && has(&c, "t.ip") && has(&c, "t.email"));
	ck_assert_int_eq(c.n_values, 4);
	ck_assert_str_eq(c.values[0], "GPTBot/1.2");
	ck_assert_str_eq(c.values[1], "203.0.113.45");
	ck_assert_str_eq(c.values[2], "198.51.100.7");
	ck_assert_str_eq(c.values[3], "extort.crew@example.net");
	/* kinds and fields: the minor rule is for take_it_down narratives only */
	memset(&c, 0, sizeof(c));
	c.text = "the victim is a 15-year-old";
	ck_assert_int_eq(rule_scan(rs, sc, F_NARRATIVE, KIND_AI_INTRUSION, c.text, strlen(c.text),
	    collect, &c), 0);
	ck_assert_int_eq(rule_scan(rs, sc, F_NARRATIVE, KIND_TAKE_IT_DOWN, c.text, strlen(c.text),
	    collect, &c), 1);
	ck_assert_int_eq(rule_scan(rs, sc, F_EVIDENCE_PATH, KIND_TAKE_IT_DOWN, c.text,
	    strlen(c.text), collect, &c), 0);
	rule_scratch_free(sc);
	rule_set_unref(rs);
}
END_TEST

START_TEST(limits_stop_a_runaway_pattern)
{
	struct rule_set *rs;
	struct rule_scratch *sc = rule_scratch_new();
	struct hits c = { 0 };
	char *text = malloc(100001);
	clock_t t0;

	paths();
	rs = load(good);
	memset(text, 'a', 100000);
	text[99999] = '!';	/* t.slow, ^(\w|a)+$, fails only at the end, after every way */
	text[100000] = '\0';
	c.text = text;
	t0 = clock();
	ck_assert_int_eq(rule_scan(rs, sc, F_NOTE_TEXT, KIND_AI_INTRUSION, text, 100000, collect,
	    &c), 1);
	ck_assert_int_eq(c.limits, 1);	/* recorded, and the scan went on */
	ck_assert_msg((clock() - t0) < CLOCKS_PER_SEC, "a limit must stop it quickly");
	free(text);
	rule_scratch_free(sc);
	rule_set_unref(rs);
}
END_TEST

START_TEST(indicator_normal_forms)
{
	char out[RULE_VALUE_MAX];

	ck_assert_int_eq(rule_indicator_normalize("ip", NULL, "2001:DB8:0::1", 13, out), 0);
	ck_assert_str_eq(out, "2001:db8::1");
	ck_assert_int_eq(rule_indicator_normalize("domain", NULL, "Relay.Example.NET.", 18, out), 0);
	ck_assert_str_eq(out, "relay.example.net");
	ck_assert_int_eq(rule_indicator_normalize("cve", NULL, "cve-2024-3400", 13, out), 0);
	ck_assert_str_eq(out, "CVE-2024-3400");
	ck_assert_int_eq(rule_indicator_normalize("md5", NULL, "B1946AC92492D2347C6235B4D2611184",
	    32, out), 0);
	ck_assert_str_eq(out, "b1946ac92492d2347c6235b4d2611184");
	ck_assert_int_eq(rule_indicator_normalize("md5", NULL, "B1946AC9", 8, out), -1);
	ck_assert_int_eq(rule_indicator_normalize("api_key", "aws", "AKIAIOSFODNN7EXAMPLE", 20,
	    out), 0);
	ck_assert_int_eq(strncmp(out, "aws:", 4), 0);
	ck_assert_int_eq(strlen(out), 20);
	ck_assert_ptr_null(strstr(out, "AKIA"));
	ck_assert_int_eq(rule_indicator_normalize("url", NULL, "HTTPS://PixelBoard.Example/P/81",
	    31, out), 0);
	ck_assert_str_eq(out, "https://pixelboard.example/P/81");
}
END_TEST

START_TEST(noise_list)
{
	struct rule_set *rs;

	paths();
	rs = load(good);
	ck_assert(rule_set_is_noise(rs, "ip", "8.8.8.8"));
	ck_assert(rule_set_is_noise(rs, "ip", "10.20.30.40"));
	ck_assert(rule_set_is_noise(rs, "ip", "fe80::1"));
	ck_assert(!rule_set_is_noise(rs, "ip", "203.0.113.45"));
	ck_assert(!rule_set_is_noise(rs, "ip", "11.0.0.1"));
	ck_assert(rule_set_is_noise(rs, "user_agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
	    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"));
	ck_assert(!rule_set_is_noise(rs, "user_agent", "GPTBot/1.2"));
	rule_set_unref(rs);
}
END_TEST

START_TEST(keys_are_redacted_before_anything_else)
{
	struct rule_set *rs;
	struct rule_scratch *sc = rule_scratch_new();
	struct findings fd;
	struct arena mem;
	const char *text = "Key AKIAIOSFODNN7EXAMPLE was used from 203.0.113.45 by GPTBot/1.2";
	int key_flag = 0;

	paths();
	rs = load(good);
	findings_init(&fd);
	arena_init(&mem, 0);
	ck_assert_int_eq(findings_scan(&fd, rs, sc, F_NARRATIVE, KIND_AI_INTRUSION, &text, &mem), 0);
	ck_assert_ptr_null(strstr(text, "AKIA"));
	ck_assert_ptr_nonnull(strstr(text, "[REDACTED aws key fp:"));
	ck_assert_int_eq(fd.keys, 1);
	for (size_t i = 0; i < fd.d.n_flags; i++) {
		ck_assert_ptr_null(strstr(fd.d.flags[i].excerpt, "AKIA"));
		key_flag |= strcmp(fd.d.flags[i].rule_id, "t.key.aws") == 0;
	}
	ck_assert(key_flag);
	for (size_t i = 0; i < fd.d.n_inds; i++)
		ck_assert_ptr_null(strstr(fd.d.inds[i].value, "AKIA"));
	findings_release(&fd);
	arena_release(&mem);
	rule_scratch_free(sc);
	rule_set_unref(rs);
}
END_TEST

START_TEST(shipped_packs_pass_their_examples_and_survive_hostile_lines)
{
	struct rule_errors errs = { 0 };
	struct rule_set *rs;
	struct rule_scratch *sc = rule_scratch_new();
	static const char *const seeds[] = { "a", "1.", "@", "a@", "0", "ab:", "sk-", "%41",
		"AKIA", "\xc3\xa9", " ", "-", "x.", "/", "ignore " };
	size_t len = 100000;
	char *line = malloc(len + 1);

	paths();
	rs = load(shipped);
	ck_assert_msg(rule_set_count(rs) >= 40, "only %zu shipped rules", rule_set_count(rs));
	ck_assert_uint_eq(rule_set_test(rs, &errs), 0);
	rule_errors_free(&errs);
	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		size_t n = strlen(seeds[s]);
		clock_t t0 = clock();

		for (size_t i = 0; i + n <= len; i += n)
			memcpy(line + i, seeds[s], n);
		line[len - len % n] = '\0';
		for (int f = 0; f < F__MAX; f++)
			for (int k = 0; k < KIND__MAX; k++) {
				struct hits c = { .text = line };

				(void)rule_scan(rs, sc, (enum rule_field)f, (enum case_kind)k, line,
				    strlen(line), collect, &c);
			}
		ck_assert_msg(clock() - t0 < 2 * CLOCKS_PER_SEC,
		    "hostile line of '%s' took %.2f s over every field", seeds[s],
		    (double)(clock() - t0) / CLOCKS_PER_SEC);
	}
	free(line);
	rule_scratch_free(sc);
	rule_set_unref(rs);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, broken_pack_is_refused_with_every_problem);
	tcase_add_test(tc, lines_must_be_utf8_without_nul);
	tcase_add_test(tc, problems_at_the_right_line_and_said_once);
	tcase_add_test(tc, repeated_groups_that_backtrack);
	tcase_add_test(tc, an_example_that_hits_a_limit_fails);
	tcase_add_test(tc, scan_flags_and_extracts);
	tcase_add_test(tc, limits_stop_a_runaway_pattern);
	tcase_add_test(tc, indicator_normal_forms);
	tcase_add_test(tc, noise_list);
	tcase_add_test(tc, keys_are_redacted_before_anything_else);
	tcase_add_test(tc, shipped_packs_pass_their_examples_and_survive_hostile_lines);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
