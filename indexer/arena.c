#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 4096

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t off;
	alignas(max_align_t) unsigned char data[];
};

void
arena_init(struct arena *a, size_t max)
{
	a->head = NULL;
	a->used = 0;
	a->max = max != 0 ? max : (size_t)64 << 20;
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *c = a->head;
	size_t need, csize;
	void *p;

	if (size > a->max || a->used > a->max - size)
		return NULL;
	need = (size + align - 1) & ~(align - 1);
	if (c == NULL || c->size - c->off < need) {
		csize = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			return NULL;
		c->next = a->head;
		c->size = csize;
		c->off = 0;
		a->head = c;
	}
	p = c->data + c->off;
	c->off += need;
	a->used += size;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
