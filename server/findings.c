#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXCERPT_AROUND 48
#define EXCERPT_MATCH 160
#define KEYS_MAX 64

struct key_span {
	const struct rule *rule;
	size_t start, end;	/* in the text as filed */
	char value[RULE_VALUE_MAX];	/* provider:fingerprint */
};

struct scan_ctx {
	struct findings *fd;
	const char *text;
	size_t len;
	enum rule_field field;
	struct key_span keys[KEYS_MAX];
	size_t n_keys;
	const struct rule *last_rule;	/* flag of the rule being matched now */
	size_t last_flag;
	int oom;
};

void
findings_init(struct findings *fd)
{
	memset(fd, 0, sizeof(*fd));
	arena_init(&fd->mem, 0);
}

void
findings_release(struct findings *fd)
{
	free(fd->d.flags);
	free(fd->d.inds);
	arena_release(&fd->mem);
	memset(&fd->d, 0, sizeof(fd->d));
}

int
findings_noise(void *ctx, const char *type, const char *value)
{
	return rule_set_is_noise(ctx, type, value);
}

static size_t
utf8_back(const char *t, size_t i)
{
	while (i > 0 && (t[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* A one-line excerpt around [start, end) of text, in the findings' arena. */
static const char *
excerpt(struct findings *fd, const char *t, size_t len, size_t start, size_t end)
{
	size_t a = start > EXCERPT_AROUND ? utf8_back(t, start - EXCERPT_AROUND) : 0;
	size_t m = end - start > EXCERPT_MATCH ? utf8_back(t, start + EXCERPT_MATCH) : end;
	size_t b = end + EXCERPT_AROUND < len ? utf8_back(t, end + EXCERPT_AROUND) : len;
	char *out = arena_alloc(&fd->mem, (b - a) + 16), *w = out;

	if (out == NULL)
		return NULL;
	if (a > 0)
		w += snprintf(w, 4, "...");
	for (size_t i = a; i < b; i++) {
		if (i == m && m < end) {
			w += snprintf(w, 4, "...");
			i = end;
			if (i >= b)
				break;
		}
		*w++ = (unsigned char)t[i] < 0x20 ? ' ' : t[i];
	}
	if (b < len)
		w += snprintf(w, 4, "...");
	*w = '\0';
	return out;
}

/* The flag of this rule on this field, if the findings hold one. */
static struct flag_rec *
flag_find(struct findings *fd, const char *rule_id, const char *field)
{
	for (size_t i = 0; i < fd->d.n_flags; i++)
		if (strcmp(fd->d.flags[i].rule_id, rule_id) == 0 &&
		    strcmp(fd->d.flags[i].field, field) == 0)
			return &fd->d.flags[i];
	return NULL;
}

/* A new, zeroed flag at the end of the list; NULL when out of memory. */
static struct flag_rec *
flag_push(struct findings *fd)
{
	if (fd->d.n_flags == fd->cap_flags) {
		size_t nc = fd->cap_flags != 0 ? fd->cap_flags * 2 : 16;
		struct flag_rec *nf = realloc(fd->d.flags, nc * sizeof(*nf));

		if (nf == NULL)
			return NULL;
		fd->d.flags = nf;
		fd->cap_flags = nc;
	}
	memset(&fd->d.flags[fd->d.n_flags], 0, sizeof(struct flag_rec));
	fd->d.flags[fd->d.n_flags].platform = -1;
	return &fd->d.flags[fd->d.n_flags++];
}

/* One flag per rule and field: a later text of the same field counts in. */
static struct flag_rec *
flag_new(struct findings *fd, const struct rule *r, enum rule_field field)
{
	struct flag_rec *f = flag_find(fd, r->id, rule_field_name(field));

	return f != NULL ? f : flag_push(fd);
}

static int
ind_add(struct findings *fd, const char *type, const char *value, const char *rule_id)
{
	char source[160];

	for (size_t i = 0; i < fd->d.n_inds; i++)
		if (strcmp(fd->d.inds[i].type, type) == 0 && strcmp(fd->d.inds[i].value, value) == 0)
			return 0;
	if (fd->d.n_inds == fd->cap_inds) {
		size_t nc = fd->cap_inds != 0 ? fd->cap_inds * 2 : 16;
		struct ind_rec *ni = realloc(fd->d.inds, nc * sizeof(*ni));

		if (ni == NULL)
			return -1;
		fd->d.inds = ni;
		fd->cap_inds = nc;
	}
	snprintf(source, sizeof(source), "rule:%s", rule_id);
	fd->d.inds[fd->d.n_inds].type = type;
	fd->d.inds[fd->d.n_inds].value = arena_strdup(&fd->mem, value);
	fd->d.inds[fd->d.n_inds].source = arena_strdup(&fd->mem, source);
	if (fd->d.inds[fd->d.n_inds].value == NULL || fd->d.inds[fd->d.n_inds].source == NULL)
		return -1;
	fd->d.n_inds++;
	return 0;
}

static int
is_key_rule(const struct rule *r)
{
	return r->indicator != NULL && strcmp(r->indicator, "api_key") == 0;
}

static int
on_hit(void *ctx, const struct rule_hit *h)
{
	struct scan_ctx *c = ctx;
	struct findings *fd = c->fd;
	const struct rule *r = h->rule;
	struct flag_rec *f;
	char value[RULE_VALUE_MAX];

	if (is_key_rule(r) && !h->limit) {
		/* keys are recorded here, flagged once the text is redacted */
		if (c->n_keys < KEYS_MAX &&
		    rule_indicator_normalize("api_key", r->provider, c->text + h->value_start,
		    h->value_end - h->value_start, value) == 0) {
			struct key_span *k = &c->keys[c->n_keys++];

			k->rule = r;
			k->start = h->start;
			k->end = h->end;
			memcpy(k->value, value, sizeof(value));
		}
		return 0;
	}
	if (h->count <= 1) {
		if ((f = flag_new(fd, r, h->field)) == NULL)
			goto oom;
		if (f->rule_id == NULL) {
			f->rule_id = r->id;
			f->severity = rule_severity_name(r->severity);
			f->field = rule_field_name(h->field);
			f->description = r->description;
			f->start = (int64_t)h->start;
			f->end = (int64_t)h->end;
			f->limit = h->limit;
			f->excerpt = h->limit ? "" : excerpt(fd, c->text, c->len, h->start, h->end);
			if (f->excerpt == NULL)
				goto oom;
		}
		c->last_rule = r;
		c->last_flag = (size_t)(f - fd->d.flags);
	}
	if (!h->limit && c->last_rule == r)
		fd->d.flags[c->last_flag].count++;
	if (r->indicator != NULL && !h->limit &&
	    rule_indicator_normalize(r->indicator, r->provider, c->text + h->value_start,
	    h->value_end - h->value_start, value) == 0 && ind_add(fd, r->indicator, value, r->id))
		goto oom;
	return 0;
oom:
	c->oom = 1;
	return 1;
}

static int
by_start(const void *a, const void *b)
{
	const struct key_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The text with each key replaced by its placeholder; the spans move to the new text. */
static char *
redact(struct scan_ctx *c, struct arena *owner)
{
	size_t cap = c->len + c->n_keys * 64 + 1, w = 0, from = 0;
	char *out = arena_alloc(owner, cap);

	if (out == NULL)
		return NULL;
	qsort(c->keys, c->n_keys, sizeof(c->keys[0]), by_start);
	for (size_t i = 0; i < c->n_keys; i++) {
		struct key_span *k = &c->keys[i];
		size_t s0 = k->start < from ? from : k->start, e0 = k->end < s0 ? s0 : k->end;
		const char *fp = strchr(k->value, ':');
		int n;

		memcpy(out + w, c->text + from, s0 - from);
		w += s0 - from;
		k->start = w;
		n = snprintf(out + w, cap - w, "[REDACTED %s key fp:%s]",
		    k->rule->provider != NULL ? k->rule->provider : "api", fp != NULL ? fp + 1 : "");
		w += n > 0 && (size_t)n < cap - w ? (size_t)n : 0;
		k->end = w;
		from = e0;
	}
	memcpy(out + w, c->text + from, c->len - from);
	w += c->len - from;
	out[w] = '\0';
	return out;
}

/* Add what tmp found to fd: flags merged by rule and field, indicators once. */
static int
merge(struct findings *fd, const struct findings *tmp)
{
	for (size_t i = 0; i < tmp->d.n_flags; i++) {
		const struct flag_rec *t = &tmp->d.flags[i];
		struct flag_rec *f = flag_find(fd, t->rule_id, t->field);

		if (f != NULL) {
			f->count += t->count;
			continue;
		}
		if ((f = flag_push(fd)) == NULL)
			return -1;
		*f = *t;
		if ((f->excerpt = arena_strdup(&fd->mem, t->excerpt)) == NULL)
			return -1;
	}
	for (size_t i = 0; i < tmp->d.n_inds; i++) {
		const struct ind_rec *r = &tmp->d.inds[i];

		if (ind_add(fd, r->type, r->value, r->source + 5) != 0)	/* past "rule:" */
			return -1;
	}
	return 0;
}

/* One pass of the rules over text into a fresh tmp. */
static int
scan_once(struct scan_ctx *c, struct findings *tmp, const struct rule_set *rs,
    struct rule_scratch *sc, enum case_kind kind)
{
	c->fd = tmp;
	c->n_keys = 0;
	c->last_rule = NULL;
	rule_scan(rs, sc, c->field, kind, c->text, c->len, on_hit, c);
	return c->oom ? -1 : 0;
}

int
findings_scan(struct findings *fd, const struct rule_set *rs, struct rule_scratch *sc,
    enum rule_field field, enum case_kind kind, const char **text, struct arena *owner)
{
	struct scan_ctx c = { .text = *text, .len = strlen(*text), .field = field };
	struct findings tmp;
	struct key_span keys[KEYS_MAX];
	size_t n_keys;
	char *clean;
	int rc = -1;

	if (rs == NULL)
		return 0;
	findings_init(&tmp);
	if (scan_once(&c, &tmp, rs, sc, kind) != 0)
		goto out;
	if (c.n_keys == 0) {
		rc = merge(fd, &tmp);
		goto out;
	}
	/* keys: the text is redacted, then scanned again; the keys are flagged where they were */
	if ((clean = redact(&c, owner)) == NULL)
		goto out;
	n_keys = c.n_keys;
	memcpy(keys, c.keys, n_keys * sizeof(keys[0]));
	findings_release(&tmp);
	findings_init(&tmp);
	*text = clean;
	c.text = clean;
	c.len = strlen(clean);
	if (scan_once(&c, &tmp, rs, sc, kind) != 0)
		goto out;
	for (size_t i = 0; i < n_keys; i++) {
		const struct rule *r = keys[i].rule;
		struct flag_rec *f = flag_new(&tmp, r, field);

		if (f == NULL)
			goto out;
		if (f->rule_id == NULL) {
			f->rule_id = r->id;
			f->severity = rule_severity_name(r->severity);
			f->field = rule_field_name(field);
			f->description = r->description;
			f->start = (int64_t)keys[i].start;
			f->end = (int64_t)keys[i].end;
			f->excerpt = excerpt(&tmp, clean, c.len, keys[i].start, keys[i].end);
			if (f->excerpt == NULL)
				goto out;
		}
		f->count++;
		if (ind_add(&tmp, "api_key", keys[i].value, r->id) != 0)
			goto out;
	}
	fd->keys += (unsigned)n_keys;
	rc = merge(fd, &tmp);
out:
	findings_release(&tmp);
	return rc;
}

/* Scan every entry of a list field. */
static int
scan_list(struct findings *fd, const struct rule_set *rs, struct rule_scratch *sc,
    enum rule_field field, struct incident *inc, struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (findings_scan(fd, rs, sc, field, inc->kind, &l->v[i], &inc->mem) != 0)
			return -1;
	return 0;
}

int
findings_incident(struct findings *fd, const struct rule_set *rs, struct rule_scratch *sc,
    struct incident *inc)
{
	struct {
		enum rule_field field;
		const char **text;
	} texts[] = {
		{ F_TITLE, &inc->title }, { F_NARRATIVE, &inc->narrative },
		{ F_TARGET_SYSTEM, &inc->target_system }, { F_TARGET_OWNER, &inc->target_owner },
		{ F_AGENT, &inc->agent }, { F_MODEL, &inc->model },
		{ F_DATA_ACCESSED, &inc->data_accessed },
	};

	if (rs == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (*texts[i].text != NULL &&
		    findings_scan(fd, rs, sc, texts[i].field, inc->kind, texts[i].text, &inc->mem))
			return -1;
	if (scan_list(fd, rs, sc, F_IPS, inc, &inc->ips) || scan_list(fd, rs, sc, F_USER_AGENTS,
	    inc, &inc->user_agents) || scan_list(fd, rs, sc, F_ACCOUNTS, inc, &inc->accounts) ||
	    scan_list(fd, rs, sc, F_DOMAINS, inc, &inc->domains) ||
	    scan_list(fd, rs, sc, F_CONTENT_HASHES, inc, &inc->content_hashes))
		return -1;
	for (size_t i = 0; i < inc->n_platforms; i++) {
		struct platform *p = &inc->platforms[i];

		if (findings_scan(fd, rs, sc, F_PLATFORM_NAME, inc->kind, &p->name, &inc->mem) ||
		    (p->url != NULL &&
		    findings_scan(fd, rs, sc, F_PLATFORM_URL, inc->kind, &p->url, &inc->mem)))
			return -1;
	}
	return 0;
}
