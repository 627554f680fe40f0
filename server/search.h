/*
 * search — one implementation of searching for GET /api/search and
 * `aimcase search`: parse the query, run it with the viewer's visibility,
 * HTML-escape the snippets, time it.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stdint.h>

#include <jansson.h>

#include "model.h"
#include "store.h"

#define SEARCH_BUDGET_MS 2000

struct search_request {
	const char *q;
	int kind, status;	/* extra filters (API parameters), -1: none */
	int64_t limit, offset;
};

/* {"total","took_ms","hits":[…],"facets":{…}} (owned) or an error with f ("q" for the query). */
enum aim_err search_run(struct store *s, const struct aim_user *viewer,
    const struct search_request *rq, json_t **out, struct aim_fault *f)
    __attribute__((warn_unused_result));

#endif
