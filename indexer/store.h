/*
 * store — the one narrow interface to the case database.
 *
 * All SQL of aimcase lives behind this header (files indexer/store*.c).  The
 * default backend is embedded SQLite in WAL mode with synchronous=FULL: a
 * function that writes returns AIM_OK only once its transaction is durably
 * committed.  A struct store is one connection and belongs to one thread at
 * a time; the HTTP server gives each worker thread its own.
 *
 * Every read or write of case data is made on behalf of a viewer (struct
 * aim_user); which cases a viewer may see is decided here, in one SQL
 * condition (store_cases.c), never by callers.  A case the viewer may not
 * see is AIM_ENOTFOUND, exactly as a case that does not exist.
 *
 * Ownership: json_t results are owned by the caller (json_decref); string
 * and struct arguments are borrowed for the call.  Errors are reported as
 * enum aim_err and, where a struct aim_fault is passed, with field and
 * message.  Functions take the current time as `now` so that tests can fix it.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aim_err.h"
#include "model.h"

#define STORE_SCHEMA_VERSION 9

struct store;

/*
 * Process-wide SQLite settings, once at start-up before any store_open():
 * memory statistics off (they take a global mutex on every allocation),
 * savepoint and statement journals in memory up to 16 MiB.
 */
void store_global_init(void);

/*
 * Open (and create or migrate) the database at path.  Returns NULL with
 * f filled on failure.  Owned: close with store_close().
 */
