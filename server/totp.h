/*
 * totp.h — the second factor: time-based one-time passwords (RFC 6238:
 * HMAC-SHA1, 6 digits, 30-second steps), computed by liboath (Debian's
 * oath-toolkit), so that any authenticator app works.
 */
#ifndef TOTP_H
#define TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_LEN 20	/* 160 bits, as RFC 4226 recommends */
#define TOTP_URI_MAX 256

/* Once per process, before any other call; 0 or -1. */
int totp_init(void);
/*
 * 0 when code is the secret's code for the time step of now or the one
 * before or after (clock drift), and that step is later than last_step (a
 * code is good once); *step is then the step it matched.  -1 otherwise.
 */
int totp_check(const unsigned char *secret, size_t len, const char *code, int64_t now,
    int64_t last_step, int64_t *step);
/* A new random secret. */
void totp_new_secret(unsigned char secret[TOTP_SECRET_LEN]);
/* The secret in base32, as apps take it (out: at least 40 bytes); 0 or -1. */
int totp_base32(const unsigned char *secret, size_t len, char *out, size_t out_len);
/* The code for now (for tests and the demo); 0 or -1. */
int totp_code(const unsigned char *secret, size_t len, int64_t now, char out[7]);

#endif
