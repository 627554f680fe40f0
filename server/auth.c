#include "auth.h"
#include "totp.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#define TOKEN_BYTES 32

/*
 * A real Argon2id hash of a random password, made once and only read
 * afterwards: checking an unknown user against it costs the same time as
 * checking a known one.  Made by auth_logon_init() (the server, before it
 * serves), not by every command of the CLI (an Argon2id hash: ~50 ms).
 */
static char dummy_hash[AUTH_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static int dummy_ok;

static void
dummy_make(void)
{
	char pw[AUTH_TOKEN_LEN];

	auth_token_new("", pw, sizeof(pw));
	dummy_ok = auth_password_hash(pw, dummy_hash) == 0;
	sodium_memzero(pw, sizeof(pw));
}

int
auth_init(void)
{
	return sodium_init() < 0 || totp_init() != 0 ? -1 : 0;
}

int
auth_logon_init(void)
{
	return pthread_once(&dummy_once, dummy_make) == 0 && dummy_ok ? 0 : -1;
}

int
auth_password_hash(const char *password, char out[AUTH_HASH_LEN])
{
	_Static_assert(AUTH_HASH_LEN == crypto_pwhash_STRBYTES, "hash buffer size");
	return crypto_pwhash_str_alg(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int
auth_password_check(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
auth_token_new(const char *prefix, char *out, size_t len)
{
	unsigned char raw[TOKEN_BYTES];
	char b64[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, len, "%s%s", prefix, b64);
	sodium_memzero(raw, sizeof(raw));
}

void
auth_token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

int
auth_equal(const char *a, const char *b)
{
	unsigned char ha[32], hb[32];

	/* Compare digests so that neither length nor content leaks through timing. */
	auth_token_hash(a, ha);
	auth_token_hash(b, hb);
	return sodium_memcmp(ha, hb, sizeof(ha)) == 0;
}

/* A failed log-on of a known user: counted, and maybe the account locked. */
static enum aim_err
logon_failed(struct store *s, const struct aim_user *u, int64_t now, enum aim_err why,
    struct aim_fault *f)
{
	int locked = 0;
	enum aim_err e = store_logon_failed(s, u->id, now, AUTH_MAX_FAILED, AUTH_LOCK_SECONDS,
	    &locked);

	if (e != AIM_OK)
		return e;
	if (locked)
		fprintf(stderr, "aimcase: account %s locked for %d minutes after %d failed log-ons\n",
		    u->username, AUTH_LOCK_SECONDS / 60, AUTH_MAX_FAILED);
	if (why == AIM_EMFA)
		return aim_fault_set(f, AIM_EMFA, "totp", "totp: the one-time code is not valid");
	return why;
}

enum aim_err
auth_login(struct store *s, const char *username, const char *password, const char *totp,
    int64_t now, struct aim_user *u, char *token, char *csrf, struct aim_fault *f)
{
	char hash[AUTH_HASH_LEN];
	struct logon_state ls;
	unsigned char th[32];
	int64_t step = 0;
	enum aim_err e;
	int ok;

	if (auth_logon_init() != 0)
		return aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
	e = store_user_logon(s, username, u, hash, sizeof(hash), &ls);
	if (e != AIM_OK && e != AIM_ENOTFOUND)
		return e;
	ok = auth_password_check(e == AIM_OK ? hash : dummy_hash, password) && e == AIM_OK;
	sodium_memzero(hash, sizeof(hash));
	if (e == AIM_OK && ls.locked_until > now) {
		int64_t left = ls.locked_until - now;

		sodium_memzero(&ls, sizeof(ls));
		return aim_fault_set(f, AIM_ERATE, NULL,
		    "too many failed log-ons: the account is locked for %lld more minutes",
		    (long long)((left + 59) / 60));
	}
	if (!ok) {
		sodium_memzero(&ls, sizeof(ls));
		return e == AIM_OK ? logon_failed(s, u, now, AIM_EBADCRED, f) : AIM_EBADCRED;
	}
	if (ls.totp_len == 0 && u->role >= ROLE_SUPERVISOR)
		return aim_fault_set(f, AIM_EMFA, "totp", "a supervisor needs a second factor:"
		    " enroll one with `aimcase user mfa %s`", u->username);
	if (ls.totp_len != 0) {
		if (totp == NULL || totp[0] == '\0') {
			sodium_memzero(&ls, sizeof(ls));
			return aim_fault_set(f, AIM_EMFA, "totp",
			    "totp: enter the one-time code of your authenticator");
		}
		ok = totp_check(ls.totp, ls.totp_len, totp, now, ls.totp_last_step, &step) == 0;
		sodium_memzero(&ls, sizeof(ls));
		if (!ok)
			return logon_failed(s, u, now, AIM_EMFA, f);
	}
	if ((e = store_logon_ok(s, u->id, step)) != AIM_OK)
		return e;
	auth_token_new("", token, AUTH_TOKEN_LEN);
	auth_token_new("", csrf, AUTH_CSRF_LEN);
	auth_token_hash(token, th);
	return store_session_add(s, u->id, th, csrf, now, now + AUTH_ABSOLUTE);
}

enum aim_err
auth_session(struct store *s, const char *token, int64_t now, struct aim_user *u,
    char *csrf)
{
	unsigned char th[32];

	auth_token_hash(token, th);
	return store_session_get(s, th, now, AUTH_IDLE, u, csrf, AUTH_CSRF_LEN);
}

enum aim_err
auth_bearer(struct store *s, const char *token, struct aim_user *u)
{
	unsigned char th[32];

	auth_token_hash(token, th);
	return store_token_get(s, th, u);
}

enum aim_err
auth_logout(struct store *s, const char *token)
{
	unsigned char th[32];

	auth_token_hash(token, th);
	return store_session_revoke(s, th);
}