struct store *store_open(const char *path, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Close the connection; NULL is a no-op. */
void store_close(struct store *s);
/*
 * Checkpoints: a server's request connections leave them to one background
 * thread (store_autocheckpoint(s, 0)), which calls store_checkpoint() now
 * and then, so that no request waits for one.
 */
void store_autocheckpoint(struct store *s, int pages);
/* Copy what the WAL holds into the database without blocking anyone. */
enum aim_err store_checkpoint(struct store *s);
/*
 * A read transaction, so that several reads see one state of the database
 * (inside a batch: already in one, nothing to do).  store_read_end() ends it.
 */
enum aim_err store_read_begin(struct store *s) __attribute__((warn_unused_result));
void store_read_end(struct store *s);
/*
 * The count of committed changes to case data, by any process: a case view
 * made when it read g is current while it still reads g (and the viewer,
 * the rules and the clock are the same: see store_case_get's stale_at).
 */
enum aim_err store_data_gen(struct store *s, int64_t *gen) __attribute__((warn_unused_result));
/* Current schema version of the open database. */
int store_schema_version(struct store *s);
/*
 * Group commit: one transaction around the writes of many requests.  Inside
 * it, every store function's own transaction is a savepoint, so that one
 * request's failure undoes its writes alone; store_batch_end() commits them
 * all with one fsync (commit != 0) or undoes them all.  Returns the COMMIT's
 * outcome: when it fails, nothing of the batch is stored.
 */
enum aim_err store_batch_begin(struct store *s) __attribute__((warn_unused_result));
/* After each unit of a batch: undo what a unit left open (a savepoint it did not end). */
void store_batch_settle(struct store *s);
/* A unit of writes run inside a batch (by the server's writer thread). */
typedef enum aim_err (*store_job_fn)(struct store *s, void *ctx);
enum aim_err store_batch_end(struct store *s, int commit) __attribute__((warn_unused_result));

/* ---- users, sessions, API tokens (store_auth.c) ---- */

/* Add a user; AIM_ECONFLICT if the name is taken. pw_hash is an Argon2id string. */
enum aim_err store_user_add(struct store *s, const char *username, enum aim_role role,
    const char *pw_hash, int64_t now, struct aim_fault *f)
    __attribute__((warn_unused_result));
/*
 * Look a user up by name: fills u and copies the password hash into
 * pw_hash (borrowed buffer of pw_len bytes).  AIM_ENOTFOUND if none.
 */
enum aim_err store_user_get(struct store *s, const char *username, struct aim_user *u,
    char *pw_hash, size_t pw_len) __attribute__((warn_unused_result));

/* What a log-on needs to know of a user beyond the password (store_user_logon). */
#define STORE_TOTP_MAX 64
struct logon_state {
	int failed;			/* failed log-ons since the last success or lock */
	int64_t locked_until;		/* 0, or the end of a lock */
	unsigned char totp[STORE_TOTP_MAX];	/* the TOTP secret, when totp_len != 0 */
	size_t totp_len;
	int64_t totp_last_step;		/* the last time step accepted (a code is good once) */
};
/* store_user_get() plus the log-on state into ls.  AIM_ENOTFOUND if no such user. */
enum aim_err store_user_logon(struct store *s, const char *username, struct aim_user *u,
    char *pw_hash, size_t pw_len, struct logon_state *ls) __attribute__((warn_unused_result));
/*
 * Record a failed log-on of user_id: after max_failed in a row the account
 * is locked until now + lock_seconds (and the count starts again).
 * *locked = 1 when this failure locked it.
 */
enum aim_err store_logon_failed(struct store *s, int64_t user_id, int64_t now, int max_failed,
    int64_t lock_seconds, int *locked) __attribute__((warn_unused_result));
/* Record a good log-on: the failure count to 0; totp_step (when > 0) is now used up. */
enum aim_err store_logon_ok(struct store *s, int64_t user_id, int64_t totp_step)
    __attribute__((warn_unused_result));
/*
 * Change a user's role; their sessions and tokens carry the new role from
 * their next request on.  *old gets the role before.  AIM_ENOTFOUND if no such user.
 */
enum aim_err store_user_set_role(struct store *s, const char *username, enum aim_role role,
    enum aim_role *old) __attribute__((warn_unused_result));
/* Set (len > 0) or remove (len 0) the user's TOTP secret.  AIM_ENOTFOUND if no such user. */
enum aim_err store_user_set_totp(struct store *s, const char *username,
    const unsigned char *secret, size_t len) __attribute__((warn_unused_result));

/* Store a new session for user_id, identified by the SHA-256 of its token. */
enum aim_err store_session_add(struct store *s, int64_t user_id,
    const unsigned char token_hash[32], const char *csrf, int64_t now,
    int64_t expires_at) __attribute__((warn_unused_result));
/*
 * Resolve a session: fills u and csrf (borrowed buffer, csrf_len bytes) when
 * the session exists, is not revoked, not past expires_at and was used less
 * than idle seconds ago; then records the use (at most once a minute).
 * AIM_EUNAUTH otherwise.
 */
enum aim_err store_session_get(struct store *s, const unsigned char token_hash[32],
    int64_t now, int64_t idle, struct aim_user *u, char *csrf, size_t csrf_len)
    __attribute__((warn_unused_result));
/* Revoke a session (logout). */
enum aim_err store_session_revoke(struct store *s, const unsigned char token_hash[32])
    __attribute__((warn_unused_result));

/* Store an API token for the named user; AIM_ENOTFOUND if no such user. */
enum aim_err store_token_add(struct store *s, const char *username,
    const unsigned char token_hash[32], int64_t now) __attribute__((warn_unused_result));
/* Resolve an API token into u; AIM_EUNAUTH if unknown or revoked. */
enum aim_err store_token_get(struct store *s, const unsigned char token_hash[32],
    struct aim_user *u) __attribute__((warn_unused_result));

/* ---- the audit log (store_audit.c) ---- */

/*
 * One audit entry: who (actor, role; NULL when nobody was authenticated),
 * from where, what (action: "GET /api/cases/{ref}", "cli import"), on which
 * object and case, a detail, and the outcome (HTTP status or exit status).
 * Strings are borrowed; NULL means none.
 */
struct audit_rec {
	int64_t at;
	const char *actor, *role, *address, *action, *object, *case_ref, *detail;
	int outcome;
};

/*
 * Append n entries in one durable transaction, each chained to the one
 * before it: hash = SHA-256(prev_hash || canonical content), where the
 * canonical content is the compact ASCII JSON array
 * [id, at, actor, role, address, action, object, case_ref, detail, outcome].
 */
enum aim_err store_audit_append(struct store *s, const struct audit_rec *recs, size_t n)
    __attribute__((warn_unused_result));

/* What store_audit_verify() found. */
struct audit_check {
	int64_t entries;	/* entries read */
	int64_t bad_id;		/* the first entry that does not verify; 0 when intact */
	char reason[160];	/* why, when bad_id != 0 */
	char head[65];		/* hex hash of the last entry, "" when the log is empty */
};

/*
 * Walk the whole chain: every entry's prev_hash must be the hash before it,
 * its hash that of its content, its id the one after.  A changed, removed,
 * inserted or reordered entry is reported by id.  AIM_OK when the walk
 * could be made (intact or not: see out->bad_id).
 */
enum aim_err store_audit_verify(struct store *s, struct audit_check *out)
    __attribute__((warn_unused_result));

/* Which entries to list: NULL strings and 0 times are no filter; before is exclusive. */
struct audit_filter {
	const char *case_ref, *actor;
	int64_t after, before;
};

/*
 * Entries matching flt, oldest first: {"total","entries":[…]} with each
 * entry {"id","at","actor","role","address","action","object","case_ref",
 * "detail","outcome","prev_hash","hash"}.  *out owned.
 */
enum aim_err store_audit_list(struct store *s, const struct audit_filter *flt, int64_t limit,
    int64_t offset, json_t **out) __attribute__((warn_unused_result));

/* Each matching entry (as in the list; borrowed for the call) to fn, oldest first; fn != 0 stops. */
typedef int (*audit_row_fn)(void *ctx, json_t *entry);
enum aim_err store_audit_each(struct store *s, const struct audit_filter *flt, audit_row_fn fn,
    void *ctx) __attribute__((warn_unused_result));

/* ---- incidents (store_incidents.c) ---- */

/*
 * File an incident on behalf of viewer: opens a new case (or adds to the
 * visible case inc->case_ref), stores the incident, its removal requests,
 * indicators and what the rules found (fnd, may be NULL), all in one durable
 * transaction.  filed_json is the normalized incident as filed (kept
 * verbatim).  With an idempotency key (may be NULL), body_hash identifies the
 * request: a repeat of the key with the same hash returns the first reply
 * with *replayed = 1, with another hash AIM_ECONFLICT.  *reply (owned) is the
 * API's 201 body but its links: the caller adds them once the filing is
 * committed (store_case_links), outside the writers' transaction.
 */
enum aim_err store_incident_file(struct store *s, const struct aim_user *viewer,
    const struct incident *inc, const struct doc_findings *fnd,
    const char *filed_json, const char *idem_key,
    const unsigned char body_hash[32], int64_t now, json_t **reply, int *replayed,
    struct aim_fault *f) __attribute__((warn_unused_result));

/* The incident as filed plus id, case_ref, filed_by, filed_at, flags, indicators. */
enum aim_err store_incident_get(struct store *s, const struct aim_user *viewer,
    int64_t id, json_t **out) __attribute__((warn_unused_result));

/* ---- cases and notes (store_cases.c) ---- */

/* Filters of a case listing; NULL / negative members mean "any". */
struct case_filter {
	int status;		/* enum case_status or -1 */
	int kind;		/* enum case_kind or -1 */
	int mine;		/* 1: only cases the viewer filed into or is assigned */
	int64_t limit, offset;
};

/* {"total","cases":[…]} of the cases visible to viewer. */
enum aim_err store_case_list(struct store *s, const struct aim_user *viewer,
    const struct case_filter *flt, json_t **out) __attribute__((warn_unused_result));
/*
 * The full case view (see docs/api.md); deadlines computed against now;
 * links skip what noise() calls noise (noise may be NULL).  *stale_at (when
 * not NULL): the first time after now at which the view changes by itself
 * (a removal deadline falls due), INT64_MAX if never.
 */
enum aim_err store_case_get(struct store *s, const struct aim_user *viewer,
    const char *ref, int64_t now, noise_fn noise, void *noise_ctx, json_t **out,
    int64_t *stale_at) __attribute__((warn_unused_result));
/* Apply a patch; AIM_EINVAL (field "assignee") for an unknown user. */
enum aim_err store_case_patch(struct store *s, const struct aim_user *viewer,
    const char *ref, const struct case_patch *p, int64_t now, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Add a note; *out (owned) is {"id","author","text","created_at"}. */
enum aim_err store_note_add(struct store *s, const struct aim_user *viewer,
    const char *ref, const char *text, int64_t now, json_t **out)
    __attribute__((warn_unused_result));
/* AIM_OK when the viewer may see case ref, else AIM_ENOTFOUND. */
enum aim_err store_case_visible(struct store *s, const struct aim_user *viewer,
    const char *ref) __attribute__((warn_unused_result));
/* {"users":[{"username","role"}]}: every user by name, the choice of assignees. */
enum aim_err store_user_list(struct store *s, json_t **out)
    __attribute__((warn_unused_result));
/* Number of cases in the database (every case, whoever can see it). */
enum aim_err store_case_count(struct store *s, int64_t *n)
    __attribute__((warn_unused_result));

/* ---- what needs attention (store_dashboard.c) ---- */

/*
 * {"deadlines":[…],"flags":[…]} across the cases the viewer may see: the
 * Take It Down removals requested and not done, earliest due first (at most
 * 100), each a case view deadline (against now) with "case_ref" and
 * "case_title"; the critical and high flags, newest first (at most 20),
 * {"case_ref","rule","severity","field","excerpt","doc_type","doc_id","count"}.
 */
enum aim_err store_dashboard(struct store *s, const struct aim_user *viewer, int64_t now,
    json_t **out) __attribute__((warn_unused_result));

/* ---- findings: links, rule hits, hash sets (store_findings.c) ---- */

/* [{"ref","title","score","shared":[{"type","value","cases"}]}] of the visible linked cases. */
enum aim_err store_case_links(struct store *s, const struct aim_user *viewer, const char *ref,
    noise_fn noise, void *noise_ctx, json_t **out) __attribute__((warn_unused_result));
/* {"rule id": flags in cases the viewer may see} */
enum aim_err store_rule_hits(struct store *s, const struct aim_user *viewer, json_t **out)
    __attribute__((warn_unused_result));
/* The rule id of a known-bad set's flags: this prefix and the set's name. */
#define HASHSET_RULE_PREFIX "hashset.known-bad."
/* Create or extend hash set name (kind "known-bad"/"known-good") with lower-case hex values. */
enum aim_err store_hashset_import(struct store *s, const char *name, const char *kind,
    const char *const *values, size_t n, int64_t now, struct aim_fault *f)
    __attribute__((warn_unused_result));

/*
 * Retro-hunt: for every stored document (incidents, then evidence paths),
 * fn returns what the rules find in it; the store replaces the document's
 * rule flags and rule indicators with that (only those of rule_id when
 * rule_id is not NULL), all in one transaction.  text is the incident as
 * filed (JSON) or the evidence path.  Counts go to *docs and *flags.
 */
typedef enum aim_err (*rescan_fn)(void *ctx, enum case_kind kind, const char *doc_type,
    const char *text, struct doc_findings **out);
enum aim_err store_rescan(struct store *s, const char *rule_id, rescan_fn fn, void *ctx,
    int64_t now, int64_t *docs, int64_t *flags) __attribute__((warn_unused_result));

/* ---- full-text search (store_search.c) ---- */

/* A parsed query (server/search_query.h) as the store runs it. */
struct search_params {
	const char *fts;	/* FTS5 expression, or NULL: filters only */
	const char *negative;	/* FTS5 expression of excluded documents, or NULL */
	int kind, status;	/* -1: any */
	const char *flags_json;	/* JSON array of rule ids every hit carries, or NULL */
	const char *inds_json;	/* JSON array of values the hit's case mentions, or NULL */
	const char *case_ref;
	int64_t after, before;	/* -1: no bound */
	int64_t limit, offset;
	int budget_ms;		/* past it the query stops: AIM_EBUSY */
};

/*
 * {"total","hits":[{"type","id","case_ref","title","snippet","score"}],
 *  "facets":{"kind":{},"status":{},"flag":{}}} of the documents the viewer
 * may see.  Snippets are raw text with \x01 before and \x02 after each hit
 * (the caller escapes them for HTML).
 */
enum aim_err store_search(struct store *s, const struct aim_user *viewer,
    const struct search_params *sp, json_t **out) __attribute__((warn_unused_result));
/*
 * Index evidence paths imported since the last call, batch rows at a time,
 * each batch one transaction recording how far it got (so the index never
 * drifts from the store, whatever happens).  *indexed counts the rows.
 */
enum aim_err store_search_catch_up(struct store *s, int64_t batch, int64_t *indexed)
    __attribute__((warn_unused_result));
/*
 * Merge the index's segments, up to pages of work (inserts do not merge,
 * so that filing stays quick; FTS5 still merges by itself past 16 segments
 * on a level).  *worked is 1 when there was something to merge.
 */
enum aim_err store_search_merge(struct store *s, int pages, int *worked)
    __attribute__((warn_unused_result));

/* ---- evidence manifests (store_evidence.c) ---- */

struct evidence_item;
struct manifest_meta;

/* One manifest being imported: a transaction held open until commit/abort. */
struct store_import {
	struct store *s;
	const struct aim_user *viewer;	/* borrowed: who imports */
	int64_t case_id, manifest_id;
	int64_t first_item;	/* the rowid of its first item (later ones follow), 0: none yet */
	enum case_kind kind;	/* of the case: which rules apply */
	uint64_t flags;		/* flags raised so far */
	char case_ref[16];
	const char *idem_key;	/* borrowed, or NULL: see store_import_idem() */
	unsigned char idem_hash[32];
};

/*
 * Begin importing a manifest into the visible case ref on behalf of viewer:
 * opens the transaction and the manifest record.  Everything up to
 * store_import_commit() is one transaction.
 */
enum aim_err store_import_begin(struct store *s, const struct aim_user *viewer,
    const char *ref, int64_t now, struct store_import *imp, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Add one evidence item (borrowed); *id is its row id. */
enum aim_err store_import_item(struct store_import *imp, const struct evidence_item *it,
    int64_t *id) __attribute__((warn_unused_result));
/* A flag raised by a rule on evidence item id. */
enum aim_err store_import_flag(struct store_import *imp, int64_t id, const struct flag_rec *fl,
    int64_t now) __attribute__((warn_unused_result));
/*
 * Make the import retry-safe under an idempotency key (borrowed until commit
 * or abort) for the request whose hash is req_hash: see store_manifest_repeat().
 */
void store_import_idem(struct store_import *imp, const char *key,
    const unsigned char req_hash[32]);
/*
 * Finish: if a manifest with this SHA-256 is in the case already, roll back
 * and set *already; else record provenance and counts, the custody event, count
 * hash matches, and commit durably.  *reply (owned) is the API's body.  With
 * an idempotency key, a reply already stored under it is returned instead
 * (*already set from its "already_imported"), another request's key is
 * AIM_ECONFLICT, and the reply is stored under the key in the same commit.
 */
enum aim_err store_import_commit(struct store_import *imp, const char *sha256,
    const struct manifest_meta *meta, int64_t now, json_t **reply, int *already)
    __attribute__((warn_unused_result));
/* An indicator found in an evidence path (mentioned by the case). */
enum aim_err store_import_indicator(struct store_import *imp, const struct ind_rec *ind)
    __attribute__((warn_unused_result));
/* Roll back an import that is not going to be committed. */
void store_import_abort(struct store_import *imp);

/*
 * The reply for a manifest with this SHA-256 already imported into case ref
 * (*reply owned, with "already_imported": true), or AIM_ENOTFOUND.  The same
 * bytes imported into another case are that case's own evidence.
 */
enum aim_err store_manifest_existing(struct store *s, const char *ref, const char *sha256,
    json_t **reply) __attribute__((warn_unused_result));
/*
 * A repeat of a manifest upload, before any import: without key, as
 * store_manifest_existing().  With key (viewer's idempotency key for the
 * request whose hash is req_hash), in one transaction: the reply stored under
 * the key, or AIM_ECONFLICT (f filled) when the key was used for another
 * request, or else the "already_imported" reply, then stored under the key.
 * AIM_ENOTFOUND: nothing to repeat, import it.  *reply owned.
 */
enum aim_err store_manifest_repeat(struct store *s, const struct aim_user *viewer,
    const char *ref, const char *sha256, const char *key, const unsigned char req_hash[32],
    int64_t now, json_t **reply, struct aim_fault *f) __attribute__((warn_unused_result));
/* The SHA-256 of a manifest in a case the viewer may see; AIM_ENOTFOUND. */
enum aim_err store_manifest_sha(struct store *s, const struct aim_user *viewer, int64_t id,
    char sha256[65]) __attribute__((warn_unused_result));

/* Evidence listing of a visible case: q filters by path text (may be NULL). */
struct evidence_filter {
	const char *q;
	int64_t limit, offset;
};

/* {"total","items":[…]} */
enum aim_err store_evidence_list(struct store *s, const struct aim_user *viewer,
    const char *ref, const struct evidence_filter *flt, json_t **out)
    __attribute__((warn_unused_result));

#endif
