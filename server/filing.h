/*
 * filing — an incident from validated struct to stored case, the one path
 * for the API and the NDJSON import: the rules run (keys redacted, flags,
 * indicators), the normalized report is kept as filed, the store files it,
 * and its links are read once it is committed.
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
 * A filing in steps, for a caller that runs the store step elsewhere (the
 * server: on the writer thread, with other requests' writes, while the
 * request's thread serves others):
 *   fl = filing_new(); fill filing_incident(fl) (incident_from_json);
 *   filing_prepare() (the rules, the text as filed; on the caller's thread);
 *   filing_store_step(store, fl) once (a store_job_fn), then
 *   filing_finish() with its result (the links, read on the caller's store;
 *   the reply); filing_free().
 * viewer, idem_key and f are borrowed until filing_finish().
 */
struct filing;
struct filing *filing_new(void);	/* NULL when out of memory */
struct incident *filing_incident(struct filing *fl);
enum aim_err filing_prepare(struct filing *fl, const struct rule_set *rs,
    struct rule_scratch *sc, const struct aim_user *viewer, const char *idem_key, int64_t now,
    struct aim_fault *f) __attribute__((warn_unused_result));
enum aim_err filing_store_step(struct store *s, void *fl) __attribute__((warn_unused_result));
/* stored: the store step's result (or its batch's commit's); *reply owned. */
enum aim_err filing_finish(struct filing *fl, struct store *s, enum aim_err stored,
    json_t **reply, int *replayed) __attribute__((warn_unused_result));
void filing_free(struct filing *fl);

#endif
