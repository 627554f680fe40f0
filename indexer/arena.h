/*
 * arena — a bump allocator for the pieces of one parsed document.
 *
 * Everything allocated from an arena lives until arena_release(); nothing is
 * freed one by one.  An arena has a hard maximum (bytes) set by the caller:
 * past it, allocation fails with NULL, as it does when memory runs out.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;		/* bytes handed out in total */
	size_t max;		/* hard maximum; 0 means 64 MiB */
};

/* Start an empty arena (no allocation yet). */
void arena_init(struct arena *a, size_t max);
/* Free everything the arena handed out; the arena may be used again. */
void arena_release(struct arena *a);
/* size bytes, aligned for any type; owned by the arena; NULL on failure. */
void *arena_alloc(struct arena *a, size_t size);
/* A NUL-terminated copy of len bytes of s; owned by the arena; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* A copy of the string s; owned by the arena; NULL on failure. */
char *arena_strdup(struct arena *a, const char *s);

#endif
