/*
 * import_pipe — store parsed evidence items on a second thread.
 *
 * Parsing a manifest (libxml2, field checks) and storing its items (SQLite
 * inserts, index upkeep, rules over paths) each take about half of an
 * import's time; on one thread they add up.  The parser's thread puts each
 * item into the pipe, which copies it into a batch; full batches go through
 * a small bounded queue to the pipe's thread, which calls the store function
 * for each item in order.  Memory stays bounded: at most PIPE_BATCHES
 * batches of PIPE_BATCH_ITEMS items or PIPE_BATCH_BYTES of text.
 *
 * Whatever the store function touches (the import transaction, rule
 * scratch) belongs to the pipe's thread from import_pipe_start until
 * import_pipe_finish or import_pipe_free returns; the caller must not use it
 * meanwhile.  The first failure of the store function stops the pipe:
 * import_pipe_put and import_pipe_finish then return it, with its fault.
 */
#ifndef IMPORT_PIPE_H
#define IMPORT_PIPE_H

#include "aim_err.h"
#include "manifest.h"

#define PIPE_BATCHES 4
#define PIPE_BATCH_ITEMS 512
#define PIPE_BATCH_BYTES (256 * 1024)

/* Store one item (borrowed for the call); a non-OK return stops the pipe. */
typedef enum aim_err (*pipe_store_fn)(void *ctx, const struct evidence_item *it,
    struct aim_fault *f);

struct import_pipe;

/* Start the storing thread, calling fn(ctx, …) per item.  Owned; NULL on failure. */
struct import_pipe *import_pipe_start(pipe_store_fn fn, void *ctx)
    __attribute__((warn_unused_result));
/* Hand over one item (copied; borrowed for the call). */
enum aim_err import_pipe_put(struct import_pipe *p, const struct evidence_item *it,
    struct aim_fault *f) __attribute__((warn_unused_result));
/* No more items: wait until every item put is stored (or the first failure). */
enum aim_err import_pipe_finish(struct import_pipe *p, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Stop the thread (dropping items not yet stored) and free; NULL is a no-op. */
void import_pipe_free(struct import_pipe *p);

#endif
