/*
 * Unit tests: an import stores on a second thread (server/import_pipe.c).
 * Items arrive in order with their paths and fields intact across batch
 * boundaries (a path longer than a batch's text included); the first
 * failure stops the pipe and is reported with its own message; a pipe
 * freed early drops the rest.  Through import_job: a manifest of several
 * batches is committed whole, and one cut short stores nothing.  The hash
 * matches at commit count the same whichever way they are found (one
 * lookup per item for a small manifest, a walk of the digest indexes for a
 * large one).  The reader thread (server/reader.c, on the same ring) hands
 * over every byte in order, keeps and hashes them, and reports a read error
 * with its errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>

#include <sodium.h>

#include "fixture.h"
#include "import.h"
#include "import_pipe.h"
#include "reader.h"

#define MANY (PIPE_BATCH_ITEMS * 3 + 77)
#define LONG_AT 700

struct sink {
	size_t n, fail_at;		/* fail_at 0: never */
	char **paths;
	int64_t *sizes;
	uint64_t *lines;
};

static enum aim_err
collect(void *ctx, const struct evidence_item *it, struct aim_fault *f)
{
	struct sink *k = ctx;

	if (k->fail_at != 0 && k->n + 1 == k->fail_at)
		return aim_fault_set(f, AIM_EDB, NULL, "line %llu: cannot store the entry",
		    (unsigned long long)it->line);
	k->paths[k->n] = strdup(it->path);
	k->sizes[k->n] = it->size;
	k->lines[k->n] = it->line;
	k->n++;
	return AIM_OK;
}

static void
sink_init(struct sink *k, size_t fail_at)
{
	memset(k, 0, sizeof(*k));
	k->fail_at = fail_at;
	k->paths = calloc(MANY, sizeof(*k->paths));
	k->sizes = calloc(MANY, sizeof(*k->sizes));
	k->lines = calloc(MANY, sizeof(*k->lines));
	ck_assert(k->paths != NULL && k->sizes != NULL && k->lines != NULL);
}

static void
sink_free(struct sink *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->paths[i]);
	free(k->paths);
	free(k->sizes);
	free(k->lines);
}

/* Item i: a short path, or at LONG_AT one longer than a batch's text. */
static void
item_at(size_t i, struct evidence_item *it, char *path, size_t cap)
{
	memset(it, 0, sizeof(*it));
	if (i == LONG_AT) {
		memset(path, 'x', cap - 1);
		path[cap - 1] = '\0';
	} else {
		snprintf(path, cap, "Users/jdoe/Documents/file-%zu.txt", i);
	}
	it->path = path;
	it->size = (int64_t)i * 10;
	it->line = i + 3;
}

START_TEST(pipe_keeps_order_and_paths)
{
	size_t cap = PIPE_BATCH_BYTES + 4096;
	char *path = malloc(cap), want[64];
	struct aim_fault f = { 0 };
	struct evidence_item it;
	struct sink k;
	struct import_pipe *p;

	ck_assert_ptr_nonnull(path);
	sink_init(&k, 0);
	p = import_pipe_start(collect, &k);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < MANY; i++) {
		item_at(i, &it, path, cap);
		ck_assert_int_eq(import_pipe_put(p, &it, &f), AIM_OK);
		path[0] = '?';	/* the pipe keeps its own copy */
	}
	ck_assert_int_eq(import_pipe_finish(p, &f), AIM_OK);
	import_pipe_free(p);
	ck_assert_uint_eq(k.n, MANY);
	for (size_t i = 0; i < MANY; i++) {
		ck_assert_int_eq(k.sizes[i], (int64_t)i * 10);
		ck_assert_uint_eq(k.lines[i], i + 3);
		if (i == LONG_AT) {
			ck_assert_uint_eq(strlen(k.paths[i]), cap - 1);
			ck_assert_int_eq(k.paths[i][0], 'x');
			continue;
		}
		snprintf(want, sizeof(want), "Users/jdoe/Documents/file-%zu.txt", i);
		ck_assert_str_eq(k.paths[i], want);
	}
	sink_free(&k);
	free(path);
}
END_TEST

