/*
 * rules_live — the rule set in force in a running server, and each
 * thread's scanning scratch.
 *
 * The set is swapped whole (SIGHUP: rules_live_reload): requests that took
 * the old one finish with it; a new set with any problem is refused and the
 * old one stays.
 */
#ifndef RULES_LIVE_H
#define RULES_LIVE_H

#include <pthread.h>

#include "rule.h"

struct rules_live {
	pthread_mutex_t mu;
	struct rule_set *rs;	/* NULL: no rules */
	char dir[4096];
};

/* Load dir (printing problems); 0, or -1 when the packs have problems. */
int rules_live_init(struct rules_live *rl, const char *dir);
/* The set in force, referenced: rule_set_unref() when done.  May be NULL. */
struct rule_set *rules_live_get(struct rules_live *rl);
/* Load the directory again; swap only if it has no problem.  0 or -1. */
int rules_live_reload(struct rules_live *rl);
void rules_live_release(struct rules_live *rl);

/* This thread's scratch (created on first use, freed when the thread ends). */
struct rule_scratch *rules_thread_scratch(void);

/* Print every problem of errs to stderr. */
void rules_print_errors(const struct rule_errors *errs);

#endif
