/*
 * rulebench — the shipped packs over a corpus (one document per line), three
 * ways, timed: aimcase's scan (literal prefilter + PCRE2 JIT under limits),
 * the plain one-rule-at-a-time PCRE2 JIT pass, and Vectorscan over the same
 * patterns.  It checks that aimcase flags exactly the (document, rule)
 * pairs that the plain pass flags.  Bench-only: built when libhs is there.
 *
 *   rulebench rules/packs corpus.txt
 * prints one line: "ours_MBps plain_MBps vectorscan_MBps patterns_in_vectorscan/patterns identical"
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rule.h"

struct doc {
	const char *p;
	size_t len;
};

static const struct rule *base;
static size_t nrules;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct mark {
	uint8_t *bits;
	size_t doc;
};

static int
on_ours(void *ctx, const struct rule_hit *h)
{
	struct mark *m = ctx;

	if (!h->limit)
		m->bits[m->doc * nrules + (size_t)(h->rule - base)] = 1;
	return 0;
}

static int
on_hs(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	struct mark *m = ctx;

	(void)from;
	(void)to;
	(void)flags;
	m->bits[m->doc * nrules + id] = 1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct rule_errors errs = { 0 };
	struct rule_set *rs;
	struct rule_scratch *sc;
	struct doc *docs = NULL;
	size_t ndocs = 0, cap = 0, size;
	char *text;
	FILE *fp;
	uint8_t *ours, *plain, *vs;
	double t0, t_ours, t_plain, t_hs;
	pcre2_match_data *md;
	const char **pats;
	unsigned *flags, *ids, n_hs = 0;
	hs_database_t *db = NULL;
	hs_scratch_t *hscratch = NULL;
	hs_compile_error_t *cerr;
	size_t differ = 0, agree_hs = 0, n_flags = 0, prefiltered = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: rulebench PACKDIR CORPUS\n");
		return 1;
	}
	if ((rs = rule_set_load(argv[1], &errs)) == NULL) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		return 1;
	}
	base = rule_set_rule(rs, 0);
	nrules = rule_set_count(rs);
	if ((fp = fopen(argv[2], "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0)
		return 1;
	size = (size_t)ftell(fp);
	rewind(fp);
	text = malloc(size + 1);
	if (text == NULL || fread(text, 1, size, fp) != size)
		return 1;
	fclose(fp);
	text[size] = '\0';
	for (char *p = text, *e; p < text + size; p = e + 1) {
		e = memchr(p, '\n', (size_t)(text + size - p));
		if (e == NULL)
			e = text + size;
		if (ndocs == cap) {
			cap = cap != 0 ? cap * 2 : 1 << 16;
			docs = realloc(docs, cap * sizeof(*docs));
		}
		docs[ndocs].p = p;
		docs[ndocs++].len = (size_t)(e - p);
	}
	ours = calloc(ndocs * nrules, 1);
	plain = calloc(ndocs * nrules, 1);
	vs = calloc(ndocs * nrules, 1);
	sc = rule_scratch_new();
	if (ours == NULL || plain == NULL || vs == NULL || sc == NULL)
		return 1;

	/* aimcase: every rule of the narrative field of an AI-intrusion case */
	t0 = now();
	for (size_t d = 0; d < ndocs; d++) {
		struct mark m = { ours, d };

		rule_scan(rs, sc, F_NARRATIVE, KIND_AI_INTRUSION, docs[d].p, docs[d].len, on_ours, &m);
	}
	t_ours = now() - t0;

	/* the plain pass: the same rules, one at a time, no prefilter */
	md = pcre2_match_data_create(64, NULL);
	t0 = now();
	for (size_t d = 0; d < ndocs; d++)
		for (size_t r = 0; r < nrules; r++) {
			const struct rule *ru = &base[r];

			if (!(ru->fields & (1u << F_NARRATIVE)) || !(ru->kinds & (1u << KIND_AI_INTRUSION)))
				continue;
			if (pcre2_match(ru->code, (PCRE2_SPTR)docs[d].p, docs[d].len, 0, 0, md, NULL) >= 0)
				plain[d * nrules + r] = 1;
		}
	t_plain = now() - t0;

	/* Vectorscan: the patterns it can compile, in one database */
	pats = calloc(nrules, sizeof(*pats));
	flags = calloc(nrules, sizeof(*flags));
	ids = calloc(nrules, sizeof(*ids));
	for (size_t r = 0; r < nrules; r++) {
		const struct rule *ru = &base[r];
		hs_database_t *one = NULL;
		unsigned fl = HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;

		if (!(ru->fields & (1u << F_NARRATIVE)) || !(ru->kinds & (1u << KIND_AI_INTRUSION)))
			continue;
		if (hs_compile(ru->pattern, fl, HS_MODE_BLOCK, NULL, &one, &cerr) != HS_SUCCESS) {
			/*
			 * Outside Vectorscan's syntax (lookbehind, named groups…): its
			 * prefilter mode scans an approximation, so that it does the same
			 * job (a superset of the matches) as the other two passes.
			 */
			hs_free_compile_error(cerr);
			fl |= HS_FLAG_PREFILTER;
			if (hs_compile(ru->pattern, fl, HS_MODE_BLOCK, NULL, &one, &cerr) != HS_SUCCESS) {
				hs_free_compile_error(cerr);
				continue;
			}
			prefiltered++;
		}
		hs_free_database(one);
		pats[n_hs] = ru->pattern;
		flags[n_hs] = fl;
		ids[n_hs++] = (unsigned)r;
	}
	if (n_hs == 0 || hs_compile_multi(pats, flags, ids, n_hs, HS_MODE_BLOCK, NULL, &db,
	    &cerr) != HS_SUCCESS || hs_alloc_scratch(db, &hscratch) != HS_SUCCESS) {
		fprintf(stderr, "rulebench: vectorscan cannot compile the patterns\n");
		return 1;
	}
	t0 = now();
	for (size_t d = 0; d < ndocs; d++) {
		struct mark m = { vs, d };

		hs_scan(db, docs[d].p, (unsigned)docs[d].len, 0, hscratch, on_hs, &m);
	}
	t_hs = now() - t0;

	for (size_t i = 0; i < ndocs * nrules; i++) {
		differ += ours[i] != plain[i];
		n_flags += plain[i];
	}
	for (size_t d = 0; d < ndocs; d++)
		for (unsigned k = 0; k < n_hs; k++)
			agree_hs += vs[d * nrules + ids[k]] == plain[d * nrules + ids[k]];
	printf("%.1f %.1f %.1f %u/%zu %s %zu docs, %zu flags, %zu differ, %zu patterns in"
	    " Vectorscan's prefilter mode, vectorscan agrees on %.2f%%\n",
	    (double)size / 1e6 / t_ours, (double)size / 1e6 / t_plain, (double)size / 1e6 / t_hs,
	    n_hs, nrules, differ == 0 ? "identical" : "DIFFERENT", ndocs,
	    n_flags,
	    differ, prefiltered, 100.0 * (double)agree_hs / (double)(ndocs * (n_hs ? n_hs : 1)));
	hs_free_scratch(hscratch);
	hs_free_database(db);
	rule_scratch_free(sc);
	rule_set_unref(rs);
	return differ == 0 ? 0 : 2;
}
