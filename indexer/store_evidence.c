/*
 * store_evidence.c — manifests, evidence items, chain of custody.
 *
 * An import is one transaction: store_import_begin() takes the write lock
 * and creates the manifest record (its SHA-256 still unknown), each item is
 * inserted as the parser produces it, and store_import_commit() fills in the
 * hash and provenance, writes the custody event and commits.  Any error in
 * between rolls everything back.
 */
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "manifest.h"

/*
 * An evidence item e (not empty) whose content another case's evidence also
 * holds, or that a Take It Down report names: a hash match.
 */
/*
 * The items of the manifest being imported (?1 its id, ?2 its first item):
 * they are the newest rows, so a rowid range finds them without a scan.
 */
#define MANIFEST_ITEMS "e.id >= ?2 AND e.manifest_id = ?1"

#define SHARED_CONTENT \
	"(e.size IS NULL OR e.size > 0) AND (" \
	" (e.sha256 IS NOT NULL AND (EXISTS (SELECT 1 FROM evidence_items o" \
	"   WHERE o.sha256 = e.sha256 AND o.case_id <> e.case_id)" \
	"  OR EXISTS (SELECT 1 FROM indicators d WHERE d.type = 'sha256'" \
	"   AND d.value = lower(hex(e.sha256)))))" \
	" OR (e.md5 IS NOT NULL AND EXISTS (SELECT 1 FROM evidence_items o" \
	"   WHERE o.md5 = e.md5 AND o.case_id <> e.case_id)))"

