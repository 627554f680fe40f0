#include "json_io.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

json_t *
json_body_parse(const char *text, size_t len, struct aim_fault *f)
{
	json_error_t jerr;
	json_t *doc;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		aim_fault_set(f, AIM_EMALFORMED, NULL, "malformed JSON at line %d, column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		aim_fault_set(f, AIM_EMALFORMED, NULL, "the body must be a JSON object");
		return NULL;
	}
	return doc;
}

json_t *
json_error_body(enum aim_err e, const struct aim_fault *f)
{
	int mine = f != NULL && f->err == e;
	const char *msg = mine && f->msg[0] != '\0' ? f->msg : aim_strerror(e);
	json_t *field = mine && f->field[0] != '\0' ? json_string(f->field) : json_null();

	return json_pack("{s:{s:s,s:s,s:o}}", "error", "code", aim_err_code(e), "message", msg,
	    "field", field);
}

enum aim_err
json_only_keys(const json_t *obj, const char *prefix, const char *const *allowed,
    struct aim_fault *f)
{
	const char *key;
	json_t *val;

	json_object_foreach((json_t *)obj, key, val) {
		int ok = 0;
		char field[160];

		(void)val;
		for (const char *const *a = allowed; *a != NULL && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			snprintf(field, sizeof(field), "%s%s", prefix, key);
			return aim_fault_set(f, AIM_EUNKNOWN, field, "%s: unknown field", field);
		}
	}
	return AIM_OK;
}

enum aim_err
json_get_text(const json_t *obj, const char *key, int required, size_t max, int flags,
    const char **out, struct aim_fault *f)
{
	const json_t *m = json_object_get(obj, key);
	const char *why;

	*out = NULL;
	if (m == NULL || json_is_null(m)) {
		if (required)
			return aim_fault_set(f, AIM_EMISSING, key, "%s: required", key);
		return AIM_OK;
	}
	if (!json_is_string(m))
		return aim_fault_set(f, AIM_EINVAL, key, "%s: must be a string", key);
	if (strlen(json_string_value(m)) != json_string_length(m))
		return aim_fault_set(f, AIM_EINVAL, key, "%s: must not contain NUL characters", key);
	if ((why = v_text(json_string_value(m), 1, max, flags, 0)) != NULL)
		return aim_fault_set(f, AIM_EINVAL, key, "%s: %s", key, why);
	*out = json_string_value(m);
	return AIM_OK;
}
