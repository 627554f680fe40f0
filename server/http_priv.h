/*
 * http_priv — what http.c (the request lifecycle) and http_daemon.c (the
 * daemon) share; not for handlers.
 */
#ifndef HTTP_PRIV_H
#define HTTP_PRIV_H

#include <microhttpd.h>

struct audit_writer;

/*
 * Once per process, before the daemon starts: the per-thread store key, and
 * the audit writer every /api/ request's entry goes to (borrowed; NULL: none).
 */
int http_init(struct audit_writer *auditor);

/* libmicrohttpd's access handler and completion callback (cls: the srv_config). */
enum MHD_Result http_on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload, size_t *upload_len,
    void **req_cls);
/* MHD_OPTION_UNESCAPE_CALLBACK: %XX decoded, except %00 (refused later). */
size_t http_unescape(void *cls, struct MHD_Connection *conn, char *s);
void http_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe);

#endif
