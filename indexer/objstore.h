/*
 * objstore — originals kept byte for byte, named by their SHA-256.
 *
 * The store is a directory beside the database ("<db>.objects/").  An
 * original is written as it streams in, to a temporary file in that
 * directory, while its SHA-256 is computed; obj_writer_keep() then makes it
 * durable (fsync of the file, rename to its hash, fsync of the directory).
 * A writer freed without being kept removes its temporary file.
 */
#ifndef OBJSTORE_H
#define OBJSTORE_H

#include <stddef.h>

#include "aim_err.h"

#define OBJ_HASH_LEN 65		/* 64 hex digits + NUL */

struct obj_writer;

/* The object directory for a database path, into out (borrowed). */
void obj_dir_for_db(const char *db_path, char *out, size_t len);

/* A writer of a new object in dir (created if missing).  Owned; NULL with f. */
struct obj_writer *obj_writer_new(const char *dir, struct aim_fault *f)
    __attribute__((warn_unused_result));
/* Append len bytes (borrowed). */
enum aim_err obj_writer_write(struct obj_writer *w, const void *buf, size_t len)
    __attribute__((warn_unused_result));
/* No more bytes: the hash, lower-case hex, into hex. */
void obj_writer_hash(struct obj_writer *w, char hex[OBJ_HASH_LEN]);
/* The temporary file's path, to read the bytes back before keeping them. */
const char *obj_writer_path(const struct obj_writer *w);
/* Make the object durable under its hash (after obj_writer_hash). */
enum aim_err obj_writer_keep(struct obj_writer *w) __attribute__((warn_unused_result));
/* Close, removing the temporary file unless kept; NULL is a no-op. */
void obj_writer_free(struct obj_writer *w);

/* Open the object with that hash for reading: a file descriptor, or -1. */
int obj_open(const char *dir, const char *hex);
/*
 * Remove what unfinished uploads left in dir (a process killed while
 * writing): the temporary files no writer holds any more.  Returns how many
 * were removed, or -1 when dir cannot be read.  Safe while other processes
 * upload: a writer keeps its file locked.
 */
int obj_sweep(const char *dir);

#endif
