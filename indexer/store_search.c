/*
 * store_search.c — the full-text index (FTS5) and searching it.
 *
 * One FTS5 table holds every searchable document: incidents (title, and the
 * narrative with the structured text fields as body), case notes (body) and
 * evidence paths (path).  Incidents and notes are indexed in the transaction
 * that stores them; evidence paths by store_search_catch_up(), in batches
 * that record their progress in the same transaction.
 *
 * A search runs under a time budget (a progress handler), ranks with bm25
 * (title 10, body 4, path 1.5), and carries the visibility condition and
 * every filter inside its SQL, so totals and facets count only what the
 * viewer may see.
 */
#include "store_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SNIPPET_TOKENS 16

enum aim_err
store_search_add(struct store *s, const char *doc_type, int64_t doc_id, int64_t case_id,
    const char *title, const char *body, const char *path, int64_t doc_time)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO search_docs (doc_type, doc_id, case_id, doc_time, rules)"
	    " VALUES (?1, ?2, ?3, ?4, " STORE_DOC_RULES("?1", "?2") ")");
	int64_t rowid;
	enum aim_err e;

	if (st == NULL || store_bind_text(st, 1, doc_type) || sqlite3_bind_int64(st, 2, doc_id) ||
	    sqlite3_bind_int64(st, 3, case_id) || sqlite3_bind_int64(st, 4, doc_time))
		return AIM_EDB;
	if ((e = store_insert(s, st, &rowid)) != AIM_OK)
		return e;
	st = store_stmt(s, "INSERT INTO search_fts (rowid, title, body, path) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL || sqlite3_bind_int64(st, 1, rowid) || store_bind_text(st, 2, title) ||
	    store_bind_text(st, 3, body) || store_bind_text(st, 4, path))
		return AIM_EDB;
	return store_exec(s, st);
}

enum aim_err
store_search_catch_up(struct store *s, int64_t batch, int64_t *indexed)
{
	sqlite3_stmt *st;
	enum aim_err e;
	int64_t n, first = 0;

	*indexed = 0;
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	st = store_stmt(s, "SELECT coalesce(max(rowid), 0) FROM search_docs");
	if (st == NULL || (e = store_row(s, st)) != AIM_OK) {
		if (st != NULL)
			sqlite3_reset(st);
		goto fail;
	}
	first = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = store_stmt(s,
	    "INSERT INTO search_docs (doc_type, doc_id, case_id, doc_time, rules)"
	    " SELECT 'evidence', id, case_id, coalesce(mtime, 0),"
	    " " STORE_DOC_RULES("'evidence'", "evidence_items.id") " FROM evidence_items"
	    " WHERE id > (SELECT last_id FROM search_progress WHERE name = 'evidence')"
	    " ORDER BY id LIMIT ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, batch) || (e = store_exec(s, st)) != AIM_OK)
		goto fail;
	n = sqlite3_changes(s->db);
	if (n > 0) {
		st = store_stmt(s, "INSERT INTO search_fts (rowid, path)"
		    " SELECT d.rowid, e.path FROM search_docs d JOIN evidence_items e ON e.id = d.doc_id"
		    " WHERE d.rowid > ?1 AND d.doc_type = 'evidence'");
		if (st == NULL || sqlite3_bind_int64(st, 1, first) || (e = store_exec(s, st)) != AIM_OK)
			goto fail;
		st = store_stmt(s, "UPDATE search_progress SET last_id ="
		    " (SELECT max(doc_id) FROM search_docs WHERE rowid > ?1) WHERE name = 'evidence'");
		if (st == NULL || sqlite3_bind_int64(st, 1, first) || (e = store_exec(s, st)) != AIM_OK)
			goto fail;
	}
	if (n == 0) {
		store_rollback(s);	/* nothing new: no write, no fsync */
		return AIM_OK;
	}
	/* the search index is no case data: cached case views stay good */
	if ((e = store_commit_meta(s)) != AIM_OK)
		goto fail;
	*indexed = n;
	return AIM_OK;
fail:
	store_rollback(s);
	return e != AIM_OK ? e : AIM_EDB;
}

enum aim_err
store_search_merge(struct store *s, int pages, int *worked)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?1)");
	int before = sqlite3_total_changes(s->db);
	enum aim_err e;

	*worked = 0;
	if (st == NULL || sqlite3_bind_int(st, 1, pages))
		return AIM_EDB;
	if ((e = store_exec(s, st)) != AIM_OK)
		return e;
	*worked = sqlite3_total_changes(s->db) - before > 1;
	return AIM_OK;
}

/* ---- searching ---- */

