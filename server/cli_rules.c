/*
 * cli_rules.c — `aimcase rules check|test`, `aimcase rescan`,
 * `aimcase hashset import`, and the rules the other commands run.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aim_time.h"
#include "cli.h"
#include "rescan.h"
#include "rules_live.h"
#include "validate.h"

#define DEFAULT_RULES "rules/packs"
#define HASHSET_MAX 10000000

int
cli_rules_open(struct cli_rules *cr, const char *dir)
{
	struct rule_errors errs = { 0 };
	struct stat sb;

	memset(cr, 0, sizeof(*cr));
	if (dir == NULL)
		dir = getenv("AIMCASE_RULES");
	if (dir == NULL || dir[0] == '\0') {
		if (stat(DEFAULT_RULES, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return 0;	/* no rules here: nothing is flagged */
		dir = DEFAULT_RULES;
	}
	if ((cr->rs = rule_set_load(dir, &errs)) == NULL) {
		rules_print_errors(&errs);
		fprintf(stderr, "aimcase: the rules in %s are refused\n", dir);
		rule_errors_free(&errs);
		return -1;
	}
	if ((cr->sc = rule_scratch_new()) == NULL) {
		rule_set_unref(cr->rs);
		cr->rs = NULL;
		return -1;
	}
	return 0;
}

void
cli_rules_close(struct cli_rules *cr)
{
	rule_scratch_free(cr->sc);
	rule_set_unref(cr->rs);
	memset(cr, 0, sizeof(*cr));
}

int
cli_work_open(struct cli_work *w, const char *db, const char *rules_dir, const char *as)
{
	memset(w, 0, sizeof(*w));
	if (cli_rules_open(&w->cr, rules_dir) != 0)
		return CLI_REJECTED;
	if ((w->s = cli_store_open(db)) == NULL) {
		cli_rules_close(&w->cr);
		return CLI_FAILED;
	}
	if (cli_user_find(w->s, as, &w->user) != 0) {
		cli_work_close(w);
		return CLI_REJECTED;
	}
	return CLI_OK;
}

void
cli_work_close(struct cli_work *w)
{
	store_close(w->s);
	w->s = NULL;
	cli_rules_close(&w->cr);
}

/* check (and with test, run the examples of) every PATH; problems as file:line. */
static int
rules_run(int argc, char **argv, int test)
{
	size_t problems = 0, rules = 0;

	if (argc == 0) {
		fprintf(stderr, "usage: aimcase rules %s PATH...\n", test ? "test" : "check");
		return CLI_USAGE;
	}
	for (int i = 0; i < argc; i++) {
		struct rule_errors errs = { 0 };
		struct rule_set *rs = rule_set_load(argv[i], &errs);

		if (rs != NULL && test)
			(void)rule_set_test(rs, &errs);
		rules_print_errors(&errs);
		problems += errs.n;
		if (rs != NULL)
			rules += rule_set_count(rs);
		rule_errors_free(&errs);
		rule_set_unref(rs);
	}
	if (problems != 0) {
		fprintf(stderr, "aimcase: %zu problem%s\n", problems, problems == 1 ? "" : "s");
		return CLI_REJECTED;
	}
	printf("%zu rules %s\n", rules, test ? "checked, every example passes" : "checked");
	return CLI_OK;
}

int
cli_rules_check(int argc, char **argv, const char *db)
{
	(void)db;
	return rules_run(argc, argv, 0);
}

int
cli_rules_test(int argc, char **argv, const char *db)
{
	(void)db;
	return rules_run(argc, argv, 1);
}

int
cli_rescan(int argc, char **argv, const char *db)
{
	const char *rule = NULL, *dir = NULL;
	struct cli_rules cr;
	struct store *s;
	int64_t docs = 0, flags = 0;
	enum aim_err e;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--rule") == 0 && i + 1 < argc)
			rule = argv[++i];
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			dir = argv[++i];
		else {
			fprintf(stderr, "usage: aimcase rescan [--rule ID] [--rules DIR]\n");
			return CLI_USAGE;
		}
	}
	if (cli_rules_open(&cr, dir) != 0)
		return CLI_REJECTED;
	if (cr.rs == NULL || (rule != NULL && rule_set_find(cr.rs, rule) == NULL)) {
		fprintf(stderr, "aimcase: rescan: %s\n", cr.rs == NULL ? "no rules to run" :
		    "no such rule in the packs");
		cli_rules_close(&cr);
		return CLI_REJECTED;
	}
	if ((s = cli_store_open(db)) == NULL) {
		cli_rules_close(&cr);
		return CLI_FAILED;
	}
	e = rescan_run(s, cr.rs, cr.sc, rule, aim_time_now(), &docs, &flags);
	cli_audit(s, NULL, "cli rescan", rule, NULL, NULL, e == AIM_OK ? CLI_OK : CLI_FAILED);
	store_close(s);
	cli_rules_close(&cr);
	if (e != AIM_OK) {
		fprintf(stderr, "aimcase: rescan: %s\n", aim_strerror(e));
		return CLI_FAILED;
	}
	printf("rescanned %lld documents: %lld flags\n", (long long)docs, (long long)flags);
	return CLI_OK;
}

