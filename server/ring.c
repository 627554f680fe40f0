#include "ring.h"

int
ring_init(struct ring *r, unsigned slots)
{
	*r = (struct ring){ .slots = slots };
	if (slots == 0 || pthread_mutex_init(&r->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&r->cv, NULL) != 0) {
		pthread_mutex_destroy(&r->mu);
		return -1;
	}
	return 0;
}

void
ring_destroy(struct ring *r)
{
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
}

int
ring_to_fill(struct ring *r)
{
	int slot = -1;

	pthread_mutex_lock(&r->mu);
	while (!r->stopped && r->count == r->slots)
		pthread_cond_wait(&r->cv, &r->mu);
	if (!r->stopped)
		slot = (int)((r->tail + r->count) % r->slots);
	pthread_mutex_unlock(&r->mu);
	return slot;
}

void
ring_filled(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	r->count++;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void
ring_end(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	r->ended = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

int
ring_drained(struct ring *r)
{
	int rc;

	pthread_mutex_lock(&r->mu);
	while (!r->stopped && r->count > 0)
		pthread_cond_wait(&r->cv, &r->mu);
	rc = r->stopped ? -1 : 0;
	pthread_mutex_unlock(&r->mu);
	return rc;
}

int
ring_to_read(struct ring *r)
{
	int slot = -1;

	pthread_mutex_lock(&r->mu);
	while (!r->stopped && !r->ended && r->count == 0)
		pthread_cond_wait(&r->cv, &r->mu);
	if (!r->stopped && r->count > 0)
		slot = (int)r->tail;
	pthread_mutex_unlock(&r->mu);
	return slot;
}

void
ring_read(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	r->tail = (r->tail + 1) % r->slots;
	r->count--;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void
ring_stop(struct ring *r)
{
	pthread_mutex_lock(&r->mu);
	r->stopped = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}
