/*
 * incident.c — validation of incident reports.  Field rules: docs/api.md.
 */
#include "incident.h"

#include <stdio.h>
#include <string.h>

#include "aim_time.h"
#include "case_ref.h"
#include "json_io.h"
#include "validate.h"

#define MAX_LOSS_CENTS ((int64_t)100000000000000)	/* $1,000,000,000,000 */
#define FUTURE_SLACK (24 * 3600)

static const char *const access_vectors[] = { "credential_stuffing", "api_abuse",
	"prompt_injection", "vulnerability_exploitation", "scraping", "stolen_credentials",
	"misconfiguration", "other", "unknown", NULL };
static const char *const depictions[] = { "authentic", "digital_forgery", "unknown", NULL };

/* Validation state: where we are in the document, for error paths. */
struct vstate {
	struct incident *inc;
	struct aim_fault *f;
	int64_t now;
	char path[128];		/* prefix of the current object, "" or "x." */
};

static enum aim_err
bad(struct vstate *v, enum aim_err e, const char *key, const char *why)
{
	char field[sizeof(v->path) + 64];
	int n = snprintf(field, sizeof(field), "%s%s", v->path, key);

	if (n < 0 || (size_t)n >= sizeof(field))
		field[0] = '\0';	/* cannot happen: paths and keys here are short */
	return aim_fault_set(v->f, e, field, "%s: %s", field, why);
}

static enum aim_err
nomem(struct vstate *v)
{
	return aim_fault_set(v->f, AIM_ENOMEM, NULL, "out of memory");
}

/* Refuse any key of obj that is not in allowed (NULL-terminated). */
static enum aim_err
only_keys(struct vstate *v, const json_t *obj, const char *const *allowed)
{
	return json_only_keys(obj, v->path, allowed, v->f);
}

/* The member key, or NULL when absent or null. */
static const json_t *
member(const json_t *obj, const char *key)
{
	const json_t *m = json_object_get(obj, key);

	return json_is_null(m) ? NULL : m;
}

static enum aim_err
get_text(struct vstate *v, const json_t *obj, const char *key, int required, size_t max,
    int flags, const char **out)
{
	const json_t *m = member(obj, key);
	const char *s, *why;
	size_t len;

	*out = NULL;
	if (m == NULL)
		return required ? bad(v, AIM_EMISSING, key, "required") : AIM_OK;
	if (!json_is_string(m))
		return bad(v, AIM_EINVAL, key, "must be a string");
	s = json_string_value(m);
	if (strlen(s) != json_string_length(m))
		return bad(v, AIM_EINVAL, key, "must not contain NUL characters");
	len = strlen(s);
	if (!(flags & V_MULTILINE))
		v_trim(&s, &len);
	if ((*out = arena_strndup(&v->inc->mem, s, len)) == NULL)
		return nomem(v);
	why = v_text(*out, 1, max, flags, (flags & V_MULTILINE) != 0);
	return why != NULL ? bad(v, AIM_EINVAL, key, why) : AIM_OK;
}

static enum aim_err
get_enum(struct vstate *v, const json_t *obj, const char *key, int required,
    const char *const *names, const char **out)
{
	enum aim_err e = get_text(v, obj, key, required, 64, 0, out);

	if (e != AIM_OK || *out == NULL)
		return e;
	for (const char *const *n = names; *n != NULL; n++)
		if (strcmp(*n, *out) == 0) {
			*out = *n;
			return AIM_OK;
		}
	return bad(v, AIM_EINVAL, key, "not one of the allowed values");
}

static enum aim_err
get_time(struct vstate *v, const json_t *obj, const char *key, int64_t *out)
{
	const json_t *m = member(obj, key);

	*out = NO_TIME;
	if (m == NULL)
		return AIM_OK;
	if (!json_is_string(m) || aim_time_parse(json_string_value(m), out) != 0)
		return bad(v, AIM_EINVAL, key, "not an RFC 3339 time");
	/* before 1970 is no time of an AI incident, and -1 means "none" in the store */
	if (*out < 0)
		return bad(v, AIM_EINVAL, key, "is before 1970");
	if (*out > v->now + FUTURE_SLACK)
		return bad(v, AIM_EINVAL, key, "is in the future");
	return AIM_OK;
}

static enum aim_err
get_bool(struct vstate *v, const json_t *obj, const char *key, int required, int *out)
{
	const json_t *m = member(obj, key);

	*out = 0;
	if (m == NULL)
		return required ? bad(v, AIM_EMISSING, key, "required") : AIM_OK;
	if (!json_is_boolean(m))
		return bad(v, AIM_EINVAL, key, "must be true or false");
	*out = json_is_true(m);
	return AIM_OK;
}

/* Normalizes one list entry into buf; returns NULL if fine, else the reason. */
typedef const char *(*entry_fn)(const char *in, char *buf, size_t len);