enum aim_err
store_import_begin(struct store *s, const struct aim_user *viewer, const char *ref,
    int64_t now, struct store_import *imp, struct aim_fault *f)
{
	sqlite3_stmt *st;
	enum case_kind kind;
	enum aim_err e;

	memset(imp, 0, sizeof(*imp));
	imp->s = s;
	imp->viewer = viewer;
	/* a bulk load wants its index pages in memory; put back at the end */
	(void)sqlite3_exec(s->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	if ((e = store_begin(s)) != AIM_OK)
		return aim_fault_set(f, e, NULL, "%s", aim_strerror(e));
	if ((e = store_case_find(s, viewer, ref, &imp->case_id, &kind)) != AIM_OK) {
		store_rollback(s);
		return e == AIM_ENOTFOUND ? aim_fault_set(f, e, "case", "no case %s", ref) : e;
	}
	snprintf(imp->case_ref, sizeof(imp->case_ref), "%s", ref);
	imp->kind = kind;
	st = store_stmt(s, "INSERT INTO manifests (case_id, format, imported_by, imported_at)"
	    " VALUES (?1, 'dfxml', ?2, ?3)");
	if (st == NULL || sqlite3_bind_int64(st, 1, imp->case_id) ||
	    sqlite3_bind_int64(st, 2, viewer->id) || sqlite3_bind_int64(st, 3, now) ||
	    (e = store_insert(s, st, &imp->manifest_id)) != AIM_OK) {
		store_rollback(s);
		return aim_fault_set(f, AIM_EDB, NULL, "cannot record the manifest");
	}
	return AIM_OK;
}

/* A hex digest (validated by the parser) bound as its raw bytes, or NULL. */
static int
bind_hash(sqlite3_stmt *st, int i, const char *hex)
{
	unsigned char raw[32];
	size_t n = 0;

	for (; hex[2 * n] != '\0' && n < sizeof(raw); n++) {
		int hi = hex[2 * n], lo = hex[2 * n + 1];

		hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
		raw[n] = (unsigned char)(hi << 4 | lo);
	}
	if (n == 0)
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1;
	return sqlite3_bind_blob(st, i, raw, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

enum aim_err
store_import_item(struct store_import *imp, const struct evidence_item *it, int64_t *id)
{
	enum aim_err e;
	sqlite3_stmt *st = store_stmt(imp->s,
	    "INSERT INTO evidence_items (case_id, manifest_id, path, sanitised, size, alloc,"
	    " inode, mtime, ctime, atime, crtime, zoneless, md5, sha1, sha256)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");

	if (st == NULL)
		return AIM_EDB;
	if (sqlite3_bind_int64(st, 1, imp->case_id) || sqlite3_bind_int64(st, 2, imp->manifest_id) ||
	    sqlite3_bind_text(st, 3, it->path, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int(st, 4, it->sanitised) || store_bind_opt_int(st, 5, it->size, -1) ||
	    store_bind_opt_int(st, 6, it->alloc, -1) || store_bind_opt_int(st, 7, it->inode, -1) ||
	    store_bind_opt_int(st, 8, it->mtime, NO_TIME) ||
	    store_bind_opt_int(st, 9, it->ctime, NO_TIME) ||
	    store_bind_opt_int(st, 10, it->atime, NO_TIME) ||
	    store_bind_opt_int(st, 11, it->crtime, NO_TIME) ||
	    sqlite3_bind_int(st, 12, it->zoneless) || bind_hash(st, 13, it->md5) ||
	    bind_hash(st, 14, it->sha1) || bind_hash(st, 15, it->sha256)) {
		sqlite3_reset(st);
		return AIM_EDB;
	}
	if ((e = store_insert(imp->s, st, id)) == AIM_OK && imp->first_item == 0)
		imp->first_item = *id;
	return e;
}

enum aim_err
store_import_flag(struct store_import *imp, int64_t id, const struct flag_rec *fl, int64_t now)
{
	enum aim_err e = store_flag_add(imp->s, imp->case_id, "evidence", id, fl, now);

	if (e == AIM_OK)
		imp->flags++;
	return e;
}

enum aim_err
store_import_indicator(struct store_import *imp, const struct ind_rec *ind)
{
	return store_mention_add(imp->s, ind->type, ind->value, ind->source, imp->case_id, 0);
}

/* Bind MANIFEST_ITEMS's parameters; non-zero on failure. */
static int
bind_manifest_items(sqlite3_stmt *st, const struct store_import *imp)
{
	/* no item yet: a range that holds none */
	return sqlite3_bind_int64(st, 1, imp->manifest_id) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, imp->first_item != 0 ? imp->first_item : INT64_MAX) !=
	    SQLITE_OK;
}

/* The same match condition as hash_matches(), row by row: mention each shared digest. */
static enum aim_err
shared_digests(struct store_import *imp)
{
	sqlite3_stmt *st = store_stmt(imp->s,
	    "SELECT DISTINCT nullif(lower(hex(e.sha256)), ''), nullif(lower(hex(e.md5)), '')"
	    " FROM evidence_items e WHERE " MANIFEST_ITEMS " AND " SHARED_CONTENT);
	char (*dig)[2][65] = NULL;
	size_t n = 0, cap = 0;
	enum aim_err e = AIM_OK;
	int rc;

	if (st == NULL || bind_manifest_items(st, imp))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap != 0 ? cap * 2 : 64;
			char (*nd)[2][65] = realloc(dig, nc * sizeof(*nd));

			if (nd == NULL) {
				e = AIM_ENOMEM;
				break;
			}
			dig = nd;
			cap = nc;
		}
		for (int k = 0; k < 2; k++) {
			const unsigned char *t = sqlite3_column_text(st, k);

			snprintf(dig[n][k], sizeof(dig[n][k]), "%s", t != NULL ? (const char *)t : "");
		}
		n++;
	}
	sqlite3_reset(st);
	if (e == AIM_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		e = store_err(imp->s, rc);
	for (size_t i = 0; e == AIM_OK && i < n; i++)
		for (int k = 0; e == AIM_OK && k < 2; k++) {
			const char *type = k == 0 ? "sha256" : "md5";

			if (dig[i][k][0] == '\0')
				continue;
			e = store_mention_add(imp->s, type, dig[i][k], "evidence", imp->case_id, 0);
			if (e == AIM_OK)
				e = store_hash_cross_mentions(imp->s, type, dig[i][k], imp->case_id);
		}
	free(dig);
	return e;
}

/* Flag the items of this manifest that a known-bad hash set holds. */
static enum aim_err
known_bad(struct store_import *imp, int64_t now)
{
	sqlite3_stmt *st = store_stmt(imp->s,
	    "SELECT 1 FROM hashsets WHERE kind = 'known-bad' LIMIT 1");
	struct {
		int64_t id;
		char set[128], hex[65];
	} *hit = NULL;
	size_t n = 0, cap = 0;
	enum aim_err e;
	int rc;

	if (st == NULL)
		return AIM_EDB;
	e = store_row(imp->s, st);
	sqlite3_reset(st);
	if (e != AIM_OK)
		return e == AIM_ENOTFOUND ? AIM_OK : e;
	st = store_stmt(imp->s,
	    "SELECT e.id, hs.name, h.value FROM evidence_items e"
	    " JOIN hashset_items h ON h.value IN (lower(hex(e.sha256)), lower(hex(e.md5)),"
	    "  lower(hex(e.sha1)))"
	    " JOIN hashsets hs ON hs.id = h.set_id AND hs.kind = 'known-bad'"
	    " WHERE " MANIFEST_ITEMS);
	if (st == NULL || bind_manifest_items(st, imp))
		return AIM_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap != 0 ? cap * 2 : 16;
			void *nh = realloc(hit, nc * sizeof(*hit));

			if (nh == NULL)
				break;
			hit = nh;
			cap = nc;
		}
		hit[n].id = sqlite3_column_int64(st, 0);
		snprintf(hit[n].set, sizeof(hit[n].set), "%s", sqlite3_column_text(st, 1));
		snprintf(hit[n].hex, sizeof(hit[n].hex), "%s", sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_reset(st);
	e = rc == SQLITE_DONE ? AIM_OK : store_err(imp->s, rc);
	for (size_t i = 0; e == AIM_OK && i < n; i++) {
		char rule[160], excerpt[240];
		struct flag_rec fl = { .rule_id = rule, .severity = "high", .field = "evidence.hash",
			.excerpt = excerpt, .count = 1, .platform = -1 };

		snprintf(rule, sizeof(rule), HASHSET_RULE_PREFIX "%s", hit[i].set);
		snprintf(excerpt, sizeof(excerpt), "%s is in known-bad hash set %s", hit[i].hex,
		    hit[i].set);
		e = store_import_flag(imp, hit[i].id, &fl, now);
	}
	free(hit);
	return e;
}

static const char *const manifest_keys[] = { "id", "sha256", "items", "format", "sanitised",
	"size", "case_ref" };

enum aim_err
store_manifest_existing(struct store *s, const char *ref, const char *sha256, json_t **reply)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT m.id, m.sha256, m.items, m.format, m.sanitised, m.size, c.ref"
	    " FROM manifests m JOIN cases c ON c.id = m.case_id"
	    " WHERE m.sha256 = ?1 AND c.ref = ?2");
	json_t *m;
	enum aim_err e;

	*reply = NULL;
	if (st == NULL || store_bind_text(st, 1, sha256) || store_bind_text(st, 2, ref))
		return AIM_EDB;
	if ((e = store_row(s, st)) != AIM_OK) {
		sqlite3_reset(st);
		return e;
	}
	m = store_row_json(st, "ititiit", manifest_keys);
	sqlite3_reset(st);
	*reply = json_pack("{s:o,s:b,s:i,s:i}", "manifest", m, "already_imported", 1, "flags", 0,
	    "hash_matches", 0);
	return *reply != NULL ? AIM_OK : AIM_ENOMEM;
}

