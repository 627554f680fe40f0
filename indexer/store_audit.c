/*
 * store_audit.c — the append-only, hash-chained audit log.
 *
 * Each entry holds the SHA-256 of the entry before it (32 zero bytes for the
 * first) and its own hash, SHA-256(prev_hash || canonical content).  Changing
 * an entry breaks its hash; removing, inserting or reordering entries breaks
 * the prev_hash of the next one.  Triggers refuse UPDATE and DELETE.  What the
 * chain cannot show alone is the loss of the newest entries: `aimcase audit
 * verify` prints the head hash, and `audit export` sends the entries on, so
 * that a copy outside the database anchors it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store_priv.h"
#include "validate.h"

#define HASH_LEN 32

/* The canonical content of an entry, owned (free()), or NULL. */
static char *
canonical(int64_t id, const struct audit_rec *r)
{
	json_t *a = json_pack("[I,I,s?,s?,s?,s,s?,s?,s?,i]", (json_int_t)id, (json_int_t)r->at,
	    r->actor, r->role, r->address, r->action, r->object, r->case_ref, r->detail,
	    r->outcome);
	char *text;

	if (a == NULL)
		return NULL;
	text = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(a);
	return text;
}

static int
entry_hash(int64_t id, const struct audit_rec *r, const unsigned char prev[HASH_LEN],
    unsigned char out[HASH_LEN])
{
	crypto_hash_sha256_state st;
	char *text = canonical(id, r);

	if (text == NULL)
		return -1;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, HASH_LEN);
	crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text));
	crypto_hash_sha256_final(&st, out);
	free(text);
	return 0;
}

/* The newest entry's id and hash (0 and zeros when the log is empty). */
static enum aim_err
audit_head(struct store *s, int64_t *id, unsigned char hash[HASH_LEN])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	enum aim_err e;

	*id = 0;
	memset(hash, 0, HASH_LEN);
	if (st == NULL)
		return AIM_EDB;
	e = store_row(s, st);
	if (e == AIM_OK) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == HASH_LEN)
			memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
		else
			e = AIM_EDB;
	} else if (e == AIM_ENOTFOUND) {
		e = AIM_OK;
	}
	sqlite3_reset(st);
	return e;
}

/*
 * r with every string made valid UTF-8 (a hostile request's path or query is
 * recorded too): copies owned by c, freed by clean_free().
 */
struct clean {
	char *str[7];
};

static int
clean_rec(const struct audit_rec *r, struct audit_rec *out, struct clean *c)
{
	const char *in[7] = { r->actor, r->role, r->address, r->action, r->object, r->case_ref,
		r->detail };
	const char **slot[7] = { &out->actor, &out->role, &out->address, &out->action,
		&out->object, &out->case_ref, &out->detail };

	*out = *r;
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 7; i++) {
		if (in[i] == NULL)
			continue;
		if ((c->str[i] = strdup(in[i])) == NULL)
			return -1;
		v_utf8_clean(c->str[i]);
		*slot[i] = c->str[i];
	}
	return 0;
}

static void
clean_free(struct clean *c)
{
	for (int i = 0; i < 7; i++)
		free(c->str[i]);
}

enum aim_err
store_audit_append(struct store *s, const struct audit_rec *recs, size_t n)
{
	sqlite3_stmt *st;
	unsigned char prev[HASH_LEN], hash[HASH_LEN];
	int64_t id;
	enum aim_err e;

	if (n == 0)
		return AIM_OK;
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	if ((e = audit_head(s, &id, prev)) != AIM_OK)
		goto fail;
	st = store_stmt(s,
	    "INSERT INTO audit_log (id, at, actor, role, address, action, object, case_ref,"
	    " detail, outcome, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12)");
	if (st == NULL) {
		e = AIM_EDB;
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		struct audit_rec rc, *r = &rc;
		struct clean c;

		id++;
		if (recs[i].action == NULL) {
			e = AIM_EINVAL;
			goto fail;
		}
		if (clean_rec(&recs[i], r, &c) != 0 || entry_hash(id, r, prev, hash) != 0) {
			clean_free(&c);
			e = AIM_ENOMEM;
			goto fail;
		}
		if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int64(st, 2, r->at) ||
		    store_bind_text(st, 3, r->actor) || store_bind_text(st, 4, r->role) ||
		    store_bind_text(st, 5, r->address) || store_bind_text(st, 6, r->action) ||
		    store_bind_text(st, 7, r->object) || store_bind_text(st, 8, r->case_ref) ||
		    store_bind_text(st, 9, r->detail) || sqlite3_bind_int(st, 10, r->outcome) ||
		    sqlite3_bind_blob(st, 11, prev, HASH_LEN, SQLITE_TRANSIENT) ||
		    sqlite3_bind_blob(st, 12, hash, HASH_LEN, SQLITE_TRANSIENT)) {
			sqlite3_reset(st);
			clean_free(&c);
			e = AIM_EDB;
			goto fail;
		}
		clean_free(&c);
		if ((e = store_exec(s, st)) != AIM_OK)
			goto fail;
		memcpy(prev, hash, HASH_LEN);
	}
	return store_commit_meta(s);
fail:
	store_rollback(s);
	return e;
}

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* The entry of the current row (columns as in ENTRY_COLUMNS) as a record. */
static void
row_rec(sqlite3_stmt *st, struct audit_rec *r)
{
	r->at = sqlite3_column_int64(st, 1);
	r->actor = col(st, 2);
	r->role = col(st, 3);
	r->address = col(st, 4);
	r->action = col(st, 5);
	r->object = col(st, 6);
	r->case_ref = col(st, 7);
	r->detail = col(st, 8);
	r->outcome = sqlite3_column_int(st, 9);
}

