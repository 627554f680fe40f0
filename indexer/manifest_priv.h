/*
 * manifest_priv — what the DFXML reader's files share (manifest_dfxml.c: the
 * parse; manifest_fields.c: fields and provenance; manifest_values.c: value
 * parsers); not for callers.
 */
#ifndef MANIFEST_PRIV_H
#define MANIFEST_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "manifest.h"
#include "utf8_filter.h"

/* The elements we look at; everything else is OTHER. */
enum tag {
	T_OTHER, T_DFXML, T_FILEOBJECT, T_FILENAME, T_FILESIZE, T_ALLOC, T_UNALLOC,
	T_ALLOC_NAME, T_INODE, T_MTIME, T_CTIME, T_ATIME, T_CRTIME, T_HASHDIGEST,
	T_CREATOR, T_PROGRAM, T_VERSION, T_COMMAND_LINE, T_SOURCE, T_IMAGE_FILENAME,
	T_CASE_NUMBER, T_EVIDENCE_NUMBER, T_EXAMINER,
};


enum hash_kind { H_NONE, H_MD5, H_SHA1, H_SHA256 };

/*
 * libxml2 interns element names in its dictionary: the same name is the same
 * pointer for the whole parse, so a name's tag is looked up once and then
 * found by address.
 */
#define TAG_CACHE 64
#define HELD_MAX 2	/* "]]": see feed() in manifest_dfxml.c */

struct tag_cache {
	const xmlChar *name[TAG_CACHE];
	enum tag tag[TAG_CACHE];
};

struct manifest_parser {
	struct manifest_limits lim;
	manifest_item_fn fn;
	void *ctx;
	xmlParserCtxtPtr xml;
	struct utf8_filter filter;
	unsigned char *scratch;	/* HELD_MAX, then filter output (4x a chunk) */
	unsigned char held[HELD_MAX];	/* output held back for the next chunk: "]" or "]]" */
	size_t n_held;

	struct tag_cache tags;
	enum tag stack[MANIFEST_MAX_DEPTH + 1];
	unsigned depth;
	int seen_root, in_item, capturing;
	enum hash_kind hash;	/* of the hashdigest being read */

	char *text;		/* the captured element text */
	size_t text_len;
	size_t other_len;	/* text of the element not captured, so far */
	int text_over;		/* the text since the last tag is over lim.max_text */
	char *path;		/* unmarked file name */

	struct evidence_item item;
	struct manifest_meta meta;

	enum aim_err err;	/* the first error, sticky */
	struct aim_fault *fault;
	struct aim_fault own;
};

/* Record the first error (fmt has one %s for arg) with the parser's line:col. */
void manifest_fail(struct manifest_parser *p, enum aim_err e, const char *fmt, const char *arg);
/* The element name of a tag. */
const char *manifest_tag_name(enum tag t);
/* A field of the current <fileobject> ends: its value into p->item (two values refused). */
void manifest_field_end(struct manifest_parser *p, enum tag t);
/* A provenance element (outside <fileobject>) ends: into p->meta. */
void manifest_meta_end(struct manifest_parser *p, enum tag t, enum tag parent);

/* Decimal digits only, no sign, 0 to INT64_MAX (2^63 - 1): 0 and *out, or -1. */
int manifest_parse_uint(const char *s, int64_t *out);
/* Exactly want hex digits, lower-cased into out (want + 1 bytes): 0 or -1. */
int manifest_parse_hex(const char *s, size_t want, char *out);
/* A DFXML time: RFC 3339, or without a zone (FAT), read as UTC with *zoneless set. */
int manifest_parse_time(const char *s, int64_t *out, int *zoneless);

#endif
