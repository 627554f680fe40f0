/*
 * manifest_dfxml.c — DFXML through libxml2's SAX2 push parser.
 */
#include "manifest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "aim_time.h"
#include "manifest_priv.h"
#include "model.h"
#include "utf8_filter.h"

#define FEED_CHUNK 65536

static const struct {
	const char *name;
	enum tag tag;
} tag_names[] = {
	{ "dfxml", T_DFXML }, { "fileobject", T_FILEOBJECT }, { "filename", T_FILENAME },
	{ "filesize", T_FILESIZE }, { "alloc", T_ALLOC }, { "unalloc", T_UNALLOC },
	{ "alloc_name", T_ALLOC_NAME }, { "inode", T_INODE }, { "mtime", T_MTIME },
	{ "ctime", T_CTIME }, { "atime", T_ATIME }, { "crtime", T_CRTIME },
	{ "hashdigest", T_HASHDIGEST }, { "creator", T_CREATOR }, { "program", T_PROGRAM },
	{ "version", T_VERSION }, { "command_line", T_COMMAND_LINE }, { "source", T_SOURCE },
	{ "image_filename", T_IMAGE_FILENAME }, { "case_number", T_CASE_NUMBER },
	{ "evidence_number", T_EVIDENCE_NUMBER }, { "examiner_name", T_EXAMINER },
	{ "examiner", T_EXAMINER },
};

void
manifest_limits_default(struct manifest_limits *lim)
{
	lim->max_bytes = MANIFEST_MAX_BYTES;
	lim->max_entries = MANIFEST_MAX_ENTRIES;
	lim->max_depth = MANIFEST_MAX_DEPTH;
	lim->max_text = MANIFEST_MAX_TEXT;
}

/* Provenance elements, read outside any <fileobject>. */
static int
is_meta(enum tag t)
{
	return t == T_PROGRAM || t == T_VERSION || t == T_COMMAND_LINE ||
	    t == T_IMAGE_FILENAME || t == T_CASE_NUMBER || t == T_EVIDENCE_NUMBER ||
	    t == T_EXAMINER;
}

const char *
manifest_tag_name(enum tag t)
{
	for (size_t i = 0; i < sizeof(tag_names) / sizeof(tag_names[0]); i++)
		if (tag_names[i].tag == t)
			return tag_names[i].name;
	return "?";
}

static enum tag
tag_lookup(const xmlChar *name)
{
	for (size_t i = 0; i < sizeof(tag_names) / sizeof(tag_names[0]); i++)
		if (strcmp((const char *)name, tag_names[i].name) == 0)
			return tag_names[i].tag;
	return T_OTHER;
}

static enum tag
tag_of(struct tag_cache *c, const xmlChar *name)
{
	size_t h = ((uintptr_t)name >> 4) % TAG_CACHE;

	for (size_t n = 0; n < TAG_CACHE; n++, h = (h + 1) % TAG_CACHE) {
		if (c->name[h] == name)
			return c->tag[h];
		if (c->name[h] == NULL) {
			c->name[h] = name;
			return c->tag[h] = tag_lookup(name);
		}
	}
	return tag_lookup(name);	/* a full cache: a manifest of many names */
}

/* Stop with an error at the parser's current position. */
void
manifest_fail(struct manifest_parser *p, enum aim_err e, const char *fmt, const char *arg)
{
	char what[400];

	if (p->err != AIM_OK)
		return;
	snprintf(what, sizeof(what), fmt, arg != NULL ? arg : "");
	p->err = aim_fault_set(p->fault, e, NULL, "%d:%d: %s", xmlSAX2GetLineNumber(p->xml),
	    xmlSAX2GetColumnNumber(p->xml), what);
	xmlStopParser(p->xml);
}

/*
 * Refuse the manifest for the character reference into U+10FF00-U+10FFFF that
 * the filter noted (utf8_filter.h), if there is one; 1 when it is refused.
 */
static int
ref_refuse(struct manifest_parser *p)
{
	const struct utf8_filter *fl = &p->filter;

	if (p->err == AIM_OK && fl->reserved_line != 0) {
		p->err = aim_fault_set(p->fault, AIM_EMANIFEST, NULL, "%llu:%llu: a character"
		    " reference to U+10FF00-U+10FFFF, the code points that keep bytes that are not"
		    " UTF-8 (write the character itself)", (unsigned long long)fl->reserved_line,
		    (unsigned long long)fl->reserved_col);
		xmlStopParser(p->xml);
	}
	return p->err != AIM_OK;
}

