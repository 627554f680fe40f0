/*
 * http.c — the libmicrohttpd daemon and the life of one request.
 */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aim_time.h"
#include "audit.h"
#include "json_io.h"
#include "http_priv.h"
#include "routes.h"
#include "validate.h"

#define COOKIE_NAME "aimcase_session"
#define COOKIE_NAME_TLS "__Host-aimcase_session"
#define BODY_CHUNK 16384
#define DISCARD_MAX (16u << 20)	/* oversized bodies up to this are drained */

/* Where every /api/ request's audit entry goes (NULL: not audited, as in unit tests). */
static struct audit_writer *auditor;

/*
 * Requests whose connection is suspended until their audit entry is written,
 * and whether the server is stopping (then entries are written in the
 * request's thread: a daemon must not stop with a connection suspended).
 */
static atomic_int suspended;
static atomic_int stopping;

enum { AUDIT_NOT_SENT, AUDIT_WAITING, AUDIT_WRITTEN };
enum { WRITE_NONE, WRITE_WAITING, WRITE_DONE, WRITE_ANSWERED };

/* Each pool thread's store connection, closed when the thread ends. */
static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void
store_key_free(void *p)
{
	store_close(p);
}

static void
store_key_make(void)
{
	if (pthread_key_create(&store_key, store_key_free) != 0) {
		fprintf(stderr, "aimcase: cannot create thread key\n");
		exit(3);
	}
}

int
http_init(struct audit_writer *w)
{
	auditor = w;
	return pthread_once(&store_once, store_key_make) == 0 ? 0 : -1;
}

static struct store *
thread_store(const struct srv_config *cfg)
{
	struct store *s = pthread_getspecific(store_key);
	struct aim_fault f = { 0 };

	if (s != NULL)
		return s;
	if ((s = store_open(cfg->db_path, &f)) == NULL) {
		fprintf(stderr, "aimcase: %s\n", f.msg);
		return NULL;
	}
	store_autocheckpoint(s, 0);	/* the checkpointer thread does it (srv_run) */
	if (pthread_setspecific(store_key, s) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* fn with the writer's next batch, waiting for its commit (or on rq's store: no writer). */
static enum aim_err
write_now(struct request *rq, store_job_fn fn, void *ctx)
{
	return auditor != NULL ? audit_run(auditor, fn, ctx) : fn(rq->store, ctx);
}

void
srv_keep(struct request *rq, void *p, void (*free_fn)(void *))
{
	if (rq->kept_free != NULL)
		rq->kept_free(rq->kept);
	rq->kept = p;
	rq->kept_free = free_fn;
}

/*
 * The writer's callback (its thread): what the request waited for (its
 * audit entry, or its write) is committed, or failed; the request goes on.
 */
static void
on_committed(void *ctx, enum aim_err result)
{
	struct request *rq = ctx;

	if (rq->audit_state == AUDIT_WAITING) {
		rq->audit_result = result;
		rq->audit_state = AUDIT_WRITTEN;
	} else {
		rq->write_result = result;
		rq->write_state = WRITE_DONE;
	}
	MHD_resume_connection(rq->conn);	/* rq may be gone once this returns */
	atomic_fetch_sub(&suspended, 1);
}

enum aim_err
srv_write_then(struct request *rq, store_job_fn fn, void *ctx, srv_then_fn then)
{
	/* counted before stopping is read: http_drain() sees the one or this the other */
	atomic_fetch_add(&suspended, 1);
	if (auditor == NULL || atomic_load(&stopping)) {
		atomic_fetch_sub(&suspended, 1);
		rq->write_state = WRITE_ANSWERED;
		return then(rq, write_now(rq, fn, ctx), &rq->fault);
	}
	rq->then = then;
	rq->write_state = WRITE_WAITING;
	MHD_suspend_connection(rq->conn);
	if (audit_run_queued(auditor, fn, ctx, on_committed, rq) != AIM_OK)
		on_committed(rq, AIM_EBUSY);	/* not queued: nothing written, answered 503 */
	return AIM_OK;
}

static int
body_append(struct request *rq, const char *data, size_t len)
{
	if (len > rq->cfg->json_max - rq->body_len)
		return -1;
	if (rq->body_len + len + 1 > rq->body_cap) {
		size_t cap = rq->body_cap != 0 ? rq->body_cap : BODY_CHUNK;
		char *nb;

		while (cap < rq->body_len + len + 1)
			cap *= 2;
		if (cap > rq->cfg->json_max + 1)
			cap = rq->cfg->json_max + 1;
		if ((nb = realloc(rq->body, cap)) == NULL)
			return -1;
		rq->body = nb;
		rq->body_cap = cap;
	}
	memcpy(rq->body + rq->body_len, data, len);
	rq->body_len += len;
	rq->body[rq->body_len] = '\0';
	return 0;
}

/* Who is asking: a bearer token, else the session cookie. */
static enum aim_err
authenticate(struct request *rq)
{
	const char *authz = srv_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
	    srv_tls(rq) ? COOKIE_NAME_TLS : COOKIE_NAME);
	enum aim_err e;

	if (authz != NULL) {
		if (strncasecmp(authz, "Bearer ", 7) != 0 || strlen(authz + 7) >= AUTH_TOKEN_LEN)
			return AIM_OK;
		e = auth_bearer(rq->store, authz + 7, &rq->user);
		rq->authed = e == AIM_OK;
		return e == AIM_EUNAUTH ? AIM_OK : e;
	}
	if (cookie == NULL || strlen(cookie) >= AUTH_TOKEN_LEN)
		return AIM_OK;
	e = auth_session(rq->store, cookie, rq->now, &rq->user, rq->csrf);
	if (e == AIM_OK) {
		rq->authed = rq->via_cookie = 1;
		snprintf(rq->session, sizeof(rq->session), "%s", cookie);
	}
	return e == AIM_EUNAUTH ? AIM_OK : e;
}

