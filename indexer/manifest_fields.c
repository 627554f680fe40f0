/*
 * manifest_fields.c — the values of a <fileobject>'s fields and of the
 * provenance elements, as the DFXML reader (manifest_dfxml.c) ends them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest_priv.h"
#include "model.h"
#include "utf8_filter.h"

/* The captured text without surrounding white space, NUL-terminated. */
static char *
text_trimmed(struct manifest_parser *p)
{
	char *s = p->text, *e = p->text + p->text_len;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

static void
meta_set(char *dst, const char *src)
{
	if (dst[0] == '\0')
		snprintf(dst, MANIFEST_META_LEN, "%s", src);
}

static void
field_end(struct manifest_parser *p, enum tag t)
{
	struct evidence_item *it = &p->item;
	char *v = t == T_FILENAME ? p->text : text_trimmed(p);
	static const char *const hash_names[] = { "", "md5", "sha1", "sha256" };
	int64_t *tp = NULL;
	int64_t n;

	switch (t) {
	case T_FILENAME:
		p->text[p->text_len] = '\0';
		it->sanitised = utf8_has_marks(p->text, p->text_len);
		if (it->sanitised) {
			utf8_unmark(p->text, p->text_len, p->path);
			p->meta.sanitised++;
		} else {
			memcpy(p->path, p->text, p->text_len + 1);
		}
		return;
	case T_FILESIZE:
	case T_INODE:
		if (manifest_parse_uint(v, &n) != 0) {
			manifest_fail(p, AIM_EMANIFEST, t == T_FILESIZE ? "filesize '%s' is not a number" :
			    "inode '%s' is not a number", v);
			return;
		}
		*(t == T_FILESIZE ? &it->size : &it->inode) = n;
		return;
	case T_ALLOC:
	case T_UNALLOC:
	case T_ALLOC_NAME:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
			manifest_fail(p, AIM_EMANIFEST, "allocation flag '%s' is not 0 or 1", v);
			return;
		}
		it->alloc = (t == T_UNALLOC) ^ (v[0] == '1');
		return;
	case T_MTIME:
		tp = &it->mtime;
		break;
	case T_CTIME:
		tp = &it->ctime;
		break;
	case T_ATIME:
		tp = &it->atime;
		break;
	case T_CRTIME:
		tp = &it->crtime;
		break;
	case T_HASHDIGEST:
		if (p->hash == H_NONE)
			return;
		if (manifest_parse_hex(v, p->hash == H_MD5 ? 32 : p->hash == H_SHA1 ? 40 : 64,
		    p->hash == H_MD5 ? it->md5 : p->hash == H_SHA1 ? it->sha1 : it->sha256)) {
			manifest_fail(p, AIM_EMANIFEST, "hashdigest %s: wrong length or not hexadecimal",
			    hash_names[p->hash]);
		}
		return;
	default:
		return;
	}
	if (manifest_parse_time(v, tp, &p->item.zoneless) != 0)
		manifest_fail(p, AIM_EMANIFEST, "time '%s' is not an ISO 8601 date and time", v);
}

/*
 * field_end(), refusing a field given twice with two values in one
 * <fileobject> (two names, sizes, times or digests of one kind for one file
 * are corrupt evidence).  The allocation flags may differ (fiwalk's alloc and
 * alloc_name are about the inode and the name) and are not compared.
 */
void
manifest_field_end(struct manifest_parser *p, enum tag t)
{
	const struct evidence_item before = p->item;
	const struct evidence_item *it = &p->item;
	char *old = NULL;
	int twice = 0;

	if (t == T_FILENAME && (p->path[0] != '\0' || it->sanitised) &&
	    (old = strdup(p->path)) == NULL) {
		manifest_fail(p, AIM_ENOMEM, "out of memory%s", NULL);
		return;
	}
	field_end(p, t);
	if (p->err == AIM_OK) {
		switch (t) {
		case T_FILENAME:
			twice = old != NULL && strcmp(old, p->path) != 0;
			break;
		case T_FILESIZE:
			twice = before.size != -1 && before.size != it->size;
			break;
		case T_INODE:
			twice = before.inode != -1 && before.inode != it->inode;
			break;
		case T_MTIME:
		case T_CTIME:
		case T_ATIME:
		case T_CRTIME: {
			const int64_t *b = t == T_MTIME ? &before.mtime : t == T_CTIME ? &before.ctime :
			    t == T_ATIME ? &before.atime : &before.crtime;
			const int64_t *a = t == T_MTIME ? &it->mtime : t == T_CTIME ? &it->ctime :
			    t == T_ATIME ? &it->atime : &it->crtime;

			twice = *b != NO_TIME && *b != *a;
			break;
		}
		case T_HASHDIGEST:
			twice = (p->hash == H_MD5 && before.md5[0] != '\0' &&
			    strcmp(before.md5, it->md5) != 0) ||
			    (p->hash == H_SHA1 && before.sha1[0] != '\0' &&
			    strcmp(before.sha1, it->sha1) != 0) ||
			    (p->hash == H_SHA256 && before.sha256[0] != '\0' &&
			    strcmp(before.sha256, it->sha256) != 0);
			break;
		default:
			break;
		}
		if (twice)
			manifest_fail(p, AIM_EMANIFEST, "one <fileobject> gives two different values of <%s>",
			    manifest_tag_name(t));
	}
	free(old);
}

void
manifest_meta_end(struct manifest_parser *p, enum tag t, enum tag parent)
{
	char *v = text_trimmed(p);

	if (utf8_has_marks(v, strlen(v)))
		return;		/* provenance with raw bytes is not kept */
	switch (t) {
	case T_PROGRAM:
		if (parent == T_CREATOR)
			meta_set(p->meta.program, v);
		break;
	case T_VERSION:
		if (parent == T_CREATOR)
			meta_set(p->meta.version, v);
		break;
	case T_COMMAND_LINE:
		meta_set(p->meta.command_line, v);
		break;
	case T_IMAGE_FILENAME:
		meta_set(p->meta.image_filename, v);
		break;
	case T_CASE_NUMBER:
		meta_set(p->meta.case_number, v);
		break;
	case T_EVIDENCE_NUMBER:
		meta_set(p->meta.evidence_number, v);
		break;
	case T_EXAMINER:
		meta_set(p->meta.examiner, v);
		break;
	default:
		break;
	}
}
