/*
 * case_cache.h — rendered case views, kept for the next reader.
 *
 * A case view takes milliseconds to build (a dozen queries and the links
 * across cases) and is read far more often than it changes.  An entry is
 * the JSON text of one case as one viewer sees it under one rule set, made
 * at one data generation (store_data_gen, read in the same read transaction
 * as the view); it serves while all of these are the same and the clock is
 * before its stale_at (a removal deadline falling due changes the view).
 *
 * Bounded: CASE_CACHE_SLOTS entries (a new one replaces the one in its
 * slot), CASE_CACHE_BYTES in all; a view larger than a slot may take is not
 * kept.  Thread-safe.  A view is copied in, and handed out shared: the
 * reader sends the kept text itself (no copy of tens of kilobytes per
 * answer) and releases it when sent; a view replaced meanwhile lives until
 * its last reader releases it.
 */
#ifndef CASE_CACHE_H
#define CASE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "case_ref.h"

#define CASE_CACHE_SLOTS 256
#define CASE_CACHE_BYTES (32u << 20)

struct case_view_key {
	char ref[CASE_REF_LEN];
	int64_t user_id;
	int role;
	uint64_t rules;		/* rule_set_serial(), 0 without rules */
	int64_t gen;		/* store_data_gen() when the view was read */
};

/* A kept view, shared: read-only, valid until case_view_release. */
struct case_view {
	const char *text;	/* not NUL-terminated */
	size_t len;
};

/*
 * The view of k when one is kept and now is before its stale_at (the caller
 * releases it with case_view_release), else NULL.
 */
const struct case_view *case_cache_get(const struct case_view_key *k, int64_t now);
/* Done with a view from case_cache_get; NULL is a no-op.  Any thread. */
void case_view_release(const struct case_view *v);
/* Keep a copy of text (len bytes) as the view of k until stale_at. */
void case_cache_put(const struct case_view_key *k, int64_t stale_at, const char *text,
    size_t len);
/* Drop every entry (the server's stop; tests). */
void case_cache_clear(void);

#endif
