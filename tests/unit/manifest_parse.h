/*
 * manifest_parse.h — the DFXML reader fed as an upload feeds it, for the
 * manifest suites: parse() reads a text in chunks of a given size and
 * collects the items (their paths copied, 64 at most).
 */
#ifndef MANIFEST_PARSE_H
#define MANIFEST_PARSE_H

#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "unit.h"

struct collected {
	int n;
	char paths[64][256];
	struct evidence_item items[64];
};

static inline enum aim_err
collect(void *ctx, const struct evidence_item *it, struct aim_fault *f)
{
	struct collected *c = ctx;

	(void)f;
	if (c->n < 64) {
		snprintf(c->paths[c->n], sizeof(c->paths[0]), "%s", it->path);
		c->items[c->n] = *it;
		c->items[c->n].path = c->paths[c->n];
	}
	c->n++;
	return AIM_OK;
}

/* Parse text fed in chunks of `step`; returns the error, fills c and f. */
static inline enum aim_err
parse(const char *text, size_t len, size_t step, struct collected *c, struct aim_fault *f,
    struct manifest_meta *meta)
{
	struct manifest_limits lim;
	struct manifest_parser *p;
	enum aim_err e = AIM_OK;

	memset(c, 0, sizeof(*c));
	manifest_limits_default(&lim);
	lim.max_text = 4096;
	lim.max_entries = 1000;
	p = manifest_parser_new(&lim, collect, c);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < len && e == AIM_OK; i += step)
		e = manifest_parser_feed(p, text + i, len - i < step ? len - i : step, f);
	if (e == AIM_OK)
		e = manifest_parser_finish(p, f);
	if (meta != NULL)
		*meta = *manifest_parser_meta(p);
	manifest_parser_free(p);
	return e;
}

#endif
