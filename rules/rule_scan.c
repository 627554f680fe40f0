/*
 * rule_scan.c — the prefilter automaton, scanning, and the rules' examples.
 */
#include "rule_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define INDICATOR_MATCHES_MAX 256	/* values taken from one text by one rule */

/* ---- Aho–Corasick over lower-cased bytes ---- */

int
rule_ac_build(struct rule_set *rs)
{
	struct ac *ac = &rs->ac;
	size_t total = 1, n_lit = 0, q_head = 0, q_tail = 0;
	int32_t *fail = NULL, *queue = NULL;

	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->rules[i].n_literals; k++) {
			total += strlen(rs->rules[i].literals[k]);
			n_lit++;
		}
	ac->next = malloc(total * sizeof(*ac->next));
	ac->out = malloc(total * sizeof(*ac->out));
	ac->out_next = malloc((n_lit + 1) * sizeof(*ac->out_next));
	ac->out_rule = malloc((n_lit + 1) * sizeof(*ac->out_rule));
	fail = malloc(total * sizeof(*fail));
	queue = malloc(total * sizeof(*queue));
	if (ac->next == NULL || ac->out == NULL || ac->out_next == NULL || ac->out_rule == NULL ||
	    fail == NULL || queue == NULL)
		goto fail;
	memset(ac->next[0], -1, sizeof(ac->next[0]));
	ac->out[0] = -1;
	ac->n_states = 1;
	/* the trie */
	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->rules[i].n_literals; k++) {
			const unsigned char *p = (const unsigned char *)rs->rules[i].literals[k];
			int32_t st = 0;

			for (; *p != '\0'; p++) {
				if (ac->next[st][*p] < 0) {
					int32_t ns = (int32_t)ac->n_states++;

					memset(ac->next[ns], -1, sizeof(ac->next[ns]));
					ac->out[ns] = -1;
					ac->next[st][*p] = ns;
				}
				st = ac->next[st][*p];
			}
			ac->out_rule[ac->n_out] = (uint32_t)i;
			ac->out_next[ac->n_out] = ac->out[st];
			ac->out[st] = (int32_t)ac->n_out++;
		}
	/* fail links, breadth first; missing transitions follow them */
	for (int c = 0; c < 256; c++) {
		int32_t s = ac->next[0][c];

		if (s < 0) {
			ac->next[0][c] = 0;
		} else {
			fail[s] = 0;
			queue[q_tail++] = s;
		}
	}
	while (q_head < q_tail) {
		int32_t r = queue[q_head++];

		/* outputs of the fail state are outputs here too: chain them */
		if (ac->out[r] < 0) {
			ac->out[r] = ac->out[fail[r]];
		} else {
			int32_t o = ac->out[r];

			while (ac->out_next[o] >= 0 && ac->out_next[o] != ac->out[fail[r]])
				o = ac->out_next[o];
			if (ac->out_next[o] < 0)
				ac->out_next[o] = ac->out[fail[r]];
		}
		for (int c = 0; c < 256; c++) {
			int32_t s = ac->next[r][c];

			if (s < 0) {
				ac->next[r][c] = ac->next[fail[r]][c];
			} else {
				fail[s] = ac->next[fail[r]][c];
				queue[q_tail++] = s;
			}
		}
	}
	free(fail);
	free(queue);
	return 0;
fail:
	free(fail);
	free(queue);
	rule_ac_free(ac);
	return -1;
}

void
rule_ac_free(struct ac *ac)
{
	free(ac->next);
	free(ac->out);
	free(ac->out_next);
	free(ac->out_rule);
	memset(ac, 0, sizeof(*ac));
}

/* Mark in cand every rule with a literal occurring in text. */
static void
ac_run(const struct ac *ac, const unsigned char *text, size_t len, uint8_t *cand)
{
	int32_t st = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = text[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		st = ac->next[st][c];
		for (int32_t o = ac->out[st]; o >= 0; o = ac->out_next[o])
			cand[ac->out_rule[o]] = 1;
	}
}

/* ---- scanning ---- */

struct rule_scratch *
rule_scratch_new(void)
{
	struct rule_scratch *sc = calloc(1, sizeof(*sc));

	if (sc == NULL)
		return NULL;
	sc->md = pcre2_match_data_create(64, NULL);
	sc->mctx = pcre2_match_context_create(NULL);
	sc->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (sc->md == NULL || sc->mctx == NULL) {
		rule_scratch_free(sc);
		return NULL;
	}
	pcre2_set_match_limit(sc->mctx, RULE_MATCH_LIMIT);
	pcre2_set_depth_limit(sc->mctx, RULE_DEPTH_LIMIT);
	pcre2_set_heap_limit(sc->mctx, RULE_HEAP_LIMIT_KB);
	if (sc->jit != NULL)
		pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit);
	return sc;
}

