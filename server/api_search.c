/*
 * api_search.c — GET /api/search.
 */
#include "api.h"
#include "search.h"
#include "validate.h"

#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX 100
#define SEARCH_OFFSET_MAX 10000

enum aim_err
api_search(struct request *rq, struct aim_fault *f)
{
	struct search_request sr = { .kind = -1, .status = -1, .limit = SEARCH_LIMIT_DEFAULT };
	const char *kind = srv_arg(rq, "kind"), *status = srv_arg(rq, "status");
	const char *lim = srv_arg(rq, "limit"), *off = srv_arg(rq, "offset");
	enum case_kind k;
	enum case_status st;
	json_t *out;
	enum aim_err e;

	sr.q = srv_arg(rq, "q");
	if (sr.q == NULL || sr.q[0] == '\0')
		return aim_fault_set(f, AIM_EMISSING, "q", "q: the query is required");
	if (kind != NULL && kind[0] != '\0') {
		if (kind_parse(kind, &k) != 0)
			return aim_fault_set(f, AIM_EINVAL, "kind", "kind: ai_intrusion or take_it_down");
		sr.kind = (int)k;
	}
	if (status != NULL && status[0] != '\0') {
		if (status_parse(status, &st) != 0)
			return aim_fault_set(f, AIM_EINVAL, "status",
			    "status: one of open, investigating, charged, closed");
		sr.status = (int)st;
	}
	if (lim != NULL && v_int64(lim, 1, SEARCH_LIMIT_MAX, &sr.limit) != 0)
		return aim_fault_set(f, AIM_EINVAL, "limit", "limit: a whole number from 1 to %d",
		    SEARCH_LIMIT_MAX);
	if (off != NULL && v_int64(off, 0, SEARCH_OFFSET_MAX, &sr.offset) != 0)
		return aim_fault_set(f, AIM_EINVAL, "offset", "offset: a whole number from 0 to %d",
		    SEARCH_OFFSET_MAX);
	srv_audit(rq, NULL, NULL, "q=%.400s", sr.q != NULL ? sr.q : "");
	if ((e = search_run(rq->store, &rq->user, &sr, &out, f)) != AIM_OK)
		return e;
	srv_audit(rq, NULL, NULL, "q=%.400s total=%lld", sr.q != NULL ? sr.q : "",
	    (long long)json_integer_value(json_object_get(out, "total")));
	return srv_json(rq, 200, out);
}
