/*
 * Unit tests: case views kept for the next reader — the data generation
 * (store_data_gen), when a view changes by itself (stale_at), and the
 * cache's keys, bounds and expiry (server/case_cache.c); and the search
 * index of the writer's batches (indexed at the batch's end, what a unit
 * undid left out).
 */
#include <stdint.h>

#include "case_cache.h"
#include "fixture.h"
#include "manifest.h"
#include "store_priv.h"

static void
teardown(void)
{
	fx_teardown();
	case_cache_clear();
}

static int64_t found(const char *expr);

static int64_t
gen(void)
{
	int64_t g = -1;

	ck_assert_int_eq(store_data_gen(fx.s, &g), AIM_OK);
	return g;
}

static const char *
file_ref(const struct aim_user *u, const char *text, char ref[32])
{
	return fixture_file_ref(&fx, u, text, ref);
}

START_TEST(generation_counts_case_changes_only)
{
	struct audit_rec r = { .at = T0, .action = "GET /api/cases/{ref}", .outcome = 200 };
	struct aim_fault f = { 0 };
	struct case_patch p = { .title = "Agent scraped the patient portal twice" };
	json_t *note = NULL;
	int64_t g0 = gen(), g1, g2;
	char ref[32];

	file_ref(&fx.ivy, AI_REPORT(""), ref);
	g1 = gen();
	ck_assert_int_gt(g1, g0);
	/* the audit log is no case data: a cached view stays good */
	ck_assert_int_eq(store_audit_append(fx.s, &r, 1), AIM_OK);
	ck_assert_int_eq(gen(), g1);
	ck_assert_int_eq(store_note_add(fx.s, &fx.ivy, ref, "Subpoena sent.", T0, &note), AIM_OK);
	json_decref(note);
	g2 = gen();
	ck_assert_int_gt(g2, g1);
	ck_assert_int_eq(store_case_patch(fx.s, &fx.ivy, ref, &p, T0, &f), AIM_OK);
	ck_assert_int_gt(gen(), g2);
	/* a refused change counts nothing */
	g2 = gen();
	ck_assert_int_eq(store_note_add(fx.s, &fx.ivy, "AIM-1999-00001", "x", T0, &note),
	    AIM_ENOTFOUND);
	ck_assert_int_eq(gen(), g2);
	/* a unit undone inside a batch takes its count back with it */
	ck_assert_int_eq(store_batch_begin(fx.s), AIM_OK);
	ck_assert_int_eq(store_note_add(fx.s, &fx.ivy, ref, "kept", T0, &note), AIM_OK);
	json_decref(note);
	store_batch_settle(fx.s);
	ck_assert_int_eq(store_batch_end(fx.s, 0), AIM_OK);
	ck_assert_int_eq(gen(), g2);
}
END_TEST

/*
 * The server's background thread puts imported evidence paths in the search
 * index every half second: with nothing to index it writes nothing, and
 * what it indexes is no case data, so cached views stay good.  The import
 * itself counts.
 */
