/*
 * routes.c — every URL of aimcase, in one table.
 *
 * How to add a route: write the handler (api_*.c, declared in api.h), add a
 * row below with the least role that may call it and its flags, add its
 * tests under tests/api/, and document it in docs/api.md.  Rows are tried in
 * order; the catch-all static row stays last.
 */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "api.h"

static const struct route routes[] = {
	/* method, path, handler, upload handler (streaming body), least role, flags */
	{ "POST", "/api/session", api_session_open, NULL, ROLE_NONE, R_PUBLIC | R_JSON | R_NO_CSRF },
	{ "GET", "/api/session", api_session_show, NULL, ROLE_INVESTIGATOR, 0 },
	{ "DELETE", "/api/session", api_session_close, NULL, ROLE_INVESTIGATOR, 0 },
	{ "POST", "/api/incidents", api_incident_file, NULL, ROLE_INVESTIGATOR, R_JSON },
	{ "GET", "/api/incidents/{id}", api_incident_show, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/cases", api_case_list, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/cases/{ref}", api_case_show, NULL, ROLE_INVESTIGATOR, 0 },
	{ "PATCH", "/api/cases/{ref}", api_case_patch, NULL, ROLE_PROSECUTOR, R_JSON },
	{ "POST", "/api/cases/{ref}/notes", api_note_add, NULL, ROLE_PROSECUTOR, R_JSON },
	{ "GET", "/api/cases/{ref}/evidence", api_evidence_list, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/cases/{ref}/links", api_case_links, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/dashboard", api_dashboard, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/users", api_user_list, NULL, ROLE_PROSECUTOR, 0 },
	{ "GET", "/api/search", api_search, NULL, ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/rules", api_rules_list, NULL, ROLE_INVESTIGATOR, 0 },
	{ "POST", "/api/rescan", api_rescan, NULL, ROLE_SUPERVISOR, 0 },
	{ "GET", "/api/audit", api_audit_list, NULL, ROLE_SUPERVISOR, 0 },
	{ "GET", "/api/audit/verify", api_audit_verify, NULL, ROLE_SUPERVISOR, 0 },
	{ "POST", "/api/cases/{ref}/manifests", api_manifest_done, api_manifest_chunk,
	    ROLE_INVESTIGATOR, 0 },
	{ "GET", "/api/manifests/{id}/original", api_manifest_original, NULL, ROLE_INVESTIGATOR,
	    0 },
	{ "GET", "/healthz", api_healthz, NULL, ROLE_NONE, R_PUBLIC },
	{ "HEAD", "/healthz", api_healthz, NULL, ROLE_NONE, R_PUBLIC },
	{ "GET", "/*", api_static, NULL, ROLE_NONE, R_PUBLIC },
	{ "HEAD", "/*", api_static, NULL, ROLE_NONE, R_PUBLIC },
};

/* Match path against pattern, copying {…} segments into param. */
static int
match(const char *pattern, const char *path, char param[][ROUTE_PARAM_LEN])
{
	const char *p = pattern, *u = path;
	int n = 0;

	if (strcmp(pattern, "/*") == 0)
		return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0;
	while (*p != '\0' && *u != '\0') {
		if (*p == '{') {
			size_t len = strcspn(u, "/");

			if (len == 0 || len >= ROUTE_PARAM_LEN || n >= ROUTE_PARAMS)
				return 0;
			memcpy(param[n], u, len);
			param[n++][len] = '\0';
			u += len;
			p = strchr(p, '}');
			if (p == NULL)
				return 0;
			p++;
			continue;
		}
		if (*p++ != *u++)
			return 0;
	}
	return *p == '\0' && *u == '\0';
}

enum route_match
routes_match(const char *method, const char *path, const struct route **out,
    char param[][ROUTE_PARAM_LEN], char *allow, size_t allow_len)
{
	char scratch[ROUTE_PARAMS][ROUTE_PARAM_LEN];
	size_t used = 0;
	int path_found = 0;

	*out = NULL;
	allow[0] = '\0';
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];

		if (!match(r->pattern, path, scratch))
			continue;
		if (strcmp(r->method, method) == 0) {
			*out = r;
			memcpy(param, scratch, sizeof(scratch));
			return ROUTE_FOUND;
		}
		path_found = 1;
		if (strstr(allow, r->method) == NULL) {
			int w = snprintf(allow + used, allow_len - used, "%s%s",
			    used != 0 ? ", " : "", r->method);

			if (w > 0 && (size_t)w < allow_len - used)
				used += (size_t)w;
		}
	}
	return path_found ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}