/*
 * 1 when the reading has stopped: an error, or this tag comes from past the
 * noted reference (the tag that holds it, or any after).  Every tag asks
 * first, so what the parser reports before the reference comes first and the
 * answer does not depend on the chunks; text does not ask (see on_chars).
 */
static int
stopped(struct manifest_parser *p)
{
	if (p->err == AIM_OK && p->filter.reserved_line != 0 &&
	    (uint64_t)xmlByteConsumed(p->xml) > p->filter.reserved_out)
		return ref_refuse(p);
	return p->err != AIM_OK;
}

/* 1 when the text since the last tag was over the limit: refused at this tag. */
static int
text_too_long(struct manifest_parser *p)
{
	if (p->text_over)
		manifest_fail(p, AIM_EMANIFEST, "element text is too long%s", NULL);
	return p->text_over;
}

static void
item_reset(struct manifest_parser *p)
{
	struct evidence_item *it = &p->item;

	memset(it, 0, sizeof(*it));
	it->size = it->inode = -1;
	it->alloc = -1;
	it->mtime = it->ctime = it->atime = it->crtime = NO_TIME;
	it->line = (uint64_t)xmlSAX2GetLineNumber(p->xml);
	p->path[0] = '\0';
	it->path = p->path;
}

static enum hash_kind
hash_kind(const xmlChar **attrs, int n, struct manifest_parser *p)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + i * 5;
		size_t len = (size_t)(a[4] - a[3]);

		if (strcmp((const char *)a[0], "type") != 0)
			continue;
		if (len == 3 && strncasecmp((const char *)a[3], "md5", 3) == 0)
			return H_MD5;
		if ((len == 4 && strncasecmp((const char *)a[3], "sha1", 4) == 0) ||
		    (len == 5 && strncasecmp((const char *)a[3], "sha-1", 5) == 0))
			return H_SHA1;
		if ((len == 6 && strncasecmp((const char *)a[3], "sha256", 6) == 0) ||
		    (len == 7 && strncasecmp((const char *)a[3], "sha-256", 7) == 0))
			return H_SHA256;
		return H_NONE;	/* other algorithms are not kept */
	}
	(void)p;
	return H_NONE;
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
    int nb_ns, const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;
	enum tag t = tag_of(&p->tags, localname), parent;

	(void)prefix;
	(void)uri;
	(void)nb_ns;
	(void)ns;
	(void)nb_defaulted;
	if (stopped(p) || text_too_long(p))
		return;
	for (int i = 0; i < nb_attrs; i++)
		if ((size_t)(attrs[i * 5 + 4] - attrs[i * 5 + 3]) > p->lim.max_text) {
			manifest_fail(p, AIM_EMANIFEST, "attribute %s is too long", (const char *)attrs[i * 5]);
			return;
		}
	if (!p->seen_root) {
		p->seen_root = 1;
		if (t != T_DFXML) {
			manifest_fail(p, AIM_EMANIFEST, "<%s> is not a DFXML manifest (the root must be <dfxml>)",
			    (const char *)localname);
			return;
		}
	}
	if (p->depth >= p->lim.max_depth) {
		manifest_fail(p, AIM_EMANIFEST, "elements nested too deeply%s", NULL);
		return;
	}
	parent = p->depth > 0 ? p->stack[p->depth - 1] : T_OTHER;
	p->stack[p->depth++] = t;
	p->capturing = 0;
	p->other_len = 0;
	if (t == T_FILEOBJECT) {
		/*
		 * One <fileobject> is one file: DFXML inventories do not nest them
		 * (differential DFXML does, for a file's earlier state: not imported).
		 */
		if (p->in_item) {
			manifest_fail(p, AIM_EMANIFEST, "a <fileobject> inside a <fileobject>%s", NULL);
			return;
		}
		p->in_item = 1;
		item_reset(p);
		return;
	}
	if (p->in_item ? parent == T_FILEOBJECT && t != T_OTHER : is_meta(t)) {
		p->capturing = 1;
		p->text_len = 0;
		if (t == T_HASHDIGEST)
			p->hash = hash_kind(attrs, nb_attrs, p);
	}
}

