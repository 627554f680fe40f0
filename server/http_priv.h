/*
 * http_priv — what http.c (the request lifecycle) and http_daemon.c (the
 * daemon) share; not for handlers.
 */
#ifndef HTTP_PRIV_H
#define HTTP_PRIV_H

#include <microhttpd.h>

#include "aim_err.h"

struct audit_writer;

/*
 * Once per process, before the daemon starts: the per-thread store key, and
 * the audit writer every /api/ request's entry goes to (borrowed; NULL: none).
 */
int http_init(struct audit_writer *auditor);
/*
 * Before the daemon stops: requests write their audit entries in their own
 * thread from now on, and those suspended until their entry is written are
 * resumed (waits for them, 30 s at most).
 */
void http_drain(void);

/* libmicrohttpd's access handler and completion callback (cls: the srv_config). */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload, size_t *upload_len,
    void **req_cls);
struct request;
struct aim_fault;
/* MHD_OPTION_UNESCAPE_CALLBACK: %XX decoded, except %00 (refused by http_request_sane). */
size_t http_unescape(void *cls, struct MHD_Connection *conn, char *s);
/*
 * The request's headers and query as no route accepts them (http_check.c):
 * a NUL byte, the body's length given twice or both ways (then rq->close),
 * two Hosts, query arguments that are not UTF-8 text or hold %00.  AIM_OK or
 * the 400 in f.
 */
enum aim_err http_request_sane(struct request *rq, struct aim_fault *f);
/* Answer e (f's field and sentence) as the API's JSON error, replacing any answer (http_reply.c). */
void http_error_reply(struct request *rq, enum aim_err e, const struct aim_fault *f);
/* The headers of every answer: CSP, no sniffing, no framing, caching, cookie (http_reply.c). */
void http_add_headers(struct request *rq, struct MHD_Response *resp);
void http_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe);

#endif
