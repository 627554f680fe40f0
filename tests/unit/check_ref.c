/* Unit tests: case references AIM-YYYY-NNNNN. */
#include "unit.h"

#include "case_ref.h"

START_TEST(format_and_parse)
{
	char buf[CASE_REF_LEN];
	int y, n;

	ck_assert_int_eq(case_ref_format(2026, 12, buf), 0);
	ck_assert_str_eq(buf, "AIM-2026-00012");
	ck_assert_int_eq(case_ref_parse(buf, &y, &n), 0);
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(case_ref_format(2026, 99999, buf), 0);
	ck_assert_str_eq(buf, "AIM-2026-99999");
}
END_TEST

START_TEST(refuses_bad_refs)
{
	static const char *const bad[] = { "", "AIM-2026-0001", "AIM-2026-000012", "aim-2026-00012",
		"AIM-2026-00000", "AIM_2026_00012", "AIM-20X6-00012", "AIM-2026-0001x",
		"AIM-2026-00012 ", "XAIM-2026-0001" };
	char buf[CASE_REF_LEN];
	int y, n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(case_ref_parse(bad[i], &y, &n) == -1, "accepted %s", bad[i]);
	ck_assert_int_eq(case_ref_parse(NULL, &y, &n), -1);
	ck_assert_int_eq(case_ref_format(2026, 0, buf), -1);
	ck_assert_int_eq(case_ref_format(2026, 100000, buf), -1);
	ck_assert_int_eq(case_ref_format(99, 1, buf), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ref");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, format_and_parse);
	tcase_add_test(tc, refuses_bad_refs);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