void
rule_scratch_free(struct rule_scratch *sc)
{
	if (sc == NULL)
		return;
	pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mctx);
	pcre2_jit_stack_free(sc->jit);
	free(sc->cand);
	free(sc);
}

/* Run one rule over the text, calling fn per match; returns 1 if it matched or hit a limit. */
static int
scan_rule(const struct rule *r, struct rule_scratch *sc, enum rule_field field,
    const char *text, size_t len, rule_hit_fn fn, void *ctx, int *stop)
{
	struct rule_hit h = { .rule = r, .field = field };
	PCRE2_SIZE offset = 0, *ov;
	unsigned max = r->indicator != NULL ? INDICATOR_MATCHES_MAX : 1;
	int rc;

	while (h.count < max && offset <= len) {
		rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, offset, PCRE2_NO_UTF_CHECK, sc->md,
		    sc->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			/* a limit (or another match error): say so and go on with the next rule */
			h.limit = 1;
			h.count = 0;
			if (fn(ctx, &h) != 0)
				*stop = 1;
			return 1;
		}
		ov = pcre2_get_ovector_pointer(sc->md);
		h.start = ov[0];
		h.end = ov[1];
		h.value_start = h.start;
		h.value_end = h.end;
		if (r->value_group > 0 && r->value_group < rc && ov[2 * r->value_group] != PCRE2_UNSET) {
			h.value_start = ov[2 * r->value_group];
			h.value_end = ov[2 * r->value_group + 1];
		}
		h.count++;
		if (fn(ctx, &h) != 0) {
			*stop = 1;
			return 1;
		}
		if (ov[1] > ov[0]) {
			offset = ov[1];
		} else {
			/* an empty match: step over one character */
			offset = ov[1] + 1;
			while (offset < len && (text[offset] & 0xC0) == 0x80)
				offset++;
		}
	}
	return h.count > 0;
}

int
rule_scan(const struct rule_set *rs, struct rule_scratch *sc, enum rule_field field,
    enum case_kind kind, const char *text, size_t len, rule_hit_fn fn, void *ctx)
{
	const uint32_t *list;
	size_t n;
	int hits = 0, stop = 0, prefiltered = 0;

	if ((unsigned)field >= F__MAX || (unsigned)kind >= KIND__MAX)
		return 0;
	list = rs->by_field[field][kind];
	n = rs->n_by_field[field][kind];
	if (n == 0 || !v_utf8(text, len))
		return 0;
	if (sc->cand_len < rs->n) {
		uint8_t *c = realloc(sc->cand, rs->n);

		if (c == NULL)
			return 0;
		sc->cand = c;
		sc->cand_len = rs->n;
	}
	for (size_t i = 0; i < n && !stop; i++) {
		const struct rule *r = &rs->rules[list[i]];

		if (r->n_literals > 0) {
			if (!prefiltered) {
				memset(sc->cand, 0, rs->n);
				ac_run(&rs->ac, (const unsigned char *)text, len, sc->cand);
				prefiltered = 1;
			}
			if (!sc->cand[list[i]])
				continue;
		}
		hits += scan_rule(r, sc, field, text, len, fn, ctx, &stop);
	}
	return stop ? -1 : hits;
}

/* ---- the rules' own examples ---- */

struct example_run {
	int matched, limit;
};

static int
count_hit(void *ctx, const struct rule_hit *h)
{
	struct example_run *x = ctx;

	if (h->limit)
		x->limit = 1;	/* not a match: the pattern gave up */
	else
		x->matched = 1;
	return 1;
}

/* Report one example that fails; want_match says which kind of example it is. */
static size_t
example_check(const struct rule *r, struct rule_scratch *sc, const char *text, int line,
    int want_match, struct rule_errors *errs)
{
	struct example_run x = { 0 };
	int stop = 0;

	(void)scan_rule(r, sc, F_NARRATIVE, text, strlen(text), count_hit, &x, &stop);
	if (x.limit)
		rule_error(errs, r->file, line, "rule %s: hits the PCRE2 match limit on its %s"
		    " example", r->id, want_match ? "match:" : "no-match:");
	else if (x.matched != want_match)
		rule_error(errs, r->file, line, want_match ?
		    "rule %s: does not match its match: example" :
		    "rule %s: matches its no-match: example", r->id);
	else
		return 0;
	return 1;
}

size_t
rule_set_test(const struct rule_set *rs, struct rule_errors *errs)
{
	struct rule_scratch *sc = rule_scratch_new();
	size_t failed = 0;

	if (sc == NULL) {
		rule_error(errs, rs->path, 0, "out of memory");
		return 1;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];

		for (size_t k = 0; k < r->n_match; k++)
			failed += example_check(r, sc, r->examples_match[k], r->match_lines[k], 1,
			    errs);
		for (size_t k = 0; k < r->n_nomatch; k++)
			failed += example_check(r, sc, r->examples_nomatch[k], r->nomatch_lines[k], 0,
			    errs);
	}
	rule_scratch_free(sc);
	return failed;
}
