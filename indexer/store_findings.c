/*
 * store_findings.c — what rules find: flags, extracted indicators, links
 * between cases, hash sets, and the retro-hunt (rescan).
 *
 * Links are computed when asked for, from indicator_mentions: two cases
 * are linked by every indicator both mention, unless the value is noise
 * (the rules' list), known-good (a hash set), or shared by more than
 * LINK_CAP cases.  A shared value weighs by its type and by how rare it is
 * (2 / number of cases holding it).
 */
#include "store_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aim_time.h"

#define LINK_CAP 50		/* a value in more cases than this stops linking */
#define LINKS_MAX 50

static const char *const flag_keys[] = { "rule", "severity", "field", "start", "end", "count",
	"excerpt", "limit", "doc_type", "doc_id" };

enum aim_err
store_flag_add(struct store *s, int64_t case_id, const char *doc_type, int64_t doc_id,
    const struct flag_rec *fl, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO flags (case_id, doc_type, doc_id, field, rule_id, severity, span_start,"
	    " span_end, count, excerpt, limit_hit, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	    " ON CONFLICT (doc_type, doc_id, field, rule_id) DO UPDATE SET"
	    " severity = excluded.severity, span_start = excluded.span_start,"
	    " span_end = excluded.span_end, count = excluded.count, excerpt = excluded.excerpt,"
	    " limit_hit = excluded.limit_hit");

	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) || store_bind_text(st, 2, doc_type) ||
	    sqlite3_bind_int64(st, 3, doc_id) || store_bind_text(st, 4, fl->field) ||
	    store_bind_text(st, 5, fl->rule_id) || store_bind_text(st, 6, fl->severity) ||
	    sqlite3_bind_int64(st, 7, fl->start) || sqlite3_bind_int64(st, 8, fl->end) ||
	    sqlite3_bind_int64(st, 9, fl->count) || store_bind_text(st, 10, fl->excerpt) ||
	    sqlite3_bind_int(st, 11, fl->limit) || sqlite3_bind_int64(st, 12, now))
		return AIM_EDB;
	return store_exec(s, st);
}

enum aim_err
store_mention_add(struct store *s, const char *type, const char *value, const char *source,
    int64_t case_id, int64_t incident_id)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO indicators (type, value) VALUES (?1, ?2)"
	    " ON CONFLICT (type, value) DO UPDATE SET type = excluded.type RETURNING id");
	int64_t ind = 0;
	enum aim_err e;

	if (st == NULL || store_bind_text(st, 1, type) || store_bind_text(st, 2, value))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		ind = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK)
		return e == AIM_ENOTFOUND ? AIM_EDB : e;
	st = store_stmt(s,
	    "INSERT OR IGNORE INTO indicator_mentions (indicator_id, case_id, incident_id, source)"
	    " VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL || sqlite3_bind_int64(st, 1, ind) || sqlite3_bind_int64(st, 2, case_id) ||
	    store_bind_opt_int(st, 3, incident_id, 0) || store_bind_text(st, 4, source))
		return AIM_EDB;
	return store_exec(s, st);
}

