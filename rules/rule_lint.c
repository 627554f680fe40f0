/*
 * rule_lint.c — find the repeated groups that backtrack catastrophically.
 *
 * A group repeated many times ("*", "+", "{n,}", "{n,m}" with m >= 100)
 * makes PCRE2 try every way of cutting the text into repetitions when the
 * rest of the pattern fails.  That is exponential when one piece of text
 * can be cut in many ways: when a branch of the group has a repetition in
 * it and nothing that matches exactly once (`(a+)+`, `(\w+\s?)*`), or when
 * the literal starts of two branches agree as far as the shorter goes
 * (`(a|aa)+`, `(foo|foobar)*`).  A
 * possessive repetition (`a++`, `(…)++`) or an atomic group (`(?>…)`)
 * never gives back what it took, so it is not counted.
 *
 * It is a heuristic over the pattern's text.  It does not see a class that
 * overlaps a literal (`(\w|a)+`): the run-time match limits (rule_scan.c)
 * stay the guarantee.  It does flag a group whose repeated pieces cannot in
 * fact overlap (`(\s+\w+)*`); written possessive (`(\s++\w++)*`), such a
 * pattern says so and matches the same.
 */
#include <ctype.h>
#include <string.h>

#include "rule_priv.h"

#define LINT_DEPTH 64
#define LINT_BRANCHES 32
#define MANY 100		/* {n,m} with m at least this repeats "many" times */
#define PREFIX 16

struct branch {
	int pinned;		/* something in it matches exactly once */
	int loose;		/* a repetition in it (at any depth) that can give back */
	unsigned char lit[PREFIX];	/* the literal characters it starts with */
	int nlit;
	int lit_done;		/* something else came: lit is all of its literal start */
};

struct group {
	size_t at;		/* offset of its "(" */
	int atomic;		/* (?>…), or a lookaround: never backtracked into */
	int look;		/* a lookaround: matches no text */
	int n;			/* branches so far */
	struct branch done[LINT_BRANCHES];	/* their literal starts */
	int risky;		/* a finished branch was loose and not pinned */
	int unpinned;		/* a finished branch was not pinned */
	int loose;		/* a finished branch was loose */
	struct branch cur;
};

/* One element just read (a character, a class, a group), before its quantifier. */
struct item {
	unsigned char lit[4];	/* the bytes of its literal character */
	int nlit;		/* 0: not a literal */
	int pinned;		/* a group: every branch pinned; else 1 */
	int loose;		/* a group: a loose repetition inside */
	int consumes;		/* not zero-width */
};

enum rep { R_ONCE, R_OPTIONAL, R_FEW, R_MANY };

/* Read a quantifier at p[*i] (after spaces when extended); *possessive when it never gives back. */
static enum rep
quantifier(const char *p, size_t *i, int extended, int *possessive)
{
	enum rep r = R_ONCE;
	size_t j = *i;

	*possessive = 0;
	while (extended && isspace((unsigned char)p[j]))
		j++;
	if (p[j] == '*' || p[j] == '+') {
		r = R_MANY;
		j++;
	} else if (p[j] == '?') {
		r = R_OPTIONAL;
		j++;
	} else if (p[j] == '{' && isdigit((unsigned char)p[j + 1])) {
		unsigned long lo = 0, hi;
		size_t k = j + 1;

		for (; isdigit((unsigned char)p[k]); k++)
			lo = lo < 100000 ? lo * 10 + (unsigned long)(p[k] - '0') : lo;
		hi = lo;
		if (p[k] == ',') {
			k++;
			if (p[k] == '}') {
				hi = (unsigned long)-1;
			} else {
				hi = 0;
				for (; isdigit((unsigned char)p[k]); k++)
					hi = hi < 100000 ? hi * 10 + (unsigned long)(p[k] - '0') : hi;
			}
		}
		if (p[k] != '}')
			return R_ONCE;	/* not a quantifier: a literal "{" */
		j = k + 1;
		r = hi >= MANY ? R_MANY : hi == lo ? R_ONCE : lo == 0 && hi <= 1 ? R_OPTIONAL : R_FEW;
	} else {
		return R_ONCE;
	}
	if (p[j] == '+') {
		*possessive = 1;
		j++;
	} else if (p[j] == '?') {
		j++;
	}
	*i = j;
	return r;
}

