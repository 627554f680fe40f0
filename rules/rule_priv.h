/*
 * rule_priv — what the rules engine's files share; not for callers.
 */
#ifndef RULE_PRIV_H
#define RULE_PRIV_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "arena.h"
#include "rule.h"

#define RULE_MATCH_LIMIT 100000
#define RULE_DEPTH_LIMIT 10000
#define RULE_HEAP_LIMIT_KB 8192

/* The prefilter: a case-insensitive Aho–Corasick automaton over every literal. */
struct ac {
	int32_t (*next)[256];	/* dense transitions, fail links folded in */
	int32_t *out;		/* first output of a state: index into out_lit, or -1 */
	int32_t *out_next;	/* next output in the chain, or -1 */
	uint32_t *out_rule;	/* the rule of each output */
	size_t n_states, n_out;
};

struct noise_entry {
	const char *type;
	const char *value;	/* exact, or a prefix when prefix is set */
	int prefix;
	int cidr_bits;		/* >= 0 for an IP range */
	unsigned char addr[16];
	int family;
};

struct rule_set {
	char *path;
	struct arena mem;
	struct rule *rules;
	size_t n;
	/* rules per (field, kind), in load order */
	uint32_t *by_field[F__MAX][KIND__MAX];
	size_t n_by_field[F__MAX][KIND__MAX];
	struct ac ac;
	struct noise_entry *noise;
	size_t n_noise;
	int refs;		/* atomic */
	uint64_t serial;	/* rule_set_serial() */
};

struct rule_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	uint8_t *cand;		/* a flag per rule: a literal of it occurs */
	size_t cand_len;
};

/*
 * The offset of the "(" of a group in pattern (one PCRE2 compiled) that is
 * repeated many times and can match one text in many ways, so that a failing
 * match backtracks exponentially: `(a+)+`, `(a|aa)+`; -1 when none is seen
 * (a heuristic: rule_lint.c).
 */
long rule_pattern_risky(const char *pattern);

/* Add a problem "file:line: message" to errs. */
void rule_error(struct rule_errors *errs, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Build the prefilter over the rules' literals; -1 when out of memory. */
int rule_ac_build(struct rule_set *rs);
void rule_ac_free(struct ac *ac);

/* Parse noise.txt (path borrowed) into rs; problems go to errs. */
void rule_noise_load(struct rule_set *rs, const char *path, struct rule_errors *errs);

/* NULL when a line of a pack or noise list (len bytes) may be read, else the problem. */
const char *rule_line_problem(const char *line, size_t len);

/* 1 when the indicator type name is known. */
int rule_indicator_type_known(const char *type);

#endif