/* One line of a hash list: hex of 32, 40 or 64 digits, lower-cased in place. */
static int
hash_line(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (n != 32 && n != 40 && n != 64)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		s[i] = (char)tolower((unsigned char)s[i]);
	}
	return 0;
}

int
cli_hashset_import(int argc, char **argv, const char *db)
{
	const char *name = NULL, *kind = NULL, *file = NULL;
	struct aim_fault f = { 0 };
	char **values = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;
	long lineno = 0;
	int rc = CLI_REJECTED;
	struct store *s;
	FILE *in;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc)
			kind = argv[++i];
		else if (name == NULL)
			name = argv[i];
		else if (file == NULL)
			file = argv[i];
		else
			name = NULL;	/* too many */
	}
	if (name == NULL || file == NULL || kind == NULL ||
	    (strcmp(kind, "known-bad") != 0 && strcmp(kind, "known-good") != 0)) {
		fprintf(stderr, "usage: aimcase hashset import NAME --kind known-bad|known-good FILE\n");
		return CLI_USAGE;
	}
	/* the name goes into a rule id: hashset.known-bad.NAME */
	if (v_rule_id(name, RULE_ID_MAX - strlen(HASHSET_RULE_PREFIX)) != 0) {
		fprintf(stderr, "hash set name: 1 to %zu of a-z, 0-9, '.', '_' and '-' (it becomes"
		    " part of the rule id " HASHSET_RULE_PREFIX "NAME)\n",
		    RULE_ID_MAX - strlen(HASHSET_RULE_PREFIX));
		return CLI_REJECTED;
	}
	if ((in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r")) == NULL) {
		fprintf(stderr, "%s: cannot open\n", file);
		return CLI_FAILED;
	}
	while (getline(&line, &lcap, in) >= 0) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (hash_line(line) != 0) {
			fprintf(stderr, "%s:%ld: not an MD5, SHA-1 or SHA-256 in hexadecimal\n", file,
			    lineno);
			goto out;
		}
		if (n == cap) {
			size_t nc = cap != 0 ? cap * 2 : 1024;
			char **nv = n < HASHSET_MAX ? realloc(values, nc * sizeof(*nv)) : NULL;

			if (nv == NULL) {
				fprintf(stderr, "%s:%ld: too many hashes\n", file, lineno);
				goto out;
			}
			values = nv;
			cap = nc;
		}
		if ((values[n] = strdup(line)) == NULL) {
			fprintf(stderr, "aimcase: out of memory\n");
			rc = CLI_FAILED;
			goto out;
		}
		n++;
	}
	if (ferror(in)) {
		/* a directory (EISDIR) or a read error: not the end of the list */
		fprintf(stderr, "%s: cannot read: %s\n", file, strerror(errno));
		rc = CLI_FAILED;
		goto out;
	}
	if ((s = cli_store_open(db)) == NULL) {
		rc = CLI_FAILED;
		goto out;
	}
	if (store_hashset_import(s, name, kind, (const char *const *)values, n, aim_time_now(),
	    &f) != AIM_OK) {
		fprintf(stderr, "aimcase: %s\n", f.msg);
		rc = CLI_FAILED;
	} else {
		printf("hash set %s (%s): %zu hashes\n", name, kind, n);
		rc = CLI_OK;
	}
	cli_audit(s, NULL, "cli hashset import", name, NULL, kind, rc);
	store_close(s);
out:
	for (size_t i = 0; i < n; i++)
		free(values[i]);
	free(values);
	free(line);
	if (in != stdin)
		fclose(in);
	return rc;
}
