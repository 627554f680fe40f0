/*
 * store_auth.c — users, sessions and API tokens.
 *
 * Session and API tokens are never stored: only their SHA-256, computed by
 * the caller.  A session's last use is written at most once a minute so that
 * reads do not each cost a durable commit.
 */
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

#define TOUCH_EVERY 60

static void
user_from_row(sqlite3_stmt *st, int first, struct aim_user *u)
{
	const unsigned char *name = sqlite3_column_text(st, first + 1);

	u->id = sqlite3_column_int64(st, first);
	snprintf(u->username, sizeof(u->username), "%s", name != NULL ? (const char *)name : "");
	u->role = (enum aim_role)sqlite3_column_int(st, first + 2);
	if ((unsigned)u->role >= ROLE__MAX)
		u->role = ROLE_NONE;
}

enum aim_err
store_user_add(struct store *s, const char *username, enum aim_role role,
    const char *pw_hash, int64_t now, struct aim_fault *f)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO users (username, role, pw_hash, created_at) VALUES (?1, ?2, ?3, ?4)");
	enum aim_err e;

	if (st == NULL)
		return AIM_EDB;
	if (store_bind_text(st, 1, username) || sqlite3_bind_int(st, 2, (int)role) ||
	    store_bind_text(st, 3, pw_hash) || sqlite3_bind_int64(st, 4, now)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	e = store_exec(s, st);
	if (e == AIM_ECONFLICT)
		return aim_fault_set(f, e, "username", "user %s already exists", username);
	if (e != AIM_OK)
		return aim_fault_set(f, e, NULL, "cannot add user %s: %s", username,
		    sqlite3_errmsg(s->db));
	return AIM_OK;
}

enum aim_err
store_user_logon(struct store *s, const char *username, struct aim_user *u, char *pw_hash,
    size_t pw_len, struct logon_state *ls)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT id, username, role, pw_hash, failed_logins, locked_until, totp_secret,"
	    " totp_last_step FROM users WHERE username = ?1");
	enum aim_err e;

	memset(ls, 0, sizeof(*ls));
	if (st == NULL)
		return AIM_EDB;
	if (store_bind_text(st, 1, username)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) == AIM_OK) {
		const unsigned char *h = sqlite3_column_text(st, 3);
		int n = sqlite3_column_bytes(st, 6);

		user_from_row(st, 0, u);
		snprintf(pw_hash, pw_len, "%s", h != NULL ? (const char *)h : "");
		ls->failed = sqlite3_column_int(st, 4);
		ls->locked_until = sqlite3_column_int64(st, 5);
		if (n > 0 && (size_t)n <= sizeof(ls->totp)) {
			memcpy(ls->totp, sqlite3_column_blob(st, 6), (size_t)n);
			ls->totp_len = (size_t)n;
		}
		ls->totp_last_step = sqlite3_column_int64(st, 7);
	}
out:
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_user_get(struct store *s, const char *username, struct aim_user *u,
    char *pw_hash, size_t pw_len)
{
	struct logon_state ls;
	char none[1];
	enum aim_err e = store_user_logon(s, username, u, pw_hash != NULL ? pw_hash : none,
	    pw_hash != NULL ? pw_len : sizeof(none), &ls);

	explicit_bzero(&ls, sizeof(ls));	/* the TOTP secret is not the caller's */
	return e;
}

enum aim_err
store_logon_failed(struct store *s, int64_t user_id, int64_t now, int max_failed,
    int64_t lock_seconds, int *locked)
{
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE users SET"
	    " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 + ?4 ELSE locked_until END,"
	    " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
	    " WHERE id = ?1 RETURNING locked_until > ?3");
	enum aim_err e;

	*locked = 0;
	if (st == NULL || sqlite3_bind_int64(st, 1, user_id) || sqlite3_bind_int(st, 2, max_failed) ||
	    sqlite3_bind_int64(st, 3, now) || sqlite3_bind_int64(st, 4, lock_seconds)) {
		if (st != NULL)
			sqlite3_reset(st);
		return AIM_EDB;
	}
	if ((e = store_row(s, st)) == AIM_OK)
		*locked = sqlite3_column_int(st, 0);
	if (e == AIM_OK && sqlite3_step(st) != SQLITE_DONE)
		e = AIM_EDB;
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_logon_ok(struct store *s, int64_t user_id, int64_t totp_step)
{
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE users SET failed_logins = 0, locked_until = 0,"
	    " totp_last_step = max(totp_last_step, ?2) WHERE id = ?1");

	if (st == NULL || sqlite3_bind_int64(st, 1, user_id) || sqlite3_bind_int64(st, 2, totp_step)) {
		if (st != NULL)
			sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_exec(s, st);
}

