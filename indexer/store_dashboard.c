/*
 * store_dashboard.c — what needs attention now, across the cases a viewer
 * may see: Take It Down removals still pending, and the most severe flags.
 *
 * Both lists carry STORE_VISIBLE_CASE with the viewer bound, and both are
 * read in index order with a LIMIT (migration 4 → 5), so that the cost does
 * not grow with the database.
 */
#include "store_priv.h"

#define DASHBOARD_DEADLINES 100
#define DASHBOARD_FLAGS 20

/* A cached statement with its ?1 (the limit) and the viewer bound; NULL on failure. */
static sqlite3_stmt *
dashboard_stmt(struct store *s, const char *sql, const struct aim_user *viewer, int limit)
{
	sqlite3_stmt *st = store_stmt(s, sql);

	if (st == NULL)
		return NULL;
	if (sqlite3_bind_int(st, 1, limit) != SQLITE_OK || store_bind_viewer(st, viewer)) {
		sqlite3_reset(st);
		return NULL;
	}
	return st;
}

/*
 * Removals requested and not done.  The deadline is the request plus a fixed
 * 48 hours, so the earliest request is the earliest (or most overdue) due.
 */
static json_t *
pending_deadlines(struct store *s, const struct aim_user *viewer, int64_t now)
{
	static const char *const lead[] = { "case_ref", "case_title", NULL };
	sqlite3_stmt *st = dashboard_stmt(s,
	    "SELECT c.ref, c.title, r.incident_id, r.platform, r.url, r.requested_at,"
	    " r.removed_at FROM removal_requests r JOIN cases c ON c.id = r.case_id"
	    " WHERE r.requested_at IS NOT NULL AND r.removed_at IS NULL AND " STORE_VISIBLE_CASE
	    " ORDER BY r.requested_at, r.id LIMIT ?1", viewer, DASHBOARD_DEADLINES);

	return st != NULL ? store_deadlines_json(s, st, lead, now, NULL) : NULL;
}

static json_t *
severe_flags(struct store *s, const struct aim_user *viewer)
{
	static const char *const keys[] = { "case_ref", "rule", "severity", "field", "excerpt",
		"doc_type", "doc_id", "count" };
	sqlite3_stmt *st = dashboard_stmt(s,
	    "SELECT c.ref, f.rule_id, f.severity, f.field, f.excerpt, f.doc_type, f.doc_id,"
	    " f.count FROM flags f JOIN cases c ON c.id = f.case_id"
	    " WHERE f.severity IN ('critical', 'high') AND " STORE_VISIBLE_CASE
	    " ORDER BY f.id DESC LIMIT ?1", viewer, DASHBOARD_FLAGS);

	return st != NULL ? store_rows_json(s, st, "ttttttii", keys) : NULL;
}

enum aim_err
store_dashboard(struct store *s, const struct aim_user *viewer, int64_t now, json_t **out)
{
	json_t *o = json_object();

	*out = NULL;
	if (store_json_set(o, "deadlines", pending_deadlines(s, viewer, now)) ||
	    store_json_set(o, "flags", severe_flags(s, viewer))) {
		json_decref(o);
		return AIM_EDB;
	}
	*out = o;
	return AIM_OK;
}