static void
on_chars(void *ctx, const xmlChar *ch, int len)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

	if (p->err != AIM_OK || p->text_over)
		return;
	/*
	 * Text over the limit, or past a refused reference (stopped), is refused
	 * at the next tag, not here: libxml2 hands text over in pieces that follow
	 * the chunks (a CDATA section's in 300-byte blocks, one per chunk), and
	 * may find an error in it (a "]]>") before or after a given piece.
	 */
	if (!p->capturing) {
		/* text the importer does not read has the same limit (it is not kept) */
		if ((size_t)len > p->lim.max_text - p->other_len)
			p->text_over = 1;
		else
			p->other_len += (size_t)len;
		return;
	}
	if ((size_t)len > p->lim.max_text - p->text_len) {
		p->text_over = 1;
		return;
	}
	memcpy(p->text + p->text_len, ch, (size_t)len);
	p->text_len += (size_t)len;
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;
	enum tag t, parent;
	enum aim_err e;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (stopped(p) || text_too_long(p) || p->depth == 0)
		return;
	p->other_len = 0;
	t = p->stack[--p->depth];
	parent = p->depth > 0 ? p->stack[p->depth - 1] : T_OTHER;
	if (p->capturing) {
		p->capturing = 0;
		if (p->in_item)
			manifest_field_end(p, t);
		else
			manifest_meta_end(p, t, parent);
		return;
	}
	if (t != T_FILEOBJECT || !p->in_item)
		return;
	p->in_item = 0;
	if (p->path[0] == '\0' && !p->item.sanitised) {
		manifest_fail(p, AIM_EMANIFEST, "<fileobject> without a <filename>%s", NULL);
		return;
	}
	if (++p->meta.items > p->lim.max_entries) {
		manifest_fail(p, AIM_ETOOBIG, "more entries than the limit%s", NULL);
		return;
	}
	e = p->fn(p->ctx, &p->item, p->fault);
	if (e != AIM_OK) {
		p->err = e;
		xmlStopParser(p->xml);
	}
}

static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

	(void)name;
	(void)ext;
	(void)sys;
	if (!stopped(p))
		manifest_fail(p, AIM_EMANIFEST, "a DOCTYPE is not allowed in a manifest%s", NULL);
}

static void
on_entity_ref(void *ctx, const xmlChar *name)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;

	if (!stopped(p))
		manifest_fail(p, AIM_EMANIFEST, "entity reference &%s; is not allowed", (const char *)name);
}

static void
on_xml_error(void *ctx, xmlErrorPtr err)
{
	struct manifest_parser *p = ((xmlParserCtxtPtr)ctx)->_private;
	char msg[300];
	size_t n;

	if (p == NULL || p->err != AIM_OK || err->level < XML_ERR_ERROR)
		return;
	if (!p->seen_root && (err->code == XML_ERR_DOCUMENT_END ||
	    err->code == XML_ERR_DOCUMENT_EMPTY))
		snprintf(msg, sizeof(msg), "no XML document: empty, or not XML");
	else if (err->code == XML_ERR_DOCUMENT_END && p->depth > 0)
		snprintf(msg, sizeof(msg), "the manifest is cut short: it ends inside an element");
	else
		snprintf(msg, sizeof(msg), "%s", err->message != NULL ? err->message : "XML error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	p->err = aim_fault_set(p->fault, AIM_EXML, NULL, "%d:%d: %s", err->line, err->int2,
	    msg);
	xmlStopParser(p->xml);	/* an error that is not fatal to libxml2 (a namespace's) still ends it */
}

