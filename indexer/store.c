/*
 * store.c — connection, statement cache, transactions and small helpers
 * shared by the store's files.
 */
#include "store_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aim_time.h"

#define BUSY_TIMEOUT_MS 5000

static const char *const open_pragmas[] = {
	"PRAGMA journal_mode=WAL",
	"PRAGMA synchronous=FULL",
	"PRAGMA foreign_keys=ON",
	"PRAGMA trusted_schema=OFF",
};

void
store_global_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/*
	 * Savepoint and statement journals stay in memory up to 16 MiB (SQLite's
	 * default spills them to a temporary file past 64 KiB): the writer's
	 * batches, a savepoint per request, went past it on every filing, and
	 * the temporary file's writes were a tenth of a filing's CPU (strace:
	 * 60 of 218 writes per filing; 2.45-2.57 -> 2.02-2.41 ms of CPU).
	 */
	(void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 16 << 20);
}

struct store *
store_open(const char *path, struct aim_fault *f)
{
	struct store *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(path, &s->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		aim_fault_set(f, AIM_EDB, NULL, "%s: %s", path,
		    s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS) != SQLITE_OK)
		goto dbfail;
	for (size_t i = 0; i < sizeof(open_pragmas) / sizeof(open_pragmas[0]); i++)
		if (sqlite3_exec(s->db, open_pragmas[i], NULL, NULL, NULL) != SQLITE_OK)
			goto dbfail;
	if (store_schema_migrate(s, f) != AIM_OK)
		goto fail;
	return s;
dbfail:
	aim_fault_set(f, AIM_EDB, NULL, "%s: %s", path, sqlite3_errmsg(s->db));
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < STORE_STMT_CACHE; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close(s->db);
	free(s->deferred);
	free(s);
}

void
store_autocheckpoint(struct store *s, int pages)
{
	(void)sqlite3_wal_autocheckpoint(s->db, pages);
}

enum aim_err
store_checkpoint(struct store *s)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	return rc == SQLITE_OK || rc == SQLITE_BUSY ? AIM_OK : store_err(s, rc);
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA user_version");
	int v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STORE_STMT_CACHE;

	for (size_t n = 0; n < STORE_STMT_CACHE; n++, h = (h + 1) % STORE_STMT_CACHE) {
		if (s->cache[h].sql == sql) {
			sqlite3_reset(s->cache[h].st);
			sqlite3_clear_bindings(s->cache[h].st);
			return s->cache[h].st;
		}
		if (s->cache[h].sql == NULL) {
			if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			    &s->cache[h].st, NULL) != SQLITE_OK) {
				fprintf(stderr, "aimcase: store: %s\n  in: %s\n",
				    sqlite3_errmsg(s->db), sql);
				return NULL;
			}
			s->cache[h].sql = sql;
			return s->cache[h].st;
		}
	}
	fprintf(stderr, "aimcase: store: statement cache full\n");
	return NULL;
}

int
store_bind_viewer(sqlite3_stmt *st, const struct aim_user *viewer)
{
	if (sqlite3_bind_parameter_count(st) < STORE_VIEWER_ROLE)
		return -1;	/* the statement lacks STORE_VISIBLE_CASE */
	if (sqlite3_bind_int64(st, STORE_VIEWER_UID, viewer->id) != SQLITE_OK ||
	    sqlite3_bind_int(st, STORE_VIEWER_ROLE, (int)viewer->role) != SQLITE_OK)
		return -1;
	return 0;
}

int
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1;
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

int
store_bind_opt_int(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	if (v == none)
		return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1;
	return sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : -1;
}

enum aim_err
store_err(struct store *s, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return AIM_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_INTERRUPT:	/* a query past its time budget */
		return AIM_EBUSY;
	case SQLITE_NOMEM:
		return AIM_ENOMEM;
	case SQLITE_CONSTRAINT:
		return AIM_ECONFLICT;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		fprintf(stderr, "aimcase: store: %s\n", sqlite3_errmsg(s->db));
		return AIM_EIO;
	default:
		fprintf(stderr, "aimcase: store: %s\n", sqlite3_errmsg(s->db));
		return AIM_EDB;
	}
}

static enum aim_err
exec_literal(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_stmt(s, sql);

	if (st == NULL)
		return AIM_EDB;
	return store_exec(s, st);
}

enum aim_err
store_begin(struct store *s)
{
	enum aim_err e;

	if (!s->batch)
		return exec_literal(s, "BEGIN IMMEDIATE");
	/* inside a batch: a savepoint, so that this unit can fail alone */
	if ((e = exec_literal(s, "SAVEPOINT unit")) == AIM_OK) {
		if (s->savepoints < STORE_DEFER_DEPTH)
			s->mark[s->savepoints] = s->n_deferred;
		s->savepoints++;
	}
	return e;
}

static enum aim_err
commit(struct store *s)
{
	enum aim_err e;

	if (s->batch) {
		if (s->savepoints == 0)
			return AIM_OK;
		if ((e = exec_literal(s, "RELEASE unit")) == AIM_OK)
			s->savepoints--;
		else
			store_rollback(s);
		return e;
	}
	if ((e = exec_literal(s, "COMMIT")) != AIM_OK)
		store_rollback(s);
	return e;
}

