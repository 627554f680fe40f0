#include "model.h"

#include <string.h>

static const char *const role_names[] = {
	[ROLE_NONE] = "none",
	[ROLE_INVESTIGATOR] = "investigator",
	[ROLE_PROSECUTOR] = "prosecutor",
	[ROLE_SUPERVISOR] = "supervisor",
};
_Static_assert(sizeof(role_names) / sizeof(role_names[0]) == ROLE__MAX, "roles");

static const char *const kind_names[] = {
	[KIND_AI_INTRUSION] = "ai_intrusion",
	[KIND_TAKE_IT_DOWN] = "take_it_down",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == KIND__MAX, "kinds");

static const char *const status_names[] = {
	[STATUS_OPEN] = "open",
	[STATUS_INVESTIGATING] = "investigating",
	[STATUS_CHARGED] = "charged",
	[STATUS_CLOSED] = "closed",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == STATUS__MAX,
    "statuses");

static int
name_lookup(const char *const *names, int n, int first, const char *s)
{
	if (s == NULL)
		return -1;
	for (int i = first; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
role_name(enum aim_role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "none";
}

int
role_parse(const char *s, enum aim_role *out)
{
	int i = name_lookup(role_names, ROLE__MAX, ROLE_INVESTIGATOR, s);

	if (i < 0)
		return -1;
	*out = (enum aim_role)i;
	return 0;
}

const char *
kind_name(enum case_kind k)
{
	return (unsigned)k < KIND__MAX ? kind_names[k] : "unknown";
}

int
kind_parse(const char *s, enum case_kind *out)
{
	int i = name_lookup(kind_names, KIND__MAX, 0, s);

	if (i < 0)
		return -1;
	*out = (enum case_kind)i;
	return 0;
}

const char *
status_name(enum case_status st)
{
	return (unsigned)st < STATUS__MAX ? status_names[st] : "unknown";
}

int
status_parse(const char *s, enum case_status *out)
{
	int i = name_lookup(status_names, STATUS__MAX, 0, s);

	if (i < 0)
		return -1;
	*out = (enum case_status)i;
	return 0;
}

void
incident_init(struct incident *inc)
{
	memset(inc, 0, sizeof(*inc));
	inc->occurred_at = NO_TIME;
	inc->loss_cents = NO_AMOUNT;
	arena_init(&inc->mem, 0);
}

void
incident_release(struct incident *inc)
{
	if (inc == NULL)
		return;
	arena_release(&inc->mem);
}