enum aim_err
store_manifest_repeat(struct store *s, const struct aim_user *viewer, const char *ref,
    const char *sha256, const char *key, const unsigned char req_hash[32], int64_t now,
    json_t **reply, struct aim_fault *f)
{
	enum aim_err e;

	*reply = NULL;
	if (key == NULL)
		return store_manifest_existing(s, ref, sha256, reply);
	if ((e = store_begin(s)) != AIM_OK)
		return e;
	e = store_idem_lookup(s, viewer, key, req_hash, reply, f);
	if (e == AIM_ENOTFOUND && (e = store_manifest_existing(s, ref, sha256, reply)) == AIM_OK &&
	    (e = store_idem_save(s, viewer, key, req_hash, *reply, now)) == AIM_OK &&
	    (e = store_commit(s)) == AIM_OK)
		return AIM_OK;
	store_rollback(s);	/* after a lookup or a failure: nothing to keep */
	if (e != AIM_OK && *reply != NULL) {
		json_decref(*reply);
		*reply = NULL;
	}
	return e;
}

/*
 * The items of this manifest (?2 its first item, ?3 its case) whose digest
 * (col, indexed by idx) another case's evidence also has, found by walking
 * the whole index in order: each lookup of the same digest lands beside the
 * last one.  From its first item on, every row of the case is this
 * manifest's: the import holds the write lock.
 */
