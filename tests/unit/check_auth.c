/* Unit tests: auth — password hashing, tokens, sessions and their expiry. */
#include "fixture.h"

static struct aim_fault flt;

static void
setup(void)
{
	ck_assert_int_eq(auth_init(), 0);
	fx_setup();
}

static void
add_user_as(const char *name, const char *pw, enum aim_role role)
{
	char hash[AUTH_HASH_LEN];
	struct aim_fault f = { 0 };

	ck_assert_int_eq(auth_password_hash(pw, hash), 0);
	ck_assert_ptr_nonnull(strstr(hash, "$argon2id$"));
	ck_assert_int_eq(store_user_add(fx.s, name, role, hash, T0, &f), AIM_OK);
}

static void
add_real_user(const char *name, const char *pw)
{
	add_user_as(name, pw, ROLE_PROSECUTOR);
}

/* Log olivia in with pw (and code) at time t. */
static enum aim_err
login(const char *pw, const char *code, int64_t t)
{
	char token[AUTH_TOKEN_LEN], csrf[AUTH_CSRF_LEN];
	struct aim_user u;

	memset(&flt, 0, sizeof(flt));
	return auth_login(fx.s, "olivia", pw, code, t, &u, token, csrf, &flt);
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
	ck_assert_int_eq(auth_login(fx.s, "olivia", "wrong-password", NULL, T0, &u, token,
	    csrf, &flt),
	    AIM_EBADCRED);
	ck_assert_int_eq(auth_login(fx.s, "nobody", "olivia-Passw0rd-1", NULL, T0, &u, token,
	    csrf, &flt),
	    AIM_EBADCRED);
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", NULL, T0, &u, token,
	    csrf, &flt),
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
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", NULL, T0, &u, token,
	    csrf, &flt),
	    AIM_OK);
	/* used every 20 minutes, it lives until the absolute limit */
	while (t + 20 * 60 < T0 + AUTH_ABSOLUTE) {
		t += 20 * 60;
		ck_assert_int_eq(auth_session(fx.s, token, t, &u, csrf), AIM_OK);
	}
	ck_assert_int_eq(auth_session(fx.s, token, T0 + AUTH_ABSOLUTE, &u, csrf), AIM_EUNAUTH);
	/* left alone for over 30 minutes, it ends */
	ck_assert_int_eq(auth_login(fx.s, "olivia", "olivia-Passw0rd-1", NULL, T0, &u, token,
	    csrf, &flt),
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

START_TEST(lockout_after_five_failures)
{
	add_real_user("olivia", "olivia-Passw0rd-1");
	/* four failures, then a success: the count starts again */
	for (int i = 0; i < AUTH_MAX_FAILED - 1; i++)
		ck_assert_int_eq(login("wrong-password", NULL, T0 + i), AIM_EBADCRED);
	ck_assert_int_eq(login("olivia-Passw0rd-1", NULL, T0 + 10), AIM_OK);
	for (int i = 0; i < AUTH_MAX_FAILED - 1; i++)
		ck_assert_int_eq(login("wrong-password", NULL, T0 + 20 + i), AIM_EBADCRED);
	ck_assert_int_eq(login("wrong-password", NULL, T0 + 30), AIM_EBADCRED);	/* the 5th */
	/* locked: even the right password is refused, with when */
	ck_assert_int_eq(login("olivia-Passw0rd-1", NULL, T0 + 31), AIM_ERATE);
	ck_assert_ptr_nonnull(strstr(flt.msg, "locked for 10 more minutes"));
	ck_assert_int_eq(login("olivia-Passw0rd-1", NULL, T0 + 30 + AUTH_LOCK_SECONDS - 1),
	    AIM_ERATE);
	/* ten minutes later it opens again */
	ck_assert_int_eq(login("olivia-Passw0rd-1", NULL, T0 + 30 + AUTH_LOCK_SECONDS), AIM_OK);
}
END_TEST

START_TEST(totp_second_factor)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char code[7], b32[64];
	int64_t t = T0 + 1000;

	add_real_user("olivia", "olivia-Passw0rd-1");
	totp_new_secret(secret);
	ck_assert_int_eq(store_user_set_totp(fx.s, "olivia", secret, sizeof(secret)), AIM_OK);
	ck_assert_int_eq(store_user_set_totp(fx.s, "nobody", secret, sizeof(secret)), AIM_ENOTFOUND);
	ck_assert_int_eq(totp_base32(secret, sizeof(secret), b32, sizeof(b32)), 0);
	ck_assert_uint_eq(strlen(b32), 32);
	/* the password alone is not enough, and says why */
	ck_assert_int_eq(login("olivia-Passw0rd-1", NULL, t), AIM_EMFA);
	ck_assert_str_eq(flt.field, "totp");
	ck_assert_int_eq(login("olivia-Passw0rd-1", "12345", t), AIM_EMFA);
	ck_assert_int_eq(totp_code(secret, sizeof(secret), t, code), 0);
	ck_assert_int_eq(login("olivia-Passw0rd-1", code, t), AIM_OK);
	/* a code is good once */
	ck_assert_int_eq(login("olivia-Passw0rd-1", code, t + 1), AIM_EMFA);
	/* the next step's code works, as does one 30 s behind the clock */
	ck_assert_int_eq(totp_code(secret, sizeof(secret), t + 30, code), 0);
	ck_assert_int_eq(login("olivia-Passw0rd-1", code, t + 60), AIM_OK);
	/* one from five minutes ago does not */
	ck_assert_int_eq(totp_code(secret, sizeof(secret), t - 300, code), 0);
	ck_assert_int_eq(login("olivia-Passw0rd-1", code, t + 90), AIM_EMFA);
}
END_TEST

