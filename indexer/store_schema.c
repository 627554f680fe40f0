/*
 * store_schema.c — the database schema and its migrations.
 *
 * migrations[v] takes a database from user_version v to v + 1.  To change the
 * schema, append a script (never edit a released one) and raise
 * STORE_SCHEMA_VERSION in store.h.  Each step runs in one transaction.
 */
#include "store_priv.h"

static const char *const migrations[] = {
	/* 0 → 1: the foundation. */
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" username TEXT NOT NULL UNIQUE,"
	" role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 3),"
	" pw_hash TEXT NOT NULL,"
	" totp_secret BLOB,"
	" failed_logins INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" token_hash BLOB NOT NULL UNIQUE,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" csrf TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE api_tokens ("
	" id INTEGER PRIMARY KEY,"
	" token_hash BLOB NOT NULL UNIQUE,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL,"
	" revoked_at INTEGER);"
	"CREATE TABLE cases ("
	" id INTEGER PRIMARY KEY,"
	" ref TEXT NOT NULL UNIQUE,"
	" year INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('ai_intrusion', 'take_it_down')),"
	" title TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'open'"
	"  CHECK (status IN ('open', 'investigating', 'charged', 'closed')),"
	" sensitivity TEXT NOT NULL DEFAULT 'normal'"
	"  CHECK (sensitivity IN ('normal', 'restricted')),"
	" created_by INTEGER NOT NULL REFERENCES users(id),"
	" assignee_id INTEGER REFERENCES users(id),"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" UNIQUE (year, seq));"
	"CREATE INDEX cases_updated ON cases (updated_at DESC, id DESC);"
	"CREATE INDEX cases_assignee ON cases (assignee_id);"
	"CREATE TABLE case_members ("
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" PRIMARY KEY (case_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX case_members_user ON case_members (user_id, case_id);"
	"CREATE TABLE incidents ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" filed_by INTEGER NOT NULL REFERENCES users(id),"
	" filed_at INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" narrative TEXT NOT NULL,"
	" occurred_at INTEGER,"
	" target_system TEXT, target_owner TEXT, access_vector TEXT,"
	" agent TEXT, model TEXT, data_accessed TEXT, loss_cents INTEGER,"
	" victim_minor INTEGER, depiction TEXT, threat_only INTEGER,"
	" filed_json TEXT NOT NULL);"
	"CREATE INDEX incidents_case ON incidents (case_id);"
	"CREATE TABLE removal_requests ("
	" id INTEGER PRIMARY KEY,"
	" incident_id INTEGER NOT NULL REFERENCES incidents(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" platform TEXT NOT NULL,"
	" url TEXT,"
	" requested_at INTEGER,"
	" removed_at INTEGER);"
	"CREATE INDEX removal_case ON removal_requests (case_id);"
	"CREATE TABLE indicators ("
	" id INTEGER PRIMARY KEY,"
	" type TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" UNIQUE (type, value));"
	"CREATE TABLE indicator_mentions ("
	" indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" incident_id INTEGER REFERENCES incidents(id),"
	" source TEXT NOT NULL);"			/* a field, "rule:ID" or "evidence" */
	"CREATE UNIQUE INDEX mentions_unique ON indicator_mentions"
	" (indicator_id, case_id, coalesce(incident_id, 0), source);"
	"CREATE INDEX mentions_case ON indicator_mentions (case_id, indicator_id);"
	"CREATE INDEX mentions_incident ON indicator_mentions (incident_id)"
	" WHERE incident_id IS NOT NULL;"
	"CREATE TABLE notes ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" author_id INTEGER NOT NULL REFERENCES users(id),"
	" text TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX notes_case ON notes (case_id);"
	"CREATE TABLE manifests ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" sha256 TEXT NOT NULL UNIQUE,"
	" format TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" items INTEGER NOT NULL,"
	" imported_by INTEGER NOT NULL REFERENCES users(id),"
	" imported_at INTEGER NOT NULL);"
	"CREATE TABLE evidence_items ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" manifest_id INTEGER NOT NULL REFERENCES manifests(id),"
	" path TEXT NOT NULL,"
	" size INTEGER,"
	" md5 TEXT, sha1 TEXT, sha256 TEXT);"
	"CREATE INDEX evidence_case ON evidence_items (case_id);"
	"CREATE TABLE idempotency ("
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" key TEXT NOT NULL,"
	" body_hash BLOB NOT NULL,"
	" reply TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (user_id, key)) WITHOUT ROWID;",

	/* 1 → 2: evidence manifests, evidence items, chain of custody. */
	"DROP TABLE evidence_items;"
	"DROP TABLE manifests;"
	"CREATE TABLE manifests ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" sha256 TEXT,"			/* NULL only inside the import transaction */
	" format TEXT NOT NULL,"
	" size INTEGER NOT NULL DEFAULT 0,"
	" items INTEGER NOT NULL DEFAULT 0,"
	" sanitised INTEGER NOT NULL DEFAULT 0,"
	" program TEXT, version TEXT, command_line TEXT, image_filename TEXT,"
	" case_number TEXT, evidence_number TEXT, examiner TEXT,"
	" imported_by INTEGER NOT NULL REFERENCES users(id),"
	" imported_at INTEGER NOT NULL,"
	" UNIQUE (case_id, sha256));"		/* the same bytes again: nothing new */
	"CREATE INDEX manifests_sha256 ON manifests (sha256);"
	"CREATE TABLE evidence_items ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" manifest_id INTEGER NOT NULL REFERENCES manifests(id),"
	" path TEXT NOT NULL,"
	" sanitised INTEGER NOT NULL DEFAULT 0,"
	" size INTEGER, alloc INTEGER, inode INTEGER,"
	" mtime INTEGER, ctime INTEGER, atime INTEGER, crtime INTEGER,"
	" zoneless INTEGER NOT NULL DEFAULT 0,"
	" md5 BLOB, sha1 BLOB, sha256 BLOB);"		/* raw digests: half the index */
	"CREATE INDEX evidence_case ON evidence_items (case_id, id);"
	"CREATE INDEX evidence_sha256 ON evidence_items (sha256) WHERE sha256 IS NOT NULL;"
	"CREATE INDEX evidence_md5 ON evidence_items (md5) WHERE md5 IS NOT NULL;"
	"CREATE TABLE custody_events ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" manifest_id INTEGER REFERENCES manifests(id),"
	" action TEXT NOT NULL,"
	" actor_id INTEGER NOT NULL REFERENCES users(id),"
	" at INTEGER NOT NULL,"
	" detail TEXT NOT NULL);"
	"CREATE INDEX custody_case ON custody_events (case_id);",

	/* 2 → 3: flags raised by rules, hash sets. */
	"CREATE TABLE flags ("
	" id INTEGER PRIMARY KEY,"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" doc_type TEXT NOT NULL CHECK (doc_type IN ('incident', 'evidence', 'note')),"
	" doc_id INTEGER NOT NULL,"
	" field TEXT NOT NULL,"
	" rule_id TEXT NOT NULL,"
	" severity TEXT NOT NULL,"
	" span_start INTEGER NOT NULL,"
	" span_end INTEGER NOT NULL,"
	" count INTEGER NOT NULL,"
	" excerpt TEXT NOT NULL,"
	" limit_hit INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" UNIQUE (doc_type, doc_id, field, rule_id));"
	"CREATE INDEX flags_case ON flags (case_id);"
	"CREATE INDEX flags_rule ON flags (rule_id);"
	"CREATE TABLE hashsets ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL CHECK (kind IN ('known-bad', 'known-good')),"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE hashset_items ("
	" set_id INTEGER NOT NULL REFERENCES hashsets(id),"
	" value TEXT NOT NULL,"			/* lower-case hex: md5, sha1 or sha256 */
	" PRIMARY KEY (value, set_id)) WITHOUT ROWID;",

	/* 3 → 4: full-text search over incidents, notes and evidence paths. */
	"CREATE VIRTUAL TABLE search_fts USING fts5("
	" title, body, path,"
	" tokenize = 'unicode61 remove_diacritics 2', prefix = '3');"
	/* what each indexed document is, by the same rowid: read without touching its text */
	"CREATE TABLE search_docs ("
	" rowid INTEGER PRIMARY KEY,"
	" doc_type TEXT NOT NULL, doc_id INTEGER NOT NULL, case_id INTEGER NOT NULL,"
	" doc_time INTEGER NOT NULL);"
	"CREATE TABLE search_progress ("		/* evidence rows indexed so far */
	" name TEXT PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO search_progress (name, last_id) VALUES ('evidence', 0);"
	/* segments are merged by the background pass (store_search_merge), not by each insert */
	"INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);"
	"CREATE INDEX indicators_value ON indicators (value);",

	/* 4 → 5: the dashboard's lists, read in order and cut at their limit. */
	"CREATE INDEX removal_pending ON removal_requests (requested_at)"
	" WHERE requested_at IS NOT NULL AND removed_at IS NULL;"
	/* the severe flags' ids only: newest first without reading the others */
	"CREATE INDEX flags_severe ON flags (id) WHERE severity IN ('critical', 'high');",

	/*
	 * 5 → 6: the audit log, append-only and hash-chained (store_audit.c): each
	 * entry's hash is SHA-256(prev_hash || canonical content); the triggers
	 * refuse any change through SQL, the chain shows one made around them.
	 */
	"CREATE TABLE audit_log ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" actor TEXT,"				/* username; NULL when nobody was authenticated */
	" role TEXT,"
	" address TEXT,"			/* client address, or 'local' for the CLI */
	" action TEXT NOT NULL,"		/* 'GET /api/cases/{ref}', 'cli import', … */
	" object TEXT,"				/* the case ref, incident or manifest id, … */
	" case_ref TEXT,"			/* the case concerned, when known */
	" detail TEXT,"
	" outcome INTEGER NOT NULL,"		/* HTTP status, or a CLI exit status */
	" prev_hash BLOB NOT NULL,"
	" hash BLOB NOT NULL);"
	"CREATE INDEX audit_case ON audit_log (case_ref) WHERE case_ref IS NOT NULL;"
	"CREATE INDEX audit_actor ON audit_log (actor);"
	"CREATE INDEX audit_at ON audit_log (at);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	/* the last TOTP time step accepted: a code is good once (users has the secret) */
	"ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;",
	/* 6 -> 7: a counter of committed changes to case data (store_data_gen) */
	("CREATE TABLE data_gen (id INTEGER PRIMARY KEY CHECK (id = 1), gen INTEGER NOT NULL);"
	"INSERT INTO data_gen (id, gen) VALUES (1, 0);"),
	/*
	 * 7 -> 8: the digest indexes carry the case, so that "the same content
	 * in another case" is answered from the index alone (an import's
	 * hash_matches: 1.72 s -> 1.43 s for 1,000,000 items)
	 */
	("DROP INDEX evidence_sha256;"
	"DROP INDEX evidence_md5;"
	"CREATE INDEX evidence_sha256 ON evidence_items (sha256, case_id) WHERE sha256 IS NOT NULL;"
	"CREATE INDEX evidence_md5 ON evidence_items (md5, case_id) WHERE md5 IS NOT NULL;"),
	/*
	 * 8 -> 9: each indexed document carries the rule ids of its flags, so
	 * that a search counts its flag facet without a probe of flags per
	 * match (kept with the flags: store_search.c, store_incidents.c,
	 * store_findings.c; 1,000,000 documents: 1.6-1.9 s)
	 */
	("ALTER TABLE search_docs ADD COLUMN rules TEXT;"
	"UPDATE search_docs SET rules = " STORE_DOC_RULES("search_docs.doc_type", "search_docs.doc_id") ";"),
};
_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == STORE_SCHEMA_VERSION,
    "one migration per schema version");