#define WALK_SHARED(idx, col) \
	"SELECT e.id FROM evidence_items e INDEXED BY " idx \
	" WHERE e." col " IS NOT NULL AND e.case_id = ?3 AND e.id >= ?2" \
	" AND EXISTS (SELECT 1 FROM evidence_items o WHERE o." col " = e." col \
	"  AND o.case_id <> e.case_id)"

/* The same count as SHARED_CONTENT's, by walking the digest indexes. */
#define SHARED_BY_WALK \
	"SELECT COUNT(*) FROM evidence_items x WHERE (x.size IS NULL OR x.size > 0) AND x.id IN (" \
	WALK_SHARED("evidence_sha256", "sha256") " UNION " WALK_SHARED("evidence_md5", "md5") \
	" UNION SELECT e.id FROM evidence_items e WHERE " MANIFEST_ITEMS \
	"  AND (SELECT 1 FROM indicators WHERE type = 'sha256' LIMIT 1)" \
	"  AND e.sha256 IS NOT NULL AND EXISTS (SELECT 1 FROM indicators d" \
	"   WHERE d.type = 'sha256' AND d.value = lower(hex(e.sha256))))"

/*
 * Items of this manifest whose content is known from elsewhere.  One lookup
 * per item costs a random descent of a digest index each; when the
 * manifest is a quarter or more of all evidence (a first large seizure),
 * one ordered walk of the indexes is cheaper (1,000,000 items with an md5
 * each, in the sqlite3 shell: the md5 count 1.32 s -> 0.39 s).
 */
static enum aim_err
hash_matches(struct store *s, const struct store_import *imp, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT max(id) FROM evidence_items");
	int64_t last;
	int walk;
	enum aim_err e;

	*n = 0;
	if (st == NULL)
		return AIM_EDB;
	e = store_row(s, st);
	last = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK || imp->first_item == 0)
		return e == AIM_ENOTFOUND ? AIM_OK : e;
	walk = (last - imp->first_item + 1) * 4 >= last;
	st = store_stmt(s, walk ? SHARED_BY_WALK :
	    "SELECT COUNT(*) FROM evidence_items e WHERE " MANIFEST_ITEMS " AND " SHARED_CONTENT);
	if (st == NULL || bind_manifest_items(st, imp) ||
	    (walk && sqlite3_bind_int64(st, 3, imp->case_id) != SQLITE_OK))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return e;
}

static enum aim_err
custody_add(struct store_import *imp, const char *sha256, const struct manifest_meta *meta,
    int64_t actor, int64_t now)
{
	char detail[700];
	sqlite3_stmt *st = store_stmt(imp->s,
	    "INSERT INTO custody_events (case_id, manifest_id, action, actor_id, at, detail)"
	    " VALUES (?1, ?2, 'imported', ?3, ?4, ?5)");

	if (snprintf(detail, sizeof(detail), "manifest sha256 %s, %llu entries, written by %s %s",
	    sha256, (unsigned long long)meta->items,
	    meta->program[0] != '\0' ? meta->program : "an unnamed tool", meta->version) < 0)
		return AIM_EIO;
	if (st == NULL || sqlite3_bind_int64(st, 1, imp->case_id) ||
	    sqlite3_bind_int64(st, 2, imp->manifest_id) || sqlite3_bind_int64(st, 3, actor) ||
	    sqlite3_bind_int64(st, 4, now) || store_bind_text(st, 5, detail))
		return AIM_EDB;
	return store_exec(imp->s, st);
}

