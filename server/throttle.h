/*
 * throttle.h — failed log-ons per client address.
 *
 * More than THROTTLE_MAX failures from one address within THROTTLE_WINDOW
 * seconds and log-ons from it answer 429 until the window has passed: a
 * guesser spread over many accounts is slowed down as well as one who sticks
 * to one (which the account lock stops).  Kept in memory; shared by the
 * server's threads.
 */
#ifndef THROTTLE_H
#define THROTTLE_H

#include <stdint.h>

#define THROTTLE_MAX 20
#define THROTTLE_WINDOW (10 * 60)

/* Seconds until addr may try again; 0 when it may now. */
int64_t throttle_wait(const char *addr, int64_t now);
/* Count a failed log-on from addr. */
void throttle_failed(const char *addr, int64_t now);

#endif
