/*
 * filing.c — an incident from validated struct to stored case, in steps
 * (filing.h): the rules and the text as filed on the caller's thread, the
 * store step wherever the caller runs it, the links once it is committed.
 */
#include "filing.h"

#include <stdlib.h>

#include "auth.h"
#include "findings.h"
#include "incident.h"

struct filing {
	struct incident own;		/* the incident of filing_new() */
	struct incident *inc;		/* own, or the caller's (filing_submit) */
	struct findings fd;
	const struct rule_set *rs;
	const struct aim_user *viewer;
	const char *idem_key;
	json_t *filed;			/* the normalized report … */
	char *text;			/* … as kept, and its hash: the request's identity */
	unsigned char hash[32];
	int64_t now;
	struct aim_fault *f;
	json_t *reply;			/* the store step's */
	int replayed;
};

static void
filing_init(struct filing *fl, struct incident *inc)
{
	*fl = (struct filing){ 0 };
	incident_init(&fl->own);
	fl->inc = inc != NULL ? inc : &fl->own;
	findings_init(&fl->fd);
}

static void
filing_release(struct filing *fl)
{
	free(fl->text);
	json_decref(fl->filed);
	json_decref(fl->reply);
	findings_release(&fl->fd);
	incident_release(&fl->own);
}

struct filing *
filing_new(void)
{
	struct filing *fl = malloc(sizeof(*fl));

	if (fl != NULL)
		filing_init(fl, NULL);
	return fl;
}

struct incident *
filing_incident(struct filing *fl)
{
	return fl->inc;
}

void
filing_free(struct filing *fl)
{
	if (fl == NULL)
		return;
	filing_release(fl);
	free(fl);
}

enum aim_err
filing_prepare(struct filing *fl, const struct rule_set *rs, struct rule_scratch *sc,
    const struct aim_user *viewer, const char *idem_key, int64_t now, struct aim_fault *f)
{
	fl->rs = rs;
	fl->viewer = viewer;
	fl->idem_key = idem_key;
	fl->now = now;
	fl->f = f;
	if ((sc == NULL && rs != NULL) || findings_incident(&fl->fd, rs, sc, fl->inc) != 0 ||
	    (fl->filed = incident_to_json(fl->inc)) == NULL ||
	    (fl->text = json_dumps(fl->filed, JSON_COMPACT)) == NULL)
		return aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
	auth_token_hash(fl->text, fl->hash);	/* the same normalized report is the same request */
	return AIM_OK;
}

enum aim_err
filing_store_step(struct store *s, void *ctx)
{
	struct filing *fl = ctx;

	return store_incident_file(s, fl->viewer, fl->inc, &fl->fd.d, fl->text, fl->idem_key,
	    fl->hash, fl->now, &fl->reply, &fl->replayed, fl->f);
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
filing_finish(struct filing *fl, struct store *s, enum aim_err stored, json_t **reply,
    int *replayed)
{
	enum aim_err e = stored;

	*reply = NULL;
	*replayed = fl->replayed;
	if (e == AIM_OK && fl->reply == NULL)
		e = AIM_EIO;	/* a store step that answered nothing */
	if (e == AIM_OK && (e = add_links(s, fl->viewer, fl->rs, fl->reply)) != AIM_OK)
		/* committed all the same: a retry with the same key finds it */
		aim_fault_set(fl->f, e, NULL, "the incident is filed, but its links could not be"
		    " read; the same request with the same Idempotency-Key returns its reply");
	if (e == AIM_OK) {
		*reply = fl->reply;
		fl->reply = NULL;
	}
	/* else: the store step refused, or the batch's commit failed after it answered */
	return e;
}

enum aim_err
filing_submit(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const struct aim_user *viewer, struct incident *inc, const char *idem_key, int64_t now,
    json_t **reply, int *replayed, struct aim_fault *f)
{
	struct filing fl;
	enum aim_err e;

	filing_init(&fl, inc);
	*reply = NULL;
	*replayed = 0;
	if ((e = filing_prepare(&fl, rs, sc, viewer, idem_key, now, f)) == AIM_OK)
		e = filing_finish(&fl, s, filing_store_step(s, &fl), reply, replayed);
	filing_release(&fl);
	return e;
}