static const char *
nonempty(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

void
store_import_idem(struct store_import *imp, const char *key, const unsigned char req_hash[32])
{
	imp->idem_key = key;
	if (key != NULL)
		memcpy(imp->idem_hash, req_hash, sizeof(imp->idem_hash));
}

enum aim_err
store_import_commit(struct store_import *imp, const char *sha256,
    const struct manifest_meta *meta, int64_t now, json_t **reply, int *already)
{
	struct store *s = imp->s;
	sqlite3_stmt *st;
	int64_t matches = 0, actor = 0;
	enum aim_err e;

	*reply = NULL;
	*already = 0;
	if (imp->idem_key != NULL) {
		/* a retry that ran alongside the first request: the first one's answer */
		e = store_idem_lookup(s, imp->viewer, imp->idem_key, imp->idem_hash, reply, NULL);
		if (e != AIM_ENOTFOUND) {
			store_rollback(s);
			*already = e == AIM_OK &&
			    json_is_true(json_object_get(*reply, "already_imported"));
			return e;
		}
	}
	if (store_manifest_existing(s, imp->case_ref, sha256, reply) == AIM_OK) {
		*already = 1;
		store_rollback(s);
		if (imp->idem_key == NULL)
			return AIM_OK;
		json_decref(*reply);	/* answered again, and remembered under the key */
		e = store_manifest_repeat(s, imp->viewer, imp->case_ref, sha256, imp->idem_key,
		    imp->idem_hash, now, reply, NULL);
		*already = e == AIM_OK &&
		    json_is_true(json_object_get(*reply, "already_imported"));
		return e;
	}
	st = store_stmt(s,
	    "UPDATE manifests SET sha256 = ?2, size = ?3, items = ?4, sanitised = ?5,"
	    " program = ?6, version = ?7, command_line = ?8, image_filename = ?9,"
	    " case_number = ?10, evidence_number = ?11, examiner = ?12"
	    " WHERE id = ?1 RETURNING imported_by");
	if (st == NULL || sqlite3_bind_int64(st, 1, imp->manifest_id) ||
	    store_bind_text(st, 2, sha256) || sqlite3_bind_int64(st, 3, (int64_t)meta->bytes) ||
	    sqlite3_bind_int64(st, 4, (int64_t)meta->items) ||
	    sqlite3_bind_int64(st, 5, (int64_t)meta->sanitised) ||
	    store_bind_text(st, 6, nonempty(meta->program)) ||
	    store_bind_text(st, 7, nonempty(meta->version)) ||
	    store_bind_text(st, 8, nonempty(meta->command_line)) ||
	    store_bind_text(st, 9, nonempty(meta->image_filename)) ||
	    store_bind_text(st, 10, nonempty(meta->case_number)) ||
	    store_bind_text(st, 11, nonempty(meta->evidence_number)) ||
	    store_bind_text(st, 12, nonempty(meta->examiner))) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_row(s, st)) == AIM_OK)
		actor = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK || (e = custody_add(imp, sha256, meta, actor, now)) != AIM_OK ||
	    (e = hash_matches(s, imp, &matches)) != AIM_OK ||
	    (matches > 0 && (e = shared_digests(imp)) != AIM_OK) ||
	    (e = known_bad(imp, now)) != AIM_OK)
		goto fail;
	st = store_stmt(s, "UPDATE cases SET updated_at = ?2 WHERE id = ?1");
	if (st == NULL || sqlite3_bind_int64(st, 1, imp->case_id) || sqlite3_bind_int64(st, 2, now)) {
		e = AIM_EDB;
		goto fail;
	}
	if ((e = store_exec(s, st)) != AIM_OK)
		goto fail;
	*reply = json_pack("{s:{s:I,s:s,s:I,s:s,s:I,s:I,s:s},s:i,s:I}", "manifest",
	    "id", (json_int_t)imp->manifest_id, "sha256", sha256, "items",
	    (json_int_t)meta->items, "format", meta->format, "sanitised",
	    (json_int_t)meta->sanitised, "size", (json_int_t)meta->bytes, "case_ref", imp->case_ref,
	    "flags", (int)imp->flags, "hash_matches", (json_int_t)matches);
	if (*reply == NULL) {
		e = AIM_ENOMEM;
		goto fail;
	}
	if ((imp->idem_key != NULL && (e = store_idem_save(s, imp->viewer, imp->idem_key,
	    imp->idem_hash, *reply, now)) != AIM_OK) || (e = store_commit(s)) != AIM_OK)
		goto fail;
	return AIM_OK;
