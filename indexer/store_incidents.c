/*
 * store_incidents.c — filing incidents (one durable transaction each) and
 * reading them back.
 */
#include "store_priv.h"

#include <string.h>

#include "aim_time.h"
#include "case_ref.h"

/* Structured lists of an incident and the indicator type each holds. */
struct indicator_list {
	const char *type;
	const char *source;
	size_t offset;		/* of the struct strlist in struct incident */
};

static const struct indicator_list indicator_lists[] = {
	{ "ip", "ai_intrusion.indicators.ips", offsetof(struct incident, ips) },
	{ "user_agent", "ai_intrusion.indicators.user_agents",
	    offsetof(struct incident, user_agents) },
	{ "account", "ai_intrusion.indicators.accounts", offsetof(struct incident, accounts) },
	{ "domain", "ai_intrusion.indicators.domains", offsetof(struct incident, domains) },
	{ "sha256", "take_it_down.content_hashes", offsetof(struct incident, content_hashes) },
};

enum aim_err
store_idem_lookup(struct store *s, const struct aim_user *viewer, const char *key,
    const unsigned char body_hash[32], json_t **reply, struct aim_fault *f)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT body_hash, reply FROM idempotency WHERE user_id = ?1 AND key = ?2");
	enum aim_err e;

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_int64(st, 1, viewer->id) || store_bind_text(st, 2, key)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) == AIM_OK) {
		const void *h = sqlite3_column_blob(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);

		if (h == NULL || sqlite3_column_bytes(st, 0) != 32 ||
		    memcmp(h, body_hash, 32) != 0) {
			e = aim_fault_set(f, AIM_ECONFLICT, NULL,
			    "Idempotency-Key already used for a different request");
			goto out;
		}
		*reply = text != NULL ? json_loads(text, 0, NULL) : NULL;
		e = *reply != NULL ? AIM_OK : AIM_EDB;
	}
out:
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_idem_save(struct store *s, const struct aim_user *viewer, const char *key,
    const unsigned char body_hash[32], const json_t *reply, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO idempotency (user_id, key, body_hash, reply, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)");
	char *text = json_dumps(reply, JSON_COMPACT);
	enum aim_err e;

	if (text == NULL)
		return AIM_ENOMEM;
	if (st == NULL || sqlite3_bind_int64(st, 1, viewer->id) || store_bind_text(st, 2, key) ||
	    sqlite3_bind_blob(st, 3, body_hash, 32, SQLITE_TRANSIENT) ||
	    store_bind_text(st, 4, text) || sqlite3_bind_int64(st, 5, now)) {
		if (st != NULL)
			sqlite3_reset(st);
		free(text);
		return AIM_EDB;
	}
	e = store_exec(s, st);
	free(text);
	return e;
}

