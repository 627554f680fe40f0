/*
 * reader — read a file on a second thread, keeping its original as it goes.
 *
 * The reader thread reads fd in chunks, feeds each chunk to an obj_writer
 * (which hashes it and writes the copy), and hands it to the caller through
 * a small bounded queue; the caller parses and stores on its own thread.
 * On a 2-core machine this overlaps hashing and copying with parsing.
 */
#ifndef READER_H
#define READER_H

#include <sys/types.h>

#include "objstore.h"

struct reader;

/* Start reading fd into w (both borrowed until reader_free).  NULL on failure. */
struct reader *reader_start(int fd, struct obj_writer *w) __attribute__((warn_unused_result));
/*
 * The next chunk: its length and *data (borrowed until the next call), 0 at
 * the end, -1 on a read or write error (with errno set to its cause).
 */
ssize_t reader_next(struct reader *r, const char **data);
/* Stop the thread (early or at the end) and free; NULL is a no-op. */
void reader_free(struct reader *r);

#endif