fail:
	store_rollback(s);
	json_decref(*reply);
	*reply = NULL;
	return e;
}

void
store_import_abort(struct store_import *imp)
{
	if (imp != NULL && imp->s != NULL)
		store_rollback(imp->s);
}

enum aim_err
store_manifest_sha(struct store *s, const struct aim_user *viewer, int64_t id,
    char sha256[65])
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT m.sha256 FROM manifests m JOIN cases c ON c.id = m.case_id"
	    " WHERE m.id = ?1 AND m.sha256 IS NOT NULL AND " STORE_VISIBLE_CASE);
	enum aim_err e;

	if (st == NULL || sqlite3_bind_int64(st, 1, id) || store_bind_viewer(st, viewer))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		snprintf(sha256, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return e;
}

/* q as a LIKE pattern matching it anywhere, with % _ \ escaped. */
static void
like_pattern(const char *q, char *out, size_t len)
{
	size_t w = 0;

	out[w++] = '%';
	for (; *q != '\0' && w + 3 < len; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			out[w++] = '\\';
		out[w++] = *q;
	}
	out[w++] = '%';
	out[w] = '\0';
}

enum aim_err
store_evidence_list(struct store *s, const struct aim_user *viewer, const char *ref,
    const struct evidence_filter *flt, json_t **out)
{
	static const char *const keys[] = { "id", "path", "sanitised", "size", "alloc", "md5",
		"sha1", "sha256", "mtime", "manifest" };
	char pattern[1100];
	sqlite3_stmt *st;
	enum case_kind kind;
	int64_t case_id, total = 0;
	json_t *items;
	enum aim_err e;

	*out = NULL;
	if ((e = store_case_find(s, viewer, ref, &case_id, &kind)) != AIM_OK)
		return e;
	if (flt->q != NULL)
		like_pattern(flt->q, pattern, sizeof(pattern));
	st = store_stmt(s, "SELECT COUNT(*) FROM evidence_items"
	    " WHERE case_id = ?1 AND (?2 IS NULL OR path LIKE ?2 ESCAPE '\\')");
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) ||
	    store_bind_text(st, 2, flt->q != NULL ? pattern : NULL))
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (e != AIM_OK)
		return e;
	st = store_stmt(s, "SELECT id, path, sanitised, size, alloc, nullif(lower(hex(md5)), ''),"
	    " nullif(lower(hex(sha1)), ''), nullif(lower(hex(sha256)), ''), mtime, manifest_id"
	    " FROM evidence_items"
	    " WHERE case_id = ?1 AND (?2 IS NULL OR path LIKE ?2 ESCAPE '\\')"
	    " ORDER BY id LIMIT ?3 OFFSET ?4");
	if (st == NULL || sqlite3_bind_int64(st, 1, case_id) ||
	    store_bind_text(st, 2, flt->q != NULL ? pattern : NULL) ||
	    sqlite3_bind_int64(st, 3, flt->limit) || sqlite3_bind_int64(st, 4, flt->offset))
		return AIM_EDB;
	if ((items = store_rows_json(s, st, "itbiitttTi", keys)) == NULL)
		return AIM_EDB;
	*out = json_pack("{s:I,s:o}", "total", (json_int_t)total, "items", items);
	return *out != NULL ? AIM_OK : AIM_ENOMEM;
}
