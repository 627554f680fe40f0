/* Unit tests: auth — password hashing, tokens, sessions and their expiry. */
#include "fixture.h"

static struct fixture fx;

static void
setup(void)
{
	ck_assert_int_eq(auth_init(), 0);
	fixture_open(&fx);
}

static void
teardown(void)
{
	fixture_close(&fx);
}

static void
add_real_user(const char *name, const char *pw)
{
	char hash[AUTH_HASH_LEN];
	struct aim_fault f = { 0 };

	ck_assert_int_eq(auth_password_hash(pw, hash), 0);
	ck_assert_ptr_nonnull(strstr(hash, "$argon2id$"));
	ck_assert_int_eq(store_user_add(fx.s, name, ROLE_PROSECUTOR, hash, T0, &f), AIM_OK);
}

START_TEST(passwords)
{
	char hash[AUTH_HASH_LEN];

	ck_assert_int_eq(auth_password_hash("correct horse battery", hash), 0);
	ck_assert_int_eq(auth_password_check(hash, "correct horse battery"), 1);
	ck_assert_int_eq(auth_password_check(hash, "correct horse batterY"), 0);
	ck_assert_int_eq(auth_password_check("not a hash", "x"), 0);
}
END_TEST

START_TEST(tokens_are_random)
{
	char a[AUTH_TOKEN_LEN], b[AUTH_TOKEN_LEN];

	auth_token_new("aim_", a, sizeof(a));
	auth_token_new("aim_", b, sizeof(b));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strlen(a), 47);
	ck_assert_int_eq(auth_equal(a, a), 1);
	ck_assert_int_eq(auth_equal(a, b), 0);
}
END_TEST

START_TEST(login_session_logout)
{
	char token[AUTH_TOKEN_LEN], csrf[AUTH_CSRF_LEN], csrf2[AUTH_CSRF_LEN];
	struct aim_user u;

	add_real_user("olivia", "olivia-Passw0rd-1");
	ck_assert_int_eq(auth_login(fx.s, "olivia", "wrong-password", T0, &u, token, csrf),
	    AIM_EBADCRED);
	ck_assert_int_eq(auth_login(fx.s, "nobody", "olivia-Passw0rd-1", T0, &u, token, csrf),
	    AIM_EBADCRED);
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", T0, &u, token, csrf),
	    AIM_OK);
	ck_assert_str_eq(u.username, "olivia");
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(auth_session(fx.s, token, T0 + 60, &u, csrf2), AIM_OK);
	ck_assert_int_eq(u.role, ROLE_PROSECUTOR);
	ck_assert_str_eq(csrf, csrf2);
	ck_assert_int_eq(auth_session(fx.s, "forged", T0 + 60, &u, csrf2), AIM_EUNAUTH);
	ck_assert_int_eq(auth_logout(fx.s, token), AIM_OK);
	ck_assert_int_eq(auth_session(fx.s, token, T0 + 61, &u, csrf2), AIM_EUNAUTH);
}
END_TEST

START_TEST(session_expiry)
{
	char token[AUTH_TOKEN_LEN], csrf[AUTH_CSRF_LEN];
	struct aim_user u;
	int64_t t = T0;

	add_real_user("olivia", "olivia-Passw0rd-1");
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", T0, &u, token, csrf),
	    AIM_OK);
	/* used every 20 minutes, it lives until the absolute limit */
	while (t + 20 * 60 < T0 + AUTH_ABSOLUTE) {
		t += 20 * 60;
		ck_assert_int_eq(auth_session(fx.s, token, t, &u, csrf), AIM_OK);
	}
	ck_assert_int_eq(auth_session(fx.s, token, T0 + AUTH_ABSOLUTE, &u, csrf), AIM_EUNAUTH);
	/* left alone for over 30 minutes, it ends */
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", T0, &u, token, csrf),
	    AIM_OK);
	ck_assert_int_eq(auth_session(fx.s, token, T0 + AUTH_IDLE + 1, &u, csrf), AIM_EUNAUTH);
}
END_TEST

START_TEST(bearer_tokens)
{
	char token[AUTH_TOKEN_LEN];
	unsigned char th[32];
	struct aim_user u;

	auth_token_new("aim_", token, sizeof(token));
	auth_token_hash(token, th);
	ck_assert_int_eq(store_token_add(fx.s, "sam", th, T0), AIM_OK);
	ck_assert_int_eq(store_token_add(fx.s, "nobody", th, T0), AIM_ENOTFOUND);
	ck_assert_int_eq(auth_bearer(fx.s, token, &u), AIM_OK);
	ck_assert_str_eq(u.username, "sam");
	ck_assert_int_eq(u.role, ROLE_SUPERVISOR);
	ck_assert_int_eq(auth_bearer(fx.s, "aim_forged", &u), AIM_EUNAUTH);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, passwords);
	tcase_add_test(tc, tokens_are_random);
	tcase_add_test(tc, login_session_logout);
	tcase_add_test(tc, session_expiry);
	tcase_add_test(tc, bearer_tokens);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
