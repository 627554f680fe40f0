#include "rescan.h"

#include <string.h>

#include "findings.h"
#include "incident.h"

#define FAR_FUTURE ((int64_t)1 << 40)	/* stored reports were checked when filed */

struct rescan_ctx {
	const struct rule_set *rs;
	struct rule_scratch *sc;
	const char *rule_id;
	struct findings fd;
	struct incident inc;
	struct arena mem;
};

/* Keep only the findings of rule_id. */
static void
only_rule(struct findings *fd, const char *rule_id)
{
	size_t w = 0;
	char source[160];

	for (size_t i = 0; i < fd->d.n_flags; i++)
		if (strcmp(fd->d.flags[i].rule_id, rule_id) == 0)
			fd->d.flags[w++] = fd->d.flags[i];
	fd->d.n_flags = w;
	snprintf(source, sizeof(source), "rule:%s", rule_id);
	w = 0;
	for (size_t i = 0; i < fd->d.n_inds; i++)
		if (strcmp(fd->d.inds[i].source, source) == 0)
			fd->d.inds[w++] = fd->d.inds[i];
	fd->d.n_inds = w;
}

static enum aim_err
one_doc(void *ctx, enum case_kind kind, const char *doc_type, const char *text,
    struct doc_findings **out)
{
	struct rescan_ctx *c = ctx;
	json_t *doc;
	int rc;

	findings_release(&c->fd);
	findings_init(&c->fd);
	incident_release(&c->inc);
	arena_release(&c->mem);
	*out = NULL;
	if (strcmp(doc_type, "incident") == 0) {
		incident_init(&c->inc);
		doc = json_loads(text, 0, NULL);
		if (doc == NULL || incident_from_json(doc, FAR_FUTURE, &c->inc, NULL) != AIM_OK) {
			json_decref(doc);
			return AIM_OK;	/* not a report this version reads: left as it is */
		}
		json_decref(doc);
		rc = findings_incident(&c->fd, c->rs, c->sc, &c->inc);
	} else {
		const char *path = text;

		rc = findings_scan(&c->fd, c->rs, c->sc, F_EVIDENCE_PATH, kind, &path, &c->mem);
	}
	if (rc != 0)
		return AIM_ENOMEM;
	if (c->rule_id != NULL)
		only_rule(&c->fd, c->rule_id);
	*out = &c->fd.d;
	return AIM_OK;
}

enum aim_err
rescan_run(struct store *s, const struct rule_set *rs, struct rule_scratch *sc,
    const char *rule_id, int64_t now, int64_t *docs, int64_t *flags)
{
	struct rescan_ctx c = { .rs = rs, .sc = sc, .rule_id = rule_id };
	enum aim_err e;

	findings_init(&c.fd);
	incident_init(&c.inc);
	arena_init(&c.mem, 0);
	e = store_rescan(s, rule_id, one_doc, &c, now, docs, flags);
	findings_release(&c.fd);
	incident_release(&c.inc);
	arena_release(&c.mem);
	return e;
}
