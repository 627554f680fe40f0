/*
 * rescan — the retro-hunt: run the rules again over every stored document
 * (incidents as filed, evidence paths), for `aimcase rescan` and
 * POST /api/rescan.  Running it twice gives the same flags, never more.
 */
#ifndef RESCAN_H
#define RESCAN_H

#include "rule.h"
#include "store.h"

/* Rescan with rs (only rule_id's rule when not NULL); counts into *docs, *flags. */
enum aim_err rescan_run(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const char *rule_id, int64_t now, int64_t *docs, int64_t *flags)
    __attribute__((warn_unused_result));

#endif
