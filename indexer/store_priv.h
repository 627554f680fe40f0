/*
 * store_priv — what the store's own files share; not for callers.
 *
 * Statements: every SQL text is a string literal passed to store_stmt(),
 * which prepares it once per connection (cached by the literal's address)
 * and hands it back reset, with no bindings.  Values are only ever bound.
 * Callers of store_stmt() sqlite3_reset() the statement when done with it
 * (at their `out:` label) so that no read transaction stays open.
 */
#ifndef STORE_PRIV_H
#define STORE_PRIV_H

#include <sqlite3.h>

#include "store.h"

#define STORE_STMT_CACHE 128

#define STORE_DEFER_DEPTH 8

struct store {
	sqlite3 *db;
	int batch;		/* inside a batch transaction: begin/commit are savepoints */
	int savepoints;		/* savepoints open in it */
	/*
	 * Incidents to put in the search index when the batch ends: FTS5 writes
	 * its pending terms out as a new segment at every savepoint it is part
	 * of, so a batch indexes once, after its last savepoint
	 * (store_index_later).  mark[d]: how many were deferred when savepoint
	 * d + 1 began (its rollback drops what came after).
	 */
	int64_t *deferred;
	size_t n_deferred, cap_deferred;
	size_t mark[STORE_DEFER_DEPTH];
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[STORE_STMT_CACHE];
};

/*
 * The one visibility condition on a case row aliased `c`, with the viewer
 * bound by store_bind_viewer() as ?60 (user id) and ?61 (role rank).
 * Supervisors see all; prosecutors every normal case; anyone the cases
 * assigned to them and the cases they filed into.
 *
 * The viewer's parameters are numbered, far above any statement's own
 * (?1…?59): a named parameter would take the next free number and could
 * silently share a slot with a later "?3".
 */
#define STORE_VIEWER_UID 60
#define STORE_VIEWER_ROLE 61
/*
 * The distinct rule ids of the flags of a document (SQL expressions of its
 * type and id), joined by STORE_RULES_SEP, or NULL: what search_docs.rules
 * holds.  Documents are indexed after their flags are stored; whatever
 * changes the flags of indexed documents sets it again (store_rescan).
 */
#define STORE_RULES_SEP '\x1f'
#define STORE_DOC_RULES(type, id) \
	"(SELECT group_concat(r, char(31)) FROM (SELECT DISTINCT g.rule_id AS r FROM flags g" \
	" WHERE g.doc_type = " type " AND g.doc_id = " id "))"

#define STORE_VISIBLE_CASE \
	"(?61 >= 3 OR c.assignee_id = ?60" \
	" OR (?61 = 2 AND c.sensitivity = 'normal')" \
	" OR EXISTS (SELECT 1 FROM case_members m" \
	" WHERE m.case_id = c.id AND m.user_id = ?60))"

/* A cached statement for the literal sql, or NULL (error logged). Borrowed. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);
/* Bind the viewer's parameters (?60, ?61) of st. */
int store_bind_viewer(sqlite3_stmt *st, const struct aim_user *viewer);
/* Bind text, or NULL when v is NULL. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Bind an integer, or NULL when v equals none. */
int store_bind_opt_int(sqlite3_stmt *st, int i, int64_t v, int64_t none);

/*
 * Put incident id in the search index: now, or inside a batch when the batch
 * commits (one FTS5 segment for the batch, not one per filing).
 */
enum aim_err store_index_incident(struct store *s, int64_t id) __attribute__((warn_unused_result));
enum aim_err store_index_later(struct store *s, int64_t id) __attribute__((warn_unused_result));

/* Map an SQLite result code to an aim_err (BUSY → AIM_EBUSY, …). */
enum aim_err store_err(struct store *s, int rc);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK.  store_commit() counts a change of
 * case data (data_gen, which tells cached case views they are stale);
 * store_commit_meta() commits what no case view shows: the audit log, the
 * search index of evidence paths, the schema's migrations.
 */
enum aim_err store_begin(struct store *s) __attribute__((warn_unused_result));
enum aim_err store_commit(struct store *s) __attribute__((warn_unused_result));
enum aim_err store_commit_meta(struct store *s) __attribute__((warn_unused_result));
void store_rollback(struct store *s);

/*
 * Step st once: AIM_OK with a row ready to read, AIM_ENOTFOUND when there
 * is none, else the mapped error.  Does not reset st.
 */
