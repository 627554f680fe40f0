/*
 * case_cache.c — rendered case views: a fixed table of slots under one lock.
 */
#include "case_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A view and its readers: the slot holding it counts as one. */
struct shared {
	struct case_view v;	/* first: a view is its shared */
	unsigned refs;		/* under mu */
	char text[];
};

struct entry {
	struct case_view_key key;
	int64_t stale_at;
	struct shared *view;	/* NULL: the slot is empty */
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

/* One reference less (under mu). */
static void
unref(struct shared *sh)
{
	if (--sh->refs == 0)
		free(sh);
}

static void
drop(struct entry *e)
{
	held -= e->view->v.len;
	unref(e->view);
	e->view = NULL;
}

const struct case_view *
case_cache_get(const struct case_view_key *k, int64_t now)
{
	struct entry *e;
	struct shared *found = NULL;

	pthread_mutex_lock(&mu);
	e = slot_of(k);
	if (e->view != NULL && same_key(&e->key, k) && now < e->stale_at) {
		found = e->view;
		found->refs++;
	}
	pthread_mutex_unlock(&mu);
	return found != NULL ? &found->v : NULL;
}

void
case_view_release(const struct case_view *v)
{
	if (v == NULL)
		return;
	pthread_mutex_lock(&mu);
	unref((struct shared *)v);
	pthread_mutex_unlock(&mu);
}

void
case_cache_put(const struct case_view_key *k, int64_t stale_at, const char *text, size_t len)
{
	struct entry *e;
	struct shared *sh;

	if (len == 0 || len > CASE_CACHE_BYTES / 16)
		return;
	pthread_mutex_lock(&mu);
	e = slot_of(k);
	if (e->view != NULL)
		drop(e);
	if (held + len <= CASE_CACHE_BYTES && (sh = malloc(sizeof(*sh) + len)) != NULL) {
		memcpy(sh->text, text, len);
		sh->v.text = sh->text;
		sh->v.len = len;
		sh->refs = 1;
		e->key = *k;
		e->stale_at = stale_at;
		e->view = sh;
		held += len;
	}
	pthread_mutex_unlock(&mu);
}

void
case_cache_clear(void)
{
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < CASE_CACHE_SLOTS; i++)
		if (slots[i].view != NULL)
			drop(&slots[i]);
	pthread_mutex_unlock(&mu);
}
