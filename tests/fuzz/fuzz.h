/*
 * fuzz — what the libFuzzer harnesses share.
 *
 * Each harness is one input surface (STYLE.md): it takes the bytes as the
 * server or the CLI would receive them, runs the same entry points, checks
 * what the module's header promises, and frees everything (LeakSanitizer
 * runs after each input).  A broken promise aborts with FUZZ_FAIL, which
 * libFuzzer reports as a crash and saves as a reproducer.  No harness
 * touches the network or a fixed path.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_io.h"

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A promise of the module is broken: say which, and crash. */
#define FUZZ_FAIL(...) do { \
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) \
		FUZZ_FAIL(__VA_ARGS__); \
} while (0)

/*
 * A refusal as the API sends it: f describes e with a message, and
 * json_error_body() can make the reply of it (field and message valid
 * UTF-8), else the client would get no answer at all.
 */
static inline void
fuzz_check_fault(enum aim_err e, const struct aim_fault *f)
{
	json_t *reply;

	FUZZ_CHECK(f->err == e, "refused with %s but the fault says %s", aim_err_code(e),
	    aim_err_code(f->err));
	FUZZ_CHECK(f->msg[0] != '\0', "refused with %s and no message", aim_err_code(e));
	reply = json_error_body(e, f);
	FUZZ_CHECK(reply != NULL, "no error reply for %s: the fault's field or message is not "
	    "valid UTF-8?\nfield: %s\nmessage: %s", aim_err_code(e), f->field, f->msg);
	json_decref(reply);
}

/* 2026-11-23T00:00:00Z: "now" for validation, fixed so that every run is the same. */
#define FUZZ_NOW ((int64_t)1795392000)

/* FNV-1a, 64 bits: a digest of what a parse produced, to compare two parses. */
static inline uint64_t
fuzz_hash(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

#define FUZZ_HASH_INIT 0xcbf29ce484222325ull

#endif
