/*
 * store_cases.c — case listing, the case view, changes and notes.
 *
 * Every query that touches a case carries STORE_VISIBLE_CASE with the
 * viewer bound: a case the viewer may not see behaves as one that does not
 * exist.
 */
#include "store_priv.h"

#include <stdlib.h>
#include <string.h>

#include "aim_time.h"

#define CFAA_THRESHOLD_CENTS 500000	/* $5,000, 18 U.S.C. 1030(c)(4)(A)(i)(I) */

enum aim_err
store_case_find(struct store *s, const struct aim_user *viewer, const char *ref,
    int64_t *case_id, enum case_kind *kind)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT c.id, c.kind FROM cases c WHERE c.ref = ?1 AND " STORE_VISIBLE_CASE);
	enum aim_err e;

	if (st == NULL)
		return AIM_EDB;
	if (store_bind_text(st, 1, ref) || store_bind_viewer(st, viewer)) {
		e = AIM_EDB;
		goto out;
	}
	if ((e = store_row(s, st)) == AIM_OK) {
		*case_id = sqlite3_column_int64(st, 0);
		if (kind_parse((const char *)sqlite3_column_text(st, 1), kind) != 0)
			e = AIM_EDB;
	}
out:
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_case_visible(struct store *s, const struct aim_user *viewer, const char *ref)
{
	enum case_kind kind;
	int64_t id;

	return store_case_find(s, viewer, ref, &id, &kind);
}

static const char *
opt_status(int v)
{
	return v >= 0 ? status_name((enum case_status)v) : NULL;
}

static const char *
opt_kind(int v)
{
	return v >= 0 ? kind_name((enum case_kind)v) : NULL;
}

/*
 * The conditions of a listing, shared by its count and its page: ?1 status,
 * ?2 kind, ?3 the viewer's id when only their own cases (filed into or
 * assigned) are wanted, else NULL.
 */
#define CASE_LIST_WHERE \
	" WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.kind = ?2)" \
	" AND (?3 IS NULL OR c.assignee_id = ?3 OR EXISTS (SELECT 1 FROM case_members o" \
	" WHERE o.case_id = c.id AND o.user_id = ?3)) AND " STORE_VISIBLE_CASE

static int
case_list_bind(sqlite3_stmt *st, const struct aim_user *viewer, const struct case_filter *flt)
{
	return store_bind_text(st, 1, opt_status(flt->status)) ||
	    store_bind_text(st, 2, opt_kind(flt->kind)) ||
	    store_bind_opt_int(st, 3, flt->mine ? viewer->id : -1, -1) ||
	    store_bind_viewer(st, viewer);
}

enum aim_err
store_case_list(struct store *s, const struct aim_user *viewer,
    const struct case_filter *flt, json_t **out)
{
	static const char *const keys[] = { "ref", "title", "kind", "status", "sensitivity",
		"assignee", "updated_at" };
	sqlite3_stmt *count = store_stmt(s, "SELECT COUNT(*) FROM cases c" CASE_LIST_WHERE);
	sqlite3_stmt *st;
	int64_t total = 0;
	json_t *cases;
	int rc;

	*out = NULL;
	if (count == NULL)
		return AIM_EDB;
	if (case_list_bind(count, viewer, flt)) {
		sqlite3_reset(count);
		return AIM_EDB;
	}
	rc = sqlite3_step(count);
	if (rc == SQLITE_ROW)
		total = sqlite3_column_int64(count, 0);
	sqlite3_reset(count);
	if (rc != SQLITE_ROW)
		return store_err(s, rc);
	st = store_stmt(s,
	    "SELECT c.ref, c.title, c.kind, c.status, c.sensitivity, a.username, c.updated_at"
	    " FROM cases c LEFT JOIN users a ON a.id = c.assignee_id" CASE_LIST_WHERE
	    " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?4 OFFSET ?5");
	if (st == NULL)
		return AIM_EDB;
	if (case_list_bind(st, viewer, flt) || sqlite3_bind_int64(st, 4, flt->limit) ||
	    sqlite3_bind_int64(st, 5, flt->offset)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	cases = store_rows_json(s, st, "ttttttT", keys);
	if (cases == NULL)
		return AIM_EDB;
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "cases", cases);
	return *out != NULL ? AIM_OK : AIM_ENOMEM;
}

/* Money in cents as a JSON number of dollars (integer when whole). */
static json_t *
usd(int64_t cents)
{
	if (cents % 100 == 0)
		return json_integer(cents / 100);
	return json_real((double)cents / 100.0);
}

