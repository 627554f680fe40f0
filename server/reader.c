#include "reader.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define SLOTS 4
#define SLOT_SIZE (256 * 1024)

struct reader {
	int fd;
	struct obj_writer *w;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *buf[SLOTS];
	ssize_t len[SLOTS];	/* filled length; 0 = end, -1 = error */
	unsigned head, tail;	/* producer fills head, consumer takes tail */
	unsigned filled;	/* slots filled and not yet taken */
	int holding;		/* the consumer still holds slot tail - 1 */
	int stop, done;
	int err;		/* errno of the failure behind a -1 slot */
};

static void *
run(void *arg)
{
	struct reader *r = arg;

	for (;;) {
		unsigned slot;
		ssize_t n;
		int err;

		pthread_mutex_lock(&r->mu);
		while (!r->stop && r->filled + (unsigned)r->holding >= SLOTS)
			pthread_cond_wait(&r->cv, &r->mu);
		slot = r->head;
		pthread_mutex_unlock(&r->mu);
		if (r->stop)
			break;
		do
			n = read(r->fd, r->buf[slot], SLOT_SIZE);
		while (n < 0 && errno == EINTR);
		if (n > 0 && obj_writer_write(r->w, r->buf[slot], (size_t)n) != 0)
			n = -1;
		err = n < 0 && errno != 0 ? errno : EIO;	/* this thread's errno */
		pthread_mutex_lock(&r->mu);
		if (n < 0)
			r->err = err;
		r->len[slot] = n;
		r->head = (r->head + 1) % SLOTS;
		r->filled++;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (n <= 0)
			break;
	}
	return NULL;
}

struct reader *
reader_start(int fd, struct obj_writer *w)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->fd = fd;
	r->w = w;
	for (int i = 0; i < SLOTS; i++)
		if ((r->buf[i] = malloc(SLOT_SIZE)) == NULL)
			goto fail;
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&r->cv, NULL) != 0) {
		pthread_mutex_destroy(&r->mu);
		goto fail;
	}
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		goto fail;
	}
	return r;
fail:
	for (int i = 0; i < SLOTS; i++)
		free(r->buf[i]);
	free(r);
	return NULL;
}

ssize_t
reader_next(struct reader *r, const char **data)
{
	ssize_t n;

	pthread_mutex_lock(&r->mu);
	if (r->holding) {
		r->holding = 0;	/* the slot handed out last time is free again */
		pthread_cond_broadcast(&r->cv);
	}
	if (r->done) {
		pthread_mutex_unlock(&r->mu);
		return 0;
	}
	while (r->filled == 0)
		pthread_cond_wait(&r->cv, &r->mu);
	n = r->len[r->tail];
	*data = r->buf[r->tail];
	r->tail = (r->tail + 1) % SLOTS;
	r->filled--;
	r->holding = n > 0;
	if (n <= 0)
		r->done = 1;
	if (n < 0)
		errno = r->err;	/* the reader thread's, for the caller's message */
	pthread_mutex_unlock(&r->mu);
	return n;
}

void
reader_free(struct reader *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	for (int i = 0; i < SLOTS; i++)
		free(r->buf[i]);
	free(r);
}