/* Open a new case for the incident; fills *case_id and ref. */
static enum aim_err
case_open(struct store *s, const struct aim_user *viewer, const struct incident *inc,
    int64_t now, int64_t *case_id, char ref[CASE_REF_LEN], struct aim_fault *f)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE year = ?1");
	int year = aim_time_year(now), seq = 0;

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_int(st, 1, year) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (case_ref_format(year, seq, ref) != 0)
		return aim_fault_set(f, seq > 0 ? AIM_ECONFLICT : AIM_EDB, NULL,
		    "no case numbers left for %d", year);
	st = store_stmt(s,
	    "INSERT INTO cases (ref, year, seq, kind, title, sensitivity, created_by,"
	    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
	if (st == NULL)
		return AIM_EDB;
	if (store_bind_text(st, 1, ref) || sqlite3_bind_int(st, 2, year) ||
	    sqlite3_bind_int(st, 3, seq) || store_bind_text(st, 4, kind_name(inc->kind)) ||
	    store_bind_text(st, 5, inc->title) ||
	    store_bind_text(st, 6, inc->victim_minor ? "restricted" : "normal") ||
	    sqlite3_bind_int64(st, 7, viewer->id) || sqlite3_bind_int64(st, 8, now)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_insert(s, st, case_id);
}

/* Attach the incident to an existing visible case of the same kind. */
static enum aim_err
case_join(struct store *s, const struct aim_user *viewer, const struct incident *inc,
    int64_t now, int64_t *case_id, char ref[CASE_REF_LEN], struct aim_fault *f)
{
	sqlite3_stmt *st;
	enum case_kind kind;
	enum aim_err e = store_case_find(s, viewer, inc->case_ref, case_id, &kind);

	if (e == AIM_ENOTFOUND)
		return aim_fault_set(f, e, "case_ref", "case_ref: no case %s", inc->case_ref);
	if (e != AIM_OK)
		return e;
	if (kind != inc->kind)
		return aim_fault_set(f, AIM_ECONFLICT, "case_ref",
		    "case_ref: case %s is a %s case, not %s", inc->case_ref, kind_name(kind),
		    kind_name(inc->kind));
	snprintf(ref, CASE_REF_LEN, "%s", inc->case_ref);
	st = store_stmt(s,
	    "UPDATE cases SET updated_at = ?2, sensitivity = CASE WHEN ?3 THEN 'restricted'"
	    " ELSE sensitivity END WHERE id = ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, *case_id) ||
	    sqlite3_bind_int64(st, 2, now) || sqlite3_bind_int(st, 3, inc->victim_minor != 0))
		return AIM_EDB;
	return store_exec(s, st);
}

static enum aim_err
incident_insert(struct store *s, const struct aim_user *viewer, const struct incident *inc,
    const char *filed_json, int64_t case_id, int64_t now, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO incidents (case_id, filed_by, filed_at, kind, title, narrative,"
	    " occurred_at, target_system, target_owner, access_vector, agent, model,"
	    " data_accessed, loss_cents, victim_minor, depiction, threat_only, filed_json)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
	    " ?17, ?18)");
	int tid = inc->kind == KIND_TAKE_IT_DOWN;

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_int64(st, 1, case_id) || sqlite3_bind_int64(st, 2, viewer->id) ||
	    sqlite3_bind_int64(st, 3, now) || store_bind_text(st, 4, kind_name(inc->kind)) ||
	    store_bind_text(st, 5, inc->title) || store_bind_text(st, 6, inc->narrative) ||
	    store_bind_opt_int(st, 7, inc->occurred_at, NO_TIME) ||
	    store_bind_text(st, 8, inc->target_system) ||
	    store_bind_text(st, 9, inc->target_owner) ||
	    store_bind_text(st, 10, inc->access_vector) || store_bind_text(st, 11, inc->agent) ||
	    store_bind_text(st, 12, inc->model) || store_bind_text(st, 13, inc->data_accessed) ||
	    store_bind_opt_int(st, 14, inc->loss_cents, NO_AMOUNT) ||
	    store_bind_opt_int(st, 15, tid ? inc->victim_minor : -1, -1) ||
	    store_bind_text(st, 16, inc->depiction) ||
	    store_bind_opt_int(st, 17, tid ? inc->threat_only : -1, -1) ||
	    store_bind_text(st, 18, filed_json)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	return store_insert(s, st, id);
}

static enum aim_err
platforms_insert(struct store *s, const struct incident *inc, int64_t case_id, int64_t id)
{
	enum aim_err e;

	for (size_t i = 0; i < inc->n_platforms; i++) {
		const struct platform *p = &inc->platforms[i];
		sqlite3_stmt *st = store_stmt(s,
		    "INSERT INTO removal_requests (incident_id, case_id, platform, url,"
		    " requested_at, removed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

		if (st == NULL)
			return AIM_EDB;
		if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int64(st, 2, case_id) ||
		    store_bind_text(st, 3, p->name) || store_bind_text(st, 4, p->url) ||
		    store_bind_opt_int(st, 5, p->requested_at, NO_TIME) ||
		    store_bind_opt_int(st, 6, p->removed_at, NO_TIME)) {
			sqlite3_reset(st);
			return AIM_EDB;
		}
		if ((e = store_exec(s, st)) != AIM_OK)
			return e;
	}
	return AIM_OK;
}

/* The structured indicators, what the rules found, and content-hash links. */
static enum aim_err
findings_insert(struct store *s, const struct incident *inc, const struct doc_findings *fnd,
    int64_t case_id, int64_t id, int64_t now)
{
	enum aim_err e;
	char set[128];

	for (size_t l = 0; l < sizeof(indicator_lists) / sizeof(indicator_lists[0]); l++) {
		const struct indicator_list *il = &indicator_lists[l];
		const struct strlist *sl =
		    (const struct strlist *)((const char *)inc + il->offset);

		for (size_t i = 0; i < sl->n; i++)
			if ((e = store_mention_add(s, il->type, sl->v[i], il->source, case_id, id)))
				return e;
	}
	for (size_t i = 0; fnd != NULL && i < fnd->n_inds; i++)
		if ((e = store_mention_add(s, fnd->inds[i].type, fnd->inds[i].value,
		    fnd->inds[i].source, case_id, id)) != AIM_OK)
			return e;
	for (size_t i = 0; fnd != NULL && i < fnd->n_flags; i++)
		if ((e = store_flag_add(s, case_id, "incident", id, &fnd->flags[i], now)) != AIM_OK)
			return e;
	for (size_t i = 0; i < inc->content_hashes.n; i++) {
		const char *h = inc->content_hashes.v[i];

		if ((e = store_hash_cross_mentions(s, "sha256", h, case_id)) != AIM_OK)
			return e;
		if (store_hashset_bad(s, h, set, sizeof(set)) == AIM_OK) {
			char rule[160], excerpt[220];
			struct flag_rec fl = { .rule_id = rule, .severity = "high",
				.field = "take_it_down.content_hashes", .excerpt = excerpt,
				.count = 1, .platform = -1 };

			snprintf(rule, sizeof(rule), HASHSET_RULE_PREFIX "%s", set);
			snprintf(excerpt, sizeof(excerpt), "%s is in known-bad hash set %s", h, set);
			if ((e = store_flag_add(s, case_id, "incident", id, &fl, now)) != AIM_OK)
				return e;
		}
	}
	return AIM_OK;
}

static json_t *incident_indicators(struct store *s, int64_t id);

/* The incident in the search index: its title, and its texts as the body. */
enum aim_err
store_index_incident(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO search_docs (doc_type, doc_id, case_id, doc_time, rules)"
	    " SELECT 'incident', i.id, i.case_id, coalesce(i.occurred_at, i.filed_at),"
	    " " STORE_DOC_RULES("'incident'", "i.id") " FROM incidents i WHERE i.id = ?1");
	int64_t rowid;
	enum aim_err e;

	if (st == NULL || sqlite3_bind_int64(st, 1, id))
		return AIM_EDB;
	if ((e = store_insert(s, st, &rowid)) != AIM_OK)
		return e;
	/*
	 * The texts are read first and inserted as one row: an INSERT … SELECT
	 * into FTS5 runs in a statement savepoint, at which FTS5 writes its
	 * pending terms out as a segment of their own (one per incident).
	 */
	st = store_stmt(s,
	    "SELECT i.title, i.narrative || char(10) || coalesce(i.target_system, '')"
	    " || char(10) || coalesce(i.target_owner, '') || char(10) || coalesce(i.agent, '')"
	    " || char(10) || coalesce(i.model, '') || char(10) || coalesce(i.data_accessed, '')"
	    " || char(10) || coalesce((SELECT group_concat(r.platform || ' ' || coalesce(r.url, ''),"
	    "  char(10)) FROM removal_requests r WHERE r.case_id = i.case_id AND r.incident_id = i.id),"
	    " '')"
	    " FROM incidents i WHERE i.id = ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, id))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK) {
		sqlite3_stmt *ins = store_stmt(s,
		    "INSERT INTO search_fts (rowid, title, body) VALUES (?1, ?2, ?3)");

		/* the texts stay the SELECT's until it is reset, after the insert */
		if (ins == NULL || sqlite3_bind_int64(ins, 1, rowid) ||
		    sqlite3_bind_value(ins, 2, sqlite3_column_value(st, 0)) ||
		    sqlite3_bind_value(ins, 3, sqlite3_column_value(st, 1)))
			e = AIM_EDB;
		else
			e = store_exec(s, ins);
	}
	sqlite3_reset(st);
	return e;
}

