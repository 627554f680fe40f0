/*
 * Unit tests: store — filing, case numbers, visibility, changes, notes,
 * deadlines, losses, idempotency, schema, the dashboard, my cases, users.
 */
#include "fixture.h"
#include "manifest.h"

static const char *
file_ref(const struct aim_user *u, const char *text, char ref[32])
{
	return fixture_file_ref(&fx, u, text, ref);
}

static int
visible(const struct aim_user *u, const char *ref)
{
	json_t *c = NULL;
	enum aim_err e = store_case_get(fx.s, u, ref, T0, NULL, NULL, &c, NULL);

	json_decref(c);
	ck_assert(e == AIM_OK || e == AIM_ENOTFOUND);
	return e == AIM_OK;
}

/* How many cases u lists: all visible, or with mine only their own. */
static int64_t
cases_total(const struct aim_user *u, int mine)
{
	struct case_filter flt = { .status = -1, .kind = -1, .mine = mine, .limit = 50 };
	json_t *out = NULL;
	int64_t n;

	ck_assert_int_eq(store_case_list(fx.s, u, &flt, &out), AIM_OK);
	n = json_integer_value(json_object_get(out, "total"));
	/* the rows shown are the visible ones, as many as the total says */
	ck_assert_int_eq((int64_t)json_array_size(json_object_get(out, "cases")), n);
	json_decref(out);
	return n;
}

static int64_t
list_total(const struct aim_user *u)
{
	return cases_total(u, 0);
}

START_TEST(case_numbers_count_up)
{
	char a[32], b[32];

	file_ref(&fx.ivy, AI_REPORT(""), a);
	file_ref(&fx.ivy, AI_REPORT(""), b);
	ck_assert_str_eq(a, "AIM-2026-00001");
	ck_assert_str_eq(b, "AIM-2026-00002");
}
END_TEST

START_TEST(visibility_rules)
{
	char normal[32], restricted[32];
	struct case_patch p = { .set_assignee = 1, .assignee = "paula" };
	struct aim_fault f = { 0 };

	file_ref(&fx.ivy, AI_REPORT(""), normal);
	file_ref(&fx.ivy, TID_REPORT("true"), restricted);
	/* the filer sees both; another investigator neither */
	ck_assert(visible(&fx.ivy, normal) && visible(&fx.ivy, restricted));
	ck_assert(!visible(&fx.ian, normal) && !visible(&fx.ian, restricted));
	ck_assert_int_eq(list_total(&fx.ian), 0);
	/* prosecutors see normal cases only, supervisors all */
	ck_assert(visible(&fx.paula, normal) && !visible(&fx.paula, restricted));
	ck_assert(visible(&fx.sam, restricted));
	ck_assert_int_eq(list_total(&fx.paula), 1);
	ck_assert_int_eq(list_total(&fx.sam), 2);
	/* a prosecutor cannot change what she cannot see */
	ck_assert_int_eq(store_case_patch(fx.s, &fx.paula, restricted, &p, T0, &f), AIM_ENOTFOUND);
	/* assigned by a supervisor, she sees it; her colleague still does not */
	ck_assert_int_eq(store_case_patch(fx.s, &fx.sam, restricted, &p, T0, &f), AIM_OK);
	ck_assert(visible(&fx.paula, restricted) && !visible(&fx.pat, restricted));
}
END_TEST

START_TEST(filing_into_a_case)
{
	char ref[32], text[1024];
	struct aim_fault f = { 0 };
	json_t *reply = NULL, *c = NULL;

	file_ref(&fx.ivy, AI_REPORT(""), ref);
	snprintf(text, sizeof(text), AI_REPORT("\"case_ref\":\"%s\","), ref);
	/* another investigator cannot file into a case she cannot see */
	ck_assert_int_eq(fixture_file(&fx, &fx.ian, text, NULL, &reply, NULL, &f), AIM_ENOTFOUND);
	ck_assert_str_eq(f.field, "case_ref");
	ck_assert_int_eq(fixture_file(&fx, &fx.ivy, text, NULL, &reply, NULL, &f), AIM_OK);
	json_decref(reply);
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, NULL), AIM_OK);
	ck_assert_int_eq(json_array_size(json_object_get(c, "incidents")), 2);
	/* two losses of $3,000 within a year pass the $5,000 threshold */
	ck_assert(json_is_true(json_object_get(json_object_get(c, "loss"), "threshold_met")));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "loss"),
	    "total_usd")), 6000);
	/* one indicator, mentioned by both incidents */
	ck_assert_int_eq(json_array_size(json_object_get(c, "indicators")), 1);
	json_decref(c);
	/* a take-it-down report cannot join an AI-intrusion case */
	snprintf(text, sizeof(text), "{\"kind\":\"take_it_down\",\"title\":\"t\",\"narrative\":\"n\","
	    "\"case_ref\":\"%s\",\"take_it_down\":{\"victim_minor\":false,\"depiction\":\"unknown\"}}",
	    ref);
	ck_assert_int_eq(fixture_file(&fx, &fx.ivy, text, NULL, &reply, NULL, &f), AIM_ECONFLICT);
}
END_TEST

