#include "import_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

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
	struct ring ring;		/* the parser fills batches, the thread stores them */
	struct batch b[PIPE_BATCHES];
	struct batch *filling;		/* the parser's batch, or NULL */
	struct aim_fault fault;		/* the thread's failure, written before it stops the ring */
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
	int slot;

	while ((slot = ring_to_read(&p->ring)) >= 0) {
		struct aim_fault f = { 0 };
		struct batch *b = &p->b[slot];
		enum aim_err e = store_batch(p, b, &f);

		if (e != AIM_OK) {
			p->fault = f;
			p->fault.err = e;
			ring_stop(&p->ring);	/* the parser learns of it at its next wait */
			break;
		}
		b->n = 0;
		b->used = 0;
		ring_read(&p->ring);
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
	if (ring_init(&p->ring, PIPE_BATCHES) != 0)
		goto fail;
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		ring_destroy(&p->ring);
		goto fail;
	}
	return p;
fail:
	for (int i = 0; i < PIPE_BATCHES; i++)
		free(p->b[i].text);
	free(p);
	return NULL;
}

/* The thread's failure into f: the ring stopped, so the thread wrote it before. */
static enum aim_err
failure(struct import_pipe *p, struct aim_fault *f)
{
	if (f != NULL)
		*f = p->fault;
	return p->fault.err != AIM_OK ? p->fault.err : AIM_EIO;
}

/* Hand the batch being filled to the thread. */
static void
push(struct import_pipe *p)
{
	p->filling = NULL;
	ring_filled(&p->ring);
}

/* A batch to fill: waits while every batch is full; fails once the thread has. */
static enum aim_err
take_empty(struct import_pipe *p, struct aim_fault *f)
{
	int slot = ring_to_fill(&p->ring);

	if (slot < 0)
		return failure(p, f);
	p->filling = &p->b[slot];
	return AIM_OK;
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
	if (p->filling != NULL && p->filling->n > 0)
		push(p);
	p->filling = NULL;
	ring_end(&p->ring);
	return ring_drained(&p->ring) == 0 ? AIM_OK : failure(p, f);
}

void
import_pipe_free(struct import_pipe *p)
{
	if (p == NULL)
		return;
	ring_stop(&p->ring);
	pthread_join(p->thread, NULL);
	ring_destroy(&p->ring);
	for (int i = 0; i < PIPE_BATCHES; i++)
		free(p->b[i].text);
	free(p);
}
