/* Unit tests: validate — single values of untrusted input. */
#include "unit.h"

#include "validate.h"

START_TEST(ip_canonical)
{
	char out[V_IP_LEN];

	ck_assert_int_eq(v_ip("2001:DB8:0:0::1", out), 0);
	ck_assert_str_eq(out, "2001:db8::1");
	ck_assert_int_eq(v_ip("203.0.113.7", out), 0);
	ck_assert_str_eq(out, "203.0.113.7");
	ck_assert_int_eq(v_ip("::ffff:192.0.2.1", out), 0);
	ck_assert_int_eq(v_ip("203.0.113.300", out), -1);
	ck_assert_int_eq(v_ip("203.0.113", out), -1);
	ck_assert_int_eq(v_ip("example.com", out), -1);
	ck_assert_int_eq(v_ip("", out), -1);
	ck_assert_int_eq(v_ip("2001:db8::1::2", out), -1);
}
END_TEST

START_TEST(domains)
{
	char out[V_DOMAIN_LEN];

	ck_assert_int_eq(v_domain("Agent-Relay.Example.NET.", out), 0);
	ck_assert_str_eq(out, "agent-relay.example.net");
	ck_assert_int_eq(v_domain("localhost", out), -1);
	ck_assert_int_eq(v_domain("-bad.example", out), -1);
	ck_assert_int_eq(v_domain("bad-.example", out), -1);
	ck_assert_int_eq(v_domain("a..example", out), -1);
	ck_assert_int_eq(v_domain("203.0.113.300", out), -1);
	ck_assert_int_eq(v_domain("exa mple.com", out), -1);
	ck_assert_int_eq(v_domain("", out), -1);
}
END_TEST

START_TEST(urls_and_hashes)
{
	char h[V_SHA256_LEN];

	ck_assert_int_eq(v_url("https://pixelboard.example/i/8f3a", 2048), 0);
	ck_assert_int_eq(v_url("HTTP://chirp.example", 2048), 0);
	ck_assert_int_eq(v_url("ftp://files.example/x", 2048), -1);
	ck_assert_int_eq(v_url("https://", 2048), -1);
	ck_assert_int_eq(v_url("https://a.example/<script>", 2048), -1);
	ck_assert_int_eq(v_url("javascript:alert(1)", 2048), -1);
	ck_assert_int_eq(v_sha256("60BF3935DF9B2CAFA3E6E83607F54A5D910BE184532C535F1D2DF8B30A6A058C", h), 0);
	ck_assert_str_eq(h, "60bf3935df9b2cafa3e6e83607f54a5d910be184532c535f1d2df8b30a6a058c");
	ck_assert_int_eq(v_sha256("60bf3935df9b2cafa3e6e83607f54a5d910be184532c535f1d2df8b30a6a058", h), -1);
	ck_assert_int_eq(v_sha256("g0bf3935df9b2cafa3e6e83607f54a5d910be184532c535f1d2df8b30a6a058c", h), -1);
}
END_TEST

START_TEST(money)
{
	int64_t c;
	json_t *v;

	v = json_integer(12000);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), 0);
	ck_assert_int_eq(c, 1200000);
	json_decref(v);
	v = json_real(12975.50);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), 0);
	ck_assert_int_eq(c, 1297550);
	json_decref(v);
	v = json_real(0.1);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), 0);
	ck_assert_int_eq(c, 10);
	json_decref(v);
	v = json_real(10.005);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), -1);
	json_decref(v);
	v = json_integer(-1);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), -1);
	json_decref(v);
	v = json_string("12");
	ck_assert_int_eq(v_money(v, 100000000000000, &c), -1);
	json_decref(v);
	/* three decimals are refused at any size; tiny fractions too */
	static const double bad[] = { 12345.678, 5000.001, 1e-8, 999999999999.999 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_real(bad[i]);
		ck_assert_int_eq(v_money(v, 100000000000000, &c), -1);
		json_decref(v);
	}
	/* two decimals are exact, even near the top of the range */
	v = json_real(999999999999.99);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), 0);
	ck_assert_int_eq(c, 99999999999999);
	json_decref(v);
	v = json_real(0.3);
	ck_assert_int_eq(v_money(v, 100000000000000, &c), 0);
	ck_assert_int_eq(c, 30);
	json_decref(v);
}
END_TEST

