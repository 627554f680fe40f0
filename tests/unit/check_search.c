/*
 * Unit tests: search_query — the search language into FTS5 and filters;
 * malformed queries with their position; user text never becomes syntax.
 * store_search — the one pass over the matches: its order, pages, totals
 * and facets (a document counted once per rule, whatever its fields).
 */
#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "fixture.h"
#include "manifest.h"
#include "search_query.h"
#include "store_priv.h"

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

/* ---- store_search over a small store ---- */

/*
 * Five evidence paths in a new case, the word "payroll" more or less often
 * in each (two of them alike: the same score); flags on the first two, the
 * first with rule r.one in two fields.  Returns the items' ids in *ids.
 */
static void
seed(int64_t ids[5])
{
	static const char *const paths[5] = {
		"Finance/payroll/payroll_2026/payroll.xlsx", "Finance/payroll/q3.xlsx",
		"Finance/payroll/q4.xlsx", "Finance/payroll/payroll_q1.xlsx", "Finance/budget.xlsx",
	};
	struct flag_rec one = { .rule_id = "r.one", .severity = "low", .field = "evidence.path",
		.excerpt = "payroll", .end = 7, .count = 1, .platform = -1 };
	struct flag_rec two = one;
	struct manifest_meta meta = { .format = "dfxml", .program = "fiwalk", .items = 5 };
	struct store_import imp;
	struct aim_fault f = { 0 };
	json_t *reply = NULL;
	int64_t n;
	int already = 0;
	char ref[32];

	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), ref);
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	for (int i = 0; i < 5; i++) {
		struct evidence_item it = { .path = paths[i], .size = 100, .alloc = 1, .inode = -1,
			.mtime = T0 - 86400 * (i == 2 ? 1 : 10 + i), .ctime = NO_TIME,
			.atime = NO_TIME, .crtime = NO_TIME };

		ck_assert_int_eq(store_import_item(&imp, &it, &ids[i]), AIM_OK);
	}
	ck_assert_int_eq(store_import_flag(&imp, ids[0], &one, T0), AIM_OK);
	two.field = "evidence.name";
	ck_assert_int_eq(store_import_flag(&imp, ids[0], &two, T0), AIM_OK);
	two.rule_id = "r.two";
	ck_assert_int_eq(store_import_flag(&imp, ids[0], &two, T0), AIM_OK);
	ck_assert_int_eq(store_import_flag(&imp, ids[1], &one, T0), AIM_OK);
	ck_assert_int_eq(store_import_commit(&imp,
	    "840f632a5519602e5000a9b9edbe2efb733b77073875896c8bd13976029fc6d3", &meta, T0, &reply,
	    &already), AIM_OK);
	json_decref(reply);
	ck_assert_int_eq(store_search_catch_up(fx.s, 100, &n), AIM_OK);
}

/* The evidence ids of a search's hits, in order, into ids; returns the search's answer. */
static json_t *
ids_of(const char *fts, const char *case_ref, int64_t limit, int64_t offset, int64_t ids[8],
    size_t *n)
{
	struct search_params sp = { .fts = fts, .kind = -1, .status = -1, .after = -1,
		.before = -1, .case_ref = case_ref, .limit = limit, .offset = offset,
		.budget_ms = 5000 };
	json_t *out = NULL, *h;
	size_t i;

	ck_assert_int_eq(store_search(fx.s, &fx.sam, &sp, &out), AIM_OK);
	*n = 0;
	json_array_foreach(json_object_get(out, "hits"), i, h) {
		if (strcmp(json_string_value(json_object_get(h, "type")), "evidence") == 0 && *n < 8)
			ids[(*n)++] = json_integer_value(json_object_get(h, "id"));
	}
	return out;
}

START_TEST(ranked_paged_and_counted_in_one_pass)
{
	int64_t ids[5], all[8], page[8];
	size_t n_all, n;
	json_t *out, *facets, *hits;
	char *text;

	seed(ids);
	out = ids_of("\"payroll\"", NULL, 20, 0, all, &n_all);
	/* four paths hold the word; the most of it first, equal scores by id */
	ck_assert_int_eq(json_integer_value(json_object_get(out, "total")), 4);
	ck_assert_uint_eq(n_all, 4);
	ck_assert_int_eq(all[0], ids[0]);
	ck_assert_int_eq(all[1], ids[3]);
	ck_assert_int_eq(all[2], ids[1]);
	ck_assert_int_eq(all[3], ids[2]);
	hits = json_object_get(out, "hits");
	ck_assert(json_real_value(json_object_get(json_array_get(hits, 0), "score")) >
	    json_real_value(json_object_get(json_array_get(hits, 1), "score")));
	ck_assert(json_real_value(json_object_get(json_array_get(hits, 2), "score")) ==
	    json_real_value(json_object_get(json_array_get(hits, 3), "score")));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hits, 0), "title")),
	    "Finance/payroll/payroll_2026/payroll.xlsx");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(hits, 0),
	    "snippet")), "\x01payroll\x02"));
	/* facets: every match, a document once per rule even when two fields carry it */
	facets = json_object_get(out, "facets");
	text = json_dumps(facets, JSON_COMPACT);
	ck_assert_str_eq(text, "{\"kind\":{\"ai_intrusion\":4},\"status\":{\"open\":4},"
	    "\"flag\":{\"r.one\":2,\"r.two\":1}}");
	free(text);
	json_decref(out);
	/* pages of one and of three: the same order, nothing repeated, the same totals */
	for (int64_t off = 0; off < 4; off++) {
		out = ids_of("\"payroll\"", NULL, 1, off, page, &n);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(page[0], all[off]);
		ck_assert_int_eq(json_integer_value(json_object_get(out, "total")), 4);
		json_decref(out);
	}
	out = ids_of("\"payroll\"", NULL, 3, 1, page, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(page[0], all[1]);
	ck_assert_int_eq(page[2], all[3]);
	json_decref(out);
	/* past the end: no hits, the total and facets still whole */
	out = ids_of("\"payroll\"", NULL, 10, 4, page, &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(out, "total")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(out,
	    "facets"), "flag"), "r.one")), 2);
	json_decref(out);
}
END_TEST

