/*
 * audit.c — the audit writer: group commit of audit entries.
 *
 * Requests queue their entry or write and either sleep until it is
 * committed (audit_write, audit_run: the pending lives on their stack) or go
 * on and are called back (audit_queue, audit_run_queued: it is allocated,
 * the entry copied); the writer takes the whole queue, runs it in one
 * transaction, and wakes or calls back each with the outcome.
 */
#include "audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "routes.h"

#define BATCH_MAX 512		/* entries per transaction */
#define BUSY_RETRIES 20		/* the write lock busy beyond the store's timeout */

struct pending {
	struct pending *next;
	const struct audit_rec *rec;	/* an entry to append, or NULL */
	struct audit_rec copy;		/* rec of a queued entry (audit_queue) */
	audit_done_fn on_done;		/* a queued entry: called, then the pending freed */
	void *done_ctx;
	store_job_fn fn;		/* a write to make, or NULL */
	void *ctx;
	enum aim_err result;		/* the commit's outcome, or the write's error */
	int done;
	pthread_cond_t woken;		/* signalled when done: each waiter its own */
};

struct audit_writer {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* the queue has entries, or stop */
	struct pending *head, *tail;
	int stop;
	pthread_t thread;
	struct store *s;
};

/*
 * One transaction for the batch: each write in its own savepoint (a write
 * that fails is undone alone), then the audit entries, then one COMMIT.
 */
static enum aim_err
write_batch(struct audit_writer *w, struct pending *batch, size_t n)
{
	struct audit_rec recs[BATCH_MAX];
	enum aim_err e;
	size_t i = 0, k = 0;
	int tries;

	for (tries = 0; (e = store_batch_begin(w->s)) == AIM_EBUSY && tries < BUSY_RETRIES;
	    tries++)
		usleep(10000);
	if (e != AIM_OK)
		return e;
	for (struct pending *p = batch; p != NULL && i < n; p = p->next, i++) {
		p->result = p->fn != NULL ? p->fn(w->s, p->ctx) : AIM_OK;
		store_batch_settle(w->s);
		if (p->rec != NULL)
			recs[k++] = *p->rec;
	}
	e = store_audit_append(w->s, recs, k);
	return store_batch_end(w->s, e == AIM_OK) != AIM_OK ? AIM_EDB : e;
}

