/*
 * incident — an incident report from JSON (the API body or one NDJSON line)
 * into a validated, normalized struct incident, and back to JSON.
 *
 * The rules are those of docs/api.md: unknown fields refused, required
 * fields present, every value checked and normalized.  The first problem
 * found is reported in f with the field's path
 * ("ai_intrusion.indicators.ips[2]").
 */
#ifndef INCIDENT_H
#define INCIDENT_H

#include <stdint.h>

#include <jansson.h>

#include "aim_err.h"
#include "model.h"

#define INCIDENT_MAX_LIST 256
#define INCIDENT_MAX_PLATFORMS 64

/*
 * Validate doc (borrowed) into inc, which the caller has set up with
 * incident_init() and releases with incident_release() whatever the
 * result.  now bounds occurred_at (at most 24 h ahead).
 */
enum aim_err incident_from_json(const json_t *doc, int64_t now, struct incident *inc,
    struct aim_fault *f) __attribute__((warn_unused_result));

/* The normalized incident as JSON (owned; NULL when out of memory). */
json_t *incident_to_json(const struct incident *inc);

#endif
