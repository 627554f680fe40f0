/*
 * search_query.c — lexer and recursive-descent parser of the search
 * language, writing the FTS5 expression as it goes.
 */
#include "search_query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "case_ref.h"
#include "model.h"

#define DEPTH_MAX 32

enum tok_type { T_END, T_WORD, T_PHRASE, T_LPAREN, T_RPAREN, T_OR, T_NOT, T_FILTER };

struct tok {
	enum tok_type type;
	const char *s;		/* the text (for words: without a trailing *) */
	size_t len;
	size_t pos;		/* byte offset in the query */
	int prefix;		/* word* */
	const char *fname;	/* filter name */
	size_t fname_len;
};

struct parser {
	const char *q;
	size_t i;
	struct tok t;		/* the current token */
	struct search_query *out;
	struct aim_fault *f;
	size_t buf_used;
	int depth, filters;
	enum aim_err err;
};

static enum aim_err
bad(struct parser *p, size_t pos, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (p->err != AIM_OK)
		return p->err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return p->err = aim_fault_set(p->f, AIM_EINVAL, "q", "q: position %zu: %s", pos + 1, msg);
}

static int
word_char(char c)
{
	return c != '\0' && !isspace((unsigned char)c) && c != '(' && c != ')' && c != '"';
}

static const char *const filters[] = { "kind", "status", "flag", "indicator", "case", "after",
	"before", NULL };

static void
lex(struct parser *p)
{
	const char *q = p->q;
	struct tok *t = &p->t;

	while (isspace((unsigned char)q[p->i]))
		p->i++;
	memset(t, 0, sizeof(*t));
	t->pos = p->i;
	if (q[p->i] == '\0') {
		t->type = T_END;
		return;
	}
	if (q[p->i] == '(' || q[p->i] == ')') {
		t->type = q[p->i++] == '(' ? T_LPAREN : T_RPAREN;
		return;
	}
	if (q[p->i] == '"') {
		const char *end = strchr(q + p->i + 1, '"');

		if (end == NULL) {
			bad(p, p->i, "a phrase is not closed with \"");
			t->type = T_END;
			return;
		}
		t->type = T_PHRASE;
		t->s = q + p->i + 1;
		t->len = (size_t)(end - t->s);
		p->i = (size_t)(end - q) + 1;
		return;
	}
	if (q[p->i] == '-' && (word_char(q[p->i + 1]) || q[p->i + 1] == '"' ||
	    q[p->i + 1] == '(')) {
		t->type = T_NOT;
		p->i++;
		return;
	}
	t->s = q + p->i;
	while (word_char(q[p->i]))
		p->i++;
	t->len = (size_t)(q + p->i - t->s);
	if (t->len == 2 && strncmp(t->s, "OR", 2) == 0) {
		t->type = T_OR;
		return;
	}
	if (t->len == 3 && strncmp(t->s, "NOT", 3) == 0) {
		t->type = T_NOT;
		return;
	}
	for (const char *const *fn = filters; *fn != NULL; fn++) {
		size_t n = strlen(*fn);

		if (t->len > n && strncmp(t->s, *fn, n) == 0 && t->s[n] == ':') {
			t->type = T_FILTER;
			t->fname = t->s;
			t->fname_len = n;
			t->s += n + 1;
			t->len -= n + 1;
			if (t->len == 0 && q[p->i] == '"') {
				/* name:"quoted value" */
				const char *end = strchr(q + p->i + 1, '"');

				if (end == NULL) {
					bad(p, p->i, "a phrase is not closed with \"");
					t->type = T_END;
					return;
				}
				t->s = q + p->i + 1;
				t->len = (size_t)(end - t->s);
				p->i = (size_t)(end - q) + 1;
			}
			return;
		}
	}
	t->type = T_WORD;
	if (t->len > 0 && t->s[t->len - 1] == '*') {
		t->prefix = 1;
		t->len--;
	}
}

/* Append to the FTS5 expression. */
static void
emit(struct parser *p, const char *s, size_t len)
{
	size_t used = strlen(p->out->fts);

	if (used + len + 1 > sizeof(p->out->fts)) {
		bad(p, p->t.pos, "the query is too long");
		return;
	}
	memcpy(p->out->fts + used, s, len);
	p->out->fts[used + len] = '\0';
}

static void
emit_str(struct parser *p, const char *s)
{
	emit(p, s, strlen(s));
}

