#include "aim_err.h"

#include "validate.h"

#include <stdarg.h>
#include <stdio.h>

struct err_row {
	const char *code;
	const char *message;
	unsigned status;
};

static const struct err_row rows[] = {
	[AIM_OK] = { "ok", "success", 200 },
	[AIM_EMALFORMED] = { "malformed_json", "the body is not well-formed JSON", 400 },
	[AIM_EXML] = { "malformed_xml", "the manifest is not well-formed XML", 400 },
	[AIM_EMANIFEST] = { "invalid_manifest", "the manifest is not acceptable", 400 },
	[AIM_EMISSING] = { "missing_field", "a required field is missing", 400 },
	[AIM_EUNKNOWN] = { "unknown_field", "unknown field", 400 },
	[AIM_EINVAL] = { "invalid_field", "invalid value", 400 },
	[AIM_EUNAUTH] = { "unauthorized", "a valid session or API token is required", 401 },
	[AIM_EBADCRED] = { "bad_credentials", "wrong username or password", 401 },
	[AIM_EMFA] = { "mfa_required", "a valid one-time code is required", 401 },
	[AIM_EFORBIDDEN] = { "forbidden", "your role may not do this", 403 },
	[AIM_ECSRF] = { "csrf_failed", "missing or wrong X-CSRF-Token", 403 },
	[AIM_ENOTFOUND] = { "not_found", "not found", 404 },
	[AIM_EMETHOD] = { "method_not_allowed", "method not allowed", 405 },
	[AIM_ECONFLICT] = { "conflict", "conflicts with stored state", 409 },
	[AIM_ETOOBIG] = { "too_large", "too large", 413 },
	[AIM_EMEDIA] = { "unsupported_media_type", "unsupported content type", 415 },
	[AIM_ERATE] = { "rate_limited", "too many attempts, try again later", 429 },
	[AIM_EDB] = { "internal", "database failure", 500 },
	[AIM_EIO] = { "internal", "input/output failure", 500 },
	[AIM_ENOMEM] = { "unavailable", "out of memory", 503 },
	[AIM_EBUSY] = { "unavailable", "the database is busy, try again", 503 },
};
_Static_assert(sizeof(rows) / sizeof(rows[0]) == AIM_E__MAX,
    "one row per enum aim_err");

static const struct err_row *
row(enum aim_err e)
{
	if ((unsigned)e >= AIM_E__MAX)
		return &rows[AIM_EIO];
	return &rows[e];
}

const char *
aim_strerror(enum aim_err e)
{
	return row(e)->message;
}

const char *
aim_err_code(enum aim_err e)
{
	return row(e)->code;
}

unsigned
aim_http_status(enum aim_err e)
{
	return row(e)->status;
}

enum aim_err
aim_fault_set(struct aim_fault *f, enum aim_err e, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return e;
	f->err = e;
	snprintf(f->field, sizeof(f->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	/* a cut may split a character, and both go into JSON replies (found by fuzzing) */
	v_utf8_clean(f->field);
	v_utf8_clean(f->msg);
	return e;
}
