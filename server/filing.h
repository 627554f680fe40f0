/*
 * filing — an incident from validated struct to stored case, the one path
 * for the API and the NDJSON import: the rules run (keys redacted, flags,
 * indicators), the normalized report is kept as filed, and the store files
 * it with its links.
 */
#ifndef FILING_H
#define FILING_H

#include <jansson.h>

#include "model.h"
#include "rule.h"
#include "store.h"

/*
 * File inc (validated; its texts may be redacted in place) on behalf of
 * viewer.  rs and sc may be NULL (no rules).  idem_key may be NULL.
 * *reply (owned) is the API's 201 body; *replayed when the key was seen.
 */
enum aim_err filing_submit(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const struct aim_user *viewer, struct incident *inc, const char *idem_key, int64_t now,
    json_t **reply, int *replayed, struct aim_fault *f) __attribute__((warn_unused_result));

/*
 * How the store step of a filing runs: run(run_ctx, fn, ctx) must call
 * fn(store, ctx) once and return its result (the server hands it to its
 * writer thread, which commits the filings of many requests together).
 */
typedef enum aim_err (*filing_runner)(void *run_ctx, store_job_fn fn, void *ctx);
/* filing_submit(), its store step through run (NULL: on s, in its own transaction). */
enum aim_err filing_submit_via(struct store *s, filing_runner run, void *run_ctx,
    const struct rule_set *rs, struct rule_scratch *sc, const struct aim_user *viewer,
    struct incident *inc, const char *idem_key, int64_t now, json_t **reply, int *replayed,
    struct aim_fault *f) __attribute__((warn_unused_result));

#endif
