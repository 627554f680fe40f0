#include "filing.h"

#include <stdlib.h>

#include "auth.h"
#include "findings.h"
#include "incident.h"

/* The store step of a filing, as a unit of writes. */
struct filing_job {
	const struct aim_user *viewer;
	const struct incident *inc;
	const struct doc_findings *fnd;
	const struct rule_set *rs;
	const char *text, *idem_key;
	const unsigned char *hash;
	int64_t now;
	json_t **reply;
	int *replayed;
	struct aim_fault *f;
};

static enum aim_err
filing_store(struct store *s, void *ctx)
{
	struct filing_job *j = ctx;

	return store_incident_file(s, j->viewer, j->inc, j->fnd, j->text, j->idem_key, j->hash,
	    j->now, j->reply, j->replayed, j->f);
}

/*
 * The links of the case filed into, as they are now (a replay's too), read
 * on the caller's connection once the filing is committed: the writers'
 * transaction holds no read that is not a write's.
 */
static enum aim_err
add_links(struct store *s, const struct aim_user *viewer, const struct rule_set *rs,
    json_t *reply)
{
	const char *ref = json_string_value(json_object_get(json_object_get(reply, "case"), "ref"));
	json_t *links = NULL;
	enum aim_err e;

	if (ref == NULL)
		return AIM_EIO;
	e = store_case_links(s, viewer, ref, rs != NULL ? findings_noise : NULL, (void *)rs, &links);
	if (e != AIM_OK)
		return e;
	return json_object_set_new(reply, "links", links) == 0 ? AIM_OK : AIM_ENOMEM;
}

enum aim_err
filing_submit_via(struct store *s, filing_runner run, void *run_ctx,
    const struct rule_set *rs, struct rule_scratch *sc, const struct aim_user *viewer,
    struct incident *inc, const char *idem_key, int64_t now, json_t **reply, int *replayed,
    struct aim_fault *f)
{
	struct findings fd;
	unsigned char hash[32];
	json_t *filed = NULL;
	char *text = NULL;
	enum aim_err e;

	*reply = NULL;
	findings_init(&fd);
	if (sc == NULL && rs != NULL) {
		e = aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (findings_incident(&fd, rs, sc, inc) != 0 || (filed = incident_to_json(inc)) == NULL ||
	    (text = json_dumps(filed, JSON_COMPACT)) == NULL) {
		e = aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		goto out;
	}
	auth_token_hash(text, hash);	/* the same normalized report is the same request */
	{
		struct filing_job j = { viewer, inc, &fd.d, rs, text, idem_key, hash, now, reply,
			replayed, f };

		e = run != NULL ? run(run_ctx, filing_store, &j) : filing_store(s, &j);
	}
	if (e == AIM_OK && (e = add_links(s, viewer, rs, *reply)) != AIM_OK)
		/* committed all the same: a retry with the same key finds it */
		aim_fault_set(f, e, NULL, "the incident is filed, but its links could not be read;"
		    " the same request with the same Idempotency-Key returns its reply");
	if (e != AIM_OK && *reply != NULL) {
		/* the batch's commit failed after the store step answered */
		json_decref(*reply);
		*reply = NULL;
	}
out:
	free(text);
	json_decref(filed);
	findings_release(&fd);
	return e;
}

enum aim_err
filing_submit(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const struct aim_user *viewer, struct incident *inc, const char *idem_key, int64_t now,
    json_t **reply, int *replayed, struct aim_fault *f)
{
	return filing_submit_via(s, NULL, NULL, rs, sc, viewer, inc, idem_key, now, reply,
	    replayed, f);
}