enum aim_err
store_commit(struct store *s)
{
	enum aim_err e = exec_literal(s, "UPDATE data_gen SET gen = gen + 1 WHERE id = 1");

	if (e != AIM_OK) {
		store_rollback(s);
		return e;
	}
	return commit(s);
}

enum aim_err
store_commit_meta(struct store *s)
{
	return commit(s);
}

enum aim_err
store_read_begin(struct store *s)
{
	return s->batch ? AIM_OK : exec_literal(s, "BEGIN");
}

void
store_read_end(struct store *s)
{
	if (!s->batch && !sqlite3_get_autocommit(s->db))
		(void)exec_literal(s, "COMMIT");
}

enum aim_err
store_data_gen(struct store *s, int64_t *gen)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT gen FROM data_gen WHERE id = 1");
	enum aim_err e;

	if (st == NULL)
		return AIM_EDB;
	if ((e = store_row(s, st)) == AIM_OK)
		*gen = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return e;
}

void
store_rollback(struct store *s)
{
	if (s->batch) {
		if (s->savepoints > 0) {
			(void)exec_literal(s, "ROLLBACK TO unit");
			(void)exec_literal(s, "RELEASE unit");
			s->savepoints--;
			if (s->savepoints < STORE_DEFER_DEPTH)
				s->n_deferred = s->mark[s->savepoints];
		}
		return;
	}
	if (!sqlite3_get_autocommit(s->db))
		(void)exec_literal(s, "ROLLBACK");
}

enum aim_err
store_batch_begin(struct store *s)
{
	enum aim_err e = exec_literal(s, "BEGIN IMMEDIATE");

	if (e == AIM_OK) {
		s->batch = 1;
		s->savepoints = 0;
	}
	return e;
}

void
store_batch_settle(struct store *s)
{
	/* a unit that returned with its savepoint open is undone, never committed */
	while (s->batch && s->savepoints > 0)
		store_rollback(s);
}

enum aim_err
store_index_later(struct store *s, int64_t id)
{
	int64_t *d;

	/* deeper than the marks reach: a rollback could not drop it, index now */
	if (!s->batch || s->savepoints > STORE_DEFER_DEPTH)
		return store_index_incident(s, id);
	if (s->n_deferred == s->cap_deferred) {
		size_t cap = s->cap_deferred != 0 ? s->cap_deferred * 2 : 64;

		if ((d = realloc(s->deferred, cap * sizeof(*d))) == NULL)
			return AIM_ENOMEM;
		s->deferred = d;
		s->cap_deferred = cap;
	}
	s->deferred[s->n_deferred++] = id;
	return AIM_OK;
}

enum aim_err
store_batch_end(struct store *s, int commit)
{
	enum aim_err e = AIM_OK;

	s->batch = 0;
	s->savepoints = 0;
	/* what the batch's units left to index, outside every savepoint */
	for (size_t i = 0; commit && e == AIM_OK && i < s->n_deferred; i++)
		e = store_index_incident(s, s->deferred[i]);
	s->n_deferred = 0;
	if (commit && e == AIM_OK)
		e = exec_literal(s, "COMMIT");
	else if (commit)
		commit = 0;
	if (!commit || e != AIM_OK)
		store_rollback(s);
	return e;
}

enum aim_err
store_exec(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	enum aim_err e = rc == SQLITE_DONE ? AIM_OK : store_err(s, rc);

	if (rc == SQLITE_ROW)
		e = AIM_OK;
	sqlite3_reset(st);
	return e;
}

enum aim_err
store_row(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return AIM_OK;
	return rc == SQLITE_DONE ? AIM_ENOTFOUND : store_err(s, rc);
}

enum aim_err
store_insert(struct store *s, sqlite3_stmt *st, int64_t *id)
{
	enum aim_err e = store_exec(s, st);

	if (e == AIM_OK)
		*id = sqlite3_last_insert_rowid(s->db);
	return e;
}

json_t *
store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	t = sqlite3_column_text(st, i);
	if (t == NULL)
		return NULL;
	return json_stringn((const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

json_t *
store_col_time(sqlite3_stmt *st, int i)
{
	char buf[AIM_TIME_LEN];

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return json_null();
	aim_time_format(sqlite3_column_int64(st, i), buf);
	return json_string(buf);
}

int
store_json_set(json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(obj, key, v);
}

static json_t *
col_json(sqlite3_stmt *st, int i, char kind)
{
	switch (kind) {
	case 'i':
		if (sqlite3_column_type(st, i) == SQLITE_NULL)
			return json_null();
		return json_integer(sqlite3_column_int64(st, i));
	case 'b':
		return json_boolean(sqlite3_column_int(st, i) != 0);
	case 'T':
		return store_col_time(st, i);
	default:
		return store_col_text(st, i);
	}
}

json_t *
store_row_json(sqlite3_stmt *st, const char *spec, const char *const keys[])
{
	json_t *o = json_object();

	for (int i = 0; o != NULL && spec[i] != '\0'; i++) {
		if (store_json_set(o, keys[i], col_json(st, i, spec[i])) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *
store_rows_json(struct store *s, sqlite3_stmt *st, const char *spec,
    const char *const keys[])
{
	json_t *a = json_array();
	int rc = SQLITE_DONE;

	while (a != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json_array_append_new(a, store_row_json(st, spec, keys)) != 0) {
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
