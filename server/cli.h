/*
 * cli — the subcommands of the aimcase binary (table in server/main.c).
 *
 * Each command gets its arguments after the command words, with --db
 * already taken out (db is borrowed), and returns the exit status:
 * CLI_OK, CLI_USAGE (bad usage), CLI_REJECTED (bad input), CLI_FAILED.
 * Errors go to stderr, one line each, "file:line: message" for input files.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "model.h"
#include "rule.h"
#include "store.h"

enum cli_status {
	CLI_OK = 0,
	CLI_USAGE = 1,
	CLI_REJECTED = 2,
	CLI_FAILED = 3,
};

/* cli_db.c */
int cli_init(int argc, char **argv, const char *db);
int cli_user_add(int argc, char **argv, const char *db);
int cli_user_role(int argc, char **argv, const char *db);
/* cli_mfa.c */
int cli_user_mfa(int argc, char **argv, const char *db);
int cli_token_create(int argc, char **argv, const char *db);
int cli_import_incidents(int argc, char **argv, const char *db);

/* cli_rules.c */
int cli_rules_check(int argc, char **argv, const char *db);
int cli_rules_test(int argc, char **argv, const char *db);
int cli_rescan(int argc, char **argv, const char *db);
int cli_hashset_import(int argc, char **argv, const char *db);

/*
 * The rules a command runs: from dir, else $AIMCASE_RULES, else
 * rules/packs when it exists (else none).  Problems are printed.
 */
struct cli_rules {
	struct rule_set *rs;
	struct rule_scratch *sc;
};
/* 0, or -1 (problems printed) when the packs are broken. */
int cli_rules_open(struct cli_rules *cr, const char *dir);
void cli_rules_close(struct cli_rules *cr);

/*
 * What a command that files or imports works with: the rules of rules_dir
 * (cli_rules_open), the database, and the user called as.  Returns a
 * cli_status; on CLI_OK close it with cli_work_close().
 */
struct cli_work {
	struct cli_rules cr;
	struct store *s;
	struct aim_user user;
};
int cli_work_open(struct cli_work *w, const char *db, const char *rules_dir, const char *as);
void cli_work_close(struct cli_work *w);

/* cli_audit.c */
int cli_audit_verify(int argc, char **argv, const char *db);
int cli_audit_export(int argc, char **argv, const char *db);
/*
 * Append the audit entry of a CLI command: action ("cli import"), object,
 * case and detail may be NULL; as is the aimcase user acted as (or NULL);
 * the machine account is recorded too.  A failure is a warning on stderr.
 */
void cli_audit(struct store *s, const char *as, const char *action, const char *object,
    const char *case_ref, const char *detail, int outcome);

/* cli_search.c */
int cli_search(int argc, char **argv, const char *db);

/* cli_import.c */
int cli_import(int argc, char **argv, const char *db);

/* cli_serve.c */
int cli_serve(int argc, char **argv, const char *db);
int cli_demo(int argc, char **argv, const char *db);

/* Helpers shared by the commands (cli_db.c). */
/* Open the database, printing the error; NULL on failure.  Owned. */
struct store *cli_store_open(const char *db);
/*
 * File every incident of an NDJSON stream as user: all lines are checked
 * first, and nothing is filed unless every line is valid.  name is used in
 * messages; *filed counts what was stored.  Returns a cli_status.
 */
int cli_file_ndjson(struct store *s, const struct cli_rules *cr, const struct aim_user *user,
    FILE *in, const char *name, long *filed);
/* The user called name, printing an error if there is none; 0 or -1. */
int cli_user_find(struct store *s, const char *name, struct aim_user *u);

#endif
