/*
 * main.c — the aimcase command line: one table of subcommands.
 *
 * How to add a command: write `int cli_x(int argc, char **argv, const char
 * *db)` (declared in cli.h), add a row below, document it in README.md.
 * --db PATH (default $AIMCASE_DB, else aimcase.db) is accepted by every
 * command and taken out before the command runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "store.h"

struct command {
	const char *name;
	const char *sub;	/* second word, or NULL */
	int (*fn)(int argc, char **argv, const char *db);
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{ "init", NULL, cli_init, "init",
	    "create the database, or migrate it to this version; idempotent" },
	{ "serve", NULL, cli_serve,
	    "serve [--bind ADDR] [--port N] [--web DIR] [--threads N] [--tls-cert F --tls-key F]",
	    "serve the API and the web UI (default 127.0.0.1:8080); SIGINT/SIGTERM stop it" },
	{ "user", "add", cli_user_add, "user add NAME --role ROLE [--password-stdin]",
	    "create a user (investigator, prosecutor, supervisor); password read from stdin" },
	{ "user", "role", cli_user_role, "user role NAME --role ROLE",
	    "change a user's role (audited); it applies from their next request" },
	{ "user", "mfa", cli_user_mfa, "user mfa NAME [--remove]",
	    "enroll a second factor (TOTP): prints the secret and an otpauth:// URI once" },
	{ "token", "create", cli_token_create, "token create NAME",
	    "print a new API bearer token for the user (only its hash is stored)" },
	{ "import", NULL, cli_import, "import --case REF [--as USER] FILE...",
	    "import evidence manifests (DFXML); - reads stdin; one summary line per file" },
	{ "import-incidents", NULL, cli_import_incidents,
	    "import-incidents [--as USER] [--rules DIR] FILE...",
	    "file incident reports, one JSON object per line (NDJSON); - reads stdin" },
	{ "search", NULL, cli_search, "search QUERY [--limit N] [--offset N] [--json] [--as USER]",
	    "the same search as GET /api/search, with USER's visibility" },
	{ "rules", "check", cli_rules_check, "rules check PATH...",
	    "validate rule packs (a directory or files); every problem as file:line" },
	{ "rules", "test", cli_rules_test, "rules test PATH...",
	    "validate rule packs and run every rule's own match/no-match examples" },
	{ "rescan", NULL, cli_rescan, "rescan [--rule ID] [--rules DIR]",
	    "run the rules again over every stored document (retro-hunt)" },
	{ "hashset", "import", cli_hashset_import,
	    "hashset import NAME --kind known-bad|known-good FILE",
	    "load a hash set: one hex MD5, SHA-1 or SHA-256 per line" },
	{ "audit", "verify", cli_audit_verify, "audit verify",
	    "check the audit log's hash chain; exit 0 only when intact (prints the head hash)" },
	{ "audit", "export", cli_audit_export,
	    "audit export [--case REF] [--user NAME] [--after T] [--before T] [--out FILE]",
	    "the audit entries as JSON lines, oldest first (for a SIEM)" },
	{ "demo", NULL, cli_demo, "demo [--fixtures DIR] [serve options]",
	    "fill a fresh database from fixtures/, print demo logins, then serve" },
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: aimcase COMMAND [--db PATH] [ARGS]\n\n"
	    "Case management for criminal enforcement against AI misuse.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  aimcase %s\n      %s\n", commands[i].usage, commands[i].help);
	fprintf(out, "\n--db PATH selects the database (default: $AIMCASE_DB, else aimcase.db).\n"
	    "Exit status: 0 success, 1 usage error, 2 rejected input, 3 other failure.\n");
}

/*
 * Say what is wrong with the command words when name is a command with
 * subcommands (and list them): 1, else 0.
 */
static int
bad_subcommand(const char *name, const char *sub)
{
	int said = 0;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].sub == NULL || strcmp(commands[i].name, name) != 0)
			continue;
		if (!said && sub != NULL)
			fprintf(stderr, "aimcase: unknown subcommand '%.80s' of %s\nusage:\n", sub,
			    name);
		else if (!said)
			fprintf(stderr, "aimcase: %s needs a subcommand\nusage:\n", name);
		fprintf(stderr, "  aimcase %s\n", commands[i].usage);
		said = 1;
	}
	return said;
}

int
main(int argc, char **argv)
{
	const char *db = getenv("AIMCASE_DB");
	const struct command *cmd = NULL;
	int n = 0, skip, help = 0;
	char **args;

	if (db == NULL || db[0] == '\0')
		db = "aimcase.db";
	if ((args = calloc((size_t)argc + 1, sizeof(*args))) == NULL)
		return CLI_FAILED;
	/* Take --db and --help out, keep the rest in order. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 || strncmp(argv[i], "--db=", 5) == 0) {
			db = argv[i][4] == '=' ? argv[i] + 5 : i + 1 < argc ? argv[++i] : "";
			if (db[0] == '\0') {
				/* SQLite would open a private temporary database: nothing kept */
				fprintf(stderr, "aimcase: --db needs a path\n");
				free(args);
				return CLI_USAGE;
			}
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help = 1;
		} else {
			args[n++] = argv[i];
		}
	}
	for (size_t i = 0; n > 0 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->name, args[0]) == 0 &&
		    (c->sub == NULL || (n > 1 && strcmp(c->sub, args[1]) == 0))) {
			cmd = c;
			break;
		}
	}
	if (cmd == NULL) {
		if (n > 0 && !help && bad_subcommand(args[0], n > 1 ? args[1] : NULL)) {
			free(args);
			return CLI_USAGE;
		}
		if (n > 0 && !help)
			fprintf(stderr, "aimcase: unknown command '%.80s'\n", args[0]);
		usage(help && n == 0 ? stdout : stderr);
		free(args);
		return help && n == 0 ? CLI_OK : CLI_USAGE;
	}
	if (help) {
		printf("usage: aimcase %s [--db PATH]\n\n%s\n", cmd->usage, cmd->help);
		free(args);
		return CLI_OK;
	}
	store_global_init();
	if (auth_init() != 0) {
		fprintf(stderr, "aimcase: cannot initialise libsodium\n");
		free(args);
		return CLI_FAILED;
	}
	skip = cmd->sub != NULL ? 2 : 1;
	n = cmd->fn(n - skip, args + skip, db);
	free(args);
	return n;
}
