/*
 * api_cases.c — listing cases, the case view, changing a case, notes, and
 * the users a case may be assigned to.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "case_cache.h"
#include "case_ref.h"
#include "findings.h"
#include "json_io.h"
#include "validate.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200
#define NOTE_MAX 20000

enum aim_err
api_case_list(struct request *rq, struct aim_fault *f)
{
	struct case_filter flt = { .status = -1, .kind = -1, .limit = LIST_DEFAULT };
	const char *status = srv_arg(rq, "status"), *kind = srv_arg(rq, "kind");
	const char *mine = srv_arg(rq, "mine");
	enum case_status st;
	enum case_kind k;
	json_t *out;
	enum aim_err e;

	if (status != NULL && status[0] != '\0') {
		if (status_parse(status, &st) != 0)
			return aim_fault_set(f, AIM_EINVAL, "status",
			    "status: one of open, investigating, charged, closed");
		flt.status = (int)st;
	}
	if (kind != NULL && kind[0] != '\0') {
		if (kind_parse(kind, &k) != 0)
			return aim_fault_set(f, AIM_EINVAL, "kind",
			    "kind: ai_intrusion or take_it_down");
		flt.kind = (int)k;
	}
	if (mine != NULL) {
		if (strcmp(mine, "true") != 0 && strcmp(mine, "false") != 0)
			return aim_fault_set(f, AIM_EINVAL, "mine", "mine: true or false");
		flt.mine = strcmp(mine, "true") == 0;
	}
	if ((e = srv_arg_int(rq, "limit", 1, LIST_MAX, &flt.limit, f)) ||
	    (e = srv_arg_int(rq, "offset", 0, INT32_MAX, &flt.offset, f)))
		return e;
	if ((e = store_case_list(rq->store, &rq->user, &flt, &out)) != AIM_OK)
		return e;
	return srv_json(rq, 200, out);
}

/* The {ref} of the path, or NULL when it cannot be a reference (404). */
static const char *
path_ref(struct request *rq)
{
	int y, n;

	return case_ref_parse(rq->param[0], &y, &n) == 0 ? rq->param[0] : NULL;
}

/* A kept view is sent: the answer's hold on it ends. */
static void
release_view(void *cls)
{
	case_view_release(cls);
}

/*
 * The case view: the one kept for this viewer, rules and data generation
 * when there is one (case_cache.h), else built, kept and sent.
 */
static enum aim_err
case_reply(struct request *rq, const char *ref)
{
	const struct rule_set *rs = srv_rules(rq);
	struct case_view_key k = { .user_id = rq->user.id, .role = (int)rq->user.role,
		.rules = rs != NULL ? rule_set_serial(rs) : 0 };
	const struct case_view *kept;
	int64_t stale_at;
	json_t *out;
	char *text;
	size_t len;
	enum aim_err e;

	if ((size_t)snprintf(k.ref, sizeof(k.ref), "%s", ref) >= sizeof(k.ref))
		return AIM_ENOTFOUND;	/* not a reference (path_ref checked it) */
	/* the generation and the view from one snapshot of the database */
	if ((e = store_read_begin(rq->store)) != AIM_OK)
		return e;
	if ((e = store_data_gen(rq->store, &k.gen)) != AIM_OK) {
		store_read_end(rq->store);
		return e;
	}
	if ((kept = case_cache_get(&k, rq->now)) != NULL) {
		store_read_end(rq->store);
		return srv_json_shared(rq, 200, kept->text, kept->len, release_view, (void *)kept);
	}
	e = store_case_get(rq->store, &rq->user, ref, rq->now,
	    rs != NULL ? findings_noise : NULL, (void *)rs, &out, &stale_at);
	store_read_end(rq->store);
	if (e != AIM_OK)
		return e;
	text = srv_json_dump(out);
	json_decref(out);
	if (text == NULL)
		return AIM_ENOMEM;
	len = strlen(text);
	case_cache_put(&k, stale_at, text, len);
	return srv_json_text(rq, 200, text, len);
}

