#include "auth.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#define TOKEN_BYTES 32

/*
 * A real Argon2id hash of a random password, made once at start-up and only
 * read afterwards: checking an unknown user against it costs the same time
 * as checking a known one.
 */
static char dummy_hash[AUTH_HASH_LEN];

int
auth_init(void)
{
	char pw[AUTH_TOKEN_LEN];

	if (sodium_init() < 0)
		return -1;
	auth_token_new("", pw, sizeof(pw));
	return auth_password_hash(pw, dummy_hash);
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

enum aim_err
auth_login(struct store *s, const char *username, const char *password, int64_t now,
    struct aim_user *u, char *token, char *csrf)
{
	char hash[AUTH_HASH_LEN];
	unsigned char th[32];
	enum aim_err e;
	int ok;

	e = store_user_get(s, username, u, hash, sizeof(hash));
	if (e != AIM_OK && e != AIM_ENOTFOUND)
		return e;
	ok = auth_password_check(e == AIM_OK ? hash : dummy_hash, password) && e == AIM_OK;
	sodium_memzero(hash, sizeof(hash));
	if (!ok)
		return AIM_EBADCRED;
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
