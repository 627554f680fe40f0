/*
 * fuzz_manifest — the DFXML manifest reader (indexer/manifest.h), fed as an
 * import feeds it (server/import.c): manifest_parser_new, the bytes through
 * manifest_parser_feed (and so through utf8_filter and libxml2's push
 * parser), manifest_parser_finish, manifest_parser_meta.
 *
 * Every input is read in one piece, in pieces of 1 to 700 bytes whose
 * lengths come from the input's own hash, the way an upload arrives (UTF-8
 * sequences, tags and entities cut across chunks), and (up to 16 KiB) one
 * byte at a time, the most chunks libxml2 can see.  All readings must agree:
 * the same result, the same items, the same provenance.  Each
 * item must keep the header's promises (a path, lower-case hex digests of
 * the right length, …).  By the hash again, a quarter of the inputs run
 * under small limits (small buffers: an overrun shows at once) and a
 * quarter with a callback that fails at the third item, as a failing store
 * would.
 */
#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "manifest.h"

enum mode { M_DEFAULT, M_DEFAULT2, M_SMALL, M_CALLBACK_FAILS };

struct reading {
	enum mode mode;
	enum aim_err err;
	uint64_t n_items;
	uint64_t digest;
	struct manifest_meta meta;
};

static void
check_hex(const char *s, size_t want, const char *what)
{
	size_t n = strlen(s);

	FUZZ_CHECK(n == 0 || n == want, "%s: %zu characters", what, n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'),
		    "%s: '%s' is not lower-case hex", what, s);
}

static enum aim_err
on_item(void *ctx, const struct evidence_item *it, struct aim_fault *f)
{
	struct reading *r = ctx;
	uint64_t h = r->digest;
	size_t n;

	FUZZ_CHECK(it->path != NULL, "item without a path");
	n = strlen(it->path);
	FUZZ_CHECK(n > 0, "item with an empty path");
	FUZZ_CHECK(it->sanitised == 0 || it->sanitised == 1, "sanitised %d", it->sanitised);
	FUZZ_CHECK(it->size >= -1 && it->inode >= -1, "size %lld inode %lld",
	    (long long)it->size, (long long)it->inode);
	FUZZ_CHECK(it->alloc >= -1 && it->alloc <= 1, "alloc %d", it->alloc);
	check_hex(it->md5, 32, "md5");
	check_hex(it->sha1, 40, "sha1");
	check_hex(it->sha256, 64, "sha256");
	h = fuzz_hash(h, it->path, n + 1);
	h = fuzz_hash(h, &it->sanitised, sizeof(it->sanitised));
	h = fuzz_hash(h, &it->size, sizeof(it->size));
	h = fuzz_hash(h, &it->alloc, sizeof(it->alloc));
	h = fuzz_hash(h, &it->inode, sizeof(it->inode));
	h = fuzz_hash(h, &it->mtime, sizeof(it->mtime));
	h = fuzz_hash(h, &it->ctime, sizeof(it->ctime));
	h = fuzz_hash(h, &it->atime, sizeof(it->atime));
	h = fuzz_hash(h, &it->crtime, sizeof(it->crtime));
	h = fuzz_hash(h, &it->zoneless, sizeof(it->zoneless));
	h = fuzz_hash(h, it->md5, sizeof(it->md5));
	h = fuzz_hash(h, it->sha1, sizeof(it->sha1));
	h = fuzz_hash(h, it->sha256, sizeof(it->sha256));
	h = fuzz_hash(h, &it->line, sizeof(it->line));
	r->digest = h;
	if (++r->n_items == 3 && r->mode == M_CALLBACK_FAILS)
		return aim_fault_set(f, AIM_EDB, NULL, "the store refused the item");
	return AIM_OK;
}

/* Read the whole input; chunked: in pieces whose lengths follow seed (2: of one byte). */
static void
read_manifest(const uint8_t *data, size_t size, int chunked, uint64_t seed,
    struct reading *r)
{
	struct manifest_limits lim;
	struct manifest_parser *p;
	struct aim_fault f = { 0 };
	enum aim_err e = AIM_OK;

	manifest_limits_default(&lim);
	if (r->mode == M_SMALL) {
		lim.max_entries = 4;
		lim.max_depth = 6;
		lim.max_text = 80;
	}
	r->n_items = 0;
	r->digest = FUZZ_HASH_INIT;
	p = manifest_parser_new(&lim, on_item, r);
	FUZZ_CHECK(p != NULL, "manifest_parser_new: out of memory");
	while (e == AIM_OK && size > 0) {
		size_t n = size;

		if (chunked == 2) {
			n = 1;
		} else if (chunked) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			n = 1 + (size_t)((seed >> 33) % 700);
			if (n > size)
				n = size;
		}
		e = manifest_parser_feed(p, data, n, &f);
		data += n;
		size -= n;
	}
	if (e == AIM_OK)
		e = manifest_parser_finish(p, &f);
	if (e != AIM_OK)
		fuzz_check_fault(e, &f);
	r->err = e;
	memcpy(&r->meta, manifest_parser_meta(p), sizeof(r->meta));
	FUZZ_CHECK(e != AIM_OK || r->meta.items == r->n_items, "%llu items counted, %llu seen",
	    (unsigned long long)r->meta.items, (unsigned long long)r->n_items);
	manifest_parser_free(p);
}

/* Two readings of one input agree (how: the second one's name). */
static void
same(const struct reading *whole, const struct reading *other, const char *how)
{
	FUZZ_CHECK(whole->err == other->err, "in one piece: error %d; in %s: error %d",
	    (int)whole->err, how, (int)other->err);
	FUZZ_CHECK(whole->n_items == other->n_items && whole->digest == other->digest,
	    "in one piece: %llu items; in %s: %llu items, or other values",
	    (unsigned long long)whole->n_items, how, (unsigned long long)other->n_items);
	if (whole->err == AIM_OK)
		FUZZ_CHECK(memcmp(&whole->meta, &other->meta, sizeof(whole->meta)) == 0,
		    "the provenance differs between one piece and %s", how);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = fuzz_hash(FUZZ_HASH_INIT, data, size);
	struct reading whole = { .mode = (enum mode)(h & 3) }, pieces = whole;

	read_manifest(data, size, 0, 0, &whole);
	read_manifest(data, size, 1, h, &pieces);
	same(&whole, &pieces, "pieces");
	if (size <= 16384) {
		read_manifest(data, size, 2, 0, &pieces);
		same(&whole, &pieces, "bytes");
	}
	return 0;
}
