/*
 * cli_search.c — `aimcase search QUERY [--limit N] [--offset N] [--json] [--as USER]`:
 * the same search as GET /api/search, with that user's visibility.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_io.h"
#include "search.h"
#include "validate.h"

int
cli_search(int argc, char **argv, const char *db)
{
	struct search_request sr = { .kind = -1, .status = -1, .limit = 20 };
	const char *as = getenv("USER");
	struct aim_fault f = { 0 };
	struct aim_user u;
	struct store *s;
	json_t *out = NULL, *h;
	int json = 0, rc = CLI_OK;
	int64_t n;
	size_t i;

	for (int k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "--as") == 0 && k + 1 < argc)
			as = argv[++k];
		else if ((strcmp(argv[k], "--limit") == 0 || strcmp(argv[k], "--offset") == 0) &&
		    k + 1 < argc && v_int64(argv[k + 1], argv[k][2] == 'l' ? 1 : 0,
		    argv[k][2] == 'l' ? 100 : 10000, &n) == 0)
			*(argv[k][2] == 'l' ? &sr.limit : &sr.offset) = n, k++;
		else if (sr.q == NULL && argv[k][0] != '-')
			sr.q = argv[k];
		else {
			fprintf(stderr, "usage: aimcase search QUERY [--limit N] [--offset N] [--json]"
			    " [--as USER]\n");
			return CLI_USAGE;
		}
	}
	if (sr.q == NULL || as == NULL) {
		fprintf(stderr, "usage: aimcase search QUERY [--limit N] [--offset N] [--json]"
		    " [--as USER]\n");
		return CLI_USAGE;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	if (cli_user_find(s, as, &u) != 0) {
		store_close(s);
		return CLI_REJECTED;
	}
	/* evidence imported since the server last ran is indexed first */
	do {
		if (store_search_catch_up(s, 50000, &n) != AIM_OK)
			break;
	} while (n == 50000);
	if (search_run(s, &u, &sr, &out, &f) != AIM_OK) {
		fprintf(stderr, "aimcase: search: %s\n", f.msg[0] != '\0' ? f.msg : "failed");
		rc = f.err == AIM_EINVAL || f.err == AIM_EMISSING ? CLI_REJECTED : CLI_FAILED;
	} else if (json) {
		char *text = json_dumps(out, JSON_INDENT(2) | JSON_REAL_DIGITS);

		printf("%s\n", text != NULL ? text : "");
		free(text);
	} else {
		printf("%lld hits (%.1f ms)\n",
		    (long long)json_integer_value(json_object_get(out, "total")),
		    json_real_value(json_object_get(out, "took_ms")));
		json_array_foreach(json_object_get(out, "hits"), i, h)
			printf("%s  %s:%lld  %.2f  %s\n",
			    json_string_value(json_object_get(h, "case_ref")),
			    json_string_value(json_object_get(h, "type")),
			    (long long)json_integer_value(json_object_get(h, "id")),
			    json_real_value(json_object_get(h, "score")),
			    json_string_value(json_object_get(h, "title")));
	}
	{
		char detail[512];

		snprintf(detail, sizeof(detail), "q=%.400s total=%lld", sr.q,
		    (long long)json_integer_value(json_object_get(out, "total")));
		cli_audit(s, u.username, "cli search", NULL, NULL, detail, rc);
	}
	json_decref(out);
	store_close(s);
	return rc;
}
