#include "import.h"

#include "findings.h"
#include "import_pipe.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

/* Store an item whose path the rules flagged (and perhaps redacted). */
static enum aim_err
item_with_findings(struct import_job *j, const struct evidence_item *it, struct findings *fd,
    const char *path)
{
	struct evidence_item copy = *it;
	int64_t id;
	enum aim_err e;

	copy.path = path;
	if ((e = store_import_item(&j->imp, &copy, &id)) != AIM_OK)
		return e;
	for (size_t i = 0; e == AIM_OK && i < fd->d.n_flags; i++)
		e = store_import_flag(&j->imp, id, &fd->d.flags[i], j->now);
	for (size_t i = 0; e == AIM_OK && i < fd->d.n_inds; i++)
		e = store_import_indicator(&j->imp, &fd->d.inds[i]);
	return e;
}

/* Store one parsed item (on the pipe's thread): rules over its path, then its row. */
static enum aim_err
store_item(void *ctx, const struct evidence_item *it, struct aim_fault *f)
{
	struct import_job *j = ctx;
	enum aim_err e;
	int64_t id;

	if (j->rules != NULL) {
		struct findings fd;
		struct arena mem;
		const char *path = it->path;

		findings_init(&fd);
		arena_init(&mem, 0);
		e = findings_scan(&fd, j->rules, j->scratch, F_EVIDENCE_PATH, j->imp.kind, &path,
		    &mem) != 0 ? AIM_ENOMEM : fd.d.n_flags + fd.d.n_inds == 0 && path == it->path ?
		    store_import_item(&j->imp, it, &id) : item_with_findings(j, it, &fd, path);
		findings_release(&fd);
		arena_release(&mem);
	} else {
		e = store_import_item(&j->imp, it, &id);
	}
	if (e != AIM_OK)
		return aim_fault_set(f, e, NULL, "line %llu: cannot store the entry: %s",
		    (unsigned long long)it->line, aim_strerror(e));
	return AIM_OK;
}

/* The parser's callback: a storing job hands the item to the storing thread. */
static enum aim_err
on_item(void *ctx, const struct evidence_item *it, struct aim_fault *f)
{
	struct import_job *j = ctx;

	return j->pipe != NULL ? import_pipe_put(j->pipe, it, f) : AIM_OK;
}

void
import_job_rules(struct import_job *j, const struct rule_set *rs, struct rule_scratch *sc)
{
	j->rules = sc != NULL ? rs : NULL;
	j->scratch = sc;
}

enum aim_err
import_job_start(struct import_job *j, struct store *s, const struct aim_user *viewer,
    const char *ref, const char *obj_dir, const struct manifest_limits *lim, int64_t now,
    struct aim_fault *f)
{
	enum aim_err e;

	memset(j, 0, sizeof(*j));
	j->now = now;
	if ((j->parser = manifest_parser_new(lim, on_item, j)) == NULL)
		return aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
	if (obj_dir != NULL && (j->orig = obj_writer_new(obj_dir, f)) == NULL)
		return f->err;
	if (s != NULL) {
		if ((e = store_import_begin(s, viewer, ref, now, &j->imp, f)) != AIM_OK)
			return e;
		j->storing = 1;
		if ((j->pipe = import_pipe_start(store_item, j)) == NULL)
			return aim_fault_set(f, AIM_ENOMEM, NULL, "cannot start the storing thread");
	}
	return AIM_OK;
}

enum aim_err
import_job_feed(struct import_job *j, const void *buf, size_t len, struct aim_fault *f)
{
	if (j->orig != NULL && obj_writer_write(j->orig, buf, len) != AIM_OK)
		return aim_fault_set(f, AIM_EIO, NULL, "cannot write the original: %s",
		    strerror(errno));
	return manifest_parser_feed(j->parser, buf, len, f);
}

enum aim_err
import_job_end(struct import_job *j, struct aim_fault *f)
{
	enum aim_err e = manifest_parser_finish(j->parser, f);

	if (e == AIM_OK && j->pipe != NULL)
		e = import_pipe_finish(j->pipe, f);
	import_pipe_free(j->pipe);	/* the transaction is this thread's again */
	j->pipe = NULL;
	if (e == AIM_OK && j->orig != NULL)
		obj_writer_hash(j->orig, j->sha256);
	return e;
}

enum aim_err
import_job_keep(struct import_job *j, struct aim_fault *f)
{
	if (j->orig != NULL && obj_writer_keep(j->orig) != AIM_OK)
		return aim_fault_set(f, AIM_EIO, NULL, "cannot keep the original: %s",
		    strerror(errno));
	return AIM_OK;
}

enum aim_err
import_job_commit(struct import_job *j, const char *sha256, int64_t now, json_t **reply,
    int *already, struct aim_fault *f)
{
	enum aim_err e = store_import_commit(&j->imp, sha256, manifest_parser_meta(j->parser),
	    now, reply, already);

	j->storing = 0;		/* committed or rolled back: nothing left to undo */
	if (e == AIM_ECONFLICT)
		return aim_fault_set(f, e, NULL,
		    "Idempotency-Key already used for a different request");
	if (e != AIM_OK)
		return aim_fault_set(f, e, NULL, "cannot commit the import: %s", aim_strerror(e));
	return AIM_OK;
}

const struct manifest_meta *
import_job_meta(const struct import_job *j)
{
	return manifest_parser_meta(j->parser);
}

void
import_job_release(struct import_job *j)
{
	import_pipe_free(j->pipe);	/* before the transaction is undone */
	j->pipe = NULL;
	if (j->storing)
		store_import_abort(&j->imp);
	j->storing = 0;
	obj_writer_free(j->orig);
	j->orig = NULL;
	manifest_parser_free(j->parser);
	j->parser = NULL;
}

enum aim_err
import_kept(struct store *s, const struct aim_user *viewer, const char *ref,
    const char *obj_dir, const char *sha256, const char *idem_key,
    const unsigned char req_hash[32], const struct manifest_limits *lim,
    const struct rule_set *rs, struct rule_scratch *sc, int64_t now, json_t **reply,
    int *already, struct aim_fault *f)
{
	struct import_job j;
	char buf[READ_CHUNK];
	int fd = obj_open(obj_dir, sha256);
	ssize_t n;
	enum aim_err e;

	if (fd < 0)
		return aim_fault_set(f, AIM_EIO, NULL, "the kept original is missing");
	e = import_job_start(&j, s, viewer, ref, NULL, lim, now, f);
	import_job_rules(&j, rs, sc);
	if (e == AIM_OK)
		store_import_idem(&j.imp, idem_key, req_hash);
	while (e == AIM_OK && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = aim_fault_set(f, AIM_EIO, NULL, "cannot read the original: %s",
			    strerror(errno));
			break;
		}
		e = import_job_feed(&j, buf, (size_t)n, f);
	}
	close(fd);
	if (e == AIM_OK && (e = import_job_end(&j, f)) == AIM_OK)
		e = import_job_commit(&j, sha256, now, reply, already, f);
	import_job_release(&j);
	return e;
}