static void *
writer_loop(void *arg)
{
	struct audit_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct pending *batch, *p, *next, *queued = NULL;
		size_t n = 0;
		enum aim_err e;

		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (w->head == NULL)
			break;	/* stopping, and nothing left */
		batch = w->head;
		for (p = batch; p->next != NULL && n + 1 < BATCH_MAX; p = p->next)
			n++;
		n++;
		w->head = p->next;
		if (w->head == NULL)
			w->tail = NULL;
		p->next = NULL;
		pthread_mutex_unlock(&w->mu);
		e = write_batch(w, batch, n);
		pthread_mutex_lock(&w->mu);
		for (p = batch; p != NULL; p = next) {
			next = p->next;	/* p lives on its waiter's stack: gone once woken */
			/* a failed commit undoes every write of the batch */
			if (e != AIM_OK || p->fn == NULL)
				p->result = e;
			if (p->on_done != NULL) {
				p->next = queued;
				queued = p;
				continue;
			}
			p->done = 1;
			pthread_cond_signal(&p->woken);
		}
		/* the queued entries' callbacks, outside the lock */
		pthread_mutex_unlock(&w->mu);
		for (p = queued; p != NULL; p = next) {
			next = p->next;
			p->on_done(p->done_ctx, p->result);
			free(p);
		}
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct audit_writer *
audit_start(const char *db_path, struct aim_fault *f)
{
	struct audit_writer *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	if ((w->s = store_open(db_path, f)) == NULL)
		goto fail;
	store_autocheckpoint(w->s, 0);	/* the checkpointer thread does it, off the commit path */
	if (pthread_create(&w->thread, NULL, writer_loop, w) != 0) {
		aim_fault_set(f, AIM_ENOMEM, NULL, "cannot start the audit writer");
		store_close(w->s);
		goto fail;
	}
	return w;
fail:
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

void
audit_stop(struct audit_writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	store_close(w->s);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* Append p to the queue and wake the writer (w->mu held); -1 when it is stopping. */
static int
push_locked(struct audit_writer *w, struct pending *p)
{
	if (w->stop)
		return -1;
	if (w->tail != NULL)
		w->tail->next = p;
	else
		w->head = p;
	w->tail = p;
	pthread_cond_signal(&w->work);
	return 0;
}

/* Queue an entry r or a write fn(ctx) and wait until its batch is committed. */
static enum aim_err
submit(struct audit_writer *w, const struct audit_rec *r, store_job_fn fn, void *ctx)
{
	struct pending p = { .rec = r, .fn = fn, .ctx = ctx };
	enum aim_err e = AIM_EBUSY;

	pthread_cond_init(&p.woken, NULL);
	pthread_mutex_lock(&w->mu);
	if (push_locked(w, &p) == 0) {
		while (!p.done)
			pthread_cond_wait(&p.woken, &w->mu);
		e = p.result;
	}
	pthread_mutex_unlock(&w->mu);
	pthread_cond_destroy(&p.woken);
	return e;
}

/* Queue an entry r (copied) or a write fn(ctx) without waiting: done(done_ctx, result) later. */
static enum aim_err
enqueue(struct audit_writer *w, const struct audit_rec *r, store_job_fn fn, void *ctx,
    audit_done_fn done, void *done_ctx)
{
	struct pending *p = calloc(1, sizeof(*p));
	int queued;

	if (p == NULL)
		return AIM_ENOMEM;
	if (r != NULL) {
		p->copy = *r;
		p->rec = &p->copy;
	}
	p->fn = fn;
	p->ctx = ctx;
	p->on_done = done;
	p->done_ctx = done_ctx;
	pthread_mutex_lock(&w->mu);
	queued = push_locked(w, p) == 0;
	pthread_mutex_unlock(&w->mu);
	if (!queued) {
		free(p);
		return AIM_EBUSY;
	}
	return AIM_OK;
}

enum aim_err
audit_write(struct audit_writer *w, const struct audit_rec *r)
{
	return submit(w, r, NULL, NULL);
}

enum aim_err
audit_run(struct audit_writer *w, store_job_fn fn, void *ctx)
{
	return submit(w, NULL, fn, ctx);
}

enum aim_err
audit_queue(struct audit_writer *w, const struct audit_rec *r, audit_done_fn done, void *ctx)
{
	return enqueue(w, r, NULL, NULL, done, ctx);
}

enum aim_err
audit_run_queued(struct audit_writer *w, store_job_fn fn, void *ctx, audit_done_fn done,
    void *done_ctx)
{
	return enqueue(w, NULL, fn, ctx, done, done_ctx);
}

/* The case a reply names (a filing, an incident, a manifest), or NULL. Borrowed. */
static const char *
reply_case(const json_t *reply)
{
	const json_t *v = json_object_get(reply, "case_ref");

	if (v == NULL)
		v = json_object_get(json_object_get(reply, "case"), "ref");
	if (v == NULL)
		v = json_object_get(json_object_get(reply, "manifest"), "case_ref");
	return json_string_value(v);
}

void
audit_entry(struct request *rq, struct audit_entry *a)
{
	const char *case_ref = rq->audit_case[0] != '\0' ? rq->audit_case : NULL;
	const json_t *err = json_object_get(rq->reply, "error");
	struct audit_rec *r = &a->rec;

	*r = (struct audit_rec){ .at = rq->now, .outcome = (int)rq->status };
	srv_address(rq, a->address, sizeof(a->address));
	snprintf(a->action, sizeof(a->action), "%s %.200s", rq->method,
	    rq->route != NULL ? rq->route->pattern : rq->url);
	snprintf(a->object, sizeof(a->object), "%s", rq->audit_object[0] != '\0' ?
	    rq->audit_object : rq->route != NULL && strchr(rq->route->pattern, '{') != NULL ?
	    rq->param[0] : "");
	if (case_ref == NULL && rq->route != NULL && strstr(rq->route->pattern, "{ref}") != NULL)
		case_ref = rq->param[0];
	if (case_ref == NULL)
		case_ref = reply_case(rq->reply);
	r->actor = rq->authed ? rq->user.username : NULL;
	r->role = rq->authed ? role_name(rq->user.role) : NULL;
	r->address = a->address[0] != '\0' ? a->address : NULL;
	r->action = a->action;
	r->object = a->object[0] != '\0' ? a->object : NULL;
	r->case_ref = case_ref;
	r->detail = rq->audit_detail[0] != '\0' ? rq->audit_detail :
	    json_string_value(json_object_get(err, "code"));
}