START_TEST(search_catch_up_counts_nothing)
{
	struct evidence_item it = { .path = "Users/jdoe/Downloads/agent.log", .size = 2048,
		.alloc = 1, .inode = -1, .mtime = NO_TIME, .ctime = NO_TIME, .atime = NO_TIME,
		.crtime = NO_TIME, .md5 = "b1946ac92492d2347c6235b4d2611184" };
	struct manifest_meta meta = { .format = "dfxml", .program = "fiwalk", .items = 1 };
	struct store_import imp;
	struct aim_fault f = { 0 };
	json_t *reply = NULL;
	int64_t g, n = -1, id;
	int already = 0;
	char ref[32];

	file_ref(&fx.ivy, AI_REPORT(""), ref);
	g = gen();
	ck_assert_int_eq(store_search_catch_up(fx.s, 100, &n), AIM_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(gen(), g);
	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	ck_assert_int_eq(store_import_item(&imp, &it, &id), AIM_OK);
	ck_assert_int_eq(store_import_commit(&imp,
	    "840f632a5519602e5000a9b9edbe2efb733b77073875896c8bd13976029fc6d3", &meta, T0, &reply,
	    &already), AIM_OK);
	json_decref(reply);
	ck_assert_int_gt(gen(), g);
	g = gen();
	ck_assert_int_eq(store_search_catch_up(fx.s, 100, &n), AIM_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(gen(), g);
	ck_assert_int_eq(found("\"agent.log\""), 1);
}
END_TEST

START_TEST(view_stale_when_a_removal_falls_due)
{
	int64_t before_due = aim_time_from_civil(2026, 11, 21, 12, 0, 0), stale = 0;
	json_t *c = NULL;
	char ref[32];

	file_ref(&fx.ivy, TID_REPORT("false"), ref);
	/* Chirp: requested 11-20 10:00, not removed: overdue from 11-22 10:00:01 */
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, before_due, NULL, NULL, &c, &stale),
	    AIM_OK);
	ck_assert(json_is_false(json_object_get(json_array_get(json_object_get(c, "deadlines"), 0),
	    "overdue")));
	ck_assert_int_eq(stale, aim_time_from_civil(2026, 11, 22, 10, 0, 1));
	json_decref(c);
	/* at T0 it is overdue and the other one was removed: nothing left to change */
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, &stale), AIM_OK);
	ck_assert_int_eq(stale, INT64_MAX);
	json_decref(c);
	/* an AI-intrusion case has no deadline */
	file_ref(&fx.ivy, AI_REPORT(""), ref);
	ck_assert_int_eq(store_case_get(fx.s, &fx.ivy, ref, T0, NULL, NULL, &c, &stale), AIM_OK);
	ck_assert_int_eq(stale, INT64_MAX);
	json_decref(c);
}
END_TEST

/* How many documents the supervisor finds for the FTS5 expression. */
static int64_t
found(const char *expr)
{
	struct search_params sp = { .fts = expr, .kind = -1, .status = -1, .after = -1,
		.before = -1, .limit = 10, .budget_ms = 5000 };
	json_t *out = NULL;
	int64_t n;

	ck_assert_int_eq(store_search(fx.s, &fx.sam, &sp, &out), AIM_OK);
	n = json_integer_value(json_object_get(out, "total"));
	json_decref(out);
	return n;
}

#define TITLED(t) "{\"kind\":\"ai_intrusion\",\"title\":\"" t "\",\"narrative\":\"Seized laptop.\"," \
	"\"ai_intrusion\":{\"target_system\":\"bank.example.org\",\"access_vector\":\"unknown\"}}"

START_TEST(batch_indexes_what_it_commits)
{
	char ref[32];

	/* a unit undone: its filing is neither stored nor indexed */
	ck_assert_int_eq(store_batch_begin(fx.s), AIM_OK);
	ck_assert_int_eq(store_begin(fx.s), AIM_OK);
	file_ref(&fx.ivy, TITLED("Undone narwhal filing"), ref);
	store_rollback(fx.s);
	file_ref(&fx.ivy, TITLED("Kept quokka filing"), ref);
	store_batch_settle(fx.s);
	/* not in the index until the batch ends */
	ck_assert_int_eq(store_batch_end(fx.s, 1), AIM_OK);
	ck_assert_int_eq(found("\"quokka\""), 1);
	ck_assert_int_eq(found("\"narwhal\""), 0);
	/* a batch that does not commit indexes nothing */
	ck_assert_int_eq(store_batch_begin(fx.s), AIM_OK);
	file_ref(&fx.ivy, TITLED("Dropped wombat filing"), ref);
	ck_assert_int_eq(store_batch_end(fx.s, 0), AIM_OK);
	ck_assert_int_eq(found("\"wombat\""), 0);
	/* outside a batch: indexed at once */
	file_ref(&fx.ivy, TITLED("Single axolotl filing"), ref);
	ck_assert_int_eq(found("\"axolotl\""), 1);
}
END_TEST

static const struct case_view_key key = { .ref = "AIM-2026-00001", .user_id = 1, .role = 1,
	.rules = 7, .gen = 42 };