#define INCIDENT_FLAGS_SQL \
	"SELECT rule_id, severity, field, span_start, span_end, count, excerpt, limit_hit," \
	" doc_type, doc_id FROM flags WHERE doc_type = 'incident' AND doc_id = ?1" \
	" ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2" \
	" WHEN 'low' THEN 3 ELSE 4 END, rule_id, field"

enum aim_err
store_incident_file(struct store *s, const struct aim_user *viewer,
    const struct incident *inc, const struct doc_findings *fnd,
    const char *filed_json, const char *idem_key,
    const unsigned char body_hash[32], int64_t now, json_t **reply, int *replayed,
    struct aim_fault *f)
{
	char ref[CASE_REF_LEN];
	int64_t case_id = 0, id = 0;
	json_t *indicators = NULL, *flags = NULL, *r = NULL;
	enum aim_err e;

	*reply = NULL;
	*replayed = 0;
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	if (idem_key != NULL) {
		e = store_idem_lookup(s, viewer, idem_key, body_hash, reply, f);
		if (e == AIM_OK) {
			*replayed = 1;
			store_rollback(s);
			return AIM_OK;
		}
		if (e != AIM_ENOTFOUND)
			goto fail;
	}
	e = inc->case_ref != NULL ? case_join(s, viewer, inc, now, &case_id, ref, f) :
	    case_open(s, viewer, inc, now, &case_id, ref, f);
	if (e != AIM_OK)
		goto fail;
	{
		sqlite3_stmt *st = store_stmt(s,
		    "INSERT OR IGNORE INTO case_members (case_id, user_id) VALUES (?1, ?2)");

		if (st == NULL || sqlite3_bind_int64(st, 1, case_id) ||
		    sqlite3_bind_int64(st, 2, viewer->id)) {
			e = AIM_EDB;
			goto fail;
		}
		if ((e = store_exec(s, st)) != AIM_OK)
			goto fail;
	}
	if ((e = incident_insert(s, viewer, inc, filed_json, case_id, now, &id)) != AIM_OK ||
	    (e = platforms_insert(s, inc, case_id, id)) != AIM_OK)
		goto fail;
	if ((e = findings_insert(s, inc, fnd, case_id, id, now)) != AIM_OK ||
	    (e = store_index_later(s, id)) != AIM_OK)
		goto fail;
	indicators = incident_indicators(s, id);
	flags = store_flags_json(s, INCIDENT_FLAGS_SQL, id);
	r = json_pack("{s:I,s:{s:s,s:I},s:O,s:O}", "id", (json_int_t)id, "case",
	    "ref", ref, "id", (json_int_t)case_id, "flags", flags, "indicators", indicators);
	if (r == NULL) {
		e = AIM_ENOMEM;
		goto fail;
	}
	if (idem_key != NULL &&
	    (e = store_idem_save(s, viewer, idem_key, body_hash, r, now)) != AIM_OK)
		goto fail;
	if ((e = store_commit(s)) != AIM_OK)
		goto fail;
	json_decref(indicators);
	json_decref(flags);
	*reply = r;
	return AIM_OK;
fail:
	store_rollback(s);
	json_decref(indicators);
	json_decref(flags);
	json_decref(r);
	if (f != NULL && f->err != e)
		aim_fault_set(f, e, NULL, "%s", aim_strerror(e));
	return e;
}

