#include "import_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct batch {
	size_t n;			/* items */
	size_t used, cap;		/* bytes of text */
	struct evidence_item item[PIPE_BATCH_ITEMS];	/* path set when stored */
	size_t path_at[PIPE_BATCH_ITEMS];	/* each path's offset in text */
	char *text;
};

struct import_pipe {
	pipe_store_fn fn;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[PIPE_BATCHES];
	/* under mu: full batches are b[tail] … b[tail + count - 1], the thread works on b[tail] */
	unsigned tail, count;
	int ended, stop, failed;
	struct aim_fault fault;		/* the failure, under mu */
	struct batch *filling;		/* the parser's side only: b[tail + count] or NULL */
};

/* Store one batch; returns the first failure. */
static enum aim_err
store_batch(struct import_pipe *p, struct batch *b, struct aim_fault *f)
{
	enum aim_err e = AIM_OK;

	for (size_t i = 0; e == AIM_OK && i < b->n; i++) {
		b->item[i].path = b->text + b->path_at[i];
		e = p->fn(p->ctx, &b->item[i], f);
	}
	return e;
}

static void *
run(void *arg)
{
	struct import_pipe *p = arg;

	for (;;) {
		struct aim_fault f = { 0 };
		struct batch *b;
		enum aim_err e;

		pthread_mutex_lock(&p->mu);
		while (p->count == 0 && !p->ended && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->count == 0) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		b = &p->b[p->tail];
		pthread_mutex_unlock(&p->mu);
		e = store_batch(p, b, &f);
		pthread_mutex_lock(&p->mu);
		b->n = 0;
		b->used = 0;
		p->tail = (p->tail + 1) % PIPE_BATCHES;
		p->count--;
		if (e != AIM_OK) {
			p->failed = 1;
			p->fault = f;
			p->fault.err = e;
		}
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (e != AIM_OK)
			break;
	}
	return NULL;
}

struct import_pipe *
import_pipe_start(pipe_store_fn fn, void *ctx)
{
	struct import_pipe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->fn = fn;
	p->ctx = ctx;
	for (int i = 0; i < PIPE_BATCHES; i++) {
		p->b[i].cap = PIPE_BATCH_BYTES;
		if ((p->b[i].text = malloc(PIPE_BATCH_BYTES)) == NULL)
			goto fail;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	for (int i = 0; i < PIPE_BATCHES; i++)
		free(p->b[i].text);
	free(p);
	return NULL;
}

/* The pipe's failure into f (under mu). */
static enum aim_err
failure(struct import_pipe *p, struct aim_fault *f)
{
	if (f != NULL)
		*f = p->fault;
	return p->fault.err;
}

/* Hand the batch being filled to the thread. */
static void
push(struct import_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->count++;
	p->filling = NULL;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* A batch to fill: waits while every batch is full; fails once the thread has. */
static enum aim_err
take_empty(struct import_pipe *p, struct aim_fault *f)
{
	enum aim_err e = AIM_OK;

	pthread_mutex_lock(&p->mu);
	while (!p->failed && p->count == PIPE_BATCHES)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->failed)
		e = failure(p, f);
	else
		p->filling = &p->b[(p->tail + p->count) % PIPE_BATCHES];
	pthread_mutex_unlock(&p->mu);
	return e;
}

enum aim_err
import_pipe_put(struct import_pipe *p, const struct evidence_item *it, struct aim_fault *f)
{
	size_t len = strlen(it->path) + 1;
	struct batch *b;
	enum aim_err e;

	if (p->filling == NULL && (e = take_empty(p, f)) != AIM_OK)
		return e;
	b = p->filling;
	if (b->used + len > b->cap && b->n > 0) {
		push(p);	/* the path starts the next batch */
		if ((e = take_empty(p, f)) != AIM_OK)
			return e;
		b = p->filling;
	}
	if (len > b->cap) {	/* one path longer than a batch's text: room for it */
		char *t = realloc(b->text, len);

		if (t == NULL)
			return aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		b->text = t;
		b->cap = len;
	}
	b->item[b->n] = *it;
	b->item[b->n].path = NULL;
	b->path_at[b->n] = b->used;
	memcpy(b->text + b->used, it->path, len);
	b->used += len;
	if (++b->n == PIPE_BATCH_ITEMS || b->used >= PIPE_BATCH_BYTES)
		push(p);
	return AIM_OK;
}

enum aim_err
import_pipe_finish(struct import_pipe *p, struct aim_fault *f)
{
	enum aim_err e = AIM_OK;

	if (p->filling != NULL && p->filling->n > 0)
		push(p);
	p->filling = NULL;
	pthread_mutex_lock(&p->mu);
	p->ended = 1;
	pthread_cond_broadcast(&p->cv);
	while (!p->failed && p->count > 0)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->failed)
		e = failure(p, f);
	pthread_mutex_unlock(&p->mu);
	return e;
}

void
import_pipe_free(struct import_pipe *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	for (int i = 0; i < PIPE_BATCHES; i++)
		free(p->b[i].text);
	free(p);
}
