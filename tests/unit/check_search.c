/*
 * Unit tests: search_query — the search language into FTS5 and filters;
 * malformed queries with their position; user text never becomes syntax.
 */
#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "search_query.h"
#include "unit.h"

static const char *
fts(const char *q)
{
	static struct search_query sq;
	struct aim_fault f = { 0 };

	ck_assert_msg(search_query_parse(q, &sq, &f) == AIM_OK, "%s: %s", q, f.msg);
	return sq.fts;
}

START_TEST(terms_phrases_prefixes_booleans)
{
	ck_assert_str_eq(fts("credential stuffing"), "\"credential\" AND \"stuffing\"");
	ck_assert_str_eq(fts("\"credit union\" portal"), "\"credit union\" AND \"portal\"");
	ck_assert_str_eq(fts("stuff*"), "\"stuff\" *");
	ck_assert_str_eq(fts("nudify OR undress"), "\"nudify\" OR \"undress\"");
	ck_assert_str_eq(fts("agent (scraper OR crawler)"),
	    "\"agent\" AND (\"scraper\" OR \"crawler\")");
	ck_assert_str_eq(fts("forgery -adult"), "\"forgery\" NOT \"adult\"");
	ck_assert_str_eq(fts("forgery NOT adult minor"), "\"forgery\" AND \"minor\" NOT \"adult\"");
	/* identifiers and FTS5 syntax in user text stay quoted text */
	ck_assert_str_eq(fts("sk-ant-api03 203.0.113.45"), "\"sk-ant-api03\" AND \"203.0.113.45\"");
	ck_assert_str_eq(fts("officer AND"), "\"officer\" AND \"AND\"");
	ck_assert_str_eq(fts("title:x NEAR(a b)"), "\"title:x\" AND \"NEAR\" AND (\"a\" AND \"b\")");
	/* quotes only delimit phrases: empty phrases drop out, the rest stays text */
	ck_assert_str_eq(fts("\"say \"\"hi\"\"\""), "\"say \" AND \"hi\"");
}
END_TEST

START_TEST(filters)
{
	struct search_query q;
	struct aim_fault f = { 0 };

	ck_assert_int_eq(search_query_parse("kind:take_it_down status:open flag:tida.nudify "
	    "indicator:203.0.113.45 case:AIM-2026-00012 after:2026-10-01 before:2026-11-01T00:00:00Z "
	    "removal", &q, &f), AIM_OK);
	ck_assert_str_eq(q.fts, "\"removal\"");
	ck_assert_int_eq(q.kind, 1);
	ck_assert_int_eq(q.status, 0);
	ck_assert_str_eq(q.flags[0], "tida.nudify");
	ck_assert_str_eq(q.indicators[0], "203.0.113.45");
	ck_assert_str_eq(q.case_ref, "AIM-2026-00012");
	ck_assert_int_eq(q.after, aim_time_from_civil(2026, 10, 1, 0, 0, 0));
	ck_assert_int_eq(q.before, aim_time_from_civil(2026, 11, 1, 0, 0, 0));
	/* filters alone, and negations alone, are queries too */
	ck_assert_int_eq(search_query_parse("kind:ai_intrusion", &q, &f), AIM_OK);
	ck_assert_str_eq(q.fts, "");
	ck_assert_int_eq(search_query_parse("-gptbot", &q, &f), AIM_OK);
	ck_assert_str_eq(q.negative, "\"gptbot\"");
	ck_assert_int_eq(search_query_parse("indicator:\"Mozilla/5.0 (X11)\"", &q, &f), AIM_OK);
	ck_assert_str_eq(q.indicators[0], "Mozilla/5.0 (X11)");
}
END_TEST

START_TEST(malformed_queries_say_where)
{
	static const struct {
		const char *q, *msg;
	} bad[] = {
		{ "(foo", "position 1: this parenthesis is not closed" },
		{ "foo)", "position 4: a ) without its (" },
		{ "\"open phrase", "position 1: a phrase is not closed" },
		{ "a*", "position 1: a prefix needs at least 3 characters" },
		{ "scraper ab*", "position 9: a prefix needs at least 3" },
		{ "OR foo", "position 1: OR needs a term on each side" },
		{ "foo OR", "OR needs a term on each side" },
		{ "kind:robot", "position 1: kind: ai_intrusion or take_it_down" },
		{ "status:lost x", "position 1: status:" },
		{ "case:AIM-26", "position 1: case: a reference" },
		{ "after:yesterday", "position 1: after: a date" },
		{ "x before:1969-12-31T23:59:59Z", "position 3: before: a date" },
		{ "after:1960-01-01", "from 1970 on" },
		{ "(kind:ai_intrusion)", "filters apply to the whole query" },
		{ "kind:ai_intrusion a OR b", "filters apply to the whole query" },
		{ "-kind:ai_intrusion", "filters cannot be negated" },
		{ "a OR -b", "NOT needs something" },
		{ "()", "empty parentheses" },
		{ "***", "a prefix needs letters or digits" },
		{ "", "nothing to search for" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct search_query q;
		struct aim_fault f = { 0 };

		ck_assert_msg(search_query_parse(bad[i].q, &q, &f) == AIM_EINVAL, "accepted: %s",
		    bad[i].q);
		ck_assert_str_eq(f.field, "q");
		ck_assert_msg(strstr(f.msg, bad[i].msg) != NULL, "%s: got '%s'", bad[i].q, f.msg);
	}
}
END_TEST

START_TEST(limits)
{
	char q[2000];
	struct search_query sq;
	struct aim_fault f = { 0 };

	memset(q, '(', 40);
	snprintf(q + 40, sizeof(q) - 40, "x");
	ck_assert_int_eq(search_query_parse(q, &sq, &f), AIM_EINVAL);
	ck_assert_ptr_nonnull(strstr(f.msg, "nested too deeply"));
	memset(q, 'a', 1500);
	q[1500] = '\0';
	ck_assert_int_eq(search_query_parse(q, &sq, &f), AIM_EINVAL);
	/* many exclusions or terms: refused as too long, never a broken FTS5 string */
	for (int i = 0; i < 330; i++)
		memcpy(q + 3 * i, "-b ", 3);
	memcpy(q, "aa ", 3);
	q[990] = '\0';
	ck_assert_int_eq(search_query_parse(q, &sq, &f) == AIM_OK ? (int)strlen(sq.fts) < 4096 :
	    strstr(f.msg, "too long") != NULL, 1);
	for (int i = 0; i < 495; i++)
		memcpy(q + 2 * i, "x ", 2);
	q[990] = '\0';
	ck_assert_int_eq(search_query_parse(q, &sq, &f) == AIM_OK ? (int)strlen(sq.fts) < 4096 :
	    strstr(f.msg, "too long") != NULL, 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, terms_phrases_prefixes_booleans);
	tcase_add_test(tc, filters);
	tcase_add_test(tc, malformed_queries_say_where);
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
