/*
 * api — the handlers named in the route table (server/routes.c).
 *
 * Each handler is called only once the route's preconditions hold (session,
 * role, CSRF, content type, parsed JSON body in rq->json).  It parses and
 * validates what is its own (path parameters, query, body fields), calls the
 * store, and answers with srv_json() or returns an error with f filled.
 */
#ifndef API_H
#define API_H

#include "routes.h"

/* api_session.c */
enum aim_err api_session_open(struct request *rq, struct aim_fault *f);
enum aim_err api_session_show(struct request *rq, struct aim_fault *f);
enum aim_err api_session_close(struct request *rq, struct aim_fault *f);

/* api_incidents.c */
enum aim_err api_incident_file(struct request *rq, struct aim_fault *f);
enum aim_err api_incident_show(struct request *rq, struct aim_fault *f);

/* api_cases.c */
enum aim_err api_case_list(struct request *rq, struct aim_fault *f);
enum aim_err api_case_show(struct request *rq, struct aim_fault *f);
enum aim_err api_case_patch(struct request *rq, struct aim_fault *f);
enum aim_err api_case_links(struct request *rq, struct aim_fault *f);
enum aim_err api_note_add(struct request *rq, struct aim_fault *f);
enum aim_err api_user_list(struct request *rq, struct aim_fault *f);

/* api_dashboard.c */
enum aim_err api_dashboard(struct request *rq, struct aim_fault *f);

/* api_evidence.c */
enum aim_err api_evidence_list(struct request *rq, struct aim_fault *f);
enum aim_err api_manifest_chunk(struct request *rq, const char *data, size_t len,
    struct aim_fault *f);
enum aim_err api_manifest_done(struct request *rq, struct aim_fault *f);
enum aim_err api_manifest_original(struct request *rq, struct aim_fault *f);

/* api_search.c */
enum aim_err api_search(struct request *rq, struct aim_fault *f);

/* api_audit.c */
enum aim_err api_audit_list(struct request *rq, struct aim_fault *f);
enum aim_err api_audit_verify(struct request *rq, struct aim_fault *f);

/* api_rules.c */
enum aim_err api_rules_list(struct request *rq, struct aim_fault *f);
enum aim_err api_rescan(struct request *rq, struct aim_fault *f);

/* static.c */
enum aim_err api_healthz(struct request *rq, struct aim_fault *f);
enum aim_err api_static(struct request *rq, struct aim_fault *f);

#endif