static json_t *
case_loss(struct store *s, int64_t case_id)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT COALESCE(occurred_at, filed_at) AS t, loss_cents FROM incidents"
	    " WHERE case_id = ?1 AND loss_cents IS NOT NULL ORDER BY t");
	int64_t *times = NULL, *cents = NULL, total = 0, best;
	size_t n = 0, cap = 0;
	json_t *o = NULL;
	int rc;

	if (st == NULL || sqlite3_bind_int64(st, 1, case_id))
		return NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 16;
			int64_t *nt = realloc(times, ncap * sizeof(*nt));

			if (nt == NULL)
				goto out;
			times = nt;
			nt = realloc(cents, ncap * sizeof(*nt));
			if (nt == NULL)
				goto out;
			cents = nt;
			cap = ncap;
		}
		times[n] = sqlite3_column_int64(st, 0);
		cents[n] = sqlite3_column_int64(st, 1);
		total += cents[n];
		n++;
	}
	if (rc != SQLITE_DONE)
		goto out;
	best = aim_loss_max_window(times, cents, n);
	o = json_pack("{s:o,s:o,s:i,s:b}", "total_usd", usd(total), "max_365d_usd", usd(best),
	    "threshold_usd", CFAA_THRESHOLD_CENTS / 100, "threshold_met",
	    best >= CFAA_THRESHOLD_CENTS);
out:
	sqlite3_reset(st);
	free(times);
	free(cents);
	return o;
}

/*
 * One deadline from the current row: the lead columns (text, named by lead),
 * then incident_id, platform, url, requested_at, removed_at.
 */
static json_t *
deadline_row(sqlite3_stmt *st, const char *const lead[], int64_t now, int64_t *stale_at)
{
	json_t *o = json_object();
	char due[AIM_TIME_LEN];
	int64_t req, rem;
	int i = 0;

	for (; lead != NULL && lead[i] != NULL; i++)
		if (store_json_set(o, lead[i], store_col_text(st, i)))
			goto fail;
	req = sqlite3_column_int64(st, i + 3);
	rem = sqlite3_column_type(st, i + 4) != SQLITE_NULL ? sqlite3_column_int64(st, i + 4) : -1;
	aim_time_format(aim_removal_due(req), due);
	/* a pending request turns overdue the second after it falls due */
	if (stale_at != NULL && rem < 0 && !aim_removal_overdue(req, rem, now) &&
	    aim_removal_due(req) + 1 < *stale_at)
		*stale_at = aim_removal_due(req) + 1;
	if (store_json_set(o, "incident_id", json_integer(sqlite3_column_int64(st, i))) ||
	    store_json_set(o, "platform", store_col_text(st, i + 1)) ||
	    store_json_set(o, "url", store_col_text(st, i + 2)) ||
	    store_json_set(o, "requested_at", store_col_time(st, i + 3)) ||
	    store_json_set(o, "due_at", json_string(due)) ||
	    store_json_set(o, "removed_at", store_col_time(st, i + 4)) ||
	    store_json_set(o, "overdue", json_boolean(aim_removal_overdue(req, rem, now))))
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
store_deadlines_json(struct store *s, sqlite3_stmt *st, const char *const lead[], int64_t now,
    int64_t *stale_at)
{
	json_t *a = json_array();
	int rc = SQLITE_DONE;

	while (a != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json_array_append_new(a, deadline_row(st, lead, now, stale_at)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(st);
	if (a == NULL || rc != SQLITE_DONE) {
		if (rc != SQLITE_DONE && rc != SQLITE_NOMEM)
			(void)store_err(s, rc);
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *
case_deadlines(struct store *s, int64_t case_id, int64_t now, int64_t *stale_at)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT incident_id, platform, url, requested_at, removed_at FROM removal_requests"
	    " WHERE case_id = ?1 AND requested_at IS NOT NULL ORDER BY requested_at, id");

	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) != SQLITE_OK)
		return NULL;
	return store_deadlines_json(s, st, NULL, now, stale_at);
}

/* A child list of the case: the statement's ?1 is the case id. */
static json_t *
case_rows(struct store *s, const char *sql, int64_t case_id, const char *spec,
    const char *const keys[])
{
	sqlite3_stmt *st = store_stmt(s, sql);

	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) != SQLITE_OK)
		return NULL;
	return store_rows_json(s, st, spec, keys);
}

