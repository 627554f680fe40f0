/*
 * sqlite_loop DB THREADS SECONDS SEED — the durable-filing reference: THREADS
 * threads, each with its own connection (WAL, synchronous=FULL, busy_timeout),
 * insert one row per transaction into a table of the shape of `incidents`
 * (indexer/store_schema.c) for SECONDS seconds.  The rows carry the texts of
 * SEED (the NDJSON the filing benchmark files: each line as narrative and as
 * filed_json), so the bytes per commit are those of a real filing.
 * Prints "ROWS SECONDS ROWS_PER_S BUSY_ERRORS".
 * Bench-only: built by tests/bench/run.sh with cc and pkg-config sqlite3.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LINES 400

static const char *db_path;
static double seconds;
static char *lines[MAX_LINES];
static size_t nlines;
static atomic_long rows, busy;
static atomic_int failed;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static sqlite3 *
open_db(void)
{
	sqlite3 *db;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_loop: %s: %s\n", db_path, sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_busy_timeout(db, 5000);	/* the server's BUSY_TIMEOUT_MS */
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_loop: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	return db;
}

static void *
worker(void *arg)
{
	long id = (long)arg, i = 0;
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	double end = now() + seconds;

	if (sqlite3_prepare_v2(db,
	    "INSERT INTO incidents (case_id, filed_by, filed_at, kind, title, narrative,"
	    " occurred_at, target_system, access_vector, loss_cents, filed_json)"
	    " VALUES (?, 1, ?, 'ai_intrusion', ?, ?, ?, 'bench.example.org', 'unknown', ?, ?)",
	    -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_loop: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	while (now() < end && !atomic_load(&failed)) {
		const char *text = lines[(size_t)(id * 7919 + i) % nlines];
		char title[64];
		int rc;

		snprintf(title, sizeof(title), "Benchmark incident %ld.%ld", id, i);
		sqlite3_bind_int64(st, 1, 1 + (id * 100003 + i) % 5000);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
		sqlite3_bind_text(st, 3, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, 1700000000 + i);
		sqlite3_bind_int64(st, 6, 100 * i);
		sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);	/* autocommit: one row, one transaction, one fsync */
		sqlite3_reset(st);
		if (rc == SQLITE_DONE) {
			atomic_fetch_add(&rows, 1);
			i++;
		} else if (rc == SQLITE_BUSY) {
			atomic_fetch_add(&busy, 1);
		} else {
			fprintf(stderr, "sqlite_loop: insert: %s\n", sqlite3_errmsg(db));
			atomic_store(&failed, 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th[256];
	long threads;
	char buf[1 << 16];
	FILE *in;
	sqlite3 *db;
	double t0, t1;

	if (argc != 5 || (threads = strtol(argv[2], NULL, 10)) < 1 || threads > 256 ||
	    (seconds = strtod(argv[3], NULL)) <= 0) {
		fprintf(stderr, "usage: sqlite_loop DB THREADS SECONDS SEED.ndjson\n");
		return 1;
	}
	db_path = argv[1];
	if ((in = fopen(argv[4], "r")) == NULL) {
		perror(argv[4]);
		return 1;
	}
	while (nlines < MAX_LINES && fgets(buf, sizeof(buf), in) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] != '\0' && (lines[nlines] = strdup(buf)) != NULL)
			nlines++;
	}
	fclose(in);
	if (nlines == 0) {
		fprintf(stderr, "sqlite_loop: %s: no lines\n", argv[4]);
		return 1;
	}
	db = open_db();
	if (sqlite3_exec(db,
	    "CREATE TABLE IF NOT EXISTS incidents ("
	    " id INTEGER PRIMARY KEY,"
	    " case_id INTEGER NOT NULL,"
	    " filed_by INTEGER NOT NULL,"
	    " filed_at INTEGER NOT NULL,"
	    " kind TEXT NOT NULL,"
	    " title TEXT NOT NULL,"
	    " narrative TEXT NOT NULL,"
	    " occurred_at INTEGER,"
	    " target_system TEXT, target_owner TEXT, access_vector TEXT,"
	    " agent TEXT, model TEXT, data_accessed TEXT, loss_cents INTEGER,"
	    " victim_minor INTEGER, depiction TEXT, threat_only INTEGER,"
	    " filed_json TEXT NOT NULL);"
	    "CREATE INDEX IF NOT EXISTS incidents_case ON incidents (case_id);",
	    NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_loop: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	t0 = now();
	for (long i = 0; i < threads; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i) != 0) {
			perror("pthread_create");
			return 1;
		}
	for (long i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	t1 = now();
	sqlite3_close(db);
	if (atomic_load(&failed))
		return 1;
	printf("%ld %.2f %.0f %ld\n", atomic_load(&rows), t1 - t0, atomic_load(&rows) / (t1 - t0),
	    atomic_load(&busy));
	return 0;
}