enum aim_err store_row(struct store *s, sqlite3_stmt *st) __attribute__((warn_unused_result));
/* Run an INSERT (resetting it) and give the new row's id. */
enum aim_err store_insert(struct store *s, sqlite3_stmt *st, int64_t *id)
    __attribute__((warn_unused_result));

/* Step a write statement expected to finish (SQLITE_DONE); resets it. */
enum aim_err store_exec(struct store *s, sqlite3_stmt *st)
    __attribute__((warn_unused_result));

/* Column helpers for building JSON. New references; NULL column → json null. */
json_t *store_col_text(sqlite3_stmt *st, int i);
json_t *store_col_time(sqlite3_stmt *st, int i);

/*
 * Rows as JSON.  spec has one letter per column: 'i' integer (or null), 't'
 * text (or null), 'T' time (or null), 'b' boolean; keys names them.
 * store_row_json() converts the current row; store_rows_json() steps st to
 * the end, resets it, and returns the array (NULL on failure).  Owned.
 */
json_t *store_row_json(sqlite3_stmt *st, const char *spec, const char *const keys[]);
json_t *store_rows_json(struct store *s, sqlite3_stmt *st, const char *spec,
    const char *const keys[]);

/* Set a key of an object, taking the value; returns -1 if obj or v failed. */
int store_json_set(json_t *obj, const char *key, json_t *v);

/* Resolve a visible case reference to its id and kind text; AIM_ENOTFOUND. */
enum aim_err store_case_find(struct store *s, const struct aim_user *viewer,
    const char *ref, int64_t *case_id, enum case_kind *kind);

/*
 * Deadlines as JSON (store_cases.c) from st, stepped to the end and reset:
 * each row is the lead columns (text, named by the NULL-terminated lead,
 * which may be NULL), then incident_id, platform, url, requested_at,
 * removed_at; due_at and overdue are computed against now.  Owned; NULL on
 * failure.  stale_at (may be NULL): lowered to the time a pending one turns
 * overdue.
 */
json_t *store_deadlines_json(struct store *s, sqlite3_stmt *st, const char *const lead[],
    int64_t now, int64_t *stale_at);

/* ---- store_incidents.c: idempotency keys, shared by every retry-safe POST ---- */
/*
 * Inside the write transaction: the reply stored under the viewer's key
 * (*reply owned) when body_hash is the hash it was stored with; AIM_ECONFLICT
 * (f filled) when the key was used for another request; AIM_ENOTFOUND when
 * the key is new.
 */
enum aim_err store_idem_lookup(struct store *s, const struct aim_user *viewer, const char *key,
    const unsigned char body_hash[32], json_t **reply, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Inside the write transaction: remember reply (borrowed) under the viewer's key. */
enum aim_err store_idem_save(struct store *s, const struct aim_user *viewer, const char *key,
    const unsigned char body_hash[32], const json_t *reply, int64_t now)
    __attribute__((warn_unused_result));

/* ---- store_findings.c ---- */
/* Add (or refresh) a flag on a document. */
enum aim_err store_flag_add(struct store *s, int64_t case_id, const char *doc_type,
    int64_t doc_id, const struct flag_rec *fl, int64_t now);
/* Record that case (and incident, or 0) mentions an indicator. */
enum aim_err store_mention_add(struct store *s, const char *type, const char *value,
    const char *source, int64_t case_id, int64_t incident_id);
/*
 * A digest (type md5 or sha256, lower-case hex) known to this case: mention
 * it for every other case whose evidence holds the same content, so that
 * the cases link.
 */
enum aim_err store_hash_cross_mentions(struct store *s, const char *type, const char *hex,
    int64_t case_id);
/* AIM_OK with the set's name when a known-bad hash set holds hex. */
enum aim_err store_hashset_bad(struct store *s, const char *hex, char *set_name, size_t len);
/* The visible cases linked to case_id, strongest first. */
enum aim_err store_links_of(struct store *s, const struct aim_user *viewer, int64_t case_id,
    noise_fn noise, void *noise_ctx, json_t **out);
/* Flags as JSON from a statement whose ?1 is an id. */
json_t *store_flags_json(struct store *s, const char *sql, int64_t id);

/* Index one document for search (store_search.c); title/body/path may be NULL. */
enum aim_err store_search_add(struct store *s, const char *doc_type, int64_t doc_id,
    int64_t case_id, const char *title, const char *body, const char *path, int64_t doc_time);

/* Schema, applied by store_open() (store_schema.c). */
enum aim_err store_schema_migrate(struct store *s, struct aim_fault *f);

#endif
