#include "reader.h"

#include "ring.h"

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
	struct ring ring;	/* the thread fills, reader_next reads */
	char *buf[SLOTS];
	ssize_t len[SLOTS];	/* filled length; 0 = end, -1 = error */
	int holding;		/* the consumer still holds the slot it was given last */
	int done;
	int err;		/* errno of the failure behind a -1 slot */
};

static void *
run(void *arg)
{
	struct reader *r = arg;
	int slot;

	while ((slot = ring_to_fill(&r->ring)) >= 0) {
		ssize_t n;

		do
			n = read(r->fd, r->buf[slot], SLOT_SIZE);
		while (n < 0 && errno == EINTR);
		if (n > 0 && obj_writer_write(r->w, r->buf[slot], (size_t)n) != 0)
			n = -1;
		if (n < 0)
			r->err = errno != 0 ? errno : EIO;	/* this thread's errno */
		r->len[slot] = n;
		ring_filled(&r->ring);
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
	if (ring_init(&r->ring, SLOTS) != 0)
		goto fail;
	if (pthread_create(&r->thread, NULL, run, r) != 0) {
		ring_destroy(&r->ring);
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
	int slot;

	if (r->holding) {
		r->holding = 0;
		ring_read(&r->ring);	/* the slot handed out last time is free again */
	}
	if (r->done || (slot = ring_to_read(&r->ring)) < 0)
		return 0;
	n = r->len[slot];
	*data = r->buf[slot];
	r->holding = n > 0;
	if (n <= 0)
		r->done = 1;
	if (n < 0)
		errno = r->err;	/* the reader thread's, for the caller's message */
	return n;
}

void
reader_free(struct reader *r)
{
	if (r == NULL)
		return;
	ring_stop(&r->ring);
	pthread_join(r->thread, NULL);
	ring_destroy(&r->ring);
	for (int i = 0; i < SLOTS; i++)
		free(r->buf[i]);
	free(r);
}