/* Skip a character class starting at p[i] == '['; returns the offset after it. */
static size_t
skip_class(const char *p, size_t i)
{
	i++;
	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	while (p[i] != '\0' && p[i] != ']') {
		if (p[i] == '\\' && p[i + 1] != '\0')
			i += 2;
		else if (p[i] == '[' && p[i + 1] == ':' && strstr(p + i + 2, ":]") != NULL)
			i = (size_t)(strstr(p + i + 2, ":]") - p) + 2;
		else
			i++;
	}
	return p[i] == ']' ? i + 1 : i;
}

/* Skip an escape at p[i] == '\\' into *it; returns the offset after it. */
static size_t
skip_escape(const char *p, size_t i, struct item *it)
{
	unsigned char c = (unsigned char)p[i + 1];

	it->consumes = 1;
	if (c == '\0')
		return i + 1;
	if (!isalnum(c)) {
		it->lit[0] = c;	/* an escaped punctuation character: itself */
		it->nlit = 1;
		return i + 2;
	}
	if (strchr("bBAzZGK", c) != NULL)
		it->consumes = 0;	/* assertions */
	i += 2;
	if (c == 'c' && p[i] != '\0')
		return i + 1;
	if (strchr("xopPNgk", c) != NULL && (p[i] == '{' || p[i] == '<' || p[i] == '\'')) {
		char close = p[i] == '{' ? '}' : p[i] == '<' ? '>' : '\'';
		const char *e = strchr(p + i + 1, close);

		return e != NULL ? (size_t)(e - p) + 1 : strlen(p);
	}
	return i;
}

/* The x option after a "(?" option list of n bytes ("i-x", "x"…): on, off or as it was. */
static int
x_option(const char *opts, size_t n, int was)
{
	const char *x = memchr(opts, 'x', n), *minus = memchr(opts, '-', n);

	return x == NULL ? was : minus == NULL || x < minus;
}

/* End the current branch of g. */
static void
branch_end(struct group *g)
{
	g->risky |= g->cur.loose && !g->cur.pinned;
	g->unpinned |= !g->cur.pinned;
	g->loose |= g->cur.loose;
	if (g->n < LINT_BRANCHES)
		g->done[g->n] = g->cur;
	g->n++;
	memset(&g->cur, 0, sizeof(g->cur));
}

/*
 * Two branches whose literal starts agree as far as the shorter goes
 * (`a|aa`, `foo|foobar`, `a\w|ab`): one text, two ways.  A branch that
 * starts with a class or an escape is not compared.
 */
static int
alike(const struct group *g)
{
	int n = g->n < LINT_BRANCHES ? g->n : LINT_BRANCHES;

	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++) {
			const struct branch *x = &g->done[a], *y = &g->done[b];
			int m = x->nlit < y->nlit ? x->nlit : y->nlit;

			if (m > 0 && memcmp(x->lit, y->lit, (size_t)m) == 0)
				return 1;
		}
	return 0;
}

/* Add an item, repeated as rep, to the branch being read. */
static void
branch_add(struct branch *b, const struct item *it, enum rep rep, int possessive)
{
	if (!it->consumes)
		return;
	if (!b->lit_done) {
		/* a literal once, or repeated (its first time), extends the literal start */
		if (it->nlit > 0 && rep != R_OPTIONAL && b->nlit + it->nlit <= PREFIX) {
			memcpy(b->lit + b->nlit, it->lit, (size_t)it->nlit);
			b->nlit += it->nlit;
		}
		b->lit_done = it->nlit == 0 || rep != R_ONCE || b->nlit + 4 > PREFIX;
	}
	if (rep == R_ONCE && it->pinned)
		b->pinned = 1;
	if (!possessive && (it->loose || rep == R_MANY))
		b->loose = 1;
}

