/*
 * json_io — JSON in and out at the HTTP and CLI edges.
 *
 * Every JSON text from outside is parsed by json_body_parse(); every error
 * leaves as json_error_body()'s {"error":{"code","message","field"}}.  All
 * escaping of JSON output is jansson's.
 */
#ifndef JSON_IO_H
#define JSON_IO_H

/*
 * Numbers in replies: 15 significant digits, so that 0.3 is written 0.3 (not
 * jansson's 17-digit 0.29999999999999999); every amount and score fits.
 */
#define JSON_REAL_DIGITS JSON_REAL_PRECISION(15)

#include <stddef.h>

#include <jansson.h>

#include "aim_err.h"

/*
 * Parse a JSON text: a UTF-8 byte-order mark is skipped, duplicate keys are
 * refused, the result must be an object.  Returns the document (owned), or
 * NULL with f filled (AIM_EMALFORMED, with line and column).
 */
json_t *json_body_parse(const char *text, size_t len, struct aim_fault *f);

/*
 * The API's error object for e; the message and field come from f when f
 * describes e, else the generic sentence and null.  Owned; NULL if out of
 * memory.
 */
json_t *json_error_body(enum aim_err e, const struct aim_fault *f);

/*
 * Refuse any member of obj not named in allowed (NULL-terminated):
 * AIM_EUNKNOWN with field prefix+key.  prefix ("" or "ai_intrusion.") is
 * borrowed.
 */
enum aim_err json_only_keys(const json_t *obj, const char *prefix,
    const char *const *allowed, struct aim_fault *f) __attribute__((warn_unused_result));

/*
 * A string member checked with v_text(min 1, max, flags): *out is borrowed
 * from obj, NULL when absent or null (AIM_EMISSING if required).
 */
enum aim_err json_get_text(const json_t *obj, const char *key, int required, size_t max,
    int flags, const char **out, struct aim_fault *f) __attribute__((warn_unused_result));

#endif
