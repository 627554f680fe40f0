/*
 * auth — passwords, session and API tokens, and who a request is.
 *
 * Passwords are hashed with Argon2id (libsodium's crypto_pwhash_str_alg,
 * interactive limits).  Session and API tokens are 32 random bytes, base64url;
 * only their SHA-256 is stored.  Sessions end after AUTH_IDLE seconds
 * without use and AUTH_ABSOLUTE seconds after log-in.  auth_init() must be
 * called once before anything else here.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "aim_err.h"
#include "model.h"
#include "store.h"

#define AUTH_IDLE (30 * 60)
#define AUTH_ABSOLUTE (12 * 3600)
#define AUTH_HASH_LEN 128	/* crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_LEN 48	/* "aim_" + 43 base64url characters + NUL */
#define AUTH_CSRF_LEN 44
#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 1024

/* Initialise libsodium; -1 if it cannot be. */
int auth_init(void) __attribute__((warn_unused_result));
/*
 * Make what log-on checks need (the dummy hash unknown users are checked
 * against, so that they take as long as known ones); once, thread-safe.  The
 * server calls it before serving; auth_login() calls it too.  0 or -1.
 */
int auth_logon_init(void) __attribute__((warn_unused_result));

/* Argon2id hash of password into out; 0, or -1 (out of memory). */
int auth_password_hash(const char *password, char out[AUTH_HASH_LEN])
    __attribute__((warn_unused_result));
/* 1 when password matches hash, else 0. */
int auth_password_check(const char *hash, const char *password);

/* A new random token with the given prefix ("aim_", "csrf_"…) into out. */
void auth_token_new(const char *prefix, char *out, size_t len);
/* SHA-256 of a token, the only form in which tokens are stored. */
void auth_token_hash(const char *token, unsigned char out[32]);
/* Constant-time comparison of two strings; 1 when equal. */
int auth_equal(const char *a, const char *b);

#define AUTH_MAX_FAILED 5		/* failed log-ons in a row that lock an account … */
#define AUTH_LOCK_SECONDS (10 * 60)	/* … for this long */

/*
 * Log in: check the password (the same time is spent for an unknown user and
 * a locked account), then the second factor, then open a session.  Fills u,
 * token (AUTH_TOKEN_LEN) and csrf (AUTH_CSRF_LEN).  totp may be NULL.
 *   AIM_EBADCRED  wrong name or password (a failure counts towards the lock)
 *   AIM_EMFA      the user has a second factor and totp is missing or wrong
 *                 (a wrong code counts), or is a supervisor without one
 *   AIM_ERATE     the account is locked (f says until when)
 */
enum aim_err auth_login(struct store *s, const char *username, const char *password,
    const char *totp, int64_t now, struct aim_user *u, char *token, char *csrf,
    struct aim_fault *f) __attribute__((warn_unused_result));

/* Resolve a session cookie value into u and csrf; AIM_EUNAUTH if not valid. */
enum aim_err auth_session(struct store *s, const char *token, int64_t now,
    struct aim_user *u, char *csrf) __attribute__((warn_unused_result));
/* Resolve a bearer token into u; AIM_EUNAUTH if not valid. */
enum aim_err auth_bearer(struct store *s, const char *token, struct aim_user *u)
    __attribute__((warn_unused_result));
/* End the session of that cookie value. */
enum aim_err auth_logout(struct store *s, const char *token)
    __attribute__((warn_unused_result));

#endif
