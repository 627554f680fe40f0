/*
 * import — one evidence manifest from bytes to committed evidence.
 *
 * A job ties together the streaming DFXML parser (indexer/manifest.h), the
 * store of originals (indexer/objstore.h) and, when storing, the import
 * transaction (store_import_*).  The caller feeds bytes as they come:
 *
 *   import_job_start → import_job_feed … → import_job_end → import_job_commit
 *
 * A job started without a store only checks the manifest (and, with an
 * object directory, keeps its bytes): the HTTP upload does that while the
 * body streams in, then imports from the kept original, so that the
 * database's write lock is never held while a client is sending.
 * import_job_release() undoes whatever was not committed.
 *
 * A storing job parses on the caller's thread and stores on a second one
 * (import_pipe.h), from import_job_start until import_job_end returns; the
 * store s must not be used by the caller in between.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stdint.h>

#include <jansson.h>

#include "aim_err.h"
#include "manifest.h"
#include "model.h"
#include "objstore.h"
#include "rule.h"
#include "store.h"

struct import_pipe;

struct import_job {
	struct manifest_parser *parser;
	struct obj_writer *orig;	/* the original being written, or NULL */
	struct store_import imp;	/* the pipe's thread's while it runs */
	int storing;
	struct import_pipe *pipe;	/* stores the items on a second thread, or NULL */
	const struct rule_set *rules;	/* run over evidence paths, or NULL */
	struct rule_scratch *scratch;
	int64_t now;
	char sha256[OBJ_HASH_LEN];
};

/*
 * Start a job: with s, items go into case ref on behalf of viewer; with
 * obj_dir, the bytes are kept as the original.  The job is zeroed first, so
 * that import_job_release() is always safe.
 */
enum aim_err import_job_start(struct import_job *j, struct store *s,
    const struct aim_user *viewer, const char *ref, const char *obj_dir,
    const struct manifest_limits *lim, int64_t now, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Run these rules (borrowed; may be NULL) over the evidence paths of a storing job. */
void import_job_rules(struct import_job *j, const struct rule_set *rs, struct rule_scratch *sc);
/* The next len bytes (borrowed). */
enum aim_err import_job_feed(struct import_job *j, const void *buf, size_t len,
    struct aim_fault *f) __attribute__((warn_unused_result));
/* The input is over: the manifest is complete and valid; j->sha256 is set when keeping. */
enum aim_err import_job_end(struct import_job *j, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Keep the original durably under its hash (after import_job_end). */
enum aim_err import_job_keep(struct import_job *j, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Commit a storing job under sha256: *reply (owned), *already when a repeat. */
enum aim_err import_job_commit(struct import_job *j, const char *sha256, int64_t now,
    json_t **reply, int *already, struct aim_fault *f) __attribute__((warn_unused_result));
/* What the parser read. */
const struct manifest_meta *import_job_meta(const struct import_job *j);
/* Roll back and remove whatever was not committed or kept. */
void import_job_release(struct import_job *j);

/*
 * Import the manifest whose bytes are kept under sha256 in obj_dir into
 * case ref: the second half of an HTTP upload.  idem_key (borrowed, or NULL)
 * and req_hash make it retry-safe (store_import_idem()).
 */
enum aim_err import_kept(struct store *s, const struct aim_user *viewer, const char *ref,
    const char *obj_dir, const char *sha256, const char *idem_key,
    const unsigned char req_hash[32], const struct manifest_limits *lim,
    const struct rule_set *rs, struct rule_scratch *sc, int64_t now, json_t **reply,
    int *already, struct aim_fault *f) __attribute__((warn_unused_result));

#endif