long
rule_pattern_risky(const char *p)
{
	struct group st[LINT_DEPTH];
	int depth = 0, extended = 0;
	size_t i = 0;

	memset(&st[0], 0, sizeof(st[0]));
	while (p[i] != '\0') {
		struct item it = { .nlit = 0, .pinned = 1, .loose = 0, .consumes = 1 };
		enum rep rep;
		int possessive;
		unsigned char c = (unsigned char)p[i];

		if (extended && (isspace(c) || c == '#')) {
			if (c == '#')
				while (p[i] != '\0' && p[i] != '\n')
					i++;
			else
				i++;
			continue;
		}
		if (c == '\\' && p[i + 1] == 'Q') {
			const char *e = strstr(p + i + 2, "\\E");
			size_t end = e != NULL ? (size_t)(e - p) : strlen(p);

			/* a quoted literal: each byte once */
			for (size_t k = i + 2; k < end; k++) {
				it.lit[0] = (unsigned char)p[k];
				it.nlit = 1;
				branch_add(&st[depth].cur, &it, R_ONCE, 0);
			}
			i = e != NULL ? end + 2 : end;
			continue;
		}
		if (c == '(') {
			size_t start = i;
			int atomic = 0, look = 0;

			if (p[i + 1] == '*') {	/* (*VERB) */
				const char *e = strchr(p + i, ')');

				i = e != NULL ? (size_t)(e - p) + 1 : strlen(p);
				continue;
			}
			if (p[i + 1] == '?') {
				size_t k = i + 2;

				if (p[k] == '#') {	/* a comment */
					const char *e = strchr(p + k, ')');

					i = e != NULL ? (size_t)(e - p) + 1 : strlen(p);
					continue;
				}
				while (isalpha((unsigned char)p[k]) || p[k] == '^' || p[k] == '-')
					k++;
				if (k > i + 2 && p[k] == ')') {	/* (?i) and the like: options */
					extended = x_option(p + i + 2, k - i - 2, extended);
					i = k + 1;
					continue;
				}
				look = p[i + 2] == '=' || p[i + 2] == '!' ||
				    (p[i + 2] == '<' && (p[i + 3] == '=' || p[i + 3] == '!'));
				atomic = look || p[i + 2] == '>';
				if (p[k] == ':')	/* (?x: … ): for the rest, a simplification */
					extended = x_option(p + i + 2, k - i - 2, extended);
			}
			if (depth + 1 >= LINT_DEPTH)
				return -1;	/* PCRE2 compiled it; too deep to judge: say nothing */
			depth++;
			memset(&st[depth], 0, sizeof(st[depth]));
			st[depth].at = start;
			st[depth].atomic = atomic;
			st[depth].look = look;
			/* skip the group's header: (?:  (?<name>  (?P<name>  (?'name'  (?|  (?>  … */
			i++;
			if (p[i] == '?') {
				i++;
				if (p[i] == 'P' && p[i + 1] == '<')
					i++;
				if ((p[i] == '<' && p[i + 1] != '=' && p[i + 1] != '!') || p[i] == '\'') {
					char close = p[i] == '<' ? '>' : '\'';
					const char *e = strchr(p + i + 1, close);

					i = e != NULL ? (size_t)(e - p) + 1 : strlen(p);
				} else {
					while (p[i] != '\0' && p[i] != ':' && p[i] != '>' && p[i] != '=' &&
					    p[i] != '!' && p[i] != '|' && p[i] != ')')
						i++;
					if (p[i] != '\0' && p[i] != ')')
						i++;
				}
			}
			continue;
		}
		if (c == '|') {
			branch_end(&st[depth]);
			i++;
			continue;
		}
		if (c == ')' && depth > 0) {
			struct group *g = &st[depth];

			branch_end(g);
			i++;
			rep = quantifier(p, &i, extended, &possessive);
			if (rep == R_MANY && !possessive && !g->atomic && (g->risky || alike(g)))
				return (long)g->at;
			depth--;
			it.consumes = !g->look;
			it.pinned = !g->unpinned;
			it.loose = !g->atomic && g->loose;
			branch_add(&st[depth].cur, &it, rep, possessive);
			continue;
		}
		/* a single element: a class, an escape, ".", an anchor, a character */
		if (c == '[') {
			i = skip_class(p, i);
		} else if (c == '\\') {
			i = skip_escape(p, i, &it);
		} else if (c == '^' || c == '$') {
			it.consumes = 0;
			i++;
		} else if (c == '.') {
			i++;
		} else {
			/* a character, all of its UTF-8 bytes */
			do
				it.lit[it.nlit++] = (unsigned char)p[i++];
			while (it.nlit < 4 && (p[i] & 0xC0) == 0x80);
		}
		rep = quantifier(p, &i, extended, &possessive);
		branch_add(&st[depth].cur, &it, rep, possessive);
	}
	return -1;
}
