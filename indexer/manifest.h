/*
 * manifest — a streaming reader of evidence manifests (DFXML as written by
 * fiwalk, hashdeep/md5deep, PhotoRec, ewfinfo…).
 *
 * Bytes go in as they arrive (manifest_parser_feed); each <fileobject>
 * comes out as a struct evidence_item through the caller's callback, valid
 * for that call only.  Memory stays bounded whatever the manifest's size.
 *
 * Elements are matched by local name, whatever their namespace.  An item's
 * fields are read only from direct children of <fileobject> (so an <inode>
 * inside <parent_object>, or a piecewise <hashdigest> inside <byte_run>, is
 * not taken for the file's).  Unknown elements are ignored.
 *
 * Hostile input: no DOCTYPE (so no entity can be declared or expanded), no
 * network, limits on size, depth, text length and entry count.  Raw bytes
 * that are not UTF-8 are kept through utf8_filter: such a file name is
 * stored with `\xNN` escapes and the item marked sanitised.  The first error
 * stops the parse and is reported with line and column.
 */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "aim_err.h"

struct manifest_limits {
	uint64_t max_bytes;	/* of the whole manifest */
	uint64_t max_entries;
	unsigned max_depth;
	size_t max_text;	/* of one element's text or attribute */
};

#define MANIFEST_MAX_BYTES ((uint64_t)4 << 30)
#define MANIFEST_MAX_ENTRIES 10000000u
#define MANIFEST_MAX_DEPTH 32u
#define MANIFEST_MAX_TEXT 65536u

/* The defaults above. */
void manifest_limits_default(struct manifest_limits *lim);

struct evidence_item {
	const char *path;	/* NUL-terminated; `\xNN`-escaped when sanitised */
	int sanitised;
	int64_t size;		/* -1 when absent */
	int alloc;		/* 1 allocated, 0 deleted/unallocated, -1 unknown */
	int64_t inode;		/* -1 when absent */
	int64_t mtime, ctime, atime, crtime;	/* NO_TIME (-1) when absent */
	int zoneless;		/* a time had no zone (FAT): read as UTC */
	char md5[33], sha1[41], sha256[65];	/* lower-case hex, "" when absent */
	uint64_t line;		/* where the <fileobject> starts */
};

#define MANIFEST_META_LEN 512

/* Provenance from <creator> and <source>; counts once the parse is over. */
struct manifest_meta {
	char format[16];	/* "dfxml" */
	char program[MANIFEST_META_LEN], version[MANIFEST_META_LEN];
	char command_line[MANIFEST_META_LEN], image_filename[MANIFEST_META_LEN];
	char case_number[MANIFEST_META_LEN], evidence_number[MANIFEST_META_LEN];
	char examiner[MANIFEST_META_LEN];
	uint64_t items, sanitised, bytes;
};

/* Called for each item; a non-OK return stops the parse with that error. */
typedef enum aim_err (*manifest_item_fn)(void *ctx, const struct evidence_item *it,
    struct aim_fault *f);

struct manifest_parser;

/* A new parser calling fn(ctx, …) per item; NULL when out of memory.  Owned. */
struct manifest_parser *manifest_parser_new(const struct manifest_limits *lim,
    manifest_item_fn fn, void *ctx) __attribute__((warn_unused_result));
/* Feed the next len bytes (borrowed). */
enum aim_err manifest_parser_feed(struct manifest_parser *p, const void *buf, size_t len,
    struct aim_fault *f) __attribute__((warn_unused_result));
/* The input is over: checks that the document is complete. */
enum aim_err manifest_parser_finish(struct manifest_parser *p, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* What was read (borrowed, valid until manifest_parser_free). */
const struct manifest_meta *manifest_parser_meta(const struct manifest_parser *p);
/* Free the parser; NULL is a no-op. */
void manifest_parser_free(struct manifest_parser *p);

#endif