START_TEST(totp_known_vector)
{
	/* RFC 6238 appendix B, SHA-1: the secret "12345678901234567890" at 59 s → 94287082 (8
	 * digits); with 6 digits the code is the last six */
	char code[7];

	ck_assert_int_eq(totp_code((const unsigned char *)"12345678901234567890", 20, 59, code), 0);
	ck_assert_str_eq(code, "287082");
	ck_assert_int_eq(totp_code((const unsigned char *)"12345678901234567890", 20, 1111111109,
	    code), 0);
	ck_assert_str_eq(code, "081804");
}
END_TEST

START_TEST(supervisors_need_a_second_factor)
{
	unsigned char secret[TOTP_SECRET_LEN];
	char code[7];

	add_user_as("sven", "sven-Passw0rd-12", ROLE_SUPERVISOR);
	{
		char token[AUTH_TOKEN_LEN], csrf[AUTH_CSRF_LEN];
		struct aim_user u;

		memset(&flt, 0, sizeof(flt));
		ck_assert_int_eq(auth_login(fx.s, "sven", "sven-Passw0rd-12", NULL, T0, &u, token,
		    csrf, &flt), AIM_EMFA);
		ck_assert_ptr_nonnull(strstr(flt.msg, "aimcase user mfa sven"));
		totp_new_secret(secret);
		ck_assert_int_eq(store_user_set_totp(fx.s, "sven", secret, sizeof(secret)), AIM_OK);
		ck_assert_int_eq(totp_code(secret, sizeof(secret), T0, code), 0);
		ck_assert_int_eq(auth_login(fx.s, "sven", "sven-Passw0rd-12", code, T0, &u, token,
		    csrf, &flt), AIM_OK);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, fx_teardown);
	tcase_add_test(tc, passwords);
	tcase_add_test(tc, tokens_are_random);
	tcase_add_test(tc, login_session_logout);
	tcase_add_test(tc, session_expiry);
	tcase_add_test(tc, bearer_tokens);
	tcase_add_test(tc, lockout_after_five_failures);
	tcase_add_test(tc, totp_second_factor);
	tcase_add_test(tc, totp_known_vector);
	tcase_add_test(tc, supervisors_need_a_second_factor);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
