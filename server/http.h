/*
 * http — the HTTP server: libmicrohttpd with an epoll thread pool, the
 * request lifecycle, and the per-request state handlers work on.
 *
 * Lifecycle (libmicrohttpd's documented pattern, which keeps keep-alive
 * working): the first call for a request only sets up its struct request;
 * the calls that follow consume the upload into a bounded buffer; the final
 * call authenticates, checks the route's preconditions (routes.c), runs the
 * handler and hands an /api/ request's audit entry to the audit writer,
 * suspending the connection until the entry is committed (the thread serves
 * other connections meanwhile); resumed, it queues the one response and
 * writes the access-log line.  The request is freed in the completion
 * callback.  Handlers' helpers are in http_reply.c.
 *
 * Each pool thread owns one store connection, opened on first use.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "aim_err.h"
#include "auth.h"
#include "manifest.h"
#include "rules_live.h"
#include "model.h"
#include "store.h"

struct srv_config {
	const char *db_path;
	const char *web_dir;
	const char *bind;	/* IPv4 or IPv6 address to listen on */
	unsigned port;		/* 0: any free port (printed) */
	unsigned threads;
	size_t json_max;	/* largest JSON body accepted */
	struct manifest_limits manifest;	/* upload size, entries, depth, text */
	const char *tls_cert, *tls_key;	/* both or neither */
	struct rules_live *rules;	/* the rule set in force (mutable holder) */
};

#define ROUTE_PARAMS 2
#define ROUTE_PARAM_LEN 128
#define SRV_ADDRESS_LEN 46

/* A request's audit entry (audit_entry()): the record and the text it points to. */
struct audit_entry {
	struct audit_rec rec;
	char address[SRV_ADDRESS_LEN], action[256], object[ROUTE_PARAM_LEN + 64];
};

struct route;

/* Everything about one request; owned by the server, borrowed by handlers. */
struct request {
	const struct srv_config *cfg;
	struct MHD_Connection *conn;
	const char *method;	/* borrowed from libmicrohttpd */
	const char *url;	/* decoded path, borrowed from libmicrohttpd */
	const struct route *route;
	char param[ROUTE_PARAMS][ROUTE_PARAM_LEN];	/* {ref}, {id}… in order */
	int64_t now;

	/* the upload */
	char *body;
	size_t body_len, body_cap;
	int too_big;
	uint64_t uploaded;	/* body bytes received */
	size_t discarded;	/* bytes of a refused body read and dropped */
	json_t *json;		/* the parsed body of a JSON route */
	void *upload_state;	/* a streaming route's own state … */
	void (*upload_free)(void *);	/* … and how to free it (completion) */

	/* an answer decided before the handler: a failed precondition, … */
	enum aim_err early;
	struct aim_fault fault;

	struct rule_set *rules;	/* taken on first use, dropped at completion */

	/* who asks */
	struct store *store;
	struct aim_user user;
	int authed, via_cookie;
	char session[AUTH_TOKEN_LEN];	/* the cookie's token, when via_cookie */
	char csrf[AUTH_CSRF_LEN];

	/* the answer */
	unsigned status;
	json_t *reply;		/* JSON body, or */
	struct MHD_Response *resp;	/* a ready response (files, text) */
	int resp_json;		/* resp is JSON text (srv_json_text) */
	char set_cookie[256];
	char allow[64];		/* Allow header of a 405 */
	uint64_t t0_ns;
	size_t resp_len;
	int logged;		/* the access-log line is written */
	int answered;		/* the response is queued */
	int close;		/* close the connection after the answer */

	/* what the audit entry says beyond the route (srv_audit); "" = not set */
	char audit_case[ROUTE_PARAM_LEN];
	char audit_object[64];
	char audit_detail[512];

	/*
	 * The entry while the audit writer has it: the connection is suspended
	 * until its batch is committed (http.c), so that the thread serves
	 * others meanwhile.
	 */
	struct audit_entry audit;
	int audit_state;	/* 0: not sent, 1: waiting, 2: written (or failed) */
	enum aim_err audit_result;

	/* a write handed to the writer (srv_write_then), and what the handler keeps for it */
	int write_state;	/* 0: none, 1: waiting, 2: committed (or failed), 3: answered */
	enum aim_err write_result;
	enum aim_err (*then)(struct request *rq, enum aim_err result, struct aim_fault *f);
	void *kept;
	void (*kept_free)(void *);
};

/* Serve until SIGINT or SIGTERM; 0 on a clean stop, -1 if it could not start. */
int srv_run(const struct srv_config *cfg);

/* Handlers' helpers. */
/* Answer status with a JSON body (consumed). */
enum aim_err srv_json(struct request *rq, unsigned status, json_t *body);
/* The text of a JSON answer, as every answer is encoded; malloc'ed (free), NULL when out of memory. */
char *srv_json_dump(const json_t *body);
/* Answer status with JSON already encoded by srv_json_dump (text: owned by the answer now). */
enum aim_err srv_json_text(struct request *rq, unsigned status, char *text, size_t len);
/*
 * Answer status with JSON text that stays someone else's: sent as it is,
 * then release(cls) (also when this fails).
 */
enum aim_err srv_json_shared(struct request *rq, unsigned status, const char *text, size_t len,
    void (*release)(void *cls), void *cls);
/* A query-string argument, or NULL. Borrowed. */
const char *srv_arg(struct request *rq, const char *name);
/* The client's address as text ("" when unknown) into out (SRV_ADDRESS_LEN bytes). */
void srv_address(struct request *rq, char *out, size_t len);
/* The integer argument name into *out (unchanged when absent); 400 unless in [min, max]. */
enum aim_err srv_arg_int(struct request *rq, const char *name, int64_t min, int64_t max,
    int64_t *out, struct aim_fault *f);
/* A request header, or NULL. Borrowed. */
const char *srv_header(struct request *rq, const char *name);
/* The rule set in force for this request (borrowed; may be NULL). */
const struct rule_set *srv_rules(struct request *rq);
/* 1 when serving over TLS. */
int srv_tls(const struct request *rq);
/*
 * Make a write: fn(store, ctx) runs on the writer's thread with the writes of
 * other requests in one transaction (group commit, audit.h), without holding
 * the request's thread: it is queued for the writer's next batch; the
 * handler then returns what this returns
 * (AIM_OK: no answer yet) and the connection waits, suspended.  Once the
 * batch is committed, then(rq, result, f) is called on the request's thread
 * with fn's result (or the commit's error) and answers as a handler does.
 * ctx must live until then (srv_keep).  Without a writer (unit tests), or
 * when the server is stopping, fn runs now and then is called at once.
 */
typedef enum aim_err (*srv_then_fn)(struct request *rq, enum aim_err result,
    struct aim_fault *f);
enum aim_err srv_write_then(struct request *rq, store_job_fn fn, void *ctx, srv_then_fn then);
/* Keep p for the request's life: free_fn(p) when it completes. */
void srv_keep(struct request *rq, void *p, void (*free_fn)(void *));
/*
 * Say more in the request's audit entry than its route does: the case it
 * concerns and the object (either may be NULL: unchanged), and a detail
 * (printf format; NULL: unchanged).  Every /api/ request is audited anyway.
 */
void srv_audit(struct request *rq, const char *case_ref, const char *object,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
