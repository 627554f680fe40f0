/*
 * routes — the one table of every URL the server answers.
 *
 * A row is {method, path pattern, handler, minimum role, flags}.  Generic
 * code enforces what a row says before the handler runs: 404/405, 401/403,
 * CSRF, content type and JSON parsing.  Handlers never re-check these.
 */
#ifndef ROUTES_H
#define ROUTES_H

#include "http.h"

/* Handlers return AIM_OK having answered (srv_json…), or an error with f filled. */
typedef enum aim_err (*route_fn)(struct request *rq, struct aim_fault *f);

enum route_flags {
	R_PUBLIC = 1 << 0,	/* no session needed */
	R_JSON = 1 << 1,	/* body is a JSON object, parsed into rq->json */
	R_NO_CSRF = 1 << 2,	/* cookie sessions need no CSRF token (log-in) */
	R_LOOPBACK = 1 << 3,	/* only from a loopback address */
};

/*
 * A streaming route takes its body chunk by chunk as it arrives (len bytes,
 * borrowed); fn then runs once the body is complete.
 */
typedef enum aim_err (*route_upload_fn)(struct request *rq, const char *data, size_t len,
    struct aim_fault *f);

struct route {
	const char *method;
	const char *pattern;	/* "/api/cases/{ref}", or the catch-all for non-API paths */
	route_fn fn;
	route_upload_fn upload;	/* NULL: the body is buffered (JSON, at most json_max) */
	enum aim_role role;	/* least role allowed */
	unsigned flags;
};

enum route_match {
	ROUTE_FOUND,
	ROUTE_NO_PATH,		/* 404 */
	ROUTE_NO_METHOD,	/* 405; allow filled */
};

/*
 * Find the row for method and path; copies path parameters into
 * param[ROUTE_PARAMS] and, on ROUTE_NO_METHOD, the allowed methods into
 * allow (borrowed buffers).
 */
enum route_match routes_match(const char *method, const char *path,
    const struct route **out, char param[][ROUTE_PARAM_LEN], char *allow, size_t allow_len);

#endif
