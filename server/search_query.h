/*
 * search_query — the search language (docs/api.md) into a well-formed FTS5
 * expression and typed SQL filters.
 *
 * Words (all must match), "exact phrases", prefix* (at least 3 characters
 * before the *), OR, NOT word or -word, parentheses, and the filters
 * kind:, status:, flag:RULE, indicator:VALUE, case:REF, after:DATE,
 * before:DATE.  Filters apply to the whole query (they may not stand inside
 * OR or parentheses).  Every term reaches FTS5 as a quoted string, so user
 * text can never be FTS5 syntax; filter values are only ever bound.
 */
#ifndef SEARCH_QUERY_H
#define SEARCH_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "aim_err.h"

#define SEARCH_QUERY_MAX 1000	/* bytes */
#define SEARCH_PREFIX_MIN 3
#define SEARCH_FILTERS_MAX 8

struct search_query {
	char fts[4096];		/* the FTS5 expression; "" when only filters or negations */
	char negative[2048];	/* NOT terms when the query has no positive term */
	int kind, status;	/* -1: any */
	const char *flags[SEARCH_FILTERS_MAX];
	size_t n_flags;
	const char *indicators[SEARCH_FILTERS_MAX];
	size_t n_indicators;
	const char *case_ref;
	int64_t after, before;	/* seconds since the epoch, or -1 */
	char buf[SEARCH_QUERY_MAX * 2];	/* filter values point in here */
};

/*
 * Parse q into out.  On a malformed query returns AIM_EINVAL with f's
 * message "position N: …" (1-based, in bytes) and field "q".
 */
enum aim_err search_query_parse(const char *q, struct search_query *out, struct aim_fault *f)
    __attribute__((warn_unused_result));

#endif
