/*
 * fuzz_search_query — the search language (server/search_query.h) as
 * GET /api/search?q= and `aimcase search` give it: search_query_parse on
 * the NUL-terminated text, into a struct search_query on the heap as
 * search_run() has it.
 *
 * A refused query must say so as the header promises (AIM_EINVAL, field
 * "q", "q: position N: …" with N from 1 to one past the end).  An accepted
 * one must keep the header's bounds (filter values inside out->buf, at most
 * SEARCH_FILTERS_MAX of each, kind and status in range) and, above all,
 * its FTS5 expressions must be FTS5 that FTS5 accepts: each is run with
 * MATCH against an in-memory table made like search_fts (same columns,
 * tokenizer and prefix index), as the store binds it.
 */
#include <sqlite3.h>
#include <string.h>

#include "fuzz.h"
#include "model.h"
#include "search_query.h"

/* Built once by LLVMFuzzerInitialize; read-only afterwards. */
static sqlite3 *db;
static sqlite3_stmt *match;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char schema[] =
	    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, path,"
	    " tokenize = 'unicode61 remove_diacritics 2', prefix = '3');"
	    "INSERT INTO search_fts (rowid, title, body, path) VALUES"
	    " (1, 'Agent scraped patient portal', 'credential stuffing from 203.0.113.7', NULL),"
	    " (2, NULL, NULL, '/home/user/Pictures/forgery.png');";

	(void)argc;
	(void)argv;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1", -1,
	    &match, NULL) != SQLITE_OK)
		FUZZ_FAIL("the FTS5 table: %s", sqlite3_errmsg(db));
	return 0;
}

/* FTS5 must take expr as it is. */
static void
check_fts5(const char *q, const char *what, const char *expr)
{
	int rc;

	if (sqlite3_bind_text(match, 1, expr, -1, SQLITE_STATIC) != SQLITE_OK)
		FUZZ_FAIL("bind: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(match)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		FUZZ_FAIL("query '%s': FTS5 refuses the %s expression '%s': %s", q, what, expr,
		    sqlite3_errmsg(db));
	sqlite3_reset(match);
	sqlite3_clear_bindings(match);
}

static void
check_in_buf(const struct search_query *out, const char *s, const char *what)
{
	const char *end = out->buf + sizeof(out->buf);

	FUZZ_CHECK(s >= out->buf && s < end, "%s points outside the query's buffer", what);
	FUZZ_CHECK(memchr(s, '\0', (size_t)(end - s)) != NULL, "%s is not terminated", what);
}

static void
check_accepted(const char *q, const struct search_query *out)
{
	FUZZ_CHECK(memchr(out->fts, '\0', sizeof(out->fts)) != NULL, "fts is not terminated");
	FUZZ_CHECK(memchr(out->negative, '\0', sizeof(out->negative)) != NULL,
	    "negative is not terminated");
	FUZZ_CHECK(out->kind >= -1 && out->kind < KIND__MAX, "kind %d", out->kind);
	FUZZ_CHECK(out->status >= -1 && out->status < STATUS__MAX, "status %d", out->status);
	FUZZ_CHECK(out->n_flags <= SEARCH_FILTERS_MAX, "%zu flags", out->n_flags);
	FUZZ_CHECK(out->n_indicators <= SEARCH_FILTERS_MAX, "%zu indicators",
	    out->n_indicators);
	for (size_t i = 0; i < out->n_flags; i++)
		check_in_buf(out, out->flags[i], "flag:");
	for (size_t i = 0; i < out->n_indicators; i++)
		check_in_buf(out, out->indicators[i], "indicator:");
	if (out->case_ref != NULL)
		check_in_buf(out, out->case_ref, "case:");
	if (out->fts[0] != '\0')
		check_fts5(q, "positive", out->fts);
	if (out->negative[0] != '\0')
		check_fts5(q, "negative", out->negative);
}

static void
check_refused(const char *q, enum aim_err e, const struct aim_fault *f)
{
	unsigned long pos;
	char *end;

	FUZZ_CHECK(e == AIM_EINVAL, "query '%s': error %s", q, aim_err_code(e));
	fuzz_check_fault(e, f);
	FUZZ_CHECK(strcmp(f->field, "q") == 0, "query '%s': the fault does not name q", q);
	if (strncmp(f->msg, "q: position ", 12) == 0) {
		pos = strtoul(f->msg + 12, &end, 10);
		FUZZ_CHECK(*end == ':' && pos >= 1 && pos <= strlen(q) + 1,
		    "query '%s' (%zu bytes): '%s'", q, strlen(q), f->msg);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	struct search_query *out = malloc(sizeof(*out));
	struct aim_fault f = { 0 };
	enum aim_err e;

	FUZZ_CHECK(q != NULL && out != NULL, "out of memory");
	memcpy(q, data, size);
	q[size] = '\0';
	e = search_query_parse(q, out, &f);
	if (e == AIM_OK)
		check_accepted(q, out);
	else
		check_refused(q, e, &f);
	free(out);
	free(q);
	return 0;
}
