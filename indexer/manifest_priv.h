/*
 * manifest_priv — the DFXML reader's value parsers; not for callers.
 */
#ifndef MANIFEST_PRIV_H
#define MANIFEST_PRIV_H

#include <stddef.h>
#include <stdint.h>

/* Decimal digits only, no sign, 0 to INT64_MAX (2^63 - 1): 0 and *out, or -1. */
int manifest_parse_uint(const char *s, int64_t *out);
/* Exactly want hex digits, lower-cased into out (want + 1 bytes): 0 or -1. */
int manifest_parse_hex(const char *s, size_t want, char *out);
/* A DFXML time: RFC 3339, or without a zone (FAT), read as UTC with *zoneless set. */
int manifest_parse_time(const char *s, int64_t *out, int *zoneless);

#endif
