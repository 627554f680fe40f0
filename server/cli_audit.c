/*
 * cli_audit.c — `aimcase audit verify` and `aimcase audit export`, and the
 * entries the CLI's own commands append (cli_audit).
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aim_time.h"
#include "cli.h"

void
cli_audit(struct store *s, const char *as, const char *action, const char *object,
    const char *case_ref, const char *detail, int outcome)
{
	const struct passwd *pw = getpwuid(geteuid());
	char actor[80];
	struct audit_rec r = { .at = aim_time_now(), .action = action, .object = object,
		.case_ref = case_ref, .detail = detail, .outcome = outcome, .address = "local" };

	/* who ran it: the aimcase user acted as, and the account on this machine */
	snprintf(actor, sizeof(actor), "%s%s%s", as != NULL ? as : "",
	    as != NULL ? "@" : "os:", pw != NULL ? pw->pw_name : "?");
	r.actor = actor;
	if (store_audit_append(s, &r, 1) != AIM_OK)
		fprintf(stderr, "aimcase: warning: the audit entry of %s could not be written\n",
		    action);
}

int
cli_audit_verify(int argc, char **argv, const char *db)
{
	struct audit_check c;
	struct store *s;
	enum aim_err e;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: aimcase audit verify\n");
		return CLI_USAGE;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	e = store_audit_verify(s, &c);
	store_close(s);
	if (e != AIM_OK) {
		fprintf(stderr, "aimcase: audit verify: cannot read the audit log (%s)\n",
		    aim_err_code(e));
		return CLI_FAILED;
	}
	if (c.bad_id != 0) {
		printf("audit log BROKEN at %s (%lld entries read)\n", c.reason,
		    (long long)c.entries);
		return CLI_REJECTED;
	}
	printf("audit log intact: %lld entries, head %s\n", (long long)c.entries,
	    c.head[0] != '\0' ? c.head : "(empty)");
	return CLI_OK;
}

static int
print_line(void *ctx, json_t *entry)
{
	return json_dumpf(entry, ctx, JSON_COMPACT) != 0 || fputc('\n', ctx) == EOF;
}

int
cli_audit_export(int argc, char **argv, const char *db)
{
	static const char usage[] = "usage: aimcase audit export [--case REF] [--user NAME]"
	    " [--after TIME] [--before TIME] [--out FILE]\n";
	struct audit_filter flt = { 0 };
	const char *out = NULL;
	FILE *fp = stdout;
	struct store *s;
	enum aim_err e;
	char detail[160];

	for (int k = 0; k < argc; k += 2) {
		int64_t *t = strcmp(argv[k], "--after") == 0 ? &flt.after :
		    strcmp(argv[k], "--before") == 0 ? &flt.before : NULL;

		if (k + 1 >= argc) {
			fputs(usage, stderr);
			return CLI_USAGE;
		}
		if (t != NULL) {
			if (aim_time_parse(argv[k + 1], t) != 0) {
				fprintf(stderr, "aimcase: audit export: %s %s: not an RFC 3339 time\n",
				    argv[k], argv[k + 1]);
				return CLI_REJECTED;
			}
		} else if (strcmp(argv[k], "--case") == 0) {
			flt.case_ref = argv[k + 1];
		} else if (strcmp(argv[k], "--user") == 0) {
			flt.actor = argv[k + 1];
		} else if (strcmp(argv[k], "--out") == 0) {
			out = argv[k + 1];
		} else {
			fputs(usage, stderr);
			return CLI_USAGE;
		}
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	if (out != NULL && (fp = fopen(out, "w")) == NULL) {
		perror(out);
		store_close(s);
		return CLI_FAILED;
	}
	e = store_audit_each(s, &flt, print_line, fp);
	if (fflush(fp) != 0 || (out != NULL && fsync(fileno(fp)) != 0))
		e = AIM_EIO;
	if (out != NULL && fclose(fp) != 0)
		e = AIM_EIO;
	snprintf(detail, sizeof(detail), "to %s", out != NULL ? out : "stdout");
	cli_audit(s, NULL, "cli audit export", NULL, flt.case_ref, detail, e == AIM_OK ? 0 : 3);
	store_close(s);
	if (e != AIM_OK) {
		fprintf(stderr, "aimcase: audit export: %s\n", e == AIM_EIO ? "cannot write the output" :
		    aim_err_code(e));
		return CLI_FAILED;
	}
	return CLI_OK;
}