START_TEST(utf8)
{
	char dirty[] = "caf\xc3\xa9 \xff \xc0\xaf \xed\xa0\x80 ok";

	ck_assert_int_eq(v_utf8("caf\xc3\xa9 \xf0\x9f\x94\x8d", 10), 1);
	ck_assert_int_eq(v_utf8("\xff", 1), 0);
	ck_assert_int_eq(v_utf8("\xc0\xaf", 2), 0);		/* overlong '/' */
	ck_assert_int_eq(v_utf8("\xed\xa0\x80", 3), 0);	/* a surrogate */
	ck_assert_int_eq(v_utf8("\xf4\x90\x80\x80", 4), 0);	/* past U+10FFFF */
	ck_assert_int_eq(v_utf8("\xc3", 1), 0);		/* cut short */
	ck_assert_int_eq(v_utf8("a\0b", 3), 0);		/* a NUL byte */
	v_utf8_clean(dirty);
	ck_assert_str_eq(dirty, "caf\xc3\xa9 ? ?? ??? ok");
}
END_TEST

START_TEST(text_and_ints)
{
	int64_t n;

	ck_assert_ptr_null(v_text("Agent scraped portal", 1, 300, 0, 0));
	ck_assert_ptr_nonnull(v_text("", 1, 300, 0, 0));
	ck_assert_ptr_nonnull(v_text("a\x01b", 1, 300, 0, 0));
	ck_assert_ptr_nonnull(v_text("line\nline", 1, 300, 0, 0));
	ck_assert_ptr_null(v_text("line\nline", 1, 300, V_MULTILINE, 0));
	ck_assert_ptr_null(v_text("\xc3\xa9\xc3\xa9\xc3\xa9", 1, 3, 0, 0));	/* 3 characters */
	ck_assert_ptr_nonnull(v_text("\xc3\xa9\xc3\xa9\xc3\xa9", 1, 3, 0, 1));	/* 6 bytes */
	ck_assert_int_eq(v_int64("50", 1, 200, &n), 0);
	ck_assert_int_eq(n, 50);
	ck_assert_int_eq(v_int64("0", 1, 200, &n), -1);
	ck_assert_int_eq(v_int64("201", 1, 200, &n), -1);
	ck_assert_int_eq(v_int64("5x", 1, 200, &n), -1);
	ck_assert_int_eq(v_int64(" 5", 1, 200, &n), -1);
	ck_assert_int_eq(v_int64("99999999999999999999", 1, INT64_MAX, &n), -1);
	ck_assert_int_eq(v_token_chars("retry-7f3a", 200), 0);
	ck_assert_int_eq(v_token_chars("has space", 200), -1);
	ck_assert_int_eq(v_token_chars("", 200), -1);
	/* rule ids and hash set names */
	ck_assert_int_eq(v_rule_id("tida.removal.overdue", 96), 0);
	ck_assert_int_eq(v_rule_id("ncmec_2026-q3", 78), 0);
	ck_assert_int_eq(v_rule_id("ncmec,2026", 78), -1);
	ck_assert_int_eq(v_rule_id("NSRL", 78), -1);
	ck_assert_int_eq(v_rule_id("caf\xc3\xa9", 78), -1);
	ck_assert_int_eq(v_rule_id("", 78), -1);
	ck_assert_int_eq(v_rule_id("abc", 2), -1);
	ck_assert_int_eq(v_rule_id("ab", 2), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ip_canonical);
	tcase_add_test(tc, domains);
	tcase_add_test(tc, urls_and_hashes);
	tcase_add_test(tc, money);
	tcase_add_test(tc, utf8);
	tcase_add_test(tc, text_and_ints);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
