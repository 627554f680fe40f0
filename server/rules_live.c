#include "rules_live.h"

#include <stdio.h>
#include <string.h>

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
scratch_free(void *p)
{
	rule_scratch_free(p);
}

static void
scratch_key_make(void)
{
	(void)pthread_key_create(&scratch_key, scratch_free);
}

struct rule_scratch *
rules_thread_scratch(void)
{
	struct rule_scratch *sc;

	if (pthread_once(&scratch_once, scratch_key_make) != 0)
		return NULL;
	if ((sc = pthread_getspecific(scratch_key)) != NULL)
		return sc;
	if ((sc = rule_scratch_new()) != NULL && pthread_setspecific(scratch_key, sc) != 0) {
		rule_scratch_free(sc);
		sc = NULL;
	}
	return sc;
}

void
rules_print_errors(const struct rule_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "%s\n", errs->msg[i]);
}

int
rules_live_init(struct rules_live *rl, const char *dir)
{
	memset(rl, 0, sizeof(*rl));
	if (pthread_mutex_init(&rl->mu, NULL) != 0)
		return -1;
	if (dir == NULL)
		return 0;
	snprintf(rl->dir, sizeof(rl->dir), "%s", dir);
	return rules_live_reload(rl);
}

struct rule_set *
rules_live_get(struct rules_live *rl)
{
	struct rule_set *rs;

	pthread_mutex_lock(&rl->mu);
	rs = rule_set_ref(rl->rs);
	pthread_mutex_unlock(&rl->mu);
	return rs;
}

int
rules_live_reload(struct rules_live *rl)
{
	struct rule_errors errs = { 0 };
	struct rule_set *rs, *old;

	if (rl->dir[0] == '\0')
		return 0;	/* serving without rules */
	rs = rule_set_load(rl->dir, &errs);

	if (rs == NULL) {
		rules_print_errors(&errs);
		fprintf(stderr, "aimcase: rules in %s refused; the rules in force stay\n", rl->dir);
		rule_errors_free(&errs);
		return -1;
	}
	pthread_mutex_lock(&rl->mu);
	old = rl->rs;
	rl->rs = rs;
	pthread_mutex_unlock(&rl->mu);
	rule_set_unref(old);
	fprintf(stderr, "aimcase: %zu rules in force from %s\n", rule_set_count(rs), rl->dir);
	return 0;
}

void
rules_live_release(struct rules_live *rl)
{
	rule_set_unref(rl->rs);
	rl->rs = NULL;
	pthread_mutex_destroy(&rl->mu);
}
