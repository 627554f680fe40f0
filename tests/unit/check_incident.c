/*
 * Unit tests: incident — validation of incident reports, with the shipped
 * fixtures as golden input (every valid report passes; every line of
 * invalid.ndjson fails with the code and field of invalid.expected).
 */
#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "incident.h"
#include "json_io.h"
#include "unit.h"

#define NOW (aim_time_from_civil(2026, 11, 23, 12, 0, 0))

/* Validate one JSON text; returns the error and fills f. */
static enum aim_err
check_text(const char *text, struct incident *inc, struct aim_fault *f)
{
	json_t *doc = json_body_parse(text, strlen(text), f);
	enum aim_err e;

	if (doc == NULL)
		return f->err;
	e = incident_from_json(doc, NOW, inc, f);
	json_decref(doc);
	return e;
}

static void
check_file_valid(const char *name)
{
	char path[512], *line = NULL;
	size_t cap = 0;
	int n = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/fixtures/incidents/%s", AIM_SOURCE_DIR, name);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while (getline(&line, &cap, fp) > 0) {
		struct incident inc;
		struct aim_fault f = { 0 };

		incident_init(&inc);
		ck_assert_msg(check_text(line, &inc, &f) == AIM_OK, "%s:%d: %s", name, n + 1, f.msg);
		incident_release(&inc);
		n++;
	}
	free(line);
	fclose(fp);
	ck_assert_int_ge(n, 7);
}

START_TEST(fixtures_are_valid)
{
	check_file_valid("ivy.ndjson");
	check_file_valid("ian.ndjson");
}
END_TEST

START_TEST(invalid_fixtures_fail_as_expected)
{
	char path[512], *line = NULL, exp[256];
	size_t cap = 0;
	FILE *fp, *ex;
	int n = 0;

	snprintf(path, sizeof(path), "%s/fixtures/incidents/invalid.ndjson", AIM_SOURCE_DIR);
	fp = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/fixtures/incidents/invalid.expected", AIM_SOURCE_DIR);
	ex = fopen(path, "r");
	ck_assert(fp != NULL && ex != NULL);
	while (getline(&line, &cap, fp) > 0 && fgets(exp, sizeof(exp), ex) != NULL) {
		struct incident inc;
		struct aim_fault f = { 0 };
		char code[64], field[160];
		int no;
		enum aim_err e;

		ck_assert_int_eq(sscanf(exp, "%d\t%63s\t%159s", &no, code, field), 3);
		incident_init(&inc);
		e = check_text(line, &inc, &f);
		incident_release(&inc);
		ck_assert_msg(e != AIM_OK, "line %d accepted", no);
		ck_assert_str_eq(aim_err_code(e), code);
		ck_assert_str_eq(f.field[0] != '\0' ? f.field : "-", field);
		n++;
	}
	free(line);
	fclose(fp);
	fclose(ex);
	ck_assert_int_eq(n, 10);
}
END_TEST

START_TEST(normalizes_and_round_trips)
{
	const char *text = "{\"kind\":\"ai_intrusion\",\"title\":\"  Scraper  \","
	    "\"narrative\":\"Line one.\\nLine two.\",\"occurred_at\":\"2026-10-28T05:12:00+02:00\","
	    "\"ai_intrusion\":{\"target_system\":\"portal.example.org\",\"access_vector\":\"scraping\","
	    "\"loss_usd\":1234.5,\"indicators\":{\"ips\":[\"2001:DB8:0:0::1\",\"2001:db8::1\"],"
	    "\"domains\":[\"Relay.Example.NET.\"]}}}";
	struct incident inc;
	struct aim_fault f = { 0 };
	json_t *out;
	char *dump;

	incident_init(&inc);
	ck_assert_int_eq(check_text(text, &inc, &f), AIM_OK);
	ck_assert_str_eq(inc.title, "Scraper");
	ck_assert_int_eq(inc.ips.n, 1);
	ck_assert_str_eq(inc.ips.v[0], "2001:db8::1");
	ck_assert_str_eq(inc.domains.v[0], "relay.example.net");
	ck_assert_int_eq(inc.loss_cents, 123450);
	out = incident_to_json(&inc);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(json_string_value(json_object_get(out, "occurred_at")),
	    "2026-10-28T03:12:00Z");
	dump = json_dumps(out, JSON_COMPACT);
	incident_release(&inc);
	/* the normalized form validates to the same thing */
	incident_init(&inc);
	ck_assert_int_eq(check_text(dump, &inc, &f), AIM_OK);
	ck_assert_int_eq(inc.loss_cents, 123450);
	incident_release(&inc);
	free(dump);
	json_decref(out);
}
END_TEST

