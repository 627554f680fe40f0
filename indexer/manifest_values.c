/*
 * manifest_values.c — the values of DFXML elements: sizes, digests, times.
 */
#include "manifest_priv.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "aim_time.h"

int
manifest_parse_uint(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		int d = *s - '0';

		if (d < 0 || d > 9 || v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
manifest_parse_hex(const char *s, size_t want, char *out)
{
	if (strlen(s) != want)
		return -1;
	for (size_t i = 0; i < want; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[want] = '\0';
	return 0;
}

int
manifest_parse_time(const char *s, int64_t *out, int *zoneless)
{
	char buf[40];
	size_t n = strlen(s);

	if (aim_time_parse(s, out) == 0)
		return 0;
	if (n < 19 || n > 30)
		return -1;
	snprintf(buf, sizeof(buf), "%sZ", s);
	if (aim_time_parse(buf, out) != 0)
		return -1;
	*zoneless = 1;
	return 0;
}

