/*
 * throttle.c — failed log-ons per address, in a fixed table of slots.
 *
 * An address hashes to one slot; two addresses sharing a slot share its
 * count (the table is large enough that this only errs towards caution).
 */
#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096

static struct slot {
	char addr[48];
	int64_t start;	/* the window's start */
	int count;
} slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static struct slot *
slot_of(const char *addr)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = addr; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &slots[h % SLOTS];
}

int64_t
throttle_wait(const char *addr, int64_t now)
{
	struct slot *sl = slot_of(addr);
	int64_t wait = 0;

	pthread_mutex_lock(&mu);
	if (strcmp(sl->addr, addr) == 0 && now - sl->start < THROTTLE_WINDOW &&
	    sl->count >= THROTTLE_MAX)
		wait = sl->start + THROTTLE_WINDOW - now;
	pthread_mutex_unlock(&mu);
	return wait;
}

void
throttle_failed(const char *addr, int64_t now)
{
	struct slot *sl = slot_of(addr);

	pthread_mutex_lock(&mu);
	if (strcmp(sl->addr, addr) != 0 || now - sl->start >= THROTTLE_WINDOW) {
		snprintf(sl->addr, sizeof(sl->addr), "%s", addr);
		sl->start = now;
		sl->count = 0;
	}
	sl->count++;
	pthread_mutex_unlock(&mu);
}