static int
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	return ct != NULL && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "OPTIONS") != 0;
}

static int
from_loopback(struct request *rq)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >>
		    24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
	return 0;
}

static int
is_xml_type(const char *ct)
{
	static const char *const types[] = { "application/xml", "text/xml" };

	for (size_t i = 0; ct != NULL && i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i]);

		if (strncasecmp(ct, types[i], n) == 0 &&
		    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

/*
 * The route's preconditions, in the documented order, decided as soon as
 * the headers are in (before any of the body is read).
 */
static enum aim_err
preconditions(struct request *rq, struct aim_fault *f)
{
	const struct route *r;
	enum route_match m;
	int api = strncmp(rq->url, "/api/", 5) == 0 || strcmp(rq->url, "/api") == 0;
	const char *token;
	enum aim_err e;

	if ((e = http_request_sane(rq, f)) != AIM_OK)
		return e;
	m = routes_match(rq->method, rq->url, &r, rq->param, rq->allow, sizeof(rq->allow));
	rq->route = r;
	if (api) {
		if ((rq->store = thread_store(rq->cfg)) == NULL)
			return AIM_EBUSY;
		if ((e = authenticate(rq)) != AIM_OK)
			return e;
	}
	if (m == ROUTE_NO_PATH)
		return api && !rq->authed ? AIM_EUNAUTH : AIM_ENOTFOUND;
	if (m == ROUTE_NO_METHOD)
		return api && !rq->authed ? AIM_EUNAUTH : AIM_EMETHOD;
	if (!(r->flags & R_PUBLIC) && !rq->authed)
		return AIM_EUNAUTH;
	if (rq->authed && rq->user.role < r->role)
		return AIM_EFORBIDDEN;
	if ((r->flags & R_LOOPBACK) && !from_loopback(rq))
		return AIM_EFORBIDDEN;
	if (rq->via_cookie && changes_state(rq->method) && !(r->flags & R_NO_CSRF)) {
		token = srv_header(rq, "X-CSRF-Token");
		if (token == NULL || !auth_equal(token, rq->csrf))
			return AIM_ECSRF;
	}
	if ((r->flags & R_JSON) && !is_json_type(srv_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return aim_fault_set(f, AIM_EMEDIA, NULL,
		    "the body must be sent as Content-Type: application/json");
	if (r->upload != NULL && !is_xml_type(srv_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return aim_fault_set(f, AIM_EMEDIA, NULL,
		    "a manifest must be sent as Content-Type: application/xml");
	if (rq->store == NULL && !(r->flags & R_PUBLIC) &&
	    (rq->store = thread_store(rq->cfg)) == NULL)
		return AIM_EBUSY;
	return AIM_OK;
}

/* The whole request is in: parse a JSON body, run the handler. */
static enum aim_err
dispatch(struct request *rq, struct aim_fault *f)
{
	const struct route *r = rq->route;

	if (r->flags & R_JSON) {
		if ((rq->json = json_body_parse(rq->body != NULL ? rq->body : "", rq->body_len,
		    f)) == NULL)
			return f->err;
	}
	return r->fn(rq, f);
}

/* One access-log line per request: when answered, or when abandoned. */
static void
access_log(struct request *rq, const char *note)
{
	uint64_t us = (now_ns() - rq->t0_ns) / 1000;

	rq->logged = 1;
	fprintf(stderr, "%s %s %u %zu %llu.%03llums user=%s%s\n", rq->method, rq->url,
	    rq->status, rq->resp_len, (unsigned long long)(us / 1000),
	    (unsigned long long)(us % 1000), rq->authed ? rq->user.username : "-", note);
}

/* The answer, once the request's audit entry is written (or could not be). */
static enum MHD_Result
answer(struct request *rq)
{
	struct aim_fault *f = &rq->fault;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *text = NULL;

	if (rq->audit_state == AUDIT_WRITTEN && rq->audit_result != AIM_OK) {
		/* nothing leaves unaudited (a write already committed stays: a retry finds it) */
		fprintf(stderr, "aimcase: %s %s: the audit entry could not be written\n",
		    rq->method, rq->url);
		http_error_reply(rq, aim_fault_set(f, AIM_EBUSY, NULL,
		    "the audit log cannot be written; try again"), f);
	}
	if (rq->resp != NULL) {
		resp = rq->resp;
		rq->resp = NULL;
	} else if (rq->reply != NULL && (text = srv_json_dump(rq->reply)) != NULL) {
		rq->resp_len = strlen(text);
		resp = MHD_create_response_from_buffer(rq->resp_len, text, MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(text);
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL)
		return MHD_NO;
	http_add_headers(rq, resp);
	ret = MHD_queue_response(rq->conn, rq->status, resp);
	rq->answered = 1;
	MHD_destroy_response(resp);
	access_log(rq, ret == MHD_YES ? "" : " (not sent)");
	return ret;
}

static enum MHD_Result
conclude(struct request *rq, enum aim_err e, int wait)
{
	struct aim_fault *f = &rq->fault;

	if (e == AIM_OK && rq->reply == NULL && rq->resp == NULL && rq->status != 204)
		e = AIM_EIO;	/* a handler that answered nothing is a fault */
	if (e != AIM_OK)
		http_error_reply(rq, e, f);
	if (strncmp(rq->url, "/api/", 5) != 0 || auditor == NULL)
		return answer(rq);
	audit_entry(rq, &rq->audit);
	/* counted before stopping is read: http_drain() sees the one or this the other */
	atomic_fetch_add(&suspended, 1);
	if (wait && !atomic_load(&stopping)) {
		rq->audit_state = AUDIT_WAITING;
		MHD_suspend_connection(rq->conn);
		if (audit_queue(auditor, &rq->audit.rec, on_committed, rq) == AIM_OK)
			return MHD_YES;
		/* not queued (the writer stopping, no memory): answered unaudited, 503 */
		on_committed(rq, AIM_EBUSY);
		return MHD_YES;
	}
	atomic_fetch_sub(&suspended, 1);
	rq->audit_result = audit_write(auditor, &rq->audit.rec);
	rq->audit_state = AUDIT_WRITTEN;
	return answer(rq);
}

/*
 * Run the handler (or take the early answer) and send the audit entry; with
 * wait, the connection is suspended until the entry is written (on_committed:
 * libmicrohttpd then calls http_on_request again, and answer() answers), so
 * that the thread serves other connections meanwhile and the entries of many
 * requests share one commit.  Without wait (an answer sent before the body
 * is in, or the server stopping) the thread waits.  A handler that handed a
 * write to the writer (srv_write_then) is suspended already: its then()
 * concludes when it is resumed.
 */
static enum MHD_Result
respond(struct request *rq, int wait)
{
	enum aim_err e;

	rq->now = aim_time_now();
	e = rq->early != AIM_OK ? rq->early : dispatch(rq, &rq->fault);
	/*
	 * then is set in this thread: write_state is the writer's now (it may
	 * be done already); the resumed call concludes
	 */
	if (rq->then != NULL)
		return MHD_YES;
	return conclude(rq, e, wait);
}

void
http_drain(void)
{
	atomic_store(&stopping, 1);
	/* every suspended request is in the writer's queue: its batch ends soon */
	for (int i = 0; i < 30000 && atomic_load(&suspended) > 0; i++)
		usleep(1000);
}

/* The largest body the request's route takes. */
static uint64_t
body_limit(const struct request *rq)
{
	return rq->route != NULL && rq->route->upload != NULL ? rq->cfg->manifest.max_bytes :
	    rq->cfg->json_max;
}

static void
refuse_size(struct request *rq)
{
	rq->too_big = 1;
	if (rq->early == AIM_OK)
		rq->early = aim_fault_set(&rq->fault, AIM_ETOOBIG, NULL,
		    "the body is larger than %llu bytes", (unsigned long long)body_limit(rq));
}

/* A chunk of the body: to the route's upload handler, or into the buffer. */
static enum MHD_Result
on_body(struct request *rq, const char *data, size_t len)
{
	if (rq->early != AIM_OK) {
		/*
		 * refused already: read and drop a while, so that the client reads
		 * the answer on a connection that lives on; past DISCARD_MAX the
		 * answer goes now and the connection closes after it
		 */
		rq->discarded += len;
		if (rq->discarded > DISCARD_MAX && !rq->answered) {
			rq->close = 1;
			return respond(rq, 0);
		}
		return MHD_YES;
	}
	rq->uploaded += len;
	if (rq->uploaded > body_limit(rq)) {
		refuse_size(rq);
		return MHD_YES;
	}
	if (rq->route->upload != NULL) {
		rq->early = rq->route->upload(rq, data, len, &rq->fault);
		return MHD_YES;
	}
	if (body_append(rq, data, len) != 0)
		refuse_size(rq);
	return MHD_YES;
}

enum MHD_Result
http_on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **req_cls)
{
	struct request *rq = *req_cls;
	const char *cl;
	size_t len;
	int64_t n;

	(void)version;
	if (rq == NULL) {
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		rq->cfg = cls;
		rq->conn = conn;
		rq->method = method;
		rq->url = url;
		rq->t0_ns = now_ns();
		rq->now = aim_time_now();
		*req_cls = rq;
		rq->early = preconditions(rq, &rq->fault);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && v_int64(cl, 0, INT64_MAX, &n) == 0) {
			if ((uint64_t)n > body_limit(rq))
				refuse_size(rq);
			/*
			 * A refused body is read and dropped up to DISCARD_MAX, so
			 * that the client reads the answer and the connection lives
			 * on; past that it is refused before a byte is read, and the
			 * connection closes.
			 */
			if (rq->early != AIM_OK && (uint64_t)n > DISCARD_MAX)
				return respond(rq, 0);
		}
		return MHD_YES;
	}
	if (*upload_len != 0) {
		len = *upload_len;
		*upload_len = 0;
		return on_body(rq, upload, len);
	}
	if (rq->answered || rq->audit_state == AUDIT_WAITING || rq->write_state == WRITE_WAITING)
		return MHD_YES;
	/* resumed: the entry is written */
	if (rq->audit_state == AUDIT_WRITTEN)
		return answer(rq);
	/* resumed: the write is committed; the handler's then() answers */
	if (rq->write_state == WRITE_DONE) {
		rq->write_state = WRITE_ANSWERED;
		if ((rq->store = thread_store(rq->cfg)) == NULL)
			return conclude(rq, AIM_EBUSY, 1);
		return conclude(rq, rq->then(rq, rq->write_result, &rq->fault), 1);
	}
	return respond(rq, 1);
}

void
http_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *req_cls;

	(void)cls;
	(void)conn;
	if (rq == NULL)
		return;
	if (!rq->logged)
		access_log(rq, " (abandoned)");
	else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		fprintf(stderr, "%s %s: connection ended before the answer was sent\n", rq->method,
		    rq->url);
	if (rq->upload_free != NULL)
		rq->upload_free(rq->upload_state);
	if (rq->kept_free != NULL)
		rq->kept_free(rq->kept);
	rule_set_unref(rq->rules);
	json_decref(rq->json);
	json_decref(rq->reply);
	if (rq->resp != NULL)
		MHD_destroy_response(rq->resp);
	free(rq->body);
	free(rq);
	*req_cls = NULL;
}

