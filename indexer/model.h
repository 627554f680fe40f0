/*
 * model — the typed values that cross from validation into the store.
 *
 * Handlers never pass raw request text to the store: they validate it into
 * these structs first (server/incident.c does it for incidents).  Strings in
 * a struct incident are owned by its arena (inc->mem) and live until
 * incident_release().
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum aim_role {
	ROLE_NONE = 0,
	ROLE_INVESTIGATOR = 1,
	ROLE_PROSECUTOR = 2,
	ROLE_SUPERVISOR = 3,
	ROLE__MAX
};

/* "investigator", …; "none" for ROLE_NONE.  Static storage. */
const char *role_name(enum aim_role r);
/* Parse a role name; 0 and *out set, or -1. */
int role_parse(const char *s, enum aim_role *out);

/* Who is asking: every store read and write is done on someone's behalf. */
struct aim_user {
	int64_t id;
	enum aim_role role;
	char username[64];
};

#define USERNAME_MAX 63

enum case_kind {
	KIND_AI_INTRUSION = 0,
	KIND_TAKE_IT_DOWN = 1,
	KIND__MAX
};

const char *kind_name(enum case_kind k);
int kind_parse(const char *s, enum case_kind *out);

enum case_status {
	STATUS_OPEN = 0,
	STATUS_INVESTIGATING,
	STATUS_CHARGED,
	STATUS_CLOSED,
	STATUS__MAX
};

const char *status_name(enum case_status st);
int status_parse(const char *s, enum case_status *out);

/* A list of strings (owned by the incident's arena). */
struct strlist {
	size_t n;
	const char **v;
};

struct platform {
	const char *name;
	const char *url;	/* NULL when absent */
	int64_t requested_at;	/* -1 when absent */
	int64_t removed_at;	/* -1 when absent */
};

#define NO_TIME ((int64_t)-1)
#define NO_AMOUNT ((int64_t)-1)

struct incident {
	enum case_kind kind;
	const char *title;
	const char *narrative;
	int64_t occurred_at;	/* NO_TIME when absent */
	const char *case_ref;	/* NULL: open a new case */

	/* ai_intrusion */
	const char *target_system, *target_owner, *access_vector;
	const char *agent, *model, *data_accessed;
	int64_t loss_cents;	/* NO_AMOUNT when absent */
	struct strlist ips, user_agents, accounts, domains;

	/* take_it_down */
	int victim_minor, threat_only;
	const char *depiction;
	struct platform *platforms;
	size_t n_platforms;
	struct strlist content_hashes;

	struct arena mem;	/* owns every string above */
};

/* Zero the incident and start its arena. */
void incident_init(struct incident *inc);
/* Free what the incident's arena holds; NULL is a no-op. */
void incident_release(struct incident *inc);

/* Changes to a case (PATCH); a NULL / negative member means "unchanged". */
struct case_patch {
	int set_status;
	enum case_status status;
	int set_assignee;
	const char *assignee;	/* username; NULL with set_assignee: unassign */
	const char *title;
};

/* A flag raised by a rule on a text, as the store keeps it. */
struct flag_rec {
	const char *rule_id, *severity, *field, *description;
	const char *excerpt;	/* never a key in clear */
	int64_t start, end;	/* bytes, in the stored text */
	unsigned count;
	int limit;		/* the rule hit a PCRE2 limit here */
	int64_t platform;	/* index of the platform or list entry, or -1 */
};

/* An indicator taken from a text by a rule: type, normalized value, "rule:ID". */
struct ind_rec {
	const char *type, *value, *source;
};

/* What the rules found in a document, handed to the store with it. */
struct doc_findings {
	struct flag_rec *flags;
	size_t n_flags;
	struct ind_rec *inds;
	size_t n_inds;
};

/* Link scoring asks whether a value is noise (never links): 1 if so. */
typedef int (*noise_fn)(void *ctx, const char *type, const char *value);

#endif
