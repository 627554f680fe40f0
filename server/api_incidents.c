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

static void
free_filing(void *fl)
{
	filing_free(fl);
}

/* The filing's store step is committed (or refused): its links, the 201. */
static enum aim_err
incident_filed(struct request *rq, enum aim_err stored, struct aim_fault *f)
{
	json_t *reply = NULL;
	int replayed = 0;
	enum aim_err e = filing_finish(rq->kept, rq->store, stored, &reply, &replayed);

	(void)f;	/* the filing's, already */
	return e != AIM_OK ? e : srv_json(rq, 201, reply);
}

enum aim_err
api_incident_file(struct request *rq, struct aim_fault *f)
{
	const char *key = srv_header(rq, "Idempotency-Key");
	struct filing *fl = filing_new();
	enum aim_err e;

	if (fl == NULL)
		return aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
	srv_keep(rq, fl, free_filing);
	if (key != NULL && v_token_chars(key, IDEM_KEY_MAX) != 0)
		return aim_fault_set(f, AIM_EINVAL, "Idempotency-Key",
		    "Idempotency-Key: 1 to 200 printable ASCII characters");
	if ((e = incident_from_json(rq->json, rq->now, filing_incident(fl), f)) != AIM_OK ||
	    (e = filing_prepare(fl, srv_rules(rq), rules_thread_scratch(), &rq->user, key, rq->now,
	    f)) != AIM_OK)
		return e;
	/* the store step on the writer's thread, with others; this thread serves others */
	return srv_write_then(rq, filing_store_step, fl, incident_filed);
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