START_TEST(pipe_stops_at_first_failure)
{
	char path[64];
	struct aim_fault f = { 0 };
	struct evidence_item it;
	struct sink k;
	struct import_pipe *p;
	enum aim_err e = AIM_OK;
	size_t put = 0;

	sink_init(&k, 777);
	p = import_pipe_start(collect, &k);
	ck_assert_ptr_nonnull(p);
	/* the parser learns of the failure at a later put, or at the finish */
	for (size_t i = 0; i < MANY && e == AIM_OK; i++, put++) {
		item_at(i, &it, path, sizeof(path));
		e = import_pipe_put(p, &it, &f);
	}
	if (e == AIM_OK)
		e = import_pipe_finish(p, &f);
	ck_assert_int_eq(e, AIM_EDB);
	ck_assert_str_eq(f.msg, "line 779: cannot store the entry");
	ck_assert_uint_eq(k.n, 776);		/* nothing stored after it */
	ck_assert_uint_gt(put, 776);
	import_pipe_free(p);
	ck_assert_uint_eq(k.n, 776);
	sink_free(&k);
}
END_TEST

START_TEST(pipe_freed_early_drops_the_rest)
{
	char path[64];
	struct aim_fault f = { 0 };
	struct evidence_item it;
	struct sink k;
	struct import_pipe *p;

	sink_init(&k, 0);
	p = import_pipe_start(collect, &k);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < PIPE_BATCH_ITEMS * 2 + 5; i++) {
		item_at(i, &it, path, sizeof(path));
		ck_assert_int_eq(import_pipe_put(p, &it, &f), AIM_OK);
	}
	import_pipe_free(p);
	ck_assert_uint_le(k.n, PIPE_BATCH_ITEMS * 2);	/* the batch being filled never went */
	ck_assert_uint_eq(k.n % PIPE_BATCH_ITEMS, 0);	/* whole batches or none */
	sink_free(&k);
}
END_TEST

START_TEST(reader_hands_over_every_byte)
{
	char dir[] = "/tmp/aimcase-reader-XXXXXX", path[64], hex[OBJ_HASH_LEN], want_hex[65];
	size_t size = 3 * 256 * 1024 + 12345, got = 0;
	unsigned char *data = malloc(size), *back = malloc(size), want[32];
	struct aim_fault f = { 0 };
	struct obj_writer *w;
	struct reader *r;
	const char *chunk;
	ssize_t n;
	int fd;

	ck_assert(data != NULL && back != NULL && mkdtemp(dir) != NULL);
	for (size_t i = 0; i < size; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	snprintf(path, sizeof(path), "%s/in", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, size), (ssize_t)size);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	w = obj_writer_new(dir, &f);
	ck_assert_ptr_nonnull(w);
	r = reader_start(fd, w);
	ck_assert_ptr_nonnull(r);
	while ((n = reader_next(r, &chunk)) > 0) {
		ck_assert_uint_le(got + (size_t)n, size);
		memcpy(back + got, chunk, (size_t)n);
		got += (size_t)n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(reader_next(r, &chunk), 0);	/* and stays at the end */
	reader_free(r);
	ck_assert_uint_eq(got, size);
	ck_assert_int_eq(memcmp(back, data, size), 0);
	obj_writer_hash(w, hex);
	crypto_hash_sha256(want, data, size);
	sodium_bin2hex(want_hex, sizeof(want_hex), want, sizeof(want));
	ck_assert_str_eq(hex, want_hex);
	obj_writer_free(w);		/* not kept: its temporary file goes */
	close(fd);
	/* a descriptor that cannot be read: -1 with the thread's errno */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	w = obj_writer_new(dir, &f);
	r = reader_start(fd, w);
	ck_assert_ptr_nonnull(r);
	errno = 0;
	ck_assert_int_eq(reader_next(r, &chunk), -1);
	ck_assert_int_eq(errno, EISDIR);
	reader_free(r);
	obj_writer_free(w);
	close(fd);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
	free(data);
	free(back);
}
END_TEST

START_TEST(reader_freed_early)
{
	int fds[2];
	struct aim_fault f = { 0 };
	char dir[] = "/tmp/aimcase-reader-XXXXXX";
	struct obj_writer *w;
	struct reader *r;
	const char *chunk;
	static const char part[] = "<dfxml>";

	ck_assert(mkdtemp(dir) != NULL);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], part, sizeof(part) - 1), (ssize_t)sizeof(part) - 1);
	w = obj_writer_new(dir, &f);
	r = reader_start(fds[0], w);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reader_next(r, &chunk), (ssize_t)sizeof(part) - 1);
	/* the consumer stops after one chunk, while the thread may be blocked in
	 * read(): once the input ends, freeing stops the thread and returns */
	close(fds[1]);
	reader_free(r);
	obj_writer_free(w);
	close(fds[0]);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A fiwalk-style manifest of n files; owned. */
