/*
 * audit.h — recording who did what, before the answer leaves.
 *
 * The server hands every /api/ request's entry to one writer thread, which
 * appends whatever entries are waiting in one transaction (group commit: one
 * fsync for the requests that end together) and wakes each request once its
 * entry is durable.  A request is answered only after its entry is on disk;
 * if the entry cannot be written, the request answers 503 instead.
 *
 * The CLI appends its entries directly with cli_audit() (cli.h).
 */
#ifndef AUDIT_H
#define AUDIT_H

#include "aim_err.h"
#include "store.h"

struct audit_writer;

/* Called on the writer's thread when a queued entry or write is committed (or failed). */
typedef void (*audit_done_fn)(void *ctx, enum aim_err result);

/* Start the writer on its own connection to db_path; NULL (f filled) on failure. Owned. */
struct audit_writer *audit_start(const char *db_path, struct aim_fault *f);
/* Write what is still waiting, stop the thread, close; NULL is a no-op. */
void audit_stop(struct audit_writer *w);
/*
 * Append r (borrowed for the call) and wait until it is committed.
 * AIM_OK, or the store's error (the entry is then not in the log).
 */
enum aim_err audit_write(struct audit_writer *w, const struct audit_rec *r);
/*
 * Append r without waiting: done(ctx, result) is called once, on the
 * writer's thread, when the batch holding r is committed (AIM_OK) or has
 * failed.  r is copied, but the strings it points to must live until done
 * is called.  AIM_OK when queued; else (stopping, out of memory) done is
 * never called.
 */
enum aim_err audit_queue(struct audit_writer *w, const struct audit_rec *r, audit_done_fn done,
    void *ctx);
/*
 * Run fn(store, ctx) in the writer's next batch (group commit: the writes of
 * requests that arrive together share one transaction and one fsync) and wait
 * until the batch is committed.  fn runs on the writer's thread and
 * connection; its own store transaction is a savepoint (store_batch_begin),
 * so its failure undoes its writes alone.  Returns fn's result, or the
 * commit's error (then nothing of fn is stored).
 */
enum aim_err audit_run(struct audit_writer *w, store_job_fn fn, void *ctx);
/*
 * audit_run() without waiting: done(done_ctx, result) is called once, on the
 * writer's thread, after the batch's commit, with fn's result or the
 * commit's error.  ctx must live until then.  AIM_OK when queued; else done
 * is never called.
 */
enum aim_err audit_run_queued(struct audit_writer *w, store_job_fn fn, void *ctx,
    audit_done_fn done, void *done_ctx);

struct request;
struct audit_entry;
/*
 * The request's entry into a->rec (its strings in a, or borrowed from rq):
 * who, from where, the route, the object and case (the route's parameter,
 * or what the handler (srv_audit) or the reply says), the outcome.  It is
 * written (audit_write, audit_queue) before the answer is queued.
 */
void audit_entry(struct request *rq, struct audit_entry *a);

#endif
