/*
 * case_cache.c — rendered case views: a fixed table of slots under one lock.
 */
#include "case_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct case_view_key key;
	int64_t stale_at;
	char *text;		/* NULL: the slot is empty */
	size_t len;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry slots[CASE_CACHE_SLOTS];
static size_t held;		/* bytes of text in all slots */

/* FNV-1a over the reference and the viewer: the slot of a key. */
static struct entry *
slot_of(const struct case_view_key *k)
{
	uint64_t h = 14695981039346656037u;

	for (const char *p = k->ref; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h = (h ^ (uint64_t)k->user_id) * 1099511628211u;
	return &slots[h % CASE_CACHE_SLOTS];
}

static int
same_key(const struct case_view_key *a, const struct case_view_key *b)
{
	return strcmp(a->ref, b->ref) == 0 && a->user_id == b->user_id && a->role == b->role &&
	    a->rules == b->rules && a->gen == b->gen;
}

static void
drop(struct entry *e)
{
	held -= e->len;
	free(e->text);
	e->text = NULL;
	e->len = 0;
}

int
case_cache_get(const struct case_view_key *k, int64_t now, char **text, size_t *len)
{
	struct entry *e;
	int found = 0;

	pthread_mutex_lock(&mu);
	e = slot_of(k);
	if (e->text != NULL && same_key(&e->key, k) && now < e->stale_at &&
	    (*text = malloc(e->len)) != NULL) {
		memcpy(*text, e->text, e->len);
		*len = e->len;
		found = 1;
	}
	pthread_mutex_unlock(&mu);
	return found;
}

void
case_cache_put(const struct case_view_key *k, int64_t stale_at, const char *text, size_t len)
{
	struct entry *e;
	char *copy;

	if (len == 0 || len > CASE_CACHE_BYTES / 16)
		return;
	pthread_mutex_lock(&mu);
	e = slot_of(k);
	if (e->text != NULL)
		drop(e);
	if (held + len <= CASE_CACHE_BYTES && (copy = malloc(len)) != NULL) {
		memcpy(copy, text, len);
		e->key = *k;
		e->stale_at = stale_at;
		e->text = copy;
		e->len = len;
		held += len;
	}
	pthread_mutex_unlock(&mu);
}

void
case_cache_clear(void)
{
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < CASE_CACHE_SLOTS; i++)
		if (slots[i].text != NULL)
			drop(&slots[i]);
	pthread_mutex_unlock(&mu);
}