/* A retro-hunt's finder: evidence paths with "q3" in them carry rule r.three. */
static enum aim_err
find_q3(void *ctx, enum case_kind kind, const char *doc_type, const char *text,
    struct doc_findings **out)
{
	static struct flag_rec fl = { .rule_id = "r.three", .severity = "low",
		.field = "evidence.path", .excerpt = "q3", .end = 2, .count = 1, .platform = -1 };
	static struct doc_findings fnd = { .flags = &fl, .n_flags = 1 };

	(void)ctx;
	(void)kind;
	*out = strcmp(doc_type, "evidence") == 0 && strstr(text, "q3") != NULL ? &fnd : NULL;
	return AIM_OK;
}

/* The flag facet of the search for fts, as compact JSON (owned). */
static char *
flag_facet(const char *fts)
{
	int64_t got[8];
	size_t n;
	json_t *out = ids_of(fts, NULL, 20, 0, got, &n);
	char *text = json_dumps(json_object_get(json_object_get(out, "facets"), "flag"),
	    JSON_COMPACT);

	json_decref(out);
	return text;
}

START_TEST(facets_follow_a_rescan)
{
	int64_t ids[5], docs, flags;
	char *text;

	seed(ids);
	/* the rule flags are replaced: r.one and r.two go, r.three comes */
	ck_assert_int_eq(store_rescan(fx.s, NULL, find_q3, NULL, T0, &docs, &flags), AIM_OK);
	ck_assert_int_eq(flags, 1);
	text = flag_facet("\"payroll\"");
	ck_assert_str_eq(text, "{\"r.three\":1}");
	free(text);
	/* a path the finder passed over has none */
	text = flag_facet("\"budget\"");
	ck_assert_str_eq(text, "{}");
	free(text);
}
END_TEST

START_TEST(rules_filled_in_by_the_upgrade)
{
	int64_t ids[5];
	struct aim_fault f = { 0 };
	char *text;

	seed(ids);
	/* back to schema 8, whose search_docs has no rule ids; the next open upgrades it */
	ck_assert_int_eq(sqlite3_exec(fx.s->db, "ALTER TABLE search_docs DROP COLUMN rules;"
	    "PRAGMA user_version = 8", NULL, NULL, NULL), SQLITE_OK);
	store_close(fx.s);
	fx.s = store_open(fx.path, &f);
	ck_assert_msg(fx.s != NULL, "%s", f.msg);
	text = flag_facet("\"payroll\"");
	ck_assert_str_eq(text, "{\"r.one\":2,\"r.two\":1}");
	free(text);
}
END_TEST

START_TEST(filters_alone_newest_first)
{
	int64_t ids[5], got[8];
	size_t n;
	json_t *out;
	char ref[32];

	seed(ids);
	out = ids_of("\"budget\"", NULL, 1, 0, got, &n);
	snprintf(ref, sizeof(ref), "%s", json_string_value(json_object_get(json_array_get(
	    json_object_get(out, "hits"), 0), "case_ref")));
	json_decref(out);
	out = ids_of(NULL, ref, 20, 0, got, &n);
	/* the incident and the five paths; paths by their time, newest first */
	ck_assert_int_eq(json_integer_value(json_object_get(out, "total")), 6);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(got[0], ids[2]);
	ck_assert_int_eq(got[1], ids[0]);
	ck_assert_int_eq(got[4], ids[4]);
	ck_assert(json_real_value(json_object_get(json_array_get(json_object_get(out, "hits"), 0),
	    "score")) == 0.0);
	json_decref(out);
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
	tc = tcase_create("store");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, ranked_paged_and_counted_in_one_pass);
	tcase_add_test(tc, filters_alone_newest_first);
	tcase_add_test(tc, facets_follow_a_rescan);
	tcase_add_test(tc, rules_filled_in_by_the_upgrade);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
