/*
 * api_audit.c — the audit log for supervisors: entries by case, user and
 * time, and the check of its hash chain.
 */
#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "api.h"

#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 1000

/* A time argument (RFC 3339, or YYYY-MM-DD as midnight UTC) into *out, unchanged when absent. */
static enum aim_err
arg_time(struct request *rq, const char *name, int64_t *out, struct aim_fault *f)
{
	const char *s = srv_arg(rq, name);
	char buf[32];

	if (s == NULL)
		return AIM_OK;
	if (strlen(s) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		s = buf;
	}
	if (aim_time_parse(s, out) != 0)
		return aim_fault_set(f, AIM_EINVAL, name,
		    "%s: an RFC 3339 time or a date YYYY-MM-DD", name);
	return AIM_OK;
}

enum aim_err
api_audit_list(struct request *rq, struct aim_fault *f)
{
	struct audit_filter flt = { .case_ref = srv_arg(rq, "case"), .actor = srv_arg(rq, "user") };
	int64_t limit = AUDIT_LIMIT_DEFAULT, offset = 0;
	json_t *out;
	enum aim_err e;

	if ((e = arg_time(rq, "after", &flt.after, f)) ||
	    (e = arg_time(rq, "before", &flt.before, f)) ||
	    (e = srv_arg_int(rq, "limit", 1, AUDIT_LIMIT_MAX, &limit, f)) ||
	    (e = srv_arg_int(rq, "offset", 0, INT32_MAX, &offset, f)))
		return e;
	if ((e = store_audit_list(rq->store, &flt, limit, offset, &out)) != AIM_OK)
		return e;
	srv_audit(rq, flt.case_ref, NULL, "case=%s user=%s", flt.case_ref ? flt.case_ref : "*",
	    flt.actor ? flt.actor : "*");
	return srv_json(rq, 200, out);
}

enum aim_err
api_audit_verify(struct request *rq, struct aim_fault *f)
{
	struct audit_check c;
	enum aim_err e;

	(void)f;
	if ((e = store_audit_verify(rq->store, &c)) != AIM_OK)
		return e;
	return srv_json(rq, 200, json_pack("{s:b,s:I,s:o,s:o,s:o}", "intact", c.bad_id == 0,
	    "entries", (json_int_t)c.entries,
	    "bad_id", c.bad_id != 0 ? json_integer(c.bad_id) : json_null(),
	    "reason", c.bad_id != 0 ? json_string(c.reason) : json_null(),
	    "head", c.head[0] != '\0' ? json_string(c.head) : json_null()));
}
