#include "search.h"

#include <stdlib.h>
#include <time.h>

#include "escape.h"
#include "search_query.h"

static json_t *
string_array(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static char *
json_text(const char *const *v, size_t n)
{
	json_t *a;
	char *t;

	if (n == 0)
		return NULL;
	a = string_array(v, n);
	t = a != NULL ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	return t;
}

/* Replace each hit's raw snippet by its HTML-escaped form. */
static int
escape_snippets(json_t *hits)
{
	size_t i;
	json_t *h;

	json_array_foreach(hits, i, h) {
		const char *raw = json_string_value(json_object_get(h, "snippet"));
		char *html = html_escape_marked(raw != NULL ? raw : "");

		if (html == NULL || json_object_set_new(h, "snippet", json_string(html)) != 0) {
			free(html);
			return -1;
		}
		free(html);
	}
	return 0;
}

enum aim_err
search_run(struct store *s, const struct aim_user *viewer, const struct search_request *rq,
    json_t **out, struct aim_fault *f)
{
	struct search_query *q = malloc(sizeof(*q));
	struct search_params sp = { 0 };
	struct timespec t0, t1;
	char *flags = NULL, *inds = NULL;
	enum aim_err e;

	*out = NULL;
	if (q == NULL)
		return AIM_ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((e = search_query_parse(rq->q, q, f)) != AIM_OK)
		goto out;
	if ((rq->kind >= 0 && q->kind >= 0 && rq->kind != q->kind) ||
	    (rq->status >= 0 && q->status >= 0 && rq->status != q->status)) {
		/* two filters that cannot both hold: nothing matches */
		*out = json_pack("{s:i,s:i,s:[],s:{s:{},s:{},s:{}}}", "total", 0, "took_ms", 0, "hits",
		    "facets", "kind", "status", "flag");
		e = *out != NULL ? AIM_OK : AIM_ENOMEM;
		goto out;
	}
	flags = json_text(q->flags, q->n_flags);
	inds = json_text(q->indicators, q->n_indicators);
	sp.fts = q->fts[0] != '\0' ? q->fts : NULL;
	sp.negative = q->negative[0] != '\0' ? q->negative : NULL;
	sp.kind = q->kind >= 0 ? q->kind : rq->kind;
	sp.status = q->status >= 0 ? q->status : rq->status;
	sp.flags_json = flags;
	sp.inds_json = inds;
	sp.case_ref = q->case_ref;
	sp.after = q->after;
	sp.before = q->before;
	sp.limit = rq->limit;
	sp.offset = rq->offset;
	sp.budget_ms = SEARCH_BUDGET_MS;
	e = store_search(s, viewer, &sp, out);
	if (e == AIM_EBUSY) {
		e = aim_fault_set(f, AIM_EBUSY, "q",
		    "q: the search took longer than %d ms; narrow it (more words, a filter)",
		    SEARCH_BUDGET_MS);
		goto out;
	}
	if (e != AIM_OK)
		goto out;
	if (escape_snippets(json_object_get(*out, "hits")) != 0) {
		e = AIM_ENOMEM;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	json_object_set_new(*out, "took_ms", json_real(
	    (double)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000) / 1000.0));
out:
	if (e != AIM_OK) {
		json_decref(*out);
		*out = NULL;
	}
	free(flags);
	free(inds);
	free(q);
	return e;
}