/* The matching documents the viewer may see; ?1 FTS, ?2.. filters (see bind_params). */
#define HITS_WHERE \
	" JOIN search_docs d ON d.rowid = f.rowid JOIN cases c ON c.id = d.case_id WHERE" \
	" (?3 IS NULL OR NOT EXISTS (SELECT 1 FROM search_fts n WHERE n.search_fts MATCH ?3" \
	"  AND n.rowid = f.rowid))" \
	" AND (?4 IS NULL OR c.kind = ?4) AND (?5 IS NULL OR c.status = ?5)" \
	" AND (?6 IS NULL OR c.ref = ?6)" \
	" AND (?7 IS NULL OR d.doc_time >= ?7) AND (?8 IS NULL OR d.doc_time < ?8)" \
	" AND (?9 IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(?9) j WHERE NOT EXISTS" \
	"  (SELECT 1 FROM flags g WHERE g.doc_type = d.doc_type AND g.doc_id = d.doc_id" \
	"   AND g.rule_id = j.value)))" \
	" AND (?10 IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(?10) j WHERE NOT EXISTS" \
	"  (SELECT 1 FROM indicators x JOIN indicator_mentions m ON m.indicator_id = x.id" \
	"   WHERE x.value IN (j.value, lower(j.value)) AND m.case_id = d.case_id)))" \
	" AND " STORE_VISIBLE_CASE

static const char *const kinds[] = { "ai_intrusion", "take_it_down" };
static const char *const statuses[] = { "open", "investigating", "charged", "closed" };

static int
bind_params(sqlite3_stmt *st, const struct search_params *sp, const struct aim_user *viewer)
{
	if ((sp->fts != NULL && store_bind_text(st, 1, sp->fts)) ||
	    store_bind_text(st, 3, sp->negative) ||
	    store_bind_text(st, 4, sp->kind >= 0 ? kinds[sp->kind] : NULL) ||
	    store_bind_text(st, 5, sp->status >= 0 ? statuses[sp->status] : NULL) ||
	    store_bind_text(st, 6, sp->case_ref) || store_bind_opt_int(st, 7, sp->after, -1) ||
	    store_bind_opt_int(st, 8, sp->before, -1) || store_bind_text(st, 9, sp->flags_json) ||
	    store_bind_text(st, 10, sp->inds_json) || store_bind_viewer(st, viewer))
		return -1;
	return 0;
}

struct budget {
	struct timespec deadline;
};

static int
over_budget(void *arg)
{
	struct budget *b = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > b->deadline.tv_sec ||
	    (now.tv_sec == b->deadline.tv_sec && now.tv_nsec > b->deadline.tv_nsec);
}

static json_t *
snippet_of(struct store *s, const struct search_params *sp, int64_t rowid)
{
	sqlite3_stmt *st = sp->fts != NULL ?
	    store_stmt(s, "SELECT snippet(search_fts, -1, X'01', X'02', '…', 16) FROM search_fts"
	    " WHERE search_fts MATCH ?1 AND rowid = ?2") :
	    store_stmt(s, "SELECT substr(coalesce(body, path, title, ''), 1, 200) FROM search_fts"
	    " WHERE rowid = ?2");
	json_t *v = NULL;

	if (st == NULL || (sp->fts != NULL && store_bind_text(st, 1, sp->fts)) ||
	    sqlite3_bind_int64(st, 2, rowid))
		return NULL;
	if (store_row(s, st) == AIM_OK)
		v = store_col_text(st, 0);
	sqlite3_reset(st);
	return v;
}

/*
 * One pass over every match the viewer may see: the facets are counted and
 * the best offset + limit documents kept (a heap), so that FTS5 finds and
 * ranks the matches once.  Per document: its rowid, case kind and status,
 * sort key (bm25, or the document's time when there are no words) and its
 * distinct rule ids (search_docs.rules).
 */
#define PASS_SQL(key, match) \
	"SELECT f.rowid, c.kind, c.status, " key ", d.rules FROM search_fts f" HITS_WHERE match

/* A kept document: ordered by key, then tie (both ascending). */
struct ranked {
	double key;
	int64_t tie, rowid;
};

/* The facet counts; flags in a small open-addressing table. */
struct rule_count {
	char *rule;		/* owned */
	int64_t n;
};

struct pass {
	struct ranked *top;	/* a max-heap of the best n_top (worst on top) */
	size_t n_top, cap_top;
	int64_t total, kind[2], status[4];
	struct rule_count *rules;
	size_t n_rules, cap_rules;	/* cap_rules: a power of two, or 0 */
};

static int
worse(const struct ranked *a, const struct ranked *b)
{
	return a->key > b->key || (a->key == b->key && a->tie > b->tie);
}