/* [{"type","value"}] of the indicators mentioned by an incident. */
static json_t *
incident_indicators(struct store *s, int64_t id)
{
	static const char *const keys[] = { "type", "value" };
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT DISTINCT d.type, d.value FROM indicator_mentions m"
	    " JOIN indicators d ON d.id = m.indicator_id WHERE m.incident_id = ?1"
	    " ORDER BY d.type, d.value");

	if (st == NULL || sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return NULL;
	return store_rows_json(s, st, "tt", keys);
}

enum aim_err
store_incident_get(struct store *s, const struct aim_user *viewer, int64_t id,
    json_t **out)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT i.filed_json, c.ref, u.username, i.filed_at FROM incidents i"
	    " JOIN cases c ON c.id = i.case_id JOIN users u ON u.id = i.filed_by"
	    " WHERE i.id = ?1 AND " STORE_VISIBLE_CASE);
	json_t *o = NULL;
	enum aim_err e;

	*out = NULL;
	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_int64(st, 1, id) || store_bind_viewer(st, viewer)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) != AIM_OK)
		goto out;
	o = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	if (o == NULL || store_json_set(o, "id", json_integer(id)) ||
	    store_json_set(o, "case_ref", store_col_text(st, 1)) ||
	    store_json_set(o, "filed_by", store_col_text(st, 2)) ||
	    store_json_set(o, "filed_at", store_col_time(st, 3))) {
		e = AIM_ENOMEM;
		goto out;
	}
	sqlite3_reset(st);
	if (store_json_set(o, "flags", store_flags_json(s, INCIDENT_FLAGS_SQL, id)) ||
	    store_json_set(o, "indicators", incident_indicators(s, id))) {
		e = AIM_ENOMEM;
		goto out;
	}
	*out = o;
	o = NULL;
	e = AIM_OK;
out:
	sqlite3_reset(st);
	json_decref(o);
	return e;
}