START_TEST(deadlines_in_case_view)
{
	char ref[32];
	json_t *c = NULL, *d;

	file_ref(&fx.ivy, TID_REPORT("false"), ref);
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, NULL), AIM_OK);
	d = json_object_get(c, "deadlines");
	ck_assert_int_eq(json_array_size(d), 2);
	/* requested 11-20 10:00, not removed, now 11-23: overdue */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(d, 0), "due_at")),
	    "2026-11-22T10:00:00Z");
	ck_assert(json_is_true(json_object_get(json_array_get(d, 0), "overdue")));
	/* requested 11-21 10:00, removed 23 h later: in time */
	ck_assert(json_is_false(json_object_get(json_array_get(d, 1), "overdue")));
	ck_assert(json_is_null(json_object_get(c, "loss")));
	json_decref(c);
}
END_TEST

START_TEST(idempotent_filing)
{
	struct aim_fault f = { 0 };
	json_t *r1 = NULL, *r2 = NULL;
	int replayed = 0;

	ck_assert_int_eq(fixture_file(&fx, &fx.ivy, AI_REPORT(""), "k-1", &r1, &replayed, &f),
	    AIM_OK);
	ck_assert_int_eq(replayed, 0);
	ck_assert_int_eq(fixture_file(&fx, &fx.ivy, AI_REPORT(""), "k-1", &r2, &replayed, &f),
	    AIM_OK);
	ck_assert_int_eq(replayed, 1);
	ck_assert(json_equal(r1, r2));
	json_decref(r2);
	ck_assert_int_eq(list_total(&fx.ivy), 1);
	/* the same key with another body is a conflict; another user's key is theirs */
	ck_assert_int_eq(fixture_file(&fx, &fx.ivy, TID_REPORT("false"), "k-1", &r2, &replayed, &f),
	    AIM_ECONFLICT);
	json_decref(r2);
	ck_assert_int_eq(fixture_file(&fx, &fx.ian, AI_REPORT(""), "k-1", &r2, &replayed, &f),
	    AIM_OK);
	ck_assert_int_eq(replayed, 0);
	json_decref(r1);
	json_decref(r2);
}
END_TEST

START_TEST(patch_and_notes)
{
	char ref[32];
	struct case_patch p = { .set_status = 1, .status = STATUS_CHARGED, .title = "Renamed" };
	struct case_patch bad = { .set_assignee = 1, .assignee = "nobody" };
	struct aim_fault f = { 0 };
	json_t *c = NULL, *note = NULL;

	file_ref(&fx.ivy, AI_REPORT(""), ref);
	ck_assert_int_eq(store_case_patch(fx.s, &fx.paula, ref, &p, T0 + 60, &f), AIM_OK);
	ck_assert_int_eq(store_case_patch(fx.s, &fx.paula, ref, &bad, T0, &f), AIM_EINVAL);
	ck_assert_str_eq(f.field, "assignee");
	ck_assert_int_eq(store_note_add(fx.s, &fx.paula, ref, "Grand jury on 12-02.", T0, &note),
	    AIM_OK);
	ck_assert_str_eq(json_string_value(json_object_get(note, "author")), "paula");
	json_decref(note);
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, NULL), AIM_OK);
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")), "charged");
	ck_assert_str_eq(json_string_value(json_object_get(c, "title")), "Renamed");
	ck_assert_int_eq(json_array_size(json_object_get(c, "notes")), 1);
	json_decref(c);
}
END_TEST