#define ENTRY_COLUMNS "id, at, actor, role, address, action, object, case_ref, detail, outcome," \
	" prev_hash, hash"

enum aim_err
store_audit_verify(struct store *s, struct audit_check *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ENTRY_COLUMNS " FROM audit_log ORDER BY id");
	unsigned char prev[HASH_LEN] = { 0 }, hash[HASH_LEN];
	int64_t last = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct audit_rec r;
		const char *why = NULL;

		row_rec(st, &r);
		out->entries++;
		if (id != last + 1)
			why = "its id does not follow the entry before (an entry removed or inserted)";
		else if (r.action == NULL || sqlite3_column_bytes(st, 10) != HASH_LEN ||
		    sqlite3_column_bytes(st, 11) != HASH_LEN)
			why = "malformed entry";
		else if (memcmp(sqlite3_column_blob(st, 10), prev, HASH_LEN) != 0)
			why = "prev_hash is not the hash of the entry before (removed, inserted or reordered)";
		else if (entry_hash(id, &r, prev, hash) != 0) {
			sqlite3_reset(st);
			return AIM_ENOMEM;
		} else if (memcmp(sqlite3_column_blob(st, 11), hash, HASH_LEN) != 0)
			why = "its content does not match its hash (changed)";
		if (why != NULL) {
			out->bad_id = id;
			snprintf(out->reason, sizeof(out->reason), "entry %lld: %s", (long long)id, why);
			break;
		}
		memcpy(prev, hash, HASH_LEN);
		last = id;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_err(s, rc);
	if (out->bad_id == 0 && last != 0)
		sodium_bin2hex(out->head, sizeof(out->head), prev, HASH_LEN);
	return AIM_OK;
}

static json_t *
hex_col(sqlite3_stmt *st, int i)
{
	char hex[2 * HASH_LEN + 1];

	if (sqlite3_column_bytes(st, i) != HASH_LEN)
		return json_null();
	sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(st, i), HASH_LEN);
	return json_string(hex);
}

static json_t *
entry_json(sqlite3_stmt *st)
{
	static const char *const keys[] = { "id", "at", "actor", "role", "address", "action",
		"object", "case_ref", "detail", "outcome" };
	json_t *o = store_row_json(st, "iTttttttti", keys);

	if (o == NULL || store_json_set(o, "prev_hash", hex_col(st, 10)) ||
	    store_json_set(o, "hash", hex_col(st, 11))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

#define AUDIT_WHERE " WHERE (?1 IS NULL OR case_ref = ?1) AND (?2 IS NULL OR actor = ?2)" \
	" AND (?3 = 0 OR at >= ?3) AND (?4 = 0 OR at < ?4)"

static int
bind_filter(sqlite3_stmt *st, const struct audit_filter *flt)
{
	return store_bind_text(st, 1, flt->case_ref) || store_bind_text(st, 2, flt->actor) ||
	    sqlite3_bind_int64(st, 3, flt->after) || sqlite3_bind_int64(st, 4, flt->before);
}

/* Each entry matching flt from offset on (at most limit; -1 all) to fn, oldest first. */
static enum aim_err
audit_walk(struct store *s, const struct audit_filter *flt, int64_t limit, int64_t offset,
    audit_row_fn fn, void *ctx)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " ENTRY_COLUMNS " FROM audit_log" AUDIT_WHERE
	    " ORDER BY id LIMIT ?5 OFFSET ?6");
	enum aim_err e = AIM_OK;
	int rc = SQLITE_DONE;

	if (st == NULL || bind_filter(st, flt) || sqlite3_bind_int64(st, 5, limit) ||
	    sqlite3_bind_int64(st, 6, offset))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = entry_json(st);
		int stop;

		if (o == NULL) {
			e = AIM_ENOMEM;
			break;
		}
		stop = fn(ctx, o);
		json_decref(o);
		if (stop) {
			e = AIM_EIO;
			break;
		}
	}
	if (e == AIM_OK && rc != SQLITE_DONE)
		e = store_err(s, rc);
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_audit_each(struct store *s, const struct audit_filter *flt, audit_row_fn fn, void *ctx)
{
	return audit_walk(s, flt, -1, 0, fn, ctx);
}

static int
append_entry(void *ctx, json_t *entry)
{
	return json_array_append(ctx, entry) != 0;
}

enum aim_err
store_audit_list(struct store *s, const struct audit_filter *flt, int64_t limit, int64_t offset,
    json_t **out)
{
	sqlite3_stmt *count = store_stmt(s, "SELECT COUNT(*) FROM audit_log" AUDIT_WHERE);
	json_t *entries = json_array();
	int64_t total = 0;
	enum aim_err e;

	*out = NULL;
	if (count == NULL || entries == NULL || bind_filter(count, flt)) {
		json_decref(entries);
		return AIM_EDB;
	}
	e = store_row(s, count);
	if (e == AIM_OK)
		total = sqlite3_column_int64(count, 0);
	sqlite3_reset(count);
	if (e == AIM_OK)
		e = audit_walk(s, flt, limit, offset, append_entry, entries);
	if (e != AIM_OK) {
		json_decref(entries);
		return e == AIM_EIO ? AIM_ENOMEM : e;
	}
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "entries", entries);
	return *out != NULL ? AIM_OK : AIM_ENOMEM;
}
