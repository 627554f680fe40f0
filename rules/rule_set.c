/*
 * rule_set.c — a loaded rule set's lifetime and accessors.
 */
#include "rule_priv.h"

#include <stdlib.h>
#include <string.h>

struct rule_set *
rule_set_ref(struct rule_set *rs)
{
	if (rs != NULL)
		__atomic_add_fetch(&rs->refs, 1, __ATOMIC_ACQ_REL);
	return rs;
}

void
rule_set_unref(struct rule_set *rs)
{
	if (rs == NULL || __atomic_sub_fetch(&rs->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (size_t i = 0; rs->rules != NULL && i < rs->n; i++)
		pcre2_code_free(rs->rules[i].code);
	rule_ac_free(&rs->ac);
	free(rs->rules);
	free(rs->noise);
	free(rs->path);
	arena_release(&rs->mem);
	free(rs);
}

uint64_t
rule_set_serial(const struct rule_set *rs)
{
	return rs->serial;
}

size_t
rule_set_count(const struct rule_set *rs)
{
	return rs->n;
}

const struct rule *
rule_set_rule(const struct rule_set *rs, size_t i)
{
	return i < rs->n ? &rs->rules[i] : NULL;
}

const struct rule *
rule_set_find(const struct rule_set *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

const char *
rule_set_path(const struct rule_set *rs)
{
	return rs->path;
}