static const char *
entry_ip(const char *in, char *buf, size_t len)
{
	(void)len;
	return v_ip(in, buf) == 0 ? NULL : "not an IPv4 or IPv6 address";
}

static const char *
entry_domain(const char *in, char *buf, size_t len)
{
	(void)len;
	return v_domain(in, buf) == 0 ? NULL : "not a host name";
}

static const char *
entry_sha256(const char *in, char *buf, size_t len)
{
	(void)len;
	return v_sha256(in, buf) == 0 ? NULL : "not a SHA-256 (64 hexadecimal digits)";
}

static const char *
entry_ua(const char *in, char *buf, size_t len)
{
	const char *why = v_text(in, 1, 1000, 0, 0);

	if (why == NULL)
		snprintf(buf, len, "%s", in);
	return why;
}

static const char *
entry_account(const char *in, char *buf, size_t len)
{
	const char *why = v_text(in, 1, 320, 0, 0);

	if (why == NULL)
		snprintf(buf, len, "%s", in);
	return why;
}

static enum aim_err
get_list(struct vstate *v, const json_t *obj, const char *key, entry_fn fn,
    struct strlist *out)
{
	const json_t *m = member(obj, key), *item;
	char buf[1024 * 4 + 1], idx[64];
	size_t i;

	out->n = 0;
	out->v = NULL;
	if (m == NULL)
		return AIM_OK;
	if (!json_is_array(m))
		return bad(v, AIM_EINVAL, key, "must be a list");
	if (json_array_size(m) > INCIDENT_MAX_LIST)
		return bad(v, AIM_EINVAL, key, "has too many entries (at most 256)");
	out->v = arena_alloc(&v->inc->mem, (json_array_size(m) + 1) * sizeof(*out->v));
	if (out->v == NULL)
		return nomem(v);
	json_array_foreach(m, i, item) {
		const char *why = "must be a string";
		size_t k;

		snprintf(idx, sizeof(idx), "%s[%zu]", key, i);
		if (json_is_string(item) && strlen(json_string_value(item)) ==
		    json_string_length(item) && json_string_length(item) < sizeof(buf))
			why = fn(json_string_value(item), buf, sizeof(buf));
		else if (json_is_string(item))
			why = "is too long";
		if (why != NULL)
			return bad(v, AIM_EINVAL, idx, why);
		for (k = 0; k < out->n && strcmp(out->v[k], buf) != 0; k++)
			;
		if (k < out->n)
			continue;	/* duplicate after normalization */
		if ((out->v[out->n++] = arena_strdup(&v->inc->mem, buf)) == NULL)
			return nomem(v);
	}
	return AIM_OK;
}

/* Set the path prefix to saved + seg + "."; paths here are short and fixed. */
static void
path_push(struct vstate *v, const char *saved, const char *seg)
{
	int n = snprintf(v->path, sizeof(v->path), "%s%s.", saved, seg);

	if (n < 0 || (size_t)n >= sizeof(v->path))
		v->path[0] = '\0';
}

/* Enter a nested object: returns it, or NULL (with an error set in *e). */
static const json_t *
enter(struct vstate *v, const json_t *obj, const char *key, char saved[128], enum aim_err *e)
{
	const json_t *m = member(obj, key);

	*e = AIM_OK;
	if (m == NULL)
		return NULL;
	if (!json_is_object(m)) {
		*e = bad(v, AIM_EINVAL, key, "must be an object");
		return NULL;
	}
	memcpy(saved, v->path, 128);
	path_push(v, saved, key);
	return m;
}

static enum aim_err
ai_intrusion(struct vstate *v, const json_t *o)
{
	static const char *const keys[] = { "target_system", "target_owner", "access_vector",
		"agent", "model", "loss_usd", "data_accessed", "indicators", NULL };
	static const char *const ind_keys[] = { "ips", "user_agents", "accounts", "domains",
		NULL };
	struct incident *inc = v->inc;
	const json_t *ind, *loss;
	char saved[128];
	enum aim_err e;

	if ((e = only_keys(v, o, keys)) ||
	    (e = get_text(v, o, "target_system", 1, 500, 0, &inc->target_system)) ||
	    (e = get_text(v, o, "target_owner", 0, 500, 0, &inc->target_owner)) ||
	    (e = get_enum(v, o, "access_vector", 1, access_vectors, &inc->access_vector)) ||
	    (e = get_text(v, o, "agent", 0, 500, 0, &inc->agent)) ||
	    (e = get_text(v, o, "model", 0, 500, 0, &inc->model)) ||
	    (e = get_text(v, o, "data_accessed", 0, 2000, 0, &inc->data_accessed)))
		return e;
	if ((loss = member(o, "loss_usd")) != NULL &&
	    v_money(loss, MAX_LOSS_CENTS, &inc->loss_cents) != 0)
		return bad(v, AIM_EINVAL, "loss_usd",
		    "must be a number of dollars from 0, with at most two decimals");
	if ((ind = enter(v, o, "indicators", saved, &e)) == NULL)
		return e;
	if ((e = only_keys(v, ind, ind_keys)) ||
	    (e = get_list(v, ind, "ips", entry_ip, &inc->ips)) ||
	    (e = get_list(v, ind, "user_agents", entry_ua, &inc->user_agents)) ||
	    (e = get_list(v, ind, "accounts", entry_account, &inc->accounts)) ||
	    (e = get_list(v, ind, "domains", entry_domain, &inc->domains)))
		return e;
	memcpy(v->path, saved, sizeof(saved));
	return AIM_OK;
}