static int64_t
evidence_total(const char *ref)
{
	struct evidence_filter flt = { .limit = 10 };
	json_t *out = NULL;
	int64_t n;

	ck_assert_int_eq(store_evidence_list(fx.s, &fx.ivy, ref, &flt, &out), AIM_OK);
	n = json_integer_value(json_object_get(out, "total"));
	json_decref(out);
	return n;
}

START_TEST(manifest_import_all_or_nothing)
{
	struct store_import imp;
	struct manifest_meta meta = { .format = "dfxml", .program = "fiwalk", .items = 2 };
	struct evidence_item it = { .path = "Users/jdoe/a.txt", .size = 6, .alloc = 1,
		.inode = -1, .mtime = NO_TIME, .ctime = NO_TIME, .atime = NO_TIME,
		.crtime = NO_TIME, .md5 = "b1946ac92492d2347c6235b4d2611184" };
	struct aim_fault f = { 0 };
	json_t *reply = NULL;
	char ref[32];
	const char *sha = "840f632a5519602e5000a9b9edbe2efb733b77073875896c8bd13976029fc6d3";
	int64_t item_id;
	int already = 0;

	file_ref(&fx.ivy, AI_REPORT(""), ref);
	/* another investigator cannot import into ivy's case */
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ian, ref, T0, &imp, &f), AIM_ENOTFOUND);
	/* an aborted import leaves nothing */
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	ck_assert_int_eq(store_import_item(&imp, &it, &item_id), AIM_OK);
	store_import_abort(&imp);
	ck_assert_int_eq(evidence_total(ref), 0);
	/* a committed one is there, with its digests */
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	ck_assert_int_eq(store_import_item(&imp, &it, &item_id), AIM_OK);
	it.path = "Users/jdoe/b.txt";
	ck_assert_int_eq(store_import_item(&imp, &it, &item_id), AIM_OK);
	ck_assert_int_eq(store_import_commit(&imp, sha, &meta, T0, &reply, &already), AIM_OK);
	ck_assert_int_eq(already, 0);
	json_decref(reply);
	ck_assert_int_eq(evidence_total(ref), 2);
	{
		json_t *c = NULL, *ev;

		ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, NULL), AIM_OK);
		ck_assert_int_eq(json_integer_value(json_object_get(c, "evidence_count")), 2);
		ck_assert_int_eq(json_array_size(json_object_get(c, "manifests")), 1);
		ev = json_array_get(json_object_get(c, "custody"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(ev, "action")), "imported");
		ck_assert_str_eq(json_string_value(json_object_get(ev, "actor")), "ivy");
		ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(ev, "detail")), sha));
		json_decref(c);
	}
	/* the same bytes again: nothing added */
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	ck_assert_int_eq(store_import_item(&imp, &it, &item_id), AIM_OK);
	ck_assert_int_eq(store_import_commit(&imp, sha, &meta, T0, &reply, &already), AIM_OK);
	ck_assert_int_eq(already, 1);
	ck_assert(json_is_true(json_object_get(reply, "already_imported")));
	json_decref(reply);
	ck_assert_int_eq(evidence_total(ref), 2);
	{
		struct evidence_filter flt = { .q = "B.TXT", .limit = 10 };
		json_t *out = NULL, *item;

		ck_assert_int_eq(store_evidence_list(fx.s, &fx.ivy, ref, &flt, &out), AIM_OK);
		ck_assert_int_eq(json_integer_value(json_object_get(out, "total")), 1);
		item = json_array_get(json_object_get(out, "items"), 0);
		ck_assert_str_eq(json_string_value(json_object_get(item, "md5")), it.md5);
		ck_assert(json_is_null(json_object_get(item, "sha256")));
		json_decref(out);
	}
}
END_TEST

/* Import one evidence item into ref carrying one flag of each severity given. */
static void
flag_evidence(const char *ref, const char *sha, const char *const severities[], size_t n)
{
	struct store_import imp;
	struct manifest_meta meta = { .format = "dfxml", .items = 1 };
	struct evidence_item it = { .path = "Users/jdoe/.env", .size = 6, .alloc = 1,
		.inode = -1, .mtime = NO_TIME, .ctime = NO_TIME, .atime = NO_TIME,
		.crtime = NO_TIME };
	struct aim_fault f = { 0 };
	json_t *reply = NULL;
	int64_t item_id;
	int already = 0;

	ck_assert_int_eq(store_import_begin(fx.s, &fx.sam, ref, T0, &imp, &f), AIM_OK);
	ck_assert_int_eq(store_import_item(&imp, &it, &item_id), AIM_OK);
	for (size_t i = 0; i < n; i++) {
		char rule[32];
		struct flag_rec fl = { .rule_id = rule, .severity = severities[i],
			.field = "evidence.path", .description = "test", .excerpt = it.path,
			.start = 0, .end = 4, .count = 1, .platform = -1 };

		snprintf(rule, sizeof(rule), "test.%s", severities[i]);
		ck_assert_int_eq(store_import_flag(&imp, item_id, &fl, T0), AIM_OK);
	}
	ck_assert_int_eq(store_import_commit(&imp, sha, &meta, T0, &reply, &already), AIM_OK);
	json_decref(reply);
}