/* Raw bytes of a lower-case hex digest into raw; its length, or 0. */
static size_t
unhex(const char *hex, unsigned char raw[32])
{
	size_t n = strlen(hex) / 2;

	if (n == 0 || n > 32 || strlen(hex) != 2 * n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int hi = hex[2 * i], lo = hex[2 * i + 1];

		hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	return n;
}

enum aim_err
store_hash_cross_mentions(struct store *s, const char *type, const char *hex, int64_t case_id)
{
	unsigned char raw[32];
	size_t n = unhex(hex, raw);
	sqlite3_stmt *st;
	int64_t *others = NULL;
	size_t n_others = 0, cap = 0;
	enum aim_err e = AIM_OK;
	int rc;

	if (n == 0)
		return AIM_OK;
	st = strcmp(type, "md5") == 0 ?
	    store_stmt(s, "SELECT DISTINCT case_id FROM evidence_items WHERE md5 = ?1"
	    " AND case_id <> ?2 AND (size IS NULL OR size > 0) LIMIT 51") :
	    store_stmt(s, "SELECT DISTINCT case_id FROM evidence_items WHERE sha256 = ?1"
	    " AND case_id <> ?2 AND (size IS NULL OR size > 0) LIMIT 51");
	if (st == NULL || sqlite3_bind_blob(st, 1, raw, (int)n, SQLITE_TRANSIENT) ||
	    sqlite3_bind_int64(st, 2, case_id))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n_others == cap) {
			size_t nc = cap != 0 ? cap * 2 : 8;
			int64_t *no = realloc(others, nc * sizeof(*no));

			if (no == NULL) {
				e = AIM_ENOMEM;
				break;
			}
			others = no;
			cap = nc;
		}
		others[n_others++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (e == AIM_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		e = store_err(s, rc);
	for (size_t i = 0; e == AIM_OK && i < n_others; i++)
		e = store_mention_add(s, type, hex, "evidence", others[i], 0);
	free(others);
	return e;
}

enum aim_err
store_hashset_bad(struct store *s, const char *hex, char *set_name, size_t len)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT h.name FROM hashset_items i JOIN hashsets h ON h.id = i.set_id"
	    " WHERE i.value = ?1 AND h.kind = 'known-bad' LIMIT 1");
	enum aim_err e;

	if (st == NULL || store_bind_text(st, 1, hex))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		snprintf(set_name, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return e;
}

/* ---- links ---- */

static double
type_weight(const char *type)
{
	static const struct {
		const char *type;
		double w;
	} weights[] = {
		{ "sha256", 5 }, { "sha1", 5 }, { "md5", 5 }, { "wallet", 5 }, { "api_key", 5 },
		{ "email", 4 }, { "account", 3 }, { "phone", 3 }, { "handle", 3 }, { "url", 2 },
		{ "domain", 2 }, { "ip", 1.5 }, { "user_agent", 1 }, { "cve", 0.5 }, { "model", 0.5 },
	};

	for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		if (strcmp(weights[i].type, type) == 0)
			return weights[i].w;
	return 1;
}

struct link {
	int64_t case_id;
	double score;
	json_t *obj;		/* {"ref","title","score","shared":[…]} */
};

static int
by_score(const void *a, const void *b)
{
	const struct link *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->case_id < y->case_id ? -1 : x->case_id > y->case_id;
}

enum aim_err
store_links_of(struct store *s, const struct aim_user *viewer, int64_t case_id, noise_fn noise,
    void *noise_ctx, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s,
	    /* the case's values with the number of cases holding each (counted up to the cap) */
	    "WITH mine AS MATERIALIZED (SELECT d.id, d.type, d.value,"
	    "  (SELECT COUNT(*) FROM (SELECT DISTINCT x.case_id FROM indicator_mentions x"
	    "   WHERE x.indicator_id = d.id LIMIT ?2)) AS df"
	    "  FROM (SELECT DISTINCT indicator_id FROM indicator_mentions WHERE case_id = ?1) m"
	    "  JOIN indicators d ON d.id = m.indicator_id),"
	    /* those that may link: shared, under the cap, not known-good */
	    " shared0 AS MATERIALIZED (SELECT * FROM mine WHERE df >= 2 AND df <= ?3"
	    "  AND NOT EXISTS (SELECT 1 FROM hashset_items h JOIN hashsets hs ON hs.id = h.set_id"
	    "   WHERE hs.kind = 'known-good' AND h.value = mine.value"
	    "   AND mine.type IN ('sha256', 'sha1', 'md5'))),"
	    /* the count shown and scored is of the cases the viewer may see: a hidden case
	     * holding the value must not show through (the cap above counts them all) */
	    " shared AS MATERIALIZED (SELECT s0.id, s0.type, s0.value,"
	    "  (SELECT COUNT(DISTINCT x.case_id) FROM indicator_mentions x"
	    "   JOIN cases c ON c.id = x.case_id"
	    "   WHERE x.indicator_id = s0.id AND " STORE_VISIBLE_CASE ") AS df FROM shared0 s0)"
	    " SELECT DISTINCT c.id, c.ref, c.title, sh.type, sh.value, sh.df FROM shared sh"
	    " JOIN indicator_mentions m2 ON m2.indicator_id = sh.id AND m2.case_id <> ?1"
	    " JOIN cases c ON c.id = m2.case_id"
	    " WHERE " STORE_VISIBLE_CASE
	    " ORDER BY c.id, sh.type, sh.value");
	struct link *links = NULL;
	size_t n = 0, cap = 0;
	enum aim_err e = AIM_OK;
	json_t *arr = NULL;
	int rc;

	*out = NULL;
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) ||
	    sqlite3_bind_int(st, 2, LINK_CAP + 1) || sqlite3_bind_int(st, 3, LINK_CAP) ||
	    store_bind_viewer(st, viewer))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 3);
		const char *value = (const char *)sqlite3_column_text(st, 4);
		int64_t df = sqlite3_column_int64(st, 5);
		struct link *l;

		if (noise != NULL && noise(noise_ctx, type, value))
			continue;
		if (n == 0 || links[n - 1].case_id != cid) {
			if (n == cap) {
				size_t nc = cap != 0 ? cap * 2 : 16;
				struct link *nl = realloc(links, nc * sizeof(*nl));

				if (nl == NULL) {
					e = AIM_ENOMEM;
					break;
				}
				links = nl;
				cap = nc;
			}
			l = &links[n++];
			l->case_id = cid;
			l->score = 0;
			l->obj = json_pack("{s:s,s:s,s:[]}", "ref", sqlite3_column_text(st, 1),
			    "title", sqlite3_column_text(st, 2), "shared");
			if (l->obj == NULL) {
				n--;
				e = AIM_ENOMEM;
				break;
			}
		}
		l = &links[n - 1];
		l->score += type_weight(type) * 2.0 / (double)(df > 1 ? df : 2);
		if (json_array_append_new(json_object_get(l->obj, "shared"),
		    json_pack("{s:s,s:s,s:I}", "type", type, "value", value, "cases", (json_int_t)df))) {
			e = AIM_ENOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	if (e == AIM_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		e = store_err(s, rc);
	if (e == AIM_OK && (arr = json_array()) == NULL)
		e = AIM_ENOMEM;
	if (e == AIM_OK && n > 1)
		qsort(links, n, sizeof(*links), by_score);
	for (size_t i = 0; i < n; i++) {
		if (e == AIM_OK && i < LINKS_MAX) {
			json_object_set_new(links[i].obj, "score",
			    json_real(round(links[i].score * 100.0) / 100.0));
			if (json_array_append(arr, links[i].obj) != 0)
				e = AIM_ENOMEM;
		}
		json_decref(links[i].obj);
	}
	free(links);
	if (e != AIM_OK) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return AIM_OK;
}

enum aim_err
store_case_links(struct store *s, const struct aim_user *viewer, const char *ref,
    noise_fn noise, void *noise_ctx, json_t **out)
{
	enum case_kind kind;
	int64_t case_id;
	enum aim_err e = store_case_find(s, viewer, ref, &case_id, &kind);

	*out = NULL;
	if (e != AIM_OK)
		return e;
	return store_links_of(s, viewer, case_id, noise, noise_ctx, out);
}

/* ---- flags as JSON ---- */

json_t *
store_flags_json(struct store *s, const char *sql, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, sql);

	if (st == NULL || sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return NULL;
	return store_rows_json(s, st, "tttiiitbti", flag_keys);
}

enum aim_err
store_rule_hits(struct store *s, const struct aim_user *viewer, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT f.rule_id, COUNT(*) FROM flags f JOIN cases c ON c.id = f.case_id"
	    " WHERE " STORE_VISIBLE_CASE " GROUP BY f.rule_id");
	json_t *o = json_object();
	int rc = SQLITE_DONE;

	*out = NULL;
	if (st == NULL || o == NULL || store_bind_viewer(st, viewer)) {
		json_decref(o);
		return AIM_EDB;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_set_new(o, (const char *)sqlite3_column_text(st, 0),
		    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(o);
		return store_err(s, rc);
	}
	*out = o;
	return AIM_OK;
}

/* ---- hash sets ---- */

enum aim_err
store_hashset_import(struct store *s, const char *name, const char *kind,
    const char *const *values, size_t n, int64_t now, struct aim_fault *f)
{
	sqlite3_stmt *st;
	int64_t id;
	enum aim_err e;

	if ((e = store_begin(s)) != AIM_OK)
		return e;
	st = store_stmt(s, "INSERT INTO hashsets (name, kind, created_at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind RETURNING id");
	if (st == NULL || store_bind_text(st, 1, name) || store_bind_text(st, 2, kind) ||
	    sqlite3_bind_int64(st, 3, now)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_row(s, st)) == AIM_OK)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		st = store_stmt(s, "INSERT OR IGNORE INTO hashset_items (set_id, value) VALUES (?1, ?2)");
		if (st == NULL || sqlite3_bind_int64(st, 1, id) || store_bind_text(st, 2, values[i])) {
			e = AIM_EDB;
			goto fail;
		}
		if ((e = store_exec(s, st)) != AIM_OK)
			goto fail;
	}
	if ((e = store_commit(s)) != AIM_OK)
		goto fail;
	return AIM_OK;