static char *
manifest(size_t n, size_t *len)
{
	size_t cap = 256 + n * 256, used = 0;
	char *doc = malloc(cap);

	ck_assert_ptr_nonnull(doc);
	used += (size_t)snprintf(doc, cap, "<?xml version='1.0' encoding='UTF-8'?>\n"
	    "<dfxml version='1.0'><creator><program>fiwalk</program></creator>\n");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, cap - used,
		    "<fileobject><filename>Users/jdoe/file-%06zu.txt</filename>"
		    "<filesize>%zu</filesize><hashdigest type='sha256'>%064zx</hashdigest>"
		    "</fileobject>\n", i, i + 1, i + 1);
	used += (size_t)snprintf(doc + used, cap - used, "</dfxml>\n");
	*len = used;
	return doc;
}

static int64_t
evidence_total(const char *ref, const char *q, const char **first_path)
{
	static char first[64];
	struct evidence_filter flt = { .q = q, .limit = 1 };
	json_t *out = NULL, *item;
	int64_t n;

	ck_assert_int_eq(store_evidence_list(fx.s, &fx.ivy, ref, &flt, &out), AIM_OK);
	n = json_integer_value(json_object_get(out, "total"));
	item = json_array_get(json_object_get(out, "items"), 0);
	snprintf(first, sizeof(first), "%s",
	    item != NULL ? json_string_value(json_object_get(item, "path")) : "");
	if (first_path != NULL)
		*first_path = first;
	json_decref(out);
	return n;
}

/* Import doc[0..len) into ref in 4 KiB pieces; returns the error. */
static enum aim_err
import_doc(const char *ref, const char *doc, size_t len, struct aim_fault *f)
{
	struct manifest_limits lim;
	struct import_job j;
	json_t *reply = NULL;
	int already = 0;
	enum aim_err e;

	manifest_limits_default(&lim);
	e = import_job_start(&j, fx.s, &fx.ivy, ref, NULL, &lim, T0, f);
	for (size_t at = 0; e == AIM_OK && at < len; at += 4096)
		e = import_job_feed(&j, doc + at, len - at < 4096 ? len - at : 4096, f);
	if (e == AIM_OK && (e = import_job_end(&j, f)) == AIM_OK)
		e = import_job_commit(&j, "840f632a5519602e5000a9b9edbe2efb733b77073875896c8bd13976029fc6d3",
		    T0, &reply, &already, f);
	json_decref(reply);
	import_job_release(&j);
	return e;
}

START_TEST(job_commits_every_batch)
{
	size_t n = PIPE_BATCH_ITEMS * 2 + 101, len;
	char *doc = manifest(n, &len), ref[32];
	struct aim_fault f = { 0 };
	const char *first;

	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), ref);
	ck_assert_msg(import_doc(ref, doc, len, &f) == AIM_OK, "%s", f.msg);
	ck_assert_int_eq(evidence_total(ref, NULL, NULL), (int64_t)n);
	ck_assert_int_eq(evidence_total(ref, "file-001124", &first), 1);
	ck_assert_str_eq(first, "Users/jdoe/file-001124.txt");
	free(doc);
}
END_TEST

START_TEST(job_cut_short_stores_nothing)
{
	size_t n = PIPE_BATCH_ITEMS * 2 + 101, len;
	char *doc = manifest(n, &len), ref[32];
	struct aim_fault f = { 0 };

	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), ref);
	/* the closing </dfxml> is missing: every batch stored so far is undone */
	ck_assert_int_eq(import_doc(ref, doc, len - 9, &f), AIM_EXML);
	ck_assert_int_eq(evidence_total(ref, NULL, NULL), 0);
	/* and the store is usable again: the whole document goes in */
	ck_assert_msg(import_doc(ref, doc, len, &f) == AIM_OK, "%s", f.msg);
	ck_assert_int_eq(evidence_total(ref, NULL, NULL), (int64_t)n);
	free(doc);
}
END_TEST