/* The dashboard of u: the number of deadlines and flags; *out (owned) kept when out != NULL. */
static void
dashboard_sizes(const struct aim_user *u, size_t *deadlines, size_t *flags, json_t **out)
{
	json_t *d = NULL;

	ck_assert_int_eq(store_dashboard(fx.s, u, T0, &d), AIM_OK);
	*deadlines = json_array_size(json_object_get(d, "deadlines"));
	*flags = json_array_size(json_object_get(d, "flags"));
	if (out != NULL)
		*out = d;
	else
		json_decref(d);
}

START_TEST(dashboard_visible_pending_severe)
{
	static const char *const normal_sev[] = { "high", "medium" };
	static const char *const restricted_sev[] = { "critical", "low" };
	char normal[32], restricted[32];
	size_t nd, nf;
	json_t *d = NULL, *dl, *fl;

	file_ref(&fx.ivy, TID_REPORT("false"), normal);
	file_ref(&fx.ivy, TID_REPORT("true"), restricted);
	flag_evidence(normal, "1111111111111111111111111111111111111111111111111111111111111111",
	    normal_sev, 2);
	flag_evidence(restricted, "2222222222222222222222222222222222222222222222222222222222222222",
	    restricted_sev, 2);
	/* the supervisor: both pending removals (the removed ones are not), severe flags only */
	dashboard_sizes(&fx.sam, &nd, &nf, &d);
	ck_assert_uint_eq(nd, 2);
	ck_assert_uint_eq(nf, 2);
	dl = json_array_get(json_object_get(d, "deadlines"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(dl, "case_ref")), normal);
	ck_assert_str_eq(json_string_value(json_object_get(dl, "case_title")),
	    "Forged images posted");
	ck_assert_str_eq(json_string_value(json_object_get(dl, "platform")), "Chirp");
	ck_assert_str_eq(json_string_value(json_object_get(dl, "due_at")),
	    "2026-11-22T10:00:00Z");
	ck_assert(json_is_null(json_object_get(dl, "removed_at")));
	ck_assert(json_is_true(json_object_get(dl, "overdue")));
	/* newest flag first: the restricted case's critical one */
	fl = json_array_get(json_object_get(d, "flags"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(fl, "case_ref")), restricted);
	ck_assert_str_eq(json_string_value(json_object_get(fl, "severity")), "critical");
	ck_assert_str_eq(json_string_value(json_object_get(fl, "doc_type")), "evidence");
	fl = json_array_get(json_object_get(d, "flags"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(fl, "rule")), "test.high");
	json_decref(d);
	/* the filer sees hers; a prosecutor the normal case only; another investigator nothing */
	dashboard_sizes(&fx.ivy, &nd, &nf, NULL);
	ck_assert(nd == 2 && nf == 2);
	dashboard_sizes(&fx.paula, &nd, &nf, NULL);
	ck_assert(nd == 1 && nf == 1);
	dashboard_sizes(&fx.ian, &nd, &nf, NULL);
	ck_assert(nd == 0 && nf == 0);
}
END_TEST

