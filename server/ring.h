/*
 * ring — fixed slots handed over between one producer and one consumer
 * thread, filled and read in place.
 *
 * The producer asks for the next free slot (waiting while every slot is
 * full), fills it and hands it over (ring_filled); the consumer asks for the
 * oldest full slot (waiting while there is none), reads it and gives it back
 * (ring_read).  A slot belongs to one side at a time, so its contents need
 * no lock: the ring's mutex orders the hand-overs.  Either side may stop the
 * ring (a failure, an early end): every wait returns -1 from then on.  The
 * caller owns the slots themselves; the ring only counts them.
 */
#ifndef RING_H
#define RING_H

#include <pthread.h>

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned slots;		/* how many */
	unsigned tail, count;	/* full slots: tail … tail + count - 1 (the consumer's first) */
	int ended;		/* the producer fills no more */
	int stopped;
};

/* A ring of slots slots (at least 1); 0, or -1 when the lock cannot be made. */
int ring_init(struct ring *r, unsigned slots) __attribute__((warn_unused_result));
void ring_destroy(struct ring *r);

/* Producer: the index of the slot to fill, or -1 once stopped. */
int ring_to_fill(struct ring *r);
/* Producer: the slot from ring_to_fill is full; the consumer may take it. */
void ring_filled(struct ring *r);
/* Producer: nothing more will be filled. */
void ring_end(struct ring *r);
/* Producer: wait until the consumer gave back every full slot; 0, or -1 once stopped. */
int ring_drained(struct ring *r);

/* Consumer: the index of the oldest full slot; -1 once stopped, or ended with none left. */
int ring_to_read(struct ring *r);
/* Consumer: the slot from ring_to_read is free again. */
void ring_read(struct ring *r);

/* Either side: stop; every wait returns -1 from now on. */
void ring_stop(struct ring *r);

#endif