static const char *const set_version[] = {
	"PRAGMA user_version = 1",
	"PRAGMA user_version = 2",
	"PRAGMA user_version = 3",
	"PRAGMA user_version = 4",
	"PRAGMA user_version = 5",
	"PRAGMA user_version = 6",
	"PRAGMA user_version = 7",
	"PRAGMA user_version = 8",
	"PRAGMA user_version = 9",
};
_Static_assert(sizeof(set_version) / sizeof(set_version[0]) == STORE_SCHEMA_VERSION,
    "one version statement per schema version");

enum aim_err
store_schema_migrate(struct store *s, struct aim_fault *f)
{
	enum aim_err e;
	int v;

	for (;;) {
		/* Read the version inside the write lock: another connection may migrate. */
		if ((e = store_begin(s)) != AIM_OK)
			return aim_fault_set(f, e, NULL, "cannot lock the database: %s",
			    sqlite3_errmsg(s->db));
		v = store_schema_version(s);
		if (v < 0 || v > STORE_SCHEMA_VERSION) {
			store_rollback(s);
			if (v < 0)
				return aim_fault_set(f, AIM_EDB, NULL,
				    "cannot read the schema version: %s", sqlite3_errmsg(s->db));
			return aim_fault_set(f, AIM_EDB, NULL,
			    "the database has schema version %d, newer than this aimcase (%d)",
			    v, STORE_SCHEMA_VERSION);
		}
		if (v == STORE_SCHEMA_VERSION) {
			store_rollback(s);
			return AIM_OK;
		}
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, set_version[v], NULL, NULL, NULL) != SQLITE_OK) {
			aim_fault_set(f, AIM_EDB, NULL, "migration to version %d failed: %s",
			    v + 1, sqlite3_errmsg(s->db));
			store_rollback(s);
			return AIM_EDB;
		}
		if ((e = store_commit_meta(s)) != AIM_OK)
			return aim_fault_set(f, e, NULL, "migration to version %d failed", v + 1);
	}
}
