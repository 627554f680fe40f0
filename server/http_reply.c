/*
 * http_reply.c — the helpers handlers answer with (http.h): the request's
 * arguments, headers and rules, its JSON answer, what its audit entry says.
 */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_priv.h"
#include "json_io.h"
#include "validate.h"

const struct rule_set *
srv_rules(struct request *rq)
{
	if (rq->rules == NULL && rq->cfg->rules != NULL)
		rq->rules = rules_live_get(rq->cfg->rules);
	return rq->rules;
}

int
srv_tls(const struct request *rq)
{
	return rq->cfg->tls_cert != NULL;
}

const char *
srv_arg(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

void
srv_address(struct request *rq, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	out[0] = '\0';
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		    (socklen_t)len);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		    (socklen_t)len);
}

enum aim_err
srv_arg_int(struct request *rq, const char *name, int64_t min, int64_t max, int64_t *out,
    struct aim_fault *f)
{
	const char *s = srv_arg(rq, name);

	if (s == NULL)
		return AIM_OK;
	if (v_int64(s, min, max, out) != 0)
		return aim_fault_set(f, AIM_EINVAL, name, "%s: a whole number from %lld to %lld",
		    name, (long long)min, (long long)max);
	return AIM_OK;
}

const char *
srv_header(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

enum aim_err
srv_json(struct request *rq, unsigned status, json_t *body)
{
	if (body == NULL)
		return AIM_ENOMEM;
	json_decref(rq->reply);
	rq->reply = body;
	rq->status = status;
	return AIM_OK;
}

char *
srv_json_dump(const json_t *body)
{
	return json_dumps(body, JSON_COMPACT | JSON_REAL_DIGITS);
}

/* The JSON answer is resp (owned by rq now). */
static enum aim_err
json_answer(struct request *rq, unsigned status, struct MHD_Response *resp, size_t len)
{
	json_decref(rq->reply);
	rq->reply = NULL;
	if (rq->resp != NULL)
		MHD_destroy_response(rq->resp);
	rq->resp = resp;
	rq->resp_json = 1;
	rq->resp_len = len;
	rq->status = status;
	return AIM_OK;
}

enum aim_err
srv_json_text(struct request *rq, unsigned status, char *text, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, text,
	    MHD_RESPMEM_MUST_FREE);

	if (resp == NULL) {
		free(text);
		return AIM_ENOMEM;
	}
	return json_answer(rq, status, resp, len);
}

enum aim_err
srv_json_shared(struct request *rq, unsigned status, const char *text, size_t len,
    void (*release)(void *cls), void *cls)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(len,
	    (void *)text, release, cls);	/* MHD only reads it */

	if (resp == NULL) {
		release(cls);
		return AIM_ENOMEM;
	}
	return json_answer(rq, status, resp, len);
}

void
srv_audit(struct request *rq, const char *case_ref, const char *object, const char *fmt, ...)
{
	va_list ap;

	if (case_ref != NULL)
		snprintf(rq->audit_case, sizeof(rq->audit_case), "%s", case_ref);
	if (object != NULL)
		snprintf(rq->audit_object, sizeof(rq->audit_object), "%s", object);
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(rq->audit_detail, sizeof(rq->audit_detail), fmt, ap);
		va_end(ap);
	}
}

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none';"
    " frame-ancestors 'none'";

void
http_error_reply(struct request *rq, enum aim_err e, const struct aim_fault *f)
{
	if (rq->resp != NULL) {
		MHD_destroy_response(rq->resp);
		rq->resp = NULL;
		rq->resp_json = 0;
	}
	srv_json(rq, aim_http_status(e), json_error_body(e, f));
}

void
http_add_headers(struct request *rq, struct MHD_Response *resp)
{
	int api = strncmp(rq->url, "/api/", 5) == 0;

	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (srv_tls(rq))
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
	if (api || rq->reply != NULL || rq->resp_json)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rq->reply != NULL || rq->resp_json)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "application/json; charset=utf-8");
	if (rq->set_cookie[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, rq->set_cookie);
	if (rq->status == 405 && rq->allow[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rq->allow);
	if (rq->close)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}