/* Digests of item i of a "seizure": md5 and sha256 from i, both lower-case hex. */
static void
digests(struct evidence_item *it, unsigned i, int with_sha256)
{
	snprintf(it->md5, sizeof(it->md5), "%032x", i);
	if (with_sha256)
		snprintf(it->sha256, sizeof(it->sha256), "%064x", i);
	else
		it->sha256[0] = '\0';
}

/*
 * Import n items into ref: item k has the digests of seed + k, except that
 * the first of shared[] items take those of items of case A; returns the
 * commit's hash_matches.
 */
static int64_t
import_items(const char *ref, unsigned n, unsigned seed, const unsigned *shared,
    size_t n_shared, const char *manifest_sha)
{
	struct store_import imp;
	struct manifest_meta meta = { .format = "dfxml", .program = "fiwalk" };
	struct evidence_item it = { .alloc = 1, .inode = -1, .mtime = NO_TIME,
		.ctime = NO_TIME, .atime = NO_TIME, .crtime = NO_TIME };
	struct aim_fault f = { 0 };
	json_t *reply = NULL;
	char path[64];
	int64_t id, matches;
	int already = 0;

	ck_assert_int_eq(store_import_begin(fx.s, &fx.ivy, ref, T0, &imp, &f), AIM_OK);
	for (unsigned k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "Users/jdoe/Pictures/IMG_%04u.jpg", seed + k);
		it.path = path;
		it.size = 1000 + k;
		digests(&it, seed + k, k % 2 == 0);
		if (k < n_shared) {
			/* A's item shared[k]: by sha256 when A's has one, else by md5 */
			digests(&it, shared[k], shared[k] % 2 == 0);
			if (k == 2)
				it.sha256[0] = '\0';	/* md5 only, though A's has a sha256 */
			if (k == 3)
				it.size = 0;		/* an empty file is no match */
		}
		ck_assert_int_eq(store_import_item(&imp, &it, &id), AIM_OK);
	}
	meta.items = n;
	ck_assert_int_eq(store_import_commit(&imp, manifest_sha, &meta, T0, &reply, &already),
	    AIM_OK);
	matches = json_integer_value(json_object_get(reply, "hash_matches"));
	json_decref(reply);
	return matches;
}

START_TEST(hash_matches_either_way)
{
	/* items 0, 2 of A have a sha256; 1, 5 only an md5 */
	static const unsigned shared[] = { 0, 1, 2, 5 };
	char a[32], b[32], c[32];

	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), a);
	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), b);
	fixture_file_ref(&fx, &fx.ivy, AI_REPORT(""), c);
	ck_assert_int_eq(import_items(a, 100, 0, NULL, 0,
	    "1111111111111111111111111111111111111111111111111111111111111111"), 0);
	/* 5 items against 105 in all: one lookup per item */
	ck_assert_int_eq(import_items(b, 5, 10000, shared, 4,
	    "2222222222222222222222222222222222222222222222222222222222222222"), 3);
	/* 300 items against 405: the walk; B's items count too, and A's 0-99 are others' */
	ck_assert_int_eq(import_items(c, 300, 20000, shared, 4,
	    "3333333333333333333333333333333333333333333333333333333333333333"), 3);
	/* the same content again in A: its own items are no match, B's and C's are */
	ck_assert_int_eq(import_items(a, 4, 30000, shared, 4,
	    "4444444444444444444444444444444444444444444444444444444444444444"), 3);
	/* nothing shared in a large manifest: none by either way */
	ck_assert_int_eq(import_items(c, 600, 40000, NULL, 0,
	    "5555555555555555555555555555555555555555555555555555555555555555"), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("import");
	TCase *pipe = tcase_create("pipe"), *job = tcase_create("job");

	tcase_add_test(pipe, pipe_keeps_order_and_paths);
	tcase_add_test(pipe, pipe_stops_at_first_failure);
	tcase_add_test(pipe, pipe_freed_early_drops_the_rest);
	tcase_add_test(pipe, reader_hands_over_every_byte);
	tcase_add_test(pipe, reader_freed_early);
	suite_add_tcase(s, pipe);
	tcase_add_checked_fixture(job, fx_setup, fx_teardown);
	tcase_add_test(job, job_commits_every_batch);
	tcase_add_test(job, job_cut_short_stores_nothing);
	tcase_add_test(job, hash_matches_either_way);
	suite_add_tcase(s, job);
	return unit_run(s);
}
