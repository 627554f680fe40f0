/*
 * api_incidents.c — filing an incident and reading it back.
 */
#include <stdint.h>

#include "api.h"
#include "filing.h"
#include "incident.h"
#include "rules_live.h"
#include "validate.h"

#define IDEM_KEY_MAX 200

enum aim_err
api_incident_file(struct request *rq, struct aim_fault *f)
{
	const char *key = srv_header(rq, "Idempotency-Key");
	struct incident inc;
	json_t *reply = NULL;
	int replayed = 0;
	enum aim_err e;

	incident_init(&inc);
	if (key != NULL && v_token_chars(key, IDEM_KEY_MAX) != 0) {
		e = aim_fault_set(f, AIM_EINVAL, "Idempotency-Key",
		    "Idempotency-Key: 1 to 200 printable ASCII characters");
		goto out;
	}
	if ((e = incident_from_json(rq->json, rq->now, &inc, f)) != AIM_OK)
		goto out;
	e = filing_submit_via(rq->store, srv_write, rq, srv_rules(rq), rules_thread_scratch(),
	    &rq->user, &inc, key, rq->now, &reply, &replayed, f);
	if (e == AIM_OK)
		e = srv_json(rq, 201, reply);
out:
	incident_release(&inc);
	return e;
}

enum aim_err
api_incident_show(struct request *rq, struct aim_fault *f)
{
	json_t *out;
	int64_t id;
	enum aim_err e;

	(void)f;
	if (v_int64(rq->param[0], 1, INT64_MAX, &id) != 0)
		return AIM_ENOTFOUND;
	if ((e = store_incident_get(rq->store, &rq->user, id, &out)) != AIM_OK)
		return e;
	return srv_json(rq, 200, out);
}