static enum aim_err
platform(struct vstate *v, const json_t *o, struct platform *p)
{
	static const char *const keys[] = { "name", "url", "removal_requested_at",
		"removed_at", NULL };
	enum aim_err e;

	if ((e = only_keys(v, o, keys)) || (e = get_text(v, o, "name", 1, 200, 0, &p->name)) ||
	    (e = get_text(v, o, "url", 0, 2048, 0, &p->url)))
		return e;
	if (p->url != NULL && v_url(p->url, 2048) != 0)
		return bad(v, AIM_EINVAL, "url", "not an http or https URL");
	if ((e = get_time(v, o, "removal_requested_at", &p->requested_at)) ||
	    (e = get_time(v, o, "removed_at", &p->removed_at)))
		return e;
	return AIM_OK;
}

static enum aim_err
take_it_down(struct vstate *v, const json_t *o)
{
	static const char *const keys[] = { "victim_minor", "depiction", "threat_only",
		"platforms", "content_hashes", NULL };
	struct incident *inc = v->inc;
	const json_t *pl, *item;
	char saved[128];
	enum aim_err e;
	size_t i;

	if ((e = only_keys(v, o, keys)) ||
	    (e = get_bool(v, o, "victim_minor", 1, &inc->victim_minor)) ||
	    (e = get_enum(v, o, "depiction", 1, depictions, &inc->depiction)) ||
	    (e = get_bool(v, o, "threat_only", 0, &inc->threat_only)))
		return e;
	if ((pl = member(o, "platforms")) != NULL) {
		if (!json_is_array(pl))
			return bad(v, AIM_EINVAL, "platforms", "must be a list");
		if (json_array_size(pl) > INCIDENT_MAX_PLATFORMS)
			return bad(v, AIM_EINVAL, "platforms", "has too many entries (at most 64)");
		inc->platforms = arena_alloc(&inc->mem,
		    (json_array_size(pl) + 1) * sizeof(*inc->platforms));
		if (inc->platforms == NULL)
			return nomem(v);
		memcpy(saved, v->path, sizeof(saved));
		json_array_foreach(pl, i, item) {
			char idx[32];

			snprintf(idx, sizeof(idx), "platforms[%zu]", i);
			if (!json_is_object(item))
				return bad(v, AIM_EINVAL, idx, "must be an object");
			path_push(v, saved, idx);
			if ((e = platform(v, item, &inc->platforms[i])) != AIM_OK)
				return e;
			inc->n_platforms++;
		}
		memcpy(v->path, saved, sizeof(saved));
	}
	return get_list(v, o, "content_hashes", entry_sha256, &inc->content_hashes);
}

enum aim_err
incident_from_json(const json_t *doc, int64_t now, struct incident *inc,
    struct aim_fault *f)
{
	static const char *const keys[] = { "kind", "title", "narrative", "occurred_at",
		"case_ref", "ai_intrusion", "take_it_down", NULL };
	static const char *const kinds[] = { "ai_intrusion", "take_it_down", NULL };
	struct vstate v = { .inc = inc, .f = f, .now = now, .path = "" };
	const char *kind, *other;
	const json_t *block;
	char saved[128];
	enum aim_err e;
	int y, n;