static void
sift_down(struct ranked *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct ranked t;

		if (l < n && worse(&h[l], &h[m]))
			m = l;
		if (r < n && worse(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void
keep(struct pass *p, const struct ranked *r)
{
	size_t i;

	if (p->cap_top == 0)
		return;
	if (p->n_top < p->cap_top) {
		i = p->n_top++;
		p->top[i] = *r;
		while (i > 0 && worse(&p->top[i], &p->top[(i - 1) / 2])) {
			struct ranked t = p->top[i];

			p->top[i] = p->top[(i - 1) / 2];
			p->top[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (worse(&p->top[0], r)) {
		p->top[0] = *r;
		sift_down(p->top, p->n_top, 0);
	}
}

static uint32_t
rule_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int
rules_grow(struct pass *p)
{
	size_t cap = p->cap_rules ? 2 * p->cap_rules : 64;
	struct rule_count *t = calloc(cap, sizeof(*t));

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < p->cap_rules; i++) {
		size_t j;

		if (p->rules[i].rule == NULL)
			continue;
		j = rule_hash(p->rules[i].rule, strlen(p->rules[i].rule)) & (cap - 1);
		while (t[j].rule != NULL)
			j = (j + 1) & (cap - 1);
		t[j] = p->rules[i];
	}
	free(p->rules);
	p->rules = t;
	p->cap_rules = cap;
	return 0;
}

/* Count one more document under the rule of len bytes at s. */
static int
count_rule(struct pass *p, const char *s, size_t len)
{
	size_t j;

	if (2 * (p->n_rules + 1) > p->cap_rules && rules_grow(p) != 0)
		return -1;
	j = rule_hash(s, len) & (p->cap_rules - 1);
	while (p->rules[j].rule != NULL &&
	    (strncmp(p->rules[j].rule, s, len) != 0 || p->rules[j].rule[len] != '\0'))
		j = (j + 1) & (p->cap_rules - 1);
	if (p->rules[j].rule == NULL) {
		if ((p->rules[j].rule = strndup(s, len)) == NULL)
			return -1;
		p->n_rules++;
	}
	p->rules[j].n++;
	return 0;
}

static int
count_rules(struct pass *p, const char *list)
{
	static const char sep[2] = { STORE_RULES_SEP, '\0' };

	while (list != NULL && *list != '\0') {
		size_t len = strcspn(list, sep);

		if (len > 0 && count_rule(p, list, len) != 0)
			return -1;
		list += len + (list[len] == STORE_RULES_SEP);
	}
	return 0;
}

static int
index_of(const char *v, const char *const *names, int n)
{
	for (int i = 0; v != NULL && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return -1;
}

static enum aim_err
run_pass(struct store *s, const struct aim_user *viewer, const struct search_params *sp,
    struct pass *p)
{
	sqlite3_stmt *st = sp->fts != NULL ?
	    store_stmt(s, PASS_SQL("bm25(search_fts, 10.0, 4.0, 1.5)",
	    " AND search_fts MATCH ?1")) :
	    store_stmt(s, PASS_SQL("d.doc_time", ""));
	int rc;

	if (st == NULL || bind_params(st, sp, viewer))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ranked r = { .rowid = sqlite3_column_int64(st, 0) };
		int k = index_of((const char *)sqlite3_column_text(st, 1), kinds, 2);
		int t = index_of((const char *)sqlite3_column_text(st, 2), statuses, 4);

		/* words: the best bm25 first (it is negative), then the oldest rowid;
		 * filters alone: the newest first */
		r.key = sp->fts != NULL ? sqlite3_column_double(st, 3) :
		    -(double)sqlite3_column_int64(st, 3);
		r.tie = sp->fts != NULL ? r.rowid : -r.rowid;
		p->total++;
		if (k >= 0)
			p->kind[k]++;
		if (t >= 0)
			p->status[t]++;
		keep(p, &r);
		if (count_rules(p, (const char *)sqlite3_column_text(st, 4)) != 0) {
			sqlite3_reset(st);
			return AIM_ENOMEM;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? AIM_OK : store_err(s, rc);
}

static int
by_rule(const void *a, const void *b)
{
	const struct rule_count *x = a, *y = b;

	return strcmp(x->rule, y->rule);
}

/* {"kind":{},"status":{},"flag":{}} from p, each in the order of its values (p->rules sorted). */
static json_t *
facets_of(struct pass *p)
{
	static const int status_order[4] = { 2, 3, 1, 0 };	/* charged, closed, investigating, open */
	json_t *kind = json_object(), *status = json_object(), *flag = json_object();
	size_t n = 0;
	int bad = kind == NULL || status == NULL || flag == NULL;

	for (int i = 0; !bad && i < 2; i++)
		if (p->kind[i] > 0)
			bad = json_object_set_new(kind, kinds[i], json_integer(p->kind[i])) != 0;
	for (int i = 0; !bad && i < 4; i++)
		if (p->status[status_order[i]] > 0)
			bad = json_object_set_new(status, statuses[status_order[i]],
			    json_integer(p->status[status_order[i]])) != 0;
	for (size_t i = 0; i < p->cap_rules; i++)
		if (p->rules[i].rule != NULL)
			p->rules[n++] = p->rules[i];
	p->cap_rules = n;	/* packed and sorted: no longer a hash table */
	if (n > 1)
		qsort(p->rules, n, sizeof(*p->rules), by_rule);
	for (size_t i = 0; !bad && i < n; i++)
		bad = json_object_set_new(flag, p->rules[i].rule, json_integer(p->rules[i].n)) != 0;
	if (bad) {
		json_decref(kind);
		json_decref(status);
		json_decref(flag);
		return NULL;
	}
	return json_pack("{s:o,s:o,s:o}", "kind", kind, "status", status, "flag", flag);
}

static int
best_first(const void *a, const void *b)
{
	return worse(a, b) ? 1 : worse(b, a) ? -1 : 0;
}

/* The hits of the page: the kept documents past the offset, best first. */
static enum aim_err
page_of(struct store *s, const struct search_params *sp, struct pass *p, json_t *hits)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT d.doc_type, d.doc_id, c.ref, coalesce(f.title, f.path, 'Note')"
	    " FROM search_docs d JOIN cases c ON c.id = d.case_id"
	    " JOIN search_fts f ON f.rowid = d.rowid WHERE d.rowid = ?1");

	if (st == NULL)
		return AIM_EDB;
	qsort(p->top, p->n_top, sizeof(*p->top), best_first);
	for (size_t i = (size_t)sp->offset; i < p->n_top; i++) {
		int64_t rowid = p->top[i].rowid;
		json_t *h = NULL;
		enum aim_err e;

		if (sqlite3_bind_int64(st, 1, rowid) != SQLITE_OK)
			return AIM_EDB;
		if ((e = store_row(s, st)) == AIM_OK)
			h = json_pack("{s:s,s:I,s:s,s:f,s:o}", "type", sqlite3_column_text(st, 0),
			    "id", (json_int_t)sqlite3_column_int64(st, 1),
			    "case_ref", sqlite3_column_text(st, 2),
			    "score", sp->fts != NULL && p->top[i].key != 0 ? -p->top[i].key : 0.0,
			    "title", store_col_text(st, 3));
		sqlite3_reset(st);
		if (e != AIM_OK)
			return e;
		if (h == NULL || json_array_append_new(hits, h) != 0 ||
		    json_object_set_new(h, "snippet", snippet_of(s, sp, rowid)) != 0)
			return AIM_ENOMEM;
	}
	return AIM_OK;
}

static void
pass_free(struct pass *p)
{
	for (size_t i = 0; i < p->cap_rules; i++)
		free(p->rules[i].rule);
	free(p->rules);
	free(p->top);
}

enum aim_err
store_search(struct store *s, const struct aim_user *viewer, const struct search_params *sp,
    json_t **out)
{
	struct budget b;
	struct pass p = { .cap_top = (size_t)(sp->offset + sp->limit) };
	json_t *hits = json_array(), *facets = NULL;
	enum aim_err e;

	*out = NULL;
	p.top = malloc(p.cap_top * sizeof(*p.top) + 1);
	if (hits == NULL || p.top == NULL) {
		e = AIM_ENOMEM;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &b.deadline);
	b.deadline.tv_sec += sp->budget_ms / 1000;
	b.deadline.tv_nsec += (long)(sp->budget_ms % 1000) * 1000000L;
	if (b.deadline.tv_nsec >= 1000000000L) {
		b.deadline.tv_sec++;
		b.deadline.tv_nsec -= 1000000000L;
	}
	sqlite3_progress_handler(s->db, 1000, over_budget, &b);
	e = run_pass(s, viewer, sp, &p);
	if (e == AIM_OK)
		e = page_of(s, sp, &p, hits);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	if (e == AIM_OK && (facets = facets_of(&p)) == NULL)
		e = AIM_ENOMEM;
	if (e == AIM_OK) {
		/* json_pack's "o" takes both, even when it fails */
		*out = json_pack("{s:I,s:o,s:o}", "total", (json_int_t)p.total, "hits", hits,
		    "facets", facets);
		hits = facets = NULL;
		if (*out == NULL)
			e = AIM_ENOMEM;
	}
out:
	json_decref(hits);
	json_decref(facets);
	pass_free(&p);
	return e;
}
