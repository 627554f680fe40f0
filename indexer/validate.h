/*
 * validate — checks and normalizers for single values of untrusted input.
 *
 * Each function looks at one value and either accepts it (returning 0 or
 * NULL, writing the normalized form into a caller's buffer where there is
 * one) or refuses it (returning -1, or a short reason such as "must not be
 * empty" for v_text).  Reasons are static strings.  Nothing here allocates.
 */
#ifndef VALIDATE_H
#define VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define V_IP_LEN 46		/* INET6_ADDRSTRLEN */
#define V_DOMAIN_LEN 254
#define V_SHA256_LEN 65

/* Text flags for v_text(). */
#define V_MULTILINE 1		/* tab, CR and LF allowed */

/*
 * Check a UTF-8 string: its length in characters between min and max (max
 * bytes when count_bytes), no control characters (but tab, CR, LF with
 * V_MULTILINE).  NULL if acceptable, else the reason.
 */
const char *v_text(const char *s, size_t min, size_t max, int flags, int count_bytes);

/* 1 when the len bytes at s are valid UTF-8 (no overlongs, surrogates or NUL bytes). */
int v_utf8(const char *s, size_t len);
/* Replace every byte of s (NUL-terminated, changed in place) that is not valid UTF-8 by '?'. */
void v_utf8_clean(char *s);

/* The string without leading and trailing white space: start and length. */
void v_trim(const char **s, size_t *len);

/* An IPv4 or IPv6 address in canonical text form into out; 0 or -1. */
int v_ip(const char *s, char out[V_IP_LEN]);

/* A DNS host name (at least two labels), lower-case, no trailing dot; 0 or -1. */
int v_domain(const char *s, char out[V_DOMAIN_LEN]);

/* An absolute http or https URL with a host, no spaces or controls; 0 or -1. */
int v_url(const char *s, size_t max);

/* 64 hexadecimal digits, written lower-case into out; 0 or -1. */
int v_sha256(const char *s, char out[V_SHA256_LEN]);

/* A JSON number of dollars, 0 to max_cents, at most two decimals; 0 or -1. */
int v_money(const json_t *num, int64_t max_cents, int64_t *cents);

/* A decimal integer in [min, max], the whole string; 0 or -1. */
int v_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* 1 to max printable ASCII characters (an idempotency key); 0 or -1. */
int v_token_chars(const char *s, size_t max);

/* 1 to max of a-z, 0-9, '.', '_' and '-' (a rule id, a hash set's name); 0 or -1. */
int v_rule_id(const char *s, size_t max);

#endif
