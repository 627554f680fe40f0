#include "validate.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *
v_text(const char *s, size_t min, size_t max, int flags, int count_bytes)
{
	size_t chars = 0, bytes = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++, bytes++) {
		if (*p < 0x20 || *p == 0x7f) {
			if (!(flags & V_MULTILINE) || (*p != '\t' && *p != '\n' && *p != '\r'))
				return "must not contain control characters";
		}
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	if (chars < min)
		return min <= 1 ? "must not be empty" : "is too short";
	if ((count_bytes ? bytes : chars) > max)
		return "is too long";
	return NULL;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int
v_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, k; i < len; i += k)
		if ((k = utf8_seq(p + i, len - i)) == 0 || p[i] == 0)
			return 0;
	return 1;
}

void
v_utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0, k; i < n; i += k)
		if ((k = utf8_seq(p + i, n - i)) == 0) {
			p[i] = '?';
			k = 1;
		}
}

void
v_trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = strlen(p);

	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

int
v_ip(const char *s, char out[V_IP_LEN])
{
	unsigned char addr[16];

	if (strchr(s, '.') != NULL && strchr(s, ':') == NULL) {
		if (inet_pton(AF_INET, s, addr) != 1)
			return -1;
		return inet_ntop(AF_INET, addr, out, V_IP_LEN) != NULL ? 0 : -1;
	}
	if (inet_pton(AF_INET6, s, addr) != 1)
		return -1;
	return inet_ntop(AF_INET6, addr, out, V_IP_LEN) != NULL ? 0 : -1;
}

int
v_domain(const char *s, char out[V_DOMAIN_LEN])
{
	size_t len = strlen(s), label = 0, labels = 0, i;
	int all_digits = 1;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > V_DOMAIN_LEN - 1)
		return -1;
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label == 0 || label > 63 || out[i - 1] == '-')
				return -1;
			labels++;
			all_digits = 1;
			label = 0;
			if (i < len)
				out[i] = '.';
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '-' && c != '_')
			return -1;
		if (c == '-' && label == 0)
			return -1;
		if (!isdigit((unsigned char)c))
			all_digits = 0;
		out[i] = (char)tolower((unsigned char)c);
		label++;
		if (i + 1 == len && all_digits)
			return -1;	/* a numeric top-level label: not a host name */
	}
	out[len] = '\0';
	return labels >= 2 ? 0 : -1;
}

int
v_url(const char *s, size_t max)
{
	const char *host;
	size_t len = strlen(s);

	if (len > max)
		return -1;
	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return -1;
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#' || *host == ':')
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\\')
			return -1;
	return 0;
}

int
v_sha256(const char *s, char out[V_SHA256_LEN])
{
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	if (s[64] != '\0')
		return -1;
	out[64] = '\0';
	return 0;
}

int
v_money(const json_t *num, int64_t max_cents, int64_t *cents)
{
	double v, c;

	if (json_is_integer(num)) {
		json_int_t i = json_integer_value(num);

		if (i < 0 || i > max_cents / 100)
			return -1;
		*cents = (int64_t)i * 100;
		return 0;
	}
	if (!json_is_real(num))
		return -1;
	v = json_real_value(num);
	if (!isfinite(v) || v < 0 || v * 100.0 > (double)max_cents)
		return -1;
	/*
	 * At most two decimals, exactly: the number must be the one its own
	 * two-decimal spelling reads back as (12345.678 and 1e-8 are not).
	 */
	{
		char buf[64];

		if (snprintf(buf, sizeof(buf), "%.2f", v) >= (int)sizeof(buf) ||
		    strtod(buf, NULL) != v)
			return -1;
	}
	c = round(v * 100.0);
	*cents = (int64_t)c;
	return 0;
}

int
v_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
v_token_chars(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (s[n] < 0x21 || s[n] > 0x7e)
			return -1;
	return n >= 1 && n <= max ? 0 : -1;
}

int
v_rule_id(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!(s[n] >= 'a' && s[n] <= 'z') && !(s[n] >= '0' && s[n] <= '9') && s[n] != '.' &&
		    s[n] != '_' && s[n] != '-')
			return -1;
	return n >= 1 && n <= max ? 0 : -1;
}
