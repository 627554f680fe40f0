/*
 * api_dashboard.c — what needs attention now, across the cases one may see.
 */
#include "api.h"

enum aim_err
api_dashboard(struct request *rq, struct aim_fault *f)
{
	json_t *out;
	enum aim_err e;

	(void)f;
	if ((e = store_dashboard(rq->store, &rq->user, rq->now, &out)) != AIM_OK)
		return e;
	return srv_json(rq, 200, out);
}
