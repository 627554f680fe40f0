#include "filing.h"

#include <stdlib.h>

#include "auth.h"
#include "findings.h"
#include "incident.h"

enum aim_err
filing_submit(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const struct aim_user *viewer, struct incident *inc, const char *idem_key, int64_t now,
    json_t **reply, int *replayed, struct aim_fault *f)
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
	e = store_incident_file(s, viewer, inc, &fd.d, rs != NULL ? findings_noise : NULL,
	    (void *)rs, text, idem_key, hash, now, reply, replayed, f);
out:
	free(text);
	json_decref(filed);
	findings_release(&fd);
	return e;
}
