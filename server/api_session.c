/*
 * api_session.c — log in, who am I, log out.
 */
#include <stdio.h>

#include "api.h"
#include "throttle.h"
#include "json_io.h"

static void
set_cookie(struct request *rq, const char *value, int max_age)
{
	int tls = srv_tls(rq);

	snprintf(rq->set_cookie, sizeof(rq->set_cookie),
	    "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    tls ? "__Host-aimcase_session" : "aimcase_session", value, max_age,
	    tls ? "; Secure" : "");
}

static json_t *
session_body(const struct aim_user *u, const char *csrf)
{
	return json_pack("{s:{s:s,s:s},s:s?}", "user", "username", u->username, "role",
	    role_name(u->role), "csrf_token", csrf);
}

enum aim_err
api_session_open(struct request *rq, struct aim_fault *f)
{
	static const char *const keys[] = { "username", "password", "totp", NULL };
	char token[AUTH_TOKEN_LEN], csrf[AUTH_CSRF_LEN];
	const char *name, *password, *totp;
	struct aim_user u;
	char addr[SRV_ADDRESS_LEN];
	int64_t wait;
	enum aim_err e;

	if ((e = json_only_keys(rq->json, "", keys, f)) ||
	    (e = json_get_text(rq->json, "username", 1, USERNAME_MAX, 0, &name, f)) ||
	    (e = json_get_text(rq->json, "password", 1, AUTH_PASSWORD_MAX, 0, &password, f)) ||
	    (e = json_get_text(rq->json, "totp", 0, 16, 0, &totp, f)))
		return e;
	srv_audit(rq, NULL, NULL, "username=%s", name);	/* never the password */
	srv_address(rq, addr, sizeof(addr));
	if ((wait = throttle_wait(addr, rq->now)) > 0)
		return aim_fault_set(f, AIM_ERATE, NULL, "too many failed log-ons from this address;"
		    " try again in %lld minutes", (long long)((wait + 59) / 60));
	e = auth_login(rq->store, name, password, totp, rq->now, &u, token, csrf, f);
	if (e == AIM_EBADCRED || e == AIM_EMFA || e == AIM_ERATE)
		throttle_failed(addr, rq->now);
	if (e != AIM_OK)
		return e;
	set_cookie(rq, token, AUTH_ABSOLUTE);
	rq->user = u;
	rq->authed = 1;
	return srv_json(rq, 200, session_body(&u, csrf));
}

enum aim_err
api_session_show(struct request *rq, struct aim_fault *f)
{
	(void)f;
	return srv_json(rq, 200, session_body(&rq->user, rq->via_cookie ? rq->csrf : NULL));
}

enum aim_err
api_session_close(struct request *rq, struct aim_fault *f)
{
	enum aim_err e;

	(void)f;
	if (rq->via_cookie) {
		if ((e = auth_logout(rq->store, rq->session)) != AIM_OK)
			return e;
		set_cookie(rq, "", 0);
	}
	rq->status = 204;
	return AIM_OK;
}