/* A term as an FTS5 string: "text" with " doubled. */
static void
emit_quoted(struct parser *p, const char *s, size_t len)
{
	emit(p, "\"", 1);
	for (size_t i = 0; i < len; i++)
		emit(p, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
	emit(p, "\"", 1);
}

/* 1 when the text has something a tokenizer keeps (a letter, digit or non-ASCII). */
static int
searchable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static size_t
chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* A filter value, copied into the query's buffer. */
static const char *
keep(struct parser *p, const char *s, size_t len)
{
	char *d;

	if (p->buf_used + len + 1 > sizeof(p->out->buf))
		return NULL;
	d = p->out->buf + p->buf_used;
	memcpy(d, s, len);
	d[len] = '\0';
	p->buf_used += len + 1;
	return d;
}

static int
parse_date(const char *s, int64_t *out)
{
	char buf[40];

	/* times before 1970 are refused: -1 means "no filter" */
	if (aim_time_parse(s, out) == 0)
		return *out < 0 ? -1 : 0;
	if (strlen(s) != 10 || snprintf(buf, sizeof(buf), "%sT00:00:00Z", s) <= 0)
		return -1;
	return aim_time_parse(buf, out) == 0 && *out >= 0 ? 0 : -1;
}

static void
filter(struct parser *p, const struct tok *t, int top)
{
	struct search_query *o = p->out;
	const char *v = keep(p, t->s, t->len);
	char name[16];
	enum case_kind k;
	enum case_status st;
	int y, n;

	snprintf(name, sizeof(name), "%.*s", (int)t->fname_len, t->fname);
	p->filters++;
	if (!top) {
		bad(p, t->pos, "%s: filters apply to the whole query, not inside OR, NOT or ( )", name);
		return;
	}
	if (v == NULL || *v == '\0') {
		bad(p, t->pos, "%s: needs a value", name);
		return;
	}
	if (strcmp(name, "kind") == 0) {
		if (kind_parse(v, &k) != 0)
			bad(p, t->pos, "kind: ai_intrusion or take_it_down");
		o->kind = (int)k;
	} else if (strcmp(name, "status") == 0) {
		if (status_parse(v, &st) != 0)
			bad(p, t->pos, "status: open, investigating, charged or closed");
		o->status = (int)st;
	} else if (strcmp(name, "case") == 0) {
		if (case_ref_parse(v, &y, &n) != 0)
			bad(p, t->pos, "case: a reference AIM-YYYY-NNNNN");
		o->case_ref = v;
	} else if (strcmp(name, "after") == 0 || strcmp(name, "before") == 0) {
		if (parse_date(v, name[0] == 'a' ? &o->after : &o->before) != 0)
			bad(p, t->pos, "%s: a date YYYY-MM-DD or an RFC 3339 time, from 1970 on", name);
	} else if (strcmp(name, "flag") == 0 || strcmp(name, "indicator") == 0) {
		const char **list = name[0] == 'f' ? o->flags : o->indicators;
		size_t *cnt = name[0] == 'f' ? &o->n_flags : &o->n_indicators;

		if (*cnt >= SEARCH_FILTERS_MAX)
			bad(p, t->pos, "%s: at most %d", name, SEARCH_FILTERS_MAX);
		else
			list[(*cnt)++] = v;
	}
}

static int or_expr(struct parser *p, int top);

/* One operand: returns 1 if it wrote a positive FTS5 term, 0 if it wrote nothing. */
static int
primary(struct parser *p, int top)
{
	struct tok t = p->t;
	int wrote;

	switch (t.type) {
	case T_LPAREN:
		if (++p->depth > DEPTH_MAX) {
			bad(p, t.pos, "parentheses nested too deeply");
			return 0;
		}
		lex(p);
		emit_str(p, "(");
		wrote = or_expr(p, 0);
		emit_str(p, ")");
		if (p->t.type != T_RPAREN) {
			bad(p, t.pos, "this parenthesis is not closed");
			return 0;
		}
		if (!wrote)
			bad(p, t.pos, "empty parentheses");
		p->depth--;
		lex(p);
		return 1;
	case T_PHRASE:
	case T_WORD:
		lex(p);
		if (!searchable(t.s, t.len)) {
			if (t.prefix)
				bad(p, t.pos, "a prefix needs letters or digits before the *");
			return 0;
		}
		if (t.prefix && chars(t.s, t.len) < SEARCH_PREFIX_MIN) {
			bad(p, t.pos, "a prefix needs at least %d characters before the *",
			    SEARCH_PREFIX_MIN);
			return 0;
		}
		emit_quoted(p, t.s, t.len);
		if (t.prefix)
			emit_str(p, " *");
		return 1;
	case T_FILTER:
		lex(p);
		filter(p, &t, top);
		return 0;
	case T_RPAREN:
		bad(p, t.pos, "a ) without its (");
		return 0;
	case T_OR:
		bad(p, t.pos, "OR needs a term on each side");
		return 0;
	default:
		bad(p, t.pos, "the query ends too early");
		return 0;
	}
}

/*
 * Terms side by side (AND).  Positive terms are joined with AND; NOT terms
 * follow them ("a AND b NOT c").  At the top level a query of NOT terms
 * only goes to out->negative.
 */
static int
and_expr(struct parser *p, int top)
{
	char neg[2048] = "", saved[sizeof(p->out->fts)];
	int positives = 0;

	while (p->err == AIM_OK && p->t.type != T_END && p->t.type != T_RPAREN &&
	    p->t.type != T_OR) {
		if (p->t.type == T_NOT) {
			size_t pos = p->t.pos, start;

			lex(p);
			if (p->t.type == T_FILTER) {
				bad(p, pos, "filters cannot be negated");
				return 0;
			}
			/* write the operand aside, then move it to neg */
			memcpy(saved, p->out->fts, sizeof(saved));
			start = strlen(p->out->fts);
			if (primary(p, 0)) {
				size_t n = strlen(neg);
				int w = snprintf(neg + n, sizeof(neg) - n, " NOT %s",
				    p->out->fts + start);

				if (w < 0 || (size_t)w >= sizeof(neg) - n)
					bad(p, pos, "the query is too long");
			}
			memcpy(p->out->fts, saved, sizeof(saved));
			continue;
		}
		{
			size_t before = strlen(p->out->fts);

			if (positives > 0)
				emit_str(p, " AND ");
			if (primary(p, top))
				positives++;
			else if (positives > 0)
				p->out->fts[before] = '\0';	/* nothing written: drop the AND */
		}
	}
	if (neg[0] != '\0') {
		if (positives > 0)
			emit_str(p, neg);
		else if (top)
			snprintf(p->out->negative, sizeof(p->out->negative), "%s", neg + 5);
		else
			bad(p, p->t.pos, "NOT needs something to exclude from inside ( ) or OR");
	}
	return positives > 0;
}

static int
or_expr(struct parser *p, int top)
{
	int any = 0, n = 0;

	for (;;) {
		size_t start = strlen(p->out->fts), pos = p->t.pos;
		int wrote;

		/* a group with OR is not the top level: filters may not hide in it */
		wrote = and_expr(p, top && n == 0 && p->t.type != T_OR);
		if (p->t.type == T_OR) {
			if (!wrote)
				bad(p, pos, "OR needs a term on each side");
			emit_str(p, " OR ");
			lex(p);
			n++;
			if (p->t.type == T_END || p->t.type == T_RPAREN)
				bad(p, pos, "OR needs a term on each side");
			continue;
		}
		if (n > 0 && !wrote)
			bad(p, pos, "OR needs a term on each side");
		if (top && n > 0 && p->filters > 0)
			bad(p, 0, "filters apply to the whole query: put the OR in ( ), as in"
			    " kind:ai_intrusion (scraper OR crawler)");
		(void)start;
		any |= wrote;
		return any || n > 0;
	}
}

enum aim_err
search_query_parse(const char *q, struct search_query *out, struct aim_fault *f)
{
	struct parser p = { .q = q, .out = out, .f = f };

	memset(out, 0, sizeof(*out));
	out->kind = out->status = -1;
	out->after = out->before = -1;
	if (strlen(q) > SEARCH_QUERY_MAX)
		return aim_fault_set(f, AIM_EINVAL, "q", "q: longer than %d bytes", SEARCH_QUERY_MAX);
	lex(&p);
	(void)or_expr(&p, 1);
	if (p.err == AIM_OK && p.t.type == T_RPAREN)
		bad(&p, p.t.pos, "a ) without its (");
	if (p.err == AIM_OK && p.t.type != T_END)
		bad(&p, p.t.pos, "unexpected text");
	if (p.err == AIM_OK && out->fts[0] == '\0' && out->negative[0] == '\0' &&
	    out->kind < 0 && out->status < 0 && out->n_flags == 0 && out->n_indicators == 0 &&
	    out->case_ref == NULL && out->after < 0 && out->before < 0)
		bad(&p, 0, "nothing to search for");
	return p.err;
}
