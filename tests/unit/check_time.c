/* Unit tests: aim_time — RFC 3339, removal deadlines, the CFAA loss window. */
#include "unit.h"

#include "aim_time.h"

START_TEST(parse_utc_and_offsets)
{
	int64_t t;
	char buf[AIM_TIME_LEN];

	ck_assert_int_eq(aim_time_parse("2026-10-30T14:05:00Z", &t), 0);
	aim_time_format(t, buf);
	ck_assert_str_eq(buf, "2026-10-30T14:05:00Z");
	ck_assert_int_eq(aim_time_parse("2026-10-30T10:05:00-04:00", &t), 0);
	aim_time_format(t, buf);
	ck_assert_str_eq(buf, "2026-10-30T14:05:00Z");
	ck_assert_int_eq(aim_time_parse("2026-10-30t14:05:00.123456z", &t), 0);
	aim_time_format(t, buf);
	ck_assert_str_eq(buf, "2026-10-30T14:05:00Z");
	ck_assert_int_eq(aim_time_parse("2024-02-29T00:00:00+05:30", &t), 0);
	aim_time_format(t, buf);
	ck_assert_str_eq(buf, "2024-02-28T18:30:00Z");
	ck_assert_int_eq(aim_time_parse("1970-01-01T00:00:00Z", &t), 0);
	ck_assert_int_eq(t, 0);
}
END_TEST

START_TEST(parse_refuses_bad_times)
{
	static const char *const bad[] = { "", "yesterday", "2026-13-01T00:00:00Z",
		"2026-02-29T00:00:00Z", "2026-10-30 14:05:00Z", "2026-10-30T14:05Z",
		"2026-10-30T24:00:00Z", "2026-10-30T14:05:00", "2026-10-30T14:05:00+0400",
		"2026-10-30T14:05:00Zjunk", "2026-10-30T14:05:00.Z", "２０２６-10-30T14:05:00Z",
		"2026-10-30T14:05:00+24:00" };
	int64_t t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(aim_time_parse(bad[i], &t) == -1, "accepted %s", bad[i]);
	ck_assert_int_eq(aim_time_parse(NULL, &t), -1);
}
END_TEST

START_TEST(year_of_time)
{
	ck_assert_int_eq(aim_time_year(aim_time_from_civil(2026, 12, 31, 23, 59, 59)), 2026);
	ck_assert_int_eq(aim_time_year(aim_time_from_civil(2027, 1, 1, 0, 0, 0)), 2027);
}
END_TEST

START_TEST(removal_deadline_is_48_hours)
{
	int64_t req = aim_time_from_civil(2026, 11, 1, 10, 0, 0);
	int64_t due = aim_removal_due(req);
	char buf[AIM_TIME_LEN];

	aim_time_format(due, buf);
	ck_assert_str_eq(buf, "2026-11-03T10:00:00Z");
	/* not removed: overdue only once the deadline has passed */
	ck_assert_int_eq(aim_removal_overdue(req, -1, due), 0);
	ck_assert_int_eq(aim_removal_overdue(req, -1, due + 1), 1);
	/* removed in time, exactly at the deadline, and late */
	ck_assert_int_eq(aim_removal_overdue(req, req + 3600, due + 86400), 0);
	ck_assert_int_eq(aim_removal_overdue(req, due, due + 86400), 0);
	ck_assert_int_eq(aim_removal_overdue(req, req + 50 * 3600, due + 86400), 1);
}
END_TEST

START_TEST(loss_window)
{
	int64_t d = 86400;
	int64_t t[] = { 0, 100 * d, 364 * d, 400 * d, 800 * d };
	int64_t c[] = { 300000, 150000, 100000, 400000, 499999 };

	/* 0..364: 5,500; 100..400: 6,500; 800 alone: 4,999.99 */
	ck_assert_int_eq(aim_loss_max_window(t, c, 5), 650000);
	ck_assert_int_eq(aim_loss_max_window(t + 4, c + 4, 1), 499999);
	ck_assert_int_eq(aim_loss_max_window(t, c, 0), 0);
	/* exactly 365 days apart is two windows */
	{
		int64_t t2[] = { 0, 365 * d }, c2[] = { 300000, 300000 };

		ck_assert_int_eq(aim_loss_max_window(t2, c2, 2), 300000);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_utc_and_offsets);
	tcase_add_test(tc, parse_refuses_bad_times);
	tcase_add_test(tc, year_of_time);
	tcase_add_test(tc, removal_deadline_is_48_hours);
	tcase_add_test(tc, loss_window);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