/* 1 when the cache gives k's view and it is want. */
static int
cached(const struct case_view_key *k, int64_t now, const char *want)
{
	const struct case_view *v = case_cache_get(k, now);

	if (v != NULL)
		ck_assert_msg(v->len == strlen(want) && memcmp(v->text, want, v->len) == 0,
		    "the cache gave %.*s", (int)v->len, v->text);
	case_view_release(v);
	return v != NULL;
}

START_TEST(cache_keys_and_expiry)
{
	struct case_view_key k = key;

	ck_assert(!cached(&key, 100, "{}"));
	case_cache_put(&key, 200, "{\"v\":1}", 7);
	ck_assert(cached(&key, 100, "{\"v\":1}"));
	ck_assert(cached(&key, 199, "{\"v\":1}"));
	ck_assert(!cached(&key, 200, "{\"v\":1}"));	/* stale from stale_at on */
	/* every part of the key counts */
	k.gen = 43;
	ck_assert(!cached(&k, 100, ""));
	k = key, k.user_id = 2;
	ck_assert(!cached(&k, 100, ""));
	k = key, k.role = 2;
	ck_assert(!cached(&k, 100, ""));
	k = key, k.rules = 8;
	ck_assert(!cached(&k, 100, ""));
	k = key, k.ref[13] = '2';
	ck_assert(!cached(&k, 100, ""));
	/* a newer view replaces the older one in its slot */
	k = key, k.gen = 43;
	case_cache_put(&k, INT64_MAX, "{\"v\":2}", 7);
	ck_assert(cached(&k, 100, "{\"v\":2}"));
	ck_assert(!cached(&key, 100, ""));
	case_cache_clear();
	ck_assert(!cached(&k, 100, ""));
}
END_TEST

START_TEST(view_outlives_its_replacement)
{
	struct case_view_key k = key;
	const struct case_view *held, *again;

	case_cache_put(&key, INT64_MAX, "{\"v\":1}", 7);
	held = case_cache_get(&key, 0);
	again = case_cache_get(&key, 0);
	ck_assert_ptr_nonnull(held);
	ck_assert_ptr_eq(held, again);		/* shared, not copied */
	case_view_release(again);
	/* replaced in its slot, then the whole cache cleared: the reader still has it */
	k.gen = 43;
	case_cache_put(&k, INT64_MAX, "{\"v\":2}", 7);
	case_cache_clear();
	ck_assert_int_eq(held->len, 7);
	ck_assert_int_eq(memcmp(held->text, "{\"v\":1}", 7), 0);
	case_view_release(held);		/* the last hold: freed (ASan checks) */
	case_view_release(NULL);
}
END_TEST

START_TEST(cache_bounded)
{
	size_t big = CASE_CACHE_BYTES / 16 + 1, kept = 0;
	char *text = malloc(big);
	struct case_view_key k = key;

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', big);
	/* a view too large for a slot is not kept */
	case_cache_put(&key, INT64_MAX, text, big);
	ck_assert(!cached(&key, 0, ""));
	/* many views: never more than CASE_CACHE_BYTES in all */
	for (int64_t u = 0; u < 4 * CASE_CACHE_SLOTS; u++) {
		k.user_id = u;
		case_cache_put(&k, INT64_MAX, text, big - 1);
	}
	for (int64_t u = 0; u < 4 * CASE_CACHE_SLOTS; u++) {
		const struct case_view *v;

		k.user_id = u;
		if ((v = case_cache_get(&k, 0)) != NULL) {
			kept++;
			case_view_release(v);
		}
	}
	ck_assert_int_gt(kept, 0);
	ck_assert_int_le(kept, 16);
	free(text);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("caseview");
	TCase *tc = tcase_create("caseview");

	tcase_add_checked_fixture(tc, fx_setup, teardown);
	tcase_add_test(tc, generation_counts_case_changes_only);
	tcase_add_test(tc, search_catch_up_counts_nothing);
	tcase_add_test(tc, view_stale_when_a_removal_falls_due);
	tcase_add_test(tc, batch_indexes_what_it_commits);
	tcase_add_test(tc, cache_keys_and_expiry);
	tcase_add_test(tc, view_outlives_its_replacement);
	tcase_add_test(tc, cache_bounded);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
