/*
 * http_check.c — what no route accepts, refused before routing: how the path
 * and the query are unescaped (never %00), NUL bytes and smuggling in the
 * headers, query arguments that are not UTF-8 text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "http_priv.h"
#include "validate.h"

/*
 * libmicrohttpd's unescaping of the path and the query arguments, except for
 * what must not pass as text: %00 stays as it is (a NUL byte would silently
 * cut the value short: C strings), and a '%' that does not start an escape
 * (%zz, a cut-off %2) becomes the byte 0xFF, which is never UTF-8; both are
 * refused by request_sane() as a parameter that is not text.
 */
size_t
http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;

	(void)cls;
	(void)conn;
	for (const char *r = s; *r != '\0'; r++) {
		int escape = r[0] == '%' && isxdigit((unsigned char)r[1]) &&
		    isxdigit((unsigned char)r[2]);

		if (escape && !(r[1] == '0' && r[2] == '0')) {
			char hex[3] = { r[1], r[2], '\0' };

			*w++ = (char)strtoul(hex, NULL, 16);
			r += 2;
		} else if (r[0] == '%' && !escape) {
			*w++ = (char)0xFF;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

struct sanity {
	struct aim_fault *f;
	int content_length, transfer_encoding, host;
	enum aim_err e;
};

static enum MHD_Result
check_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	struct sanity *sn = cls;

	(void)kind;
	if (strlen(key) != key_size || (value != NULL && strlen(value) != value_size)) {
		sn->e = aim_fault_set(sn->f, AIM_EINVAL, NULL, "a header holds a NUL byte");
		return MHD_NO;
	}
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		sn->content_length++;
	if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
		sn->transfer_encoding++;
	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		sn->host++;
	return MHD_YES;
}

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
    const char *value, size_t value_size)
{
	struct sanity *sn = cls;
	const char *name = v_utf8(key, key_size) ? key : "query";

	(void)kind;
	if (!v_utf8(key, key_size) || strstr(key, "%00") != NULL)
		sn->e = aim_fault_set(sn->f, AIM_EINVAL, "query",
		    "query: a parameter name that is not valid UTF-8 text");
	else if (value != NULL && (strstr(value, "%00") != NULL || !v_utf8(value, value_size)))
		sn->e = aim_fault_set(sn->f, AIM_EINVAL, name,
		    "%s: not valid UTF-8 text (or a %%00, or a %% that is not followed by two hex digits)",
		    name);
	return sn->e == AIM_OK ? MHD_YES : MHD_NO;
}

/*
 * What no route accepts: a NUL byte in a header, the body's length said twice
 * or both ways (request smuggling: answered, then the connection closes),
 * query arguments that are not UTF-8 text.
 */
enum aim_err
http_request_sane(struct request *rq, struct aim_fault *f)
{
	struct sanity sn = { .f = f };

	MHD_get_connection_values_n(rq->conn, MHD_HEADER_KIND, check_header, &sn);
	if (sn.e != AIM_OK)
		return sn.e;
	if (sn.content_length > 1 || (sn.content_length > 0 && sn.transfer_encoding > 0) ||
	    sn.transfer_encoding > 1) {
		rq->close = 1;
		return aim_fault_set(f, AIM_EINVAL, NULL, "the body's length is given more than once"
		    " or both by Content-Length and Transfer-Encoding");
	}
	if (sn.host > 1)
		return aim_fault_set(f, AIM_EINVAL, NULL, "more than one Host header");
	MHD_get_connection_values_n(rq->conn, MHD_GET_ARGUMENT_KIND, check_arg, &sn);
	return sn.e;
}