enum aim_err
store_user_set_role(struct store *s, const char *username, enum aim_role role,
    enum aim_role *old)
{
	sqlite3_stmt *st;
	enum aim_err e;

	/* the old role first, then the change: one transaction */
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	st = store_stmt(s, "SELECT role FROM users WHERE username = ?1");
	if (st == NULL || store_bind_text(st, 1, username)) {
		e = AIM_EDB;
		goto fail;
	}
	e = store_row(s, st);
	if (e == AIM_OK)
		*old = (enum aim_role)sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK)
		goto fail;
	st = store_stmt(s, "UPDATE users SET role = ?2 WHERE username = ?1");
	if (st == NULL || store_bind_text(st, 1, username) || sqlite3_bind_int(st, 2, (int)role)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_exec(s, st)) != AIM_OK)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return e;
}

enum aim_err
store_user_set_totp(struct store *s, const char *username, const unsigned char *secret,
    size_t len)
{
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE users SET totp_secret = ?2, totp_last_step = 0 WHERE username = ?1");
	enum aim_err e;

	if (st == NULL || store_bind_text(st, 1, username) ||
	    (len > 0 ? sqlite3_bind_blob(st, 2, secret, (int)len, SQLITE_TRANSIENT) :
	    sqlite3_bind_null(st, 2)) != SQLITE_OK) {
		if (st != NULL)
			sqlite3_reset(st);
		return AIM_EDB;
	}
	if ((e = store_exec(s, st)) != AIM_OK)
		return e;
	return sqlite3_changes(s->db) == 1 ? AIM_OK : AIM_ENOTFOUND;
}

enum aim_err
store_session_add(struct store *s, int64_t user_id, const unsigned char token_hash[32],
    const char *csrf, int64_t now, int64_t expires_at)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)");

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT) ||
	    sqlite3_bind_int64(st, 2, user_id) || store_bind_text(st, 3, csrf) ||
	    sqlite3_bind_int64(st, 4, now) || sqlite3_bind_int64(st, 5, expires_at)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_exec(s, st);
}

enum aim_err
store_session_get(struct store *s, const unsigned char token_hash[32], int64_t now,
    int64_t idle, struct aim_user *u, char *csrf, size_t csrf_len)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT u.id, u.username, u.role, s.csrf, s.last_seen, s.id"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_at > ?2"
	    " AND s.last_seen > ?3");
	sqlite3_stmt *touch;
	enum aim_err e;
	int64_t last = 0, sid = 0;

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT) ||
	    sqlite3_bind_int64(st, 2, now) || sqlite3_bind_int64(st, 3, now - idle)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) == AIM_OK) {
		const unsigned char *c = sqlite3_column_text(st, 3);

		user_from_row(st, 0, u);
		snprintf(csrf, csrf_len, "%s", c != NULL ? (const char *)c : "");
		last = sqlite3_column_int64(st, 4);
		sid = sqlite3_column_int64(st, 5);
	} else if (e == AIM_ENOTFOUND) {
		e = AIM_EUNAUTH;
	}
out:
	sqlite3_reset(st);
	if (e != AIM_OK || now - last < TOUCH_EVERY)
		return e;
	touch = store_stmt(s, "UPDATE sessions SET last_seen = ?2 WHERE id = ?1");
	if (touch == NULL || sqlite3_bind_int64(touch, 1, sid) ||
	    sqlite3_bind_int64(touch, 2, now))
		return AIM_EDB;
	return store_exec(s, touch);
}

enum aim_err
store_session_revoke(struct store *s, const unsigned char token_hash[32])
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_exec(s, st);
}

enum aim_err
store_token_add(struct store *s, const char *username, const unsigned char token_hash[32],
    int64_t now)
{
	struct aim_user u;
	sqlite3_stmt *st;
	enum aim_err e = store_user_get(s, username, &u, NULL, 0);

	if (e != AIM_OK)
		return e;
	st = store_stmt(s,
	    "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT) ||
	    sqlite3_bind_int64(st, 2, u.id) || sqlite3_bind_int64(st, 3, now)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_exec(s, st);
}

enum aim_err
store_token_get(struct store *s, const unsigned char token_hash[32], struct aim_user *u)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT u.id, u.username, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id"
	    " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL");
	enum aim_err e;

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_TRANSIENT)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) == AIM_OK)
		user_from_row(st, 0, u);
	else if (e == AIM_ENOTFOUND)
		e = AIM_EUNAUTH;
out:
	sqlite3_reset(st);
	return e;
}