struct manifest_parser *
manifest_parser_new(const struct manifest_limits *lim, manifest_item_fn fn, void *ctx)
{
	struct manifest_parser *p = calloc(1, sizeof(*p));
	xmlSAXHandler sax;

	if (p == NULL)
		return NULL;
	p->lim = *lim;
	if (p->lim.max_depth > MANIFEST_MAX_DEPTH)
		p->lim.max_depth = MANIFEST_MAX_DEPTH;
	p->fn = fn;
	p->ctx = ctx;
	p->fault = &p->own;
	snprintf(p->meta.format, sizeof(p->meta.format), "dfxml");
	utf8_filter_init(&p->filter);
	p->scratch = malloc(HELD_MAX + FEED_CHUNK * UTF8_FILTER_GROWTH + 16);
	p->text = malloc(p->lim.max_text + 1);
	p->path = malloc(p->lim.max_text * 2 + 1);
	if (p->scratch == NULL || p->text == NULL || p->path == NULL)
		goto fail;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_chars;
	sax.cdataBlock = on_chars;
	sax.internalSubset = on_doctype;
	sax.reference = on_entity_ref;
	sax.serror = on_xml_error;
	p->xml = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
	if (p->xml == NULL)
		goto fail;
	p->xml->_private = p;
	/*
	 * No network, no DTD loading, no entity substitution, no XInclude.  The
	 * declared encoding is ignored: the bytes have been through the UTF-8
	 * filter already (bytes that are not UTF-8 are marks, kept as \xNN), so
	 * libxml2 must read them as UTF-8 whatever the declaration says.
	 */
	xmlCtxtUseOptions(p->xml, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
	return p;
fail:
	manifest_parser_free(p);
	return NULL;
}

/*
 * Filter len bytes and parse them.  A numeric character reference into
 * U+10FF00-U+10FFFF is only noted by the filter (utf8_filter.h); the parser
 * reads on, and the first event past it (stopped) or the end refuses the
 * manifest, so whatever the parser finds before it comes first.
 *
 * A "]" or "]]" at the end of the output waits for the next call: libxml2
 * 2.9.14 looks for "]]>" in text (not allowed there) only inside one
 * chunk, so a "]]>" cut between two would pass or not as the upload's
 * packets fall.
 */
static enum aim_err
feed(struct manifest_parser *p, const unsigned char *buf, size_t len, int final,
    struct aim_fault *f)
{
	unsigned char *out = p->scratch + HELD_MAX;
	size_t n = utf8_filter_run(&p->filter, buf, len, out, final), held = 0;

	p->fault = f != NULL ? f : &p->own;
	if (p->err != AIM_OK)
		return p->err;
	/* the bytes held back last time go first */
	out -= p->n_held;
	memcpy(out, p->held, p->n_held);
	n += p->n_held;
	while (!final && held < HELD_MAX && held < n && out[n - 1 - held] == ']')
		held++;
	n -= held;
	memcpy(p->held, out + n, held);
	p->n_held = held;
	if ((n > 0 || final) && xmlParseChunk(p->xml, (const char *)out, (int)n, final) != 0 &&
	    p->err == AIM_OK)
		p->err = aim_fault_set(p->fault, AIM_EXML, NULL, "%d:%d: not well-formed XML",
		    xmlSAX2GetLineNumber(p->xml), xmlSAX2GetColumnNumber(p->xml));
	return p->err;
}

enum aim_err
manifest_parser_feed(struct manifest_parser *p, const void *buf, size_t len,
    struct aim_fault *f)
{
	const unsigned char *b = buf;

	if (p->err != AIM_OK)
		return p->err;
	if (len > p->lim.max_bytes - p->meta.bytes)
		return p->err = aim_fault_set(f, AIM_ETOOBIG, NULL,
		    "the manifest is larger than %llu bytes", (unsigned long long)p->lim.max_bytes);
	p->meta.bytes += len;
	while (len > 0) {
		size_t n = len < FEED_CHUNK ? len : FEED_CHUNK;

		if (feed(p, b, n, 0, f) != AIM_OK)
			return p->err;
		b += n;
		len -= n;
	}
	return AIM_OK;
}

enum aim_err
manifest_parser_finish(struct manifest_parser *p, struct aim_fault *f)
{
	if (feed(p, (const unsigned char *)"", 0, 1, f) != AIM_OK || ref_refuse(p))
		return p->err;
	if (!p->seen_root || p->depth != 0)
		return p->err = aim_fault_set(f, AIM_EXML, NULL,
		    "%d:%d: the manifest ends before its last element is closed",
		    xmlSAX2GetLineNumber(p->xml), xmlSAX2GetColumnNumber(p->xml));
	return AIM_OK;
}

const struct manifest_meta *
manifest_parser_meta(const struct manifest_parser *p)
{
	return &p->meta;
}

void
manifest_parser_free(struct manifest_parser *p)
{
	if (p == NULL)
		return;
	if (p->xml != NULL) {
		/*
		 * libxml2 makes a document of its own for an entity declared in a
		 * DOCTYPE it goes on reading after on_doctype stopped it ("expat
		 * compatibility"); the context does not free it.
		 */
		xmlFreeDoc(p->xml->myDoc);
		xmlFreeParserCtxt(p->xml);
	}
	free(p->scratch);
	free(p->text);
	free(p->path);
	free(p);
}