static int64_t
case_evidence_count(struct store *s, int64_t case_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT COUNT(*) FROM evidence_items WHERE case_id = ?1");
	int64_t n = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_bind_int64(st, 1, case_id) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static const char *const incident_keys[] = { "id", "title", "occurred_at", "filed_at",
	"filed_by" };
static const char *const indicator_keys[] = { "type", "value", "mentions" };
static const char *const note_keys[] = { "id", "author", "text", "created_at" };
static const char *const manifest_keys[] = { "id", "sha256", "items", "sanitised", "size",
	"program", "version", "image_filename", "imported_by", "imported_at" };
static const char *const custody_keys[] = { "action", "manifest", "actor", "at", "detail" };

/* Fill the case's lists into o (the case row already there). */
static enum aim_err
case_children(struct store *s, const struct aim_user *viewer, json_t *o, int64_t case_id,
    int ai, int64_t now, noise_fn noise, void *noise_ctx, int64_t *stale_at)
{
	json_t *links = NULL;
	enum aim_err e = store_links_of(s, viewer, case_id, noise, noise_ctx, &links);
	int64_t evidence = case_evidence_count(s, case_id);

	if (e != AIM_OK)
		return e;
	if (evidence < 0 || store_json_set(o, "links", links))
		return AIM_EDB;
	if (store_json_set(o, "incidents", case_rows(s,
	    "SELECT i.id, i.title, i.occurred_at, i.filed_at, u.username FROM incidents i"
	    " JOIN users u ON u.id = i.filed_by WHERE i.case_id = ?1 ORDER BY i.id",
	    case_id, "itTTt", incident_keys)) ||
	    store_json_set(o, "evidence_count", json_integer(evidence)) ||
	    store_json_set(o, "flags", store_flags_json(s,
	    "SELECT rule_id, severity, field, span_start, span_end, count, excerpt, limit_hit,"
	    " doc_type, doc_id FROM flags WHERE case_id = ?1 ORDER BY CASE severity"
	    " WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3"
	    " ELSE 4 END, doc_type, doc_id, rule_id LIMIT 500", case_id)) ||
	    store_json_set(o, "indicators", case_rows(s,
	    "SELECT d.type, d.value, COUNT(DISTINCT m.incident_id) FROM indicator_mentions m"
	    " JOIN indicators d ON d.id = m.indicator_id WHERE m.case_id = ?1"
	    " GROUP BY d.id ORDER BY d.type, d.value", case_id, "tti", indicator_keys)) ||
	    store_json_set(o, "deadlines", case_deadlines(s, case_id, now, stale_at)) ||
	    store_json_set(o, "notes", case_rows(s,
	    "SELECT n.id, u.username, n.text, n.created_at FROM notes n"
	    " JOIN users u ON u.id = n.author_id WHERE n.case_id = ?1 ORDER BY n.id",
	    case_id, "ittT", note_keys)) ||
	    store_json_set(o, "manifests", case_rows(s,
	    "SELECT m.id, m.sha256, m.items, m.sanitised, m.size, m.program, m.version,"
	    " m.image_filename, u.username, m.imported_at FROM manifests m"
	    " JOIN users u ON u.id = m.imported_by WHERE m.case_id = ?1 ORDER BY m.id",
	    case_id, "ititittttT", manifest_keys)) ||
	    store_json_set(o, "custody", case_rows(s,
	    "SELECT e.action, e.manifest_id, u.username, e.at, e.detail FROM custody_events e"
	    " JOIN users u ON u.id = e.actor_id WHERE e.case_id = ?1 ORDER BY e.id",
	    case_id, "titTt", custody_keys)) ||
	    store_json_set(o, "loss", ai ? case_loss(s, case_id) : json_null()))
		return AIM_EDB;
	return AIM_OK;
}

enum aim_err
store_case_get(struct store *s, const struct aim_user *viewer, const char *ref,
    int64_t now, noise_fn noise, void *noise_ctx, json_t **out, int64_t *stale_at)
{
	static const char *const keys[] = { "id", "ref", "title", "kind", "status",
		"sensitivity", "assignee", "created_by", "created_at", "updated_at" };
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT c.id, c.ref, c.title, c.kind, c.status, c.sensitivity, a.username,"
	    " b.username, c.created_at, c.updated_at FROM cases c"
	    " LEFT JOIN users a ON a.id = c.assignee_id JOIN users b ON b.id = c.created_by"
	    " WHERE c.ref = ?1 AND " STORE_VISIBLE_CASE);
	json_t *o = NULL;
	enum aim_err e;
	int64_t case_id;
	int ai;

	*out = NULL;
	if (stale_at != NULL)
		*stale_at = INT64_MAX;
	if (st == NULL)
		return AIM_EDB;
	if (store_bind_text(st, 1, ref) || store_bind_viewer(st, viewer)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	if ((e = store_row(s, st)) != AIM_OK) {
		sqlite3_reset(st);
		return e;
	}
	case_id = sqlite3_column_int64(st, 0);
	ai = strcmp((const char *)sqlite3_column_text(st, 3), "ai_intrusion") == 0;
	o = store_row_json(st, "itttttttTT", keys);
	sqlite3_reset(st);
	if (o == NULL)
		return AIM_ENOMEM;
	if ((e = case_children(s, viewer, o, case_id, ai, now, noise, noise_ctx,
	    stale_at)) != AIM_OK) {
		json_decref(o);
		return e;
	}
	*out = o;
	return AIM_OK;
}

enum aim_err
store_case_patch(struct store *s, const struct aim_user *viewer, const char *ref,
    const struct case_patch *p, int64_t now, struct aim_fault *f)
{
	sqlite3_stmt *st;
	struct aim_user assignee = { 0 };
	enum case_kind kind;
	int64_t case_id;
	enum aim_err e;

	if ((e = store_begin(s)) != AIM_OK)
		return e;
	if ((e = store_case_find(s, viewer, ref, &case_id, &kind)) != AIM_OK)
		goto fail;
	if (p->set_assignee && p->assignee != NULL &&
	    (e = store_user_get(s, p->assignee, &assignee, NULL, 0)) != AIM_OK) {
		if (e == AIM_ENOTFOUND)
			e = aim_fault_set(f, AIM_EINVAL, "assignee", "assignee: no user %s",
			    p->assignee);
		goto fail;
	}
	st = store_stmt(s,
	    "UPDATE cases SET updated_at = ?2,"
	    " status = CASE WHEN ?3 THEN ?4 ELSE status END,"
	    " assignee_id = CASE WHEN ?5 THEN ?6 ELSE assignee_id END,"
	    " title = COALESCE(?7, title) WHERE id = ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) || sqlite3_bind_int64(st, 2, now) ||
	    sqlite3_bind_int(st, 3, p->set_status != 0) ||
	    store_bind_text(st, 4, status_name(p->status)) ||
	    sqlite3_bind_int(st, 5, p->set_assignee != 0) ||
	    store_bind_opt_int(st, 6, p->assignee != NULL ? assignee.id : -1, -1) ||
	    store_bind_text(st, 7, p->title)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_exec(s, st)) != AIM_OK || (e = store_commit(s)) != AIM_OK)
		goto fail;
	return AIM_OK;
fail:
	store_rollback(s);
	return e;
}

