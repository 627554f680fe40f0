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

#include <string.h>
#include <time.h>

#define SNIPPET_TOKENS 16

enum aim_err
store_search_add(struct store *s, const char *doc_type, int64_t doc_id, int64_t case_id,
    const char *title, const char *body, const char *path, int64_t doc_time)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO search_docs (doc_type, doc_id, case_id, doc_time) VALUES (?1, ?2, ?3, ?4)");
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
	    "INSERT INTO search_docs (doc_type, doc_id, case_id, doc_time)"
	    " SELECT 'evidence', id, case_id, coalesce(mtime, 0) FROM evidence_items"
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

/* A hit's title: the incident's title, the evidence path, or "Note" (shown rows only). */
static json_t *
title_of(struct store *s, int64_t rowid)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT coalesce(title, path, 'Note') FROM search_fts WHERE rowid = ?1");
	json_t *v = NULL;

	if (st == NULL || sqlite3_bind_int64(st, 1, rowid))
		return NULL;
	if (store_row(s, st) == AIM_OK)
		v = store_col_text(st, 0);
	sqlite3_reset(st);
	return v;
}

static enum aim_err
run_page(struct store *s, const struct aim_user *viewer, const struct search_params *sp,
    json_t *hits)
{
	sqlite3_stmt *st = sp->fts != NULL ?
	    store_stmt(s, "SELECT f.rowid, d.doc_type, d.doc_id, c.ref,"
	    " bm25(search_fts, 10.0, 4.0, 1.5) AS score"
	    " FROM search_fts f" HITS_WHERE " AND search_fts MATCH ?1"
	    " ORDER BY score, f.rowid LIMIT ?11 OFFSET ?12") :
	    store_stmt(s, "SELECT f.rowid, d.doc_type, d.doc_id, c.ref,"
	    " 0.0 FROM search_fts f" HITS_WHERE
	    " ORDER BY d.doc_time DESC, f.rowid DESC LIMIT ?11 OFFSET ?12");
	int64_t rows[512];
	size_t n = 0;
	int rc;

	if (st == NULL || bind_params(st, sp, viewer) || sqlite3_bind_int64(st, 11, sp->limit) ||
	    sqlite3_bind_int64(st, 12, sp->offset))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 512) {
		json_t *h = json_pack("{s:s,s:I,s:s,s:f}",
		    "type", sqlite3_column_text(st, 1), "id",
		    (json_int_t)sqlite3_column_int64(st, 2), "case_ref", sqlite3_column_text(st, 3),
		    "score", sqlite3_column_double(st, 4) != 0 ? -sqlite3_column_double(st, 4) : 0.0);

		if (h == NULL || json_array_append_new(hits, h) != 0)
			break;
		rows[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_err(s, rc);
	for (size_t i = 0; i < n; i++)
		if (json_object_set_new(json_array_get(hits, i), "title", title_of(s, rows[i])) != 0 ||
		    json_object_set_new(json_array_get(hits, i), "snippet",
		    snippet_of(s, sp, rows[i])) != 0)
			return AIM_ENOMEM;
	return AIM_OK;
}

static enum aim_err
run_facets(struct store *s, const struct aim_user *viewer, const struct search_params *sp,
    json_t *facets, int64_t *total)
{
#define FACETS_FROM(match) \
	"WITH h AS MATERIALIZED (SELECT f.rowid AS rid, d.doc_type AS dt, d.doc_id AS di," \
	" c.kind AS kind, c.status AS status FROM search_fts f" HITS_WHERE match ")" \
	" SELECT 'kind', kind, COUNT(*) FROM h GROUP BY kind" \
	" UNION ALL SELECT 'status', status, COUNT(*) FROM h GROUP BY status" \
	" UNION ALL SELECT 'flag', g.rule_id, COUNT(DISTINCT h.rid) FROM h" \
	"  CROSS JOIN flags g ON g.doc_type = h.dt AND g.doc_id = h.di GROUP BY g.rule_id"
	sqlite3_stmt *st = sp->fts != NULL ? store_stmt(s, FACETS_FROM(" AND search_fts MATCH ?1")) :
	    store_stmt(s, FACETS_FROM(""));
	int rc;

	*total = 0;
	if (st == NULL || bind_params(st, sp, viewer))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *facet = (const char *)sqlite3_column_text(st, 0);
		json_int_t n = sqlite3_column_int64(st, 2);

		if (strcmp(facet, "kind") == 0)
			*total += n;
		json_object_set_new(json_object_get(facets, facet),
		    (const char *)sqlite3_column_text(st, 1), json_integer(n));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? AIM_OK : store_err(s, rc);
#undef FACETS_FROM
}

enum aim_err
store_search(struct store *s, const struct aim_user *viewer, const struct search_params *sp,
    json_t **out)
{
	struct budget b;
	json_t *hits = json_array(), *facets = json_pack("{s:{},s:{},s:{}}", "kind", "status",
	    "flag");
	int64_t total = 0;
	enum aim_err e;

	/* (CROSS JOIN keeps the hits outside: one index probe of flags per hit) */
	*out = NULL;
	if (hits == NULL || facets == NULL) {
		json_decref(hits);
		json_decref(facets);
		return AIM_ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &b.deadline);
	b.deadline.tv_sec += sp->budget_ms / 1000;
	b.deadline.tv_nsec += (long)(sp->budget_ms % 1000) * 1000000L;
	if (b.deadline.tv_nsec >= 1000000000L) {
		b.deadline.tv_sec++;
		b.deadline.tv_nsec -= 1000000000L;
	}
	sqlite3_progress_handler(s->db, 1000, over_budget, &b);
	e = run_facets(s, viewer, sp, facets, &total);
	if (e == AIM_OK)
		e = run_page(s, viewer, sp, hits);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	if (e == AIM_OK)
		*out = json_pack("{s:I,s:o,s:o}", "total", (json_int_t)total, "hits", hits,
		    "facets", facets);
	else {
		json_decref(hits);
		json_decref(facets);
	}
	if (e == AIM_OK && *out == NULL)
		e = AIM_ENOMEM;
	return e;
}