START_TEST(refuses_structure_errors)
{
	static const struct {
		const char *text, *code, *field;
	} cases[] = {
		{ "[]", "malformed_json", "" },
		{ "{\"kind\":\"ai_intrusion\",\"kind\":\"take_it_down\"}", "malformed_json", "" },
		{ "{\"title\":\"t\",\"narrative\":\"n\"}", "missing_field", "kind" },
		{ "{\"kind\":\"take_it_down\",\"title\":\"t\",\"narrative\":\"n\"}", "missing_field",
		    "take_it_down" },
		{ "{\"kind\":\"take_it_down\",\"title\":\"t\",\"narrative\":\"n\",\"take_it_down\":"
		    "{\"depiction\":\"authentic\"}}", "missing_field", "take_it_down.victim_minor" },
		{ "{\"kind\":\"take_it_down\",\"title\":\"t\",\"narrative\":\"n\",\"take_it_down\":"
		    "{\"victim_minor\":\"no\",\"depiction\":\"authentic\"}}", "invalid_field",
		    "take_it_down.victim_minor" },
		{ "{\"kind\":\"ai_intrusion\",\"title\":\"t\",\"narrative\":\"n\",\"ai_intrusion\":"
		    "{\"target_system\":\"x\",\"access_vector\":\"scraping\",\"indicators\":"
		    "{\"wallets\":[]}}}", "unknown_field", "ai_intrusion.indicators.wallets" },
		{ "{\"kind\":\"ai_intrusion\",\"title\":\"t\",\"narrative\":\"n\",\"case_ref\":"
		    "\"AIM-26-1\",\"ai_intrusion\":{\"target_system\":\"x\",\"access_vector\":\"scraping\"}}",
		    "invalid_field", "case_ref" },
		{ "{\"kind\":\"ai_intrusion\",\"title\":\"t\",\"narrative\":\"n\",\"occurred_at\":"
		    "\"2027-06-01T00:00:00Z\",\"ai_intrusion\":{\"target_system\":\"x\","
		    "\"access_vector\":\"scraping\"}}", "invalid_field", "occurred_at" },
		{ "{\"kind\":\"ai_intrusion\",\"title\":\"t\",\"narrative\":\"n\",\"occurred_at\":"
		    "\"1969-12-31T23:59:59Z\",\"ai_intrusion\":{\"target_system\":\"x\","
		    "\"access_vector\":\"scraping\"}}", "invalid_field", "occurred_at" },
		{ "{\"kind\":\"ai_intrusion\",\"title\":\"\\u0007\",\"narrative\":\"n\"}",
		    "invalid_field", "title" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct incident inc;
		struct aim_fault f = { 0 };
		enum aim_err e;

		incident_init(&inc);
		e = check_text(cases[i].text, &inc, &f);
		incident_release(&inc);
		ck_assert_msg(strcmp(aim_err_code(e), cases[i].code) == 0 &&
		    strcmp(f.field, cases[i].field) == 0, "case %zu: got %s %s (%s)", i,
		    aim_err_code(e), f.field, f.msg);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("incident");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fixtures_are_valid);
	tcase_add_test(tc, invalid_fixtures_fail_as_expected);
	tcase_add_test(tc, normalizes_and_round_trips);
	tcase_add_test(tc, refuses_structure_errors);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