enum aim_err
store_note_add(struct store *s, const struct aim_user *viewer, const char *ref,
    const char *text, int64_t now, json_t **out)
{
	sqlite3_stmt *st;
	enum case_kind kind;
	int64_t case_id, id;
	char when[AIM_TIME_LEN];
	enum aim_err e;

	*out = NULL;
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	if ((e = store_case_find(s, viewer, ref, &case_id, &kind)) != AIM_OK)
		goto fail;
	st = store_stmt(s,
	    "INSERT INTO notes (case_id, author_id, text, created_at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) ||
	    sqlite3_bind_int64(st, 2, viewer->id) || store_bind_text(st, 3, text) ||
	    sqlite3_bind_int64(st, 4, now)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_exec(s, st)) != AIM_OK)
		goto fail;
	id = sqlite3_last_insert_rowid(s->db);
	if ((e = store_search_add(s, "note", id, case_id, NULL, text, NULL, now)) != AIM_OK)
		goto fail;
	st = store_stmt(s, "UPDATE cases SET updated_at = ?2 WHERE id = ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) || sqlite3_bind_int64(st, 2, now)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_exec(s, st)) != AIM_OK || (e = store_commit(s)) != AIM_OK)
		goto fail;
	aim_time_format(now, when);
	*out = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "author", viewer->username,
	    "text", text, "created_at", when);
	return *out != NULL ? AIM_OK : AIM_ENOMEM;
fail:
	store_rollback(s);
	return e;
}

enum aim_err
store_case_count(struct store *s, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT COUNT(*) FROM cases");
	int rc;

	if (st == NULL)
		return AIM_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? AIM_OK : store_err(s, rc);
}

enum aim_err
store_user_list(struct store *s, json_t **out)
{
	static const char *const keys[] = { "username", "role" };
	sqlite3_stmt *st = store_stmt(s, "SELECT username, role FROM users ORDER BY username");
	json_t *users, *u;
	size_t i;

	*out = NULL;
	if (st == NULL || (users = store_rows_json(s, st, "ti", keys)) == NULL)
		return AIM_EDB;
	/* the role as its name, from the one table of names (model.c) */
	json_array_foreach(users, i, u) {
		json_int_t role = json_integer_value(json_object_get(u, "role"));

		if (store_json_set(u, "role", json_string(role_name((enum aim_role)role)))) {
			json_decref(users);
			return AIM_ENOMEM;
		}
	}
	*out = json_pack("{s:o}", "users", users);
	return *out != NULL ? AIM_OK : AIM_ENOMEM;
}
