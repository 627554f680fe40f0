/*
 * findings — running the rules over a document before it is stored.
 *
 * For each text of an incident (or an evidence path, or a note) the rules of
 * its field and case kind run; what they find becomes flags (one per rule
 * and field, with the first span, a short excerpt and the number of
 * matches) and indicators (every value an indicator rule extracts,
 * normalized).  Keys matched by an `indicator: api_key` rule are first
 * replaced in the text itself by "[REDACTED provider key fp:…]": a key is
 * never stored, indexed, returned or logged in clear.
 *
 * Everything found lives in the findings' arena until findings_release().
 */
#ifndef FINDINGS_H
#define FINDINGS_H

#include "arena.h"
#include "model.h"
#include "rule.h"

struct findings {
	struct doc_findings d;
	size_t cap_flags, cap_inds;
	struct arena mem;
	unsigned keys;		/* keys redacted */
};

void findings_init(struct findings *fd);
void findings_release(struct findings *fd);

/*
 * Scan *text (a NUL-terminated string) of field for a case of kind; when
 * it holds keys, *text is replaced by a redacted copy allocated in owner
 * (the document's arena).  Returns 0, or -1 when out of memory.
 */
int findings_scan(struct findings *fd, const struct rule_set *rs, struct rule_scratch *sc,
    enum rule_field field, enum case_kind kind, const char **text, struct arena *owner);

/* Every text field of an incident, redacting keys in place (inc->mem). */
int findings_incident(struct findings *fd, const struct rule_set *rs, struct rule_scratch *sc,
    struct incident *inc);

/* noise_fn for the store: ctx is the rule set. */
int findings_noise(void *ctx, const char *type, const char *value);

#endif
