/*
 * totp.c — RFC 6238 one-time passwords through liboath.
 */
#include "totp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#define STEP 30
#define DIGITS 6
#define WINDOW 1	/* steps either side of now */

int
totp_init(void)
{
	return oath_init() == OATH_OK ? 0 : -1;
}

int
totp_check(const unsigned char *secret, size_t len, const char *code, int64_t now,
    int64_t last_step, int64_t *step)
{
	uint64_t counter = 0;
	int pos;

	if (code == NULL || strlen(code) != DIGITS || strspn(code, "0123456789") != DIGITS)
		return -1;
	pos = oath_totp_validate3((const char *)secret, len, (time_t)now, STEP, 0, WINDOW, NULL,
	    &counter, code);
	if (pos < 0 || (int64_t)counter <= last_step)
		return -1;
	*step = (int64_t)counter;
	return 0;
}

void
totp_new_secret(unsigned char secret[TOTP_SECRET_LEN])
{
	randombytes_buf(secret, TOTP_SECRET_LEN);
}

int
totp_base32(const unsigned char *secret, size_t len, char *out, size_t out_len)
{
	char *b32 = NULL;
	size_t n = 0;
	int rc = -1;

	if (oath_base32_encode((const char *)secret, len, &b32, &n) == OATH_OK && n < out_len) {
		/* apps take it without the '=' padding */
		while (n > 0 && b32[n - 1] == '=')
			n--;
		memcpy(out, b32, n);
		out[n] = '\0';
		rc = 0;
	}
	free(b32);
	return rc;
}

int
totp_code(const unsigned char *secret, size_t len, int64_t now, char out[7])
{
	return oath_totp_generate((const char *)secret, len, (time_t)now, STEP, 0, DIGITS,
	    out) == OATH_OK ? 0 : -1;
}