START_TEST(my_cases_and_users)
{
	char a[32], b[32];
	struct case_patch p = { .set_assignee = 1, .assignee = "paula" };
	struct aim_fault f = { 0 };
	json_t *users = NULL, *first;

	file_ref(&fx.ivy, AI_REPORT(""), a);
	file_ref(&fx.ian, AI_REPORT(""), b);
	ck_assert_int_eq(cases_total(&fx.ivy, 1), 1);
	ck_assert_int_eq(cases_total(&fx.ian, 1), 1);
	/* a prosecutor sees both, but neither is hers until assigned */
	ck_assert_int_eq(list_total(&fx.paula), 2);
	ck_assert_int_eq(cases_total(&fx.paula, 1), 0);
	ck_assert_int_eq(store_case_patch(fx.s, &fx.sam, b, &p, T0, &f), AIM_OK);
	ck_assert_int_eq(cases_total(&fx.paula, 1), 1);
	ck_assert_int_eq(cases_total(&fx.pat, 1), 0);
	ck_assert_int_eq(cases_total(&fx.sam, 1), 0);
	/* every user, by name, with the role's name */
	ck_assert_int_eq(store_user_list(fx.s, &users), AIM_OK);
	ck_assert_uint_eq(json_array_size(json_object_get(users, "users")), 5);
	first = json_array_get(json_object_get(users, "users"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(first, "username")), "ian");
	ck_assert_str_eq(json_string_value(json_object_get(first, "role")), "investigator");
	ck_assert_uint_eq(json_object_size(first), 2);
	json_decref(users);
}
END_TEST

START_TEST(reopen_keeps_schema)
{
	struct aim_fault f = { 0 };
	struct store *again = store_open(fx.path, &f);

	ck_assert_ptr_nonnull(again);
	ck_assert_int_eq(store_schema_version(again), STORE_SCHEMA_VERSION);
	store_close(again);
	store_close(NULL);
}
END_TEST

START_TEST(batch_units_fail_alone_and_commit_together)
{
	struct audit_rec r = { .at = T0, .action = "GET /api/cases", .outcome = 200 };
	struct audit_check c;
	enum aim_role old;
	struct aim_user u;
	char pw[8];

	/* one batch: a good unit, a failing unit (undone alone), an audit entry; one commit */
	ck_assert_int_eq(store_batch_begin(fx.s), AIM_OK);
	ck_assert_int_eq(store_user_set_role(fx.s, "ian", ROLE_PROSECUTOR, &old), AIM_OK);
	ck_assert_int_eq(store_user_set_role(fx.s, "nobody", ROLE_PROSECUTOR, &old), AIM_ENOTFOUND);
	store_batch_settle(fx.s);
	ck_assert_int_eq(store_audit_append(fx.s, &r, 1), AIM_OK);
	ck_assert_int_eq(store_batch_end(fx.s, 1), AIM_OK);
	ck_assert_int_eq(store_user_get(fx.s, "ian", &u, pw, sizeof(pw)), AIM_OK);
	ck_assert_int_eq(u.role, ROLE_PROSECUTOR);
	ck_assert_int_eq(store_audit_verify(fx.s, &c), AIM_OK);
	ck_assert_int_eq(c.entries, 1);
	ck_assert_int_eq(c.bad_id, 0);
	/* a batch ended without commit leaves nothing */
	ck_assert_int_eq(store_batch_begin(fx.s), AIM_OK);
	ck_assert_int_eq(store_user_set_role(fx.s, "ian", ROLE_INVESTIGATOR, &old), AIM_OK);
	ck_assert_int_eq(store_audit_append(fx.s, &r, 1), AIM_OK);
	ck_assert_int_eq(store_batch_end(fx.s, 0), AIM_OK);
	ck_assert_int_eq(store_user_get(fx.s, "ian", &u, pw, sizeof(pw)), AIM_OK);
	ck_assert_int_eq(u.role, ROLE_PROSECUTOR);
	ck_assert_int_eq(store_audit_verify(fx.s, &c), AIM_OK);
	ck_assert_int_eq(c.entries, 1);
	/* outside a batch the same functions are their own transactions again */
	ck_assert_int_eq(store_user_set_role(fx.s, "ian", ROLE_INVESTIGATOR, &old), AIM_OK);
	ck_assert_int_eq(old, ROLE_PROSECUTOR);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, case_numbers_count_up);
	tcase_add_test(tc, visibility_rules);
	tcase_add_test(tc, filing_into_a_case);
	tcase_add_test(tc, deadlines_in_case_view);
	tcase_add_test(tc, idempotent_filing);
	tcase_add_test(tc, patch_and_notes);
	tcase_add_test(tc, manifest_import_all_or_nothing);
	tcase_add_test(tc, dashboard_visible_pending_severe);
	tcase_add_test(tc, my_cases_and_users);
	tcase_add_test(tc, reopen_keeps_schema);
	tcase_add_test(tc, batch_units_fail_alone_and_commit_together);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