	if (!json_is_object(doc))
		return aim_fault_set(f, AIM_EMALFORMED, NULL, "the body must be a JSON object");
	if ((e = only_keys(&v, doc, keys)) ||
	    (e = get_enum(&v, doc, "kind", 1, kinds, &kind)) ||
	    (e = get_text(&v, doc, "title", 1, 300, 0, &inc->title)) ||
	    (e = get_text(&v, doc, "narrative", 1, 200000, V_MULTILINE, &inc->narrative)) ||
	    (e = get_time(&v, doc, "occurred_at", &inc->occurred_at)) ||
	    (e = get_text(&v, doc, "case_ref", 0, 32, 0, &inc->case_ref)))
		return e;
	if (inc->case_ref != NULL && case_ref_parse(inc->case_ref, &y, &n) != 0)
		return bad(&v, AIM_EINVAL, "case_ref", "not a case reference AIM-YYYY-NNNNN");
	if (kind_parse(kind, &inc->kind) != 0)
		return bad(&v, AIM_EINVAL, "kind", "not one of the allowed values");
	other = inc->kind == KIND_AI_INTRUSION ? "take_it_down" : "ai_intrusion";
	if (member(doc, other) != NULL)
		return bad(&v, AIM_EINVAL, other, "not allowed for this kind");
	block = enter(&v, doc, kind, saved, &e);
	if (e != AIM_OK)
		return e;
	if (block == NULL)
		return bad(&v, AIM_EMISSING, kind, "required for this kind");
	e = inc->kind == KIND_AI_INTRUSION ? ai_intrusion(&v, block) : take_it_down(&v, block);
	return e;
}

/* Helpers for incident_to_json: each adds a member only when present. */
static int
put_str(json_t *o, const char *key, const char *s)
{
	return s == NULL ? 0 : json_object_set_new(o, key, json_string(s));
}

static int
put_time(json_t *o, const char *key, int64_t t, int null_if_absent)
{
	char buf[AIM_TIME_LEN];

	if (t == NO_TIME)
		return null_if_absent ? json_object_set_new(o, key, json_null()) : 0;
	aim_time_format(t, buf);
	return json_object_set_new(o, key, json_string(buf));
}

static int
put_list(json_t *o, const char *key, const struct strlist *l)
{
	json_t *a;

	if (l->n == 0)
		return 0;
	if ((a = json_array()) == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (json_array_append_new(a, json_string(l->v[i])) != 0) {
			json_decref(a);
			return -1;
		}
	return json_object_set_new(o, key, a);
}

static json_t *
ai_to_json(const struct incident *inc)
{
	json_t *o = json_object(), *ind = json_object();
	int rc;

	if (o == NULL || ind == NULL)
		goto fail;
	rc = put_str(o, "target_system", inc->target_system) |
	    put_str(o, "target_owner", inc->target_owner) |
	    put_str(o, "access_vector", inc->access_vector) | put_str(o, "agent", inc->agent) |
	    put_str(o, "model", inc->model) | put_str(o, "data_accessed", inc->data_accessed) |
	    put_list(ind, "ips", &inc->ips) | put_list(ind, "user_agents", &inc->user_agents) |
	    put_list(ind, "accounts", &inc->accounts) | put_list(ind, "domains", &inc->domains);
	if (inc->loss_cents != NO_AMOUNT)
		rc |= json_object_set_new(o, "loss_usd", inc->loss_cents % 100 == 0 ?
		    json_integer(inc->loss_cents / 100) : json_real(inc->loss_cents / 100.0));
	rc |= json_object_set_new(o, "indicators", ind);
	ind = NULL;
	if (rc != 0)
		goto fail;
	return o;
fail:
	json_decref(ind);
	json_decref(o);
	return NULL;
}

static json_t *
tid_to_json(const struct incident *inc)
{
	json_t *o = json_object(), *pl = json_array();
	int rc = o == NULL || pl == NULL;

	for (size_t i = 0; rc == 0 && i < inc->n_platforms; i++) {
		const struct platform *p = &inc->platforms[i];
		json_t *po = json_object();

		rc = po == NULL || put_str(po, "name", p->name) || put_str(po, "url", p->url) ||
		    put_time(po, "removal_requested_at", p->requested_at, 1) ||
		    put_time(po, "removed_at", p->removed_at, 1) || json_array_append_new(pl, po);
	}
	if (rc == 0)
		rc = json_object_set_new(o, "victim_minor", json_boolean(inc->victim_minor)) |
		    put_str(o, "depiction", inc->depiction) |
		    json_object_set_new(o, "threat_only", json_boolean(inc->threat_only)) |
		    json_object_set(o, "platforms", pl) |
		    put_list(o, "content_hashes", &inc->content_hashes);
	json_decref(pl);
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
incident_to_json(const struct incident *inc)
{
	json_t *o = json_object();
	json_t *block = inc->kind == KIND_AI_INTRUSION ? ai_to_json(inc) : tid_to_json(inc);

	if (o == NULL || block == NULL) {
		json_decref(o);
		json_decref(block);
		return NULL;
	}
	if (json_object_set_new(o, "kind", json_string(kind_name(inc->kind))) ||
	    put_str(o, "title", inc->title) || put_str(o, "narrative", inc->narrative) ||
	    put_time(o, "occurred_at", inc->occurred_at, 0) ||
	    put_str(o, "case_ref", inc->case_ref) ||
	    json_object_set_new(o, kind_name(inc->kind), block)) {
		json_decref(o);
		return NULL;
	}
	return o;
}
