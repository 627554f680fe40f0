/*
 * rule — rule packs: loading, validating and scanning documents with them.
 *
 * A rule set is every pack of a directory (docs/rules.md), parsed and
 * compiled once (PCRE2, UTF, JIT) and then only read: threads share it.
 * Each scanning thread owns a struct rule_scratch (match data, JIT stack,
 * the prefilter's buffer).  The server swaps whole rule sets on SIGHUP; a
 * set is freed when the last reference to it is dropped (rule_set_ref /
 * rule_set_unref).
 *
 * Scanning a text runs, for its field and case kind, every rule that
 * applies: rules with literals only when one of them occurs (one pass of
 * a case-insensitive Aho–Corasick automaton over the text), each under
 * match, depth and heap limits.  A rule that hits a limit is reported as
 * such and scanning goes on.
 */
#ifndef RULE_H
#define RULE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* A rule id: 1 to 96 of a-z, 0-9, '.', '_' and '-' (v_rule_id). */
#define RULE_ID_MAX 96

/* The fields rules look at (docs/rules.md). */
enum rule_field {
	F_TITLE, F_NARRATIVE, F_TARGET_SYSTEM, F_TARGET_OWNER, F_AGENT, F_MODEL,
	F_DATA_ACCESSED, F_IPS, F_USER_AGENTS, F_ACCOUNTS, F_DOMAINS, F_PLATFORM_NAME,
	F_PLATFORM_URL, F_CONTENT_HASHES, F_EVIDENCE_PATH, F_NOTE_TEXT, F__MAX
};

/* "narrative", "indicators.ips"…; static storage. */
const char *rule_field_name(enum rule_field f);

enum rule_severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL, SEV__MAX };

const char *rule_severity_name(enum rule_severity s);

struct rule {
	const char *id, *pack, *description, *statute, *provider, *indicator;
	const char *pattern;
	enum rule_severity severity;
	const char *file;
	int line;
	/* the rest is the engine's */
	void *code;		/* pcre2_code_8 */
	int value_group;	/* number of (?<value>…), or 0 */
	unsigned kinds;		/* bit per enum case_kind */
	uint32_t fields;	/* bit per enum rule_field */
	const char **literals;	/* lower-case */
	size_t n_literals;
	const char **examples_match, **examples_nomatch;
	size_t n_match, n_nomatch;
	int *match_lines, *nomatch_lines;
};

struct rule_set;

/* Problems found while loading, each "file:line: message". */
struct rule_errors {
	char **msg;
	size_t n, cap;
};

void rule_errors_free(struct rule_errors *e);

/*
 * Load every "*.rules" pack of dir (or the single file dir names) and the
 * noise list "noise.txt" beside them.  Returns the set (owned: unref), or
 * NULL with every problem in errs.  A set is returned only when there is no
 * problem at all.
 */
struct rule_set *rule_set_load(const char *path, struct rule_errors *errs)
    __attribute__((warn_unused_result));
/* Take and drop references; the set is freed when none are left. */
struct rule_set *rule_set_ref(struct rule_set *rs);
void rule_set_unref(struct rule_set *rs);

/* The rules of a set, in load order (borrowed). */
size_t rule_set_count(const struct rule_set *rs);
const struct rule *rule_set_rule(const struct rule_set *rs, size_t i);
const struct rule *rule_set_find(const struct rule_set *rs, const char *id);
/* Where the set was loaded from (borrowed). */
const char *rule_set_path(const struct rule_set *rs);
/* A number no other set loaded by this process has (what a cache keys on). */
uint64_t rule_set_serial(const struct rule_set *rs);

/*
 * Run every rule's examples: each match: must match, each no-match: must
 * not, and none may make the pattern hit a PCRE2 limit (a limit hit is
 * neither a match nor a no-match).  Failures are added to errs; returns how
 * many failed.
 */
size_t rule_set_test(const struct rule_set *rs, struct rule_errors *errs);

/* ---- scanning ---- */

struct rule_scratch;

/* Per-thread scanning state (owned: rule_scratch_free).  NULL on failure. */
struct rule_scratch *rule_scratch_new(void) __attribute__((warn_unused_result));
void rule_scratch_free(struct rule_scratch *sc);

struct rule_hit {
	const struct rule *rule;
	enum rule_field field;
	size_t start, end;	/* of the first match, in bytes */
	size_t value_start, value_end;	/* of the indicator value in that match */
	unsigned count;		/* matches of the rule in this text (capped) */
	int limit;		/* the rule hit a PCRE2 limit on this text */
};

/*
 * Called for each rule that matches (once per rule and text, with the first
 * match) and, for indicator rules, for every further match too (count is
 * then 0 and only the spans matter).  A non-zero return stops the scan.
 */
typedef int (*rule_hit_fn)(void *ctx, const struct rule_hit *h);

/*
 * Scan text (len bytes, borrowed) of field for a case of kind.  Returns
 * the number of rules that matched or hit a limit, or -1 when fn stopped it.
 * A text that is not valid UTF-8 (v_utf8: NUL bytes included) is not
 * scanned; what is stored (JSON, filtered manifest names) always is.
 */
int rule_scan(const struct rule_set *rs, struct rule_scratch *sc, enum rule_field field,
    enum case_kind kind, const char *text, size_t len, rule_hit_fn fn, void *ctx);

/* ---- indicators ---- */

#define RULE_VALUE_MAX 512

/*
 * Normalize an indicator value of type (docs/rules.md) into out (borrowed,
 * RULE_VALUE_MAX bytes): 0, or -1 if the value is not acceptable for its
 * type.  An api_key becomes "provider:fingerprint" (provider from the rule).
 */
int rule_indicator_normalize(const char *type, const char *provider, const char *in,
    size_t len, char out[RULE_VALUE_MAX]);

/* 1 when the noise list says this (normalized) value never links cases. */
int rule_set_is_noise(const struct rule_set *rs, const char *type, const char *value);

#endif
