/*
 * rule_indicator.c — indicator types, their normal forms, and the noise list.
 */
#include "rule_priv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "validate.h"

static const char *const types[] = { "ip", "domain", "url", "email", "account", "user_agent",
	"api_key", "sha256", "sha1", "md5", "cve", "wallet", "phone", "handle", "model", NULL };

int
rule_indicator_type_known(const char *type)
{
	for (const char *const *t = types; *t != NULL; t++)
		if (strcmp(*t, type) == 0)
			return 1;
	return 0;
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int
hex_of_len(char *s, size_t want)
{
	if (strlen(s) != want)
		return -1;
	for (size_t i = 0; i < want; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	lower(s);
	return 0;
}

/* scheme and host lower-cased, the rest kept */
static int
norm_url(char *s)
{
	char *host = strstr(s, "://");

	if (host == NULL || v_url(s, RULE_VALUE_MAX - 1) != 0)
		return -1;
	for (char *p = s; p < host + 3; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = host + 3; *p != '\0' && *p != '/' && *p != '?' && *p != '#'; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

static int
norm_phone(char *s)
{
	size_t w = 0;

	for (size_t i = 0; s[i] != '\0'; i++)
		if (isdigit((unsigned char)s[i]) || (s[i] == '+' && w == 0))
			s[w++] = s[i];
	s[w] = '\0';
	return w >= 7 ? 0 : -1;
}

int
rule_indicator_normalize(const char *type, const char *provider, const char *in, size_t len,
    char out[RULE_VALUE_MAX])
{
	char buf[RULE_VALUE_MAX];
	const char *s = in;
	size_t n = len;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= RULE_VALUE_MAX)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strcmp(type, "api_key") == 0) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * sizeof(h) + 1];

		crypto_hash_sha256(h, (const unsigned char *)buf, n);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		sodium_memzero(buf, sizeof(buf));
		snprintf(out, RULE_VALUE_MAX, "%s:%.16s", provider != NULL ? provider : "unknown",
		    hex);
		return 0;
	}
	if (strcmp(type, "ip") == 0) {
		char ip[V_IP_LEN];

		if (v_ip(buf, ip) != 0)
			return -1;
		snprintf(out, RULE_VALUE_MAX, "%s", ip);
		return 0;
	}
	if (strcmp(type, "domain") == 0) {
		char d[V_DOMAIN_LEN];

		if (v_domain(buf, d) != 0)
			return -1;
		snprintf(out, RULE_VALUE_MAX, "%s", d);
		return 0;
	}
	if (strcmp(type, "email") == 0 || strcmp(type, "handle") == 0 ||
	    (strcmp(type, "wallet") == 0 &&
	    (strncmp(buf, "bc1", 3) == 0 || strncmp(buf, "0x", 2) == 0)))
		lower(buf);
	else if (strcmp(type, "cve") == 0)
		for (char *p = buf; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
	else if ((strcmp(type, "sha256") == 0 && hex_of_len(buf, 64) != 0) ||
	    (strcmp(type, "sha1") == 0 && hex_of_len(buf, 40) != 0) ||
	    (strcmp(type, "md5") == 0 && hex_of_len(buf, 32) != 0))
		return -1;
	else if (strcmp(type, "url") == 0 && norm_url(buf) != 0)
		return -1;
	else if (strcmp(type, "phone") == 0 && norm_phone(buf) != 0)
		return -1;
	if (strcmp(type, "email") == 0 && strchr(buf, '@') == NULL)
		return -1;
	snprintf(out, RULE_VALUE_MAX, "%s", buf);
	return 0;
}

/* ---- noise ---- */

static int
parse_cidr(struct noise_entry *e, char *v)
{
	char *slash = strchr(v, '/');
	long bits;
	char *end;

	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, v, e->addr) == 1)
		e->family = AF_INET;
	else if (inet_pton(AF_INET6, v, e->addr) == 1)
		e->family = AF_INET6;
	else
		return -1;
	bits = e->family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		long b = strtol(slash + 1, &end, 10);

		if (*end != '\0' || b < 0 || b > bits)
			return -1;
		bits = b;
	}
	e->cidr_bits = (int)bits;
	return 0;
}

void
rule_noise_load(struct rule_set *rs, const char *path, struct rule_errors *errs)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n_cap = 0;
	ssize_t got;
	int lineno = 0;

	if (fp == NULL) {
		rule_error(errs, path, 0, "cannot read the noise list");
		return;
	}
	while ((got = getline(&line, &cap, fp)) >= 0) {
		char *s = line, *sp, *v;
		struct noise_entry e = { .cidr_bits = -1 };
		const char *why = rule_line_problem(line, (size_t)got);
		size_t len;

		lineno++;
		if (why != NULL) {
			rule_error(errs, path, lineno, "%s", why);
			continue;
		}
		while (isspace((unsigned char)*s))
			s++;
		len = strlen(s);
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			s[--len] = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if ((sp = strpbrk(s, " \t")) == NULL) {
			rule_error(errs, path, lineno, "expected 'TYPE VALUE'");
			continue;
		}
		*sp = '\0';
		v = sp + 1;
		while (isspace((unsigned char)*v))
			v++;
		if (!rule_indicator_type_known(s)) {
			rule_error(errs, path, lineno, "unknown indicator type '%s'", s);
			continue;
		}
		if (strcmp(s, "ip") == 0 && parse_cidr(&e, v) != 0) {
			rule_error(errs, path, lineno, "'%s' is not an IP address or CIDR range", v);
			continue;
		}
		len = strlen(v);
		e.prefix = len > 0 && v[len - 1] == '*';
		if (e.prefix)
			v[len - 1] = '\0';
		e.type = arena_strdup(&rs->mem, s);
		e.value = arena_strdup(&rs->mem, v);
		if (rs->n_noise == n_cap) {
			size_t nc = n_cap != 0 ? n_cap * 2 : 64;
			struct noise_entry *ne = realloc(rs->noise, nc * sizeof(*ne));

			if (ne == NULL) {
				rule_error(errs, path, lineno, "out of memory");
				break;
			}
			rs->noise = ne;
			n_cap = nc;
		}
		if (e.type != NULL && e.value != NULL)
			rs->noise[rs->n_noise++] = e;
	}
	if (ferror(fp))
		rule_error(errs, path, lineno + 1, "cannot read the noise list");
	free(line);
	fclose(fp);
}

static int
in_range(const struct noise_entry *e, const char *value)
{
	unsigned char a[16];
	int bits = e->cidr_bits, bytes;

	if (inet_pton(e->family, value, a) != 1)
		return 0;
	bytes = bits / 8;
	if (memcmp(a, e->addr, (size_t)bytes) != 0)
		return 0;
	if (bits % 8 == 0)
		return 1;
	return ((a[bytes] ^ e->addr[bytes]) & (0xFF << (8 - bits % 8)) & 0xFF) == 0;
}

int
rule_set_is_noise(const struct rule_set *rs, const char *type, const char *value)
{
	for (size_t i = 0; rs != NULL && i < rs->n_noise; i++) {
		const struct noise_entry *e = &rs->noise[i];

		if (strcmp(e->type, type) != 0)
			continue;
		if (e->cidr_bits >= 0 ? in_range(e, value) :
		    e->prefix ? strncmp(value, e->value, strlen(e->value)) == 0 :
		    strcmp(value, e->value) == 0)
			return 1;
	}
	return 0;
}