enum aim_err
api_case_show(struct request *rq, struct aim_fault *f)
{
	const char *ref = path_ref(rq);

	(void)f;
	return ref != NULL ? case_reply(rq, ref) : AIM_ENOTFOUND;
}

enum aim_err
api_case_links(struct request *rq, struct aim_fault *f)
{
	const char *ref = path_ref(rq);
	const struct rule_set *rs = srv_rules(rq);
	json_t *out;
	enum aim_err e;

	(void)f;
	if (ref == NULL)
		return AIM_ENOTFOUND;
	e = store_case_links(rq->store, &rq->user, ref, rs != NULL ? findings_noise : NULL,
	    (void *)rs, &out);
	return e != AIM_OK ? e : srv_json(rq, 200, out);
}

enum aim_err
api_case_patch(struct request *rq, struct aim_fault *f)
{
	static const char *const keys[] = { "status", "assignee", "title", NULL };
	const char *ref = path_ref(rq), *status;
	struct case_patch p = { 0 };
	const json_t *assignee;
	enum aim_err e;

	if (ref == NULL)
		return AIM_ENOTFOUND;
	if ((e = json_only_keys(rq->json, "", keys, f)) ||
	    (e = json_get_text(rq->json, "status", 0, 32, 0, &status, f)) ||
	    (e = json_get_text(rq->json, "title", 0, 300, 0, &p.title, f)))
		return e;
	if (status != NULL) {
		if (status_parse(status, &p.status) != 0)
			return aim_fault_set(f, AIM_EINVAL, "status",
			    "status: one of open, investigating, charged, closed");
		p.set_status = 1;
	}
	if ((assignee = json_object_get(rq->json, "assignee")) != NULL) {
		p.set_assignee = 1;
		if (!json_is_null(assignee) &&
		    (e = json_get_text(rq->json, "assignee", 1, USERNAME_MAX, 0, &p.assignee, f)))
			return e;
	}
	if (!p.set_status && !p.set_assignee && p.title == NULL)
		return aim_fault_set(f, AIM_EINVAL, NULL,
		    "nothing to change: give status, assignee or title");
	srv_audit(rq, NULL, NULL, "%s%s%s%s%s%s", p.set_status ? "status=" : "",
	    p.set_status ? status : "", p.set_assignee ? " assignee=" : "",
	    p.set_assignee ? (p.assignee != NULL ? p.assignee : "(nobody)") : "",
	    p.title != NULL ? " title=" : "", p.title != NULL ? p.title : "");
	if ((e = store_case_patch(rq->store, &rq->user, ref, &p, rq->now, f)) != AIM_OK)
		return e;
	return case_reply(rq, ref);
}

enum aim_err
api_note_add(struct request *rq, struct aim_fault *f)
{
	static const char *const keys[] = { "text", NULL };
	const char *ref = path_ref(rq), *text;
	json_t *out;
	enum aim_err e;

	if (ref == NULL)
		return AIM_ENOTFOUND;
	if ((e = json_only_keys(rq->json, "", keys, f)) ||
	    (e = json_get_text(rq->json, "text", 1, NOTE_MAX, V_MULTILINE, &text, f)))
		return e;
	if ((e = store_note_add(rq->store, &rq->user, ref, text, rq->now, &out)) != AIM_OK)
		return e;
	srv_audit(rq, NULL, NULL, "note %lld",
	    (long long)json_integer_value(json_object_get(out, "id")));
	return srv_json(rq, 201, out);
}

enum aim_err
api_user_list(struct request *rq, struct aim_fault *f)
{
	json_t *out;
	enum aim_err e;

	(void)f;
	if ((e = store_user_list(rq->store, &out)) != AIM_OK)
		return e;
	return srv_json(rq, 200, out);
}