fail:
	store_rollback(s);
	return aim_fault_set(f, e, NULL, "cannot store hash set %s: %s", name, aim_strerror(e));
}

/* ---- retro-hunt ---- */

static enum aim_err
rescan_docs(struct store *s, sqlite3_stmt *st, const char *doc_type, rescan_fn fn, void *ctx,
    int64_t now, int64_t *docs, int64_t *flags)
{
	enum aim_err e = AIM_OK;
	int rc;

	while (e == AIM_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), case_id = sqlite3_column_int64(st, 1);
		const char *text = (const char *)sqlite3_column_text(st, 3);
		struct doc_findings *fnd = NULL;
		enum case_kind kind;

		if (kind_parse((const char *)sqlite3_column_text(st, 2), &kind) != 0 || text == NULL)
			continue;
		(*docs)++;
		if ((e = fn(ctx, kind, doc_type, text, &fnd)) != AIM_OK || fnd == NULL)
			continue;
		for (size_t i = 0; e == AIM_OK && i < fnd->n_flags; i++)
			if ((e = store_flag_add(s, case_id, doc_type, id, &fnd->flags[i], now)) == AIM_OK)
				(*flags)++;
		for (size_t i = 0; e == AIM_OK && i < fnd->n_inds; i++)
			e = store_mention_add(s, fnd->inds[i].type, fnd->inds[i].value,
			    fnd->inds[i].source, case_id, strcmp(doc_type, "incident") == 0 ? id : 0);
	}
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_rescan(struct store *s, const char *rule_id, rescan_fn fn, void *ctx, int64_t now,
    int64_t *docs, int64_t *flags)
{
	sqlite3_stmt *st;
	enum aim_err e;

	*docs = *flags = 0;
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	st = store_stmt(s, "DELETE FROM flags WHERE (?1 IS NULL OR rule_id = ?1)"
	    " AND rule_id NOT LIKE 'hashset.%'");
	if (st == NULL || store_bind_text(st, 1, rule_id) || (e = store_exec(s, st)) != AIM_OK)
		goto fail;
	st = store_stmt(s, "DELETE FROM indicator_mentions WHERE source LIKE 'rule:%'"
	    " AND (?1 IS NULL OR source = 'rule:' || ?1)");
	if (st == NULL || store_bind_text(st, 1, rule_id) || (e = store_exec(s, st)) != AIM_OK)
		goto fail;
	st = store_stmt(s, "SELECT i.id, i.case_id, c.kind, i.filed_json FROM incidents i"
	    " JOIN cases c ON c.id = i.case_id ORDER BY i.id");
	if (st == NULL || (e = rescan_docs(s, st, "incident", fn, ctx, now, docs, flags)))
		goto fail;
	st = store_stmt(s, "SELECT e.id, e.case_id, c.kind, e.path FROM evidence_items e"
	    " JOIN cases c ON c.id = e.case_id ORDER BY e.id");
	if (st == NULL || (e = rescan_docs(s, st, "evidence", fn, ctx, now, docs, flags)))
		goto fail;
	/* the search index's copy of each document's rule ids, where it changed */
	st = store_stmt(s, "UPDATE search_docs SET rules = "
	    STORE_DOC_RULES("search_docs.doc_type", "search_docs.doc_id")
	    " WHERE rules IS NOT " STORE_DOC_RULES("search_docs.doc_type", "search_docs.doc_id"));
	if (st == NULL || (e = store_exec(s, st)) != AIM_OK)
		goto fail;
	if ((e = store_commit(s)) != AIM_OK)
		goto fail;
	return AIM_OK;
fail:
	store_rollback(s);
	return e != AIM_OK ? e : AIM_EDB;
}
