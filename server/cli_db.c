/*
 * cli_db.c — commands that work on the database directly: init, user add,
 * token create, import-incidents.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "aim_time.h"
#include "auth.h"
#include "cli.h"
#include "filing.h"
#include "incident.h"
#include "json_io.h"

#define NDJSON_LINE_MAX (1 << 20)

struct store *
cli_store_open(const char *db)
{
	struct aim_fault f = { 0 };
	struct store *s = store_open(db, &f);

	if (s == NULL)
		fprintf(stderr, "aimcase: %s\n", f.msg);
	return s;
}

int
cli_user_find(struct store *s, const char *name, struct aim_user *u)
{
	enum aim_err e = store_user_get(s, name, u, NULL, 0);

	if (e == AIM_OK)
		return 0;
	if (e == AIM_ENOTFOUND)
		fprintf(stderr, "aimcase: no user %s\n", name);
	else
		fprintf(stderr, "aimcase: cannot look up user %s: %s\n", name, aim_strerror(e));
	return -1;
}

int
cli_init(int argc, char **argv, const char *db)
{
	struct store *s;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "aimcase: init takes no arguments\n");
		return CLI_USAGE;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	printf("%s: schema version %d\n", db, store_schema_version(s));
	store_close(s);
	return CLI_OK;
}

/* Read one line of password from stdin (no echo on a terminal). */
static int
read_password(char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "password: ");
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		}
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] != '\n' && !feof(stdin))
		return -1;	/* longer than the buffer */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

int
cli_user_add(int argc, char **argv, const char *db)
{
	const char *name = NULL, *role_s = NULL;
	char password[AUTH_PASSWORD_MAX + 2], hash[AUTH_HASH_LEN];
	struct aim_fault f = { 0 };
	enum aim_role role;
	struct store *s;
	int rc = CLI_FAILED;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role_s = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			continue;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else {
			fprintf(stderr, "aimcase: user add: unexpected argument '%s'\n", argv[i]);
			return CLI_USAGE;
		}
	}
	if (name == NULL || role_s == NULL) {
		fprintf(stderr, "usage: aimcase user add NAME --role ROLE [--password-stdin]\n");
		return CLI_USAGE;
	}
	if (role_parse(role_s, &role) != 0) {
		fprintf(stderr, "aimcase: user add: role must be investigator, prosecutor or "
		    "supervisor, not '%s'\n", role_s);
		return CLI_REJECTED;
	}
	if (strlen(name) > USERNAME_MAX || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-")
	    != strlen(name)) {
		fprintf(stderr, "aimcase: user add: a name is 1 to %d of a-z 0-9 . _ -\n",
		    USERNAME_MAX);
		return CLI_REJECTED;
	}
	if (read_password(password, sizeof(password)) != 0 ||
	    strlen(password) < AUTH_PASSWORD_MIN) {
		fprintf(stderr, "aimcase: user add: the password must be %d to %d characters\n",
		    AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		sodium_memzero(password, sizeof(password));
		return CLI_REJECTED;
	}
	if (auth_password_hash(password, hash) != 0) {
		sodium_memzero(password, sizeof(password));
		fprintf(stderr, "aimcase: user add: cannot hash the password (out of memory)\n");
		return CLI_FAILED;
	}
	sodium_memzero(password, sizeof(password));
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	if (store_user_add(s, name, role, hash, aim_time_now(), &f) == AIM_OK) {
		fprintf(stderr, "aimcase: user %s (%s) added\n", name, role_name(role));
		rc = CLI_OK;
	} else {
		fprintf(stderr, "aimcase: user add: %s\n", f.msg);
		rc = f.err == AIM_ECONFLICT ? CLI_REJECTED : CLI_FAILED;
	}
	cli_audit(s, NULL, "cli user add", name, NULL, role_name(role), rc);
	store_close(s);
	return rc;
}

int
cli_user_role(int argc, char **argv, const char *db)
{
	enum aim_role role, old = ROLE_NONE;
	char detail[64];
	struct store *s;
	enum aim_err e;
	int rc;

	if (argc != 3 || argv[0][0] == '-' || strcmp(argv[1], "--role") != 0) {
		fprintf(stderr, "usage: aimcase user role NAME --role ROLE\n");
		return CLI_USAGE;
	}
	if (role_parse(argv[2], &role) != 0) {
		fprintf(stderr, "aimcase: user role: role must be investigator, prosecutor or "
		    "supervisor, not '%s'\n", argv[2]);
		return CLI_REJECTED;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	e = store_user_set_role(s, argv[0], role, &old);
	rc = e == AIM_OK ? CLI_OK : e == AIM_ENOTFOUND ? CLI_REJECTED : CLI_FAILED;
	snprintf(detail, sizeof(detail), "%s -> %s", e == AIM_OK ? role_name(old) : "?",
	    role_name(role));
	cli_audit(s, NULL, "cli user role", argv[0], NULL, detail, rc);
	store_close(s);
	if (e == AIM_ENOTFOUND)
		fprintf(stderr, "aimcase: user role: no user %s\n", argv[0]);
	else if (e != AIM_OK)
		fprintf(stderr, "aimcase: user role: %s\n", aim_strerror(e));
	else
		fprintf(stderr, "aimcase: %s is now %s (was %s)%s\n", argv[0], role_name(role),
		    role_name(old), role == ROLE_SUPERVISOR ? "; a supervisor needs a second factor"
		    " (aimcase user mfa)" : "");
	return rc;
}

int
cli_token_create(int argc, char **argv, const char *db)
{
	char token[AUTH_TOKEN_LEN];
	unsigned char th[32];
	struct store *s;
	enum aim_err e;

	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: aimcase token create NAME\n");
		return CLI_USAGE;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	auth_token_new("aim_", token, sizeof(token));
	auth_token_hash(token, th);
	e = store_token_add(s, argv[0], th, aim_time_now());
	cli_audit(s, NULL, "cli token create", argv[0], NULL, NULL, e == AIM_OK ? CLI_OK :
	    e == AIM_ENOTFOUND ? CLI_REJECTED : CLI_FAILED);
	store_close(s);
	if (e == AIM_ENOTFOUND) {
		fprintf(stderr, "aimcase: token create: no user %s\n", argv[0]);
		return CLI_REJECTED;
	}
	if (e != AIM_OK) {
		fprintf(stderr, "aimcase: token create: %s\n", aim_strerror(e));
		return CLI_FAILED;
	}
	printf("%s\n", token);
	return CLI_OK;
}

/*
 * One NDJSON line: parse and validate into inc (caller inits and releases);
 * with s non-NULL also file it.  Prints "name:line: message" on error.
 */
static int
ndjson_line(struct store *s, const struct cli_rules *cr, const struct aim_user *user,
    const char *text, size_t len, const char *name, long lineno, struct incident *inc)
{
	struct aim_fault f = { 0 };
	json_t *doc, *reply = NULL;
	int replayed, rc = CLI_REJECTED;

	if ((doc = json_body_parse(text, len, &f)) == NULL) {
		fprintf(stderr, "%s:%ld: %s\n", name, lineno, f.msg);
		return CLI_REJECTED;
	}
	if (incident_from_json(doc, aim_time_now(), inc, &f) != AIM_OK) {
		fprintf(stderr, "%s:%ld: %s\n", name, lineno, f.msg);
		goto out;
	}
	rc = CLI_OK;
	if (s == NULL)
		goto out;
	if (filing_submit(s, cr->rs, cr->sc, user, inc, NULL, aim_time_now(), &reply, &replayed,
	    &f) != AIM_OK) {
		fprintf(stderr, "%s:%ld: %s\n", name, lineno, f.msg);
		rc = f.err == AIM_ENOTFOUND || f.err == AIM_ECONFLICT ? CLI_REJECTED : CLI_FAILED;
		goto out;
	}
	printf("%s:%ld: filed incident %lld in %s, %zu flags\n", name, lineno,
	    (long long)json_integer_value(json_object_get(reply, "id")),
	    json_string_value(json_object_get(json_object_get(reply, "case"), "ref")),
	    json_array_size(json_object_get(reply, "flags")));
out:
	json_decref(reply);
	json_decref(doc);
	return rc;
}

/* Run every line of in through ndjson_line; the worst status. */
static int
ndjson_pass(struct store *s, const struct cli_rules *cr, const struct aim_user *user, FILE *in,
    const char *name, long *count)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int worst = CLI_OK;

	*count = 0;
	while ((len = getline(&line, &cap, in)) >= 0) {
		struct incident inc;
		int rc;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;	/* blank lines are allowed */
		if (len > NDJSON_LINE_MAX) {
			fprintf(stderr, "%s:%ld: line longer than %d bytes\n", name, lineno,
			    NDJSON_LINE_MAX);
			worst = CLI_REJECTED;
			continue;
		}
		incident_init(&inc);
		rc = ndjson_line(s, cr, user, line, (size_t)len, name, lineno, &inc);
		incident_release(&inc);
		if (rc == CLI_OK)
			(*count)++;
		else if (rc > worst)
			worst = rc;
		if (s != NULL && rc != CLI_OK)
			break;	/* filing stops at the first failure */
	}
	if (ferror(in)) {
		fprintf(stderr, "%s: read error\n", name);
		worst = CLI_FAILED;
	}
	free(line);
	return worst;
}

int
cli_file_ndjson(struct store *s, const struct cli_rules *cr, const struct aim_user *user,
    FILE *in, const char *name, long *filed)
{
	long valid = 0;
	int rc;

	*filed = 0;
	rc = ndjson_pass(NULL, cr, user, in, name, &valid);
	if (rc != CLI_OK) {
		fprintf(stderr, "%s: rejected, nothing filed\n", name);
		return rc;
	}
	if (fseek(in, 0, SEEK_SET) != 0) {
		fprintf(stderr, "%s: cannot read it twice\n", name);
		return CLI_FAILED;
	}
	return ndjson_pass(s, cr, user, in, name, filed);
}

/* A stream that is not a regular file, copied to a temporary one so that it can be read twice. */
static FILE *
spool(FILE *in)
{
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;

	if (tmp == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, tmp) != n) {
			fclose(tmp);
			return NULL;
		}
	if (ferror(in) || fflush(tmp) != 0) {
		fclose(tmp);
		return NULL;
	}
	rewind(tmp);
	return tmp;
}

/* Open an NDJSON input ("-" is stdin) so that it can be read twice. */
static FILE *
open_twice(const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r"), *copy;
	struct stat sb;

	if (in == NULL || (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode)))
		return in;
	copy = spool(in);
	if (in != stdin)
		fclose(in);
	return copy;
}

int
cli_import_incidents(int argc, char **argv, const char *db)
{
	const char *as = getenv("USER"), *rules = NULL;
	struct cli_work w;
	int nfiles = 0, rc = CLI_OK;

	for (int i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "--as") == 0 || strcmp(argv[i], "--rules") == 0) &&
		    i + 1 < argc) {
			*(argv[i][2] == 'a' ? &as : &rules) = argv[i + 1];
			i++;
			argv[i - 1] = argv[i] = NULL;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "aimcase: import-incidents: unknown option '%s'\n", argv[i]);
			return CLI_USAGE;
		} else {
			nfiles++;
		}
	}
	if (nfiles == 0 || as == NULL) {
		fprintf(stderr, "usage: aimcase import-incidents [--as USER] [--rules DIR] FILE...\n");
		return CLI_USAGE;
	}
	if ((rc = cli_work_open(&w, db, rules, as)) != CLI_OK)
		return rc;
	for (int i = 0; i < argc && rc == CLI_OK; i++) {
		int std = argv[i] != NULL && strcmp(argv[i], "-") == 0;
		FILE *in;
		long filed = 0;
		char detail[512];

		if (argv[i] == NULL)
			continue;
		in = open_twice(argv[i]);
		if (in == NULL) {
			fprintf(stderr, "%s: cannot open\n", std ? "<stdin>" : argv[i]);
			rc = CLI_FAILED;
			break;
		}
		rc = cli_file_ndjson(w.s, &w.cr, &w.user, in, std ? "<stdin>" : argv[i], &filed);
		if (in != stdin)
			fclose(in);
		printf("%s: %ld incidents filed\n", std ? "<stdin>" : argv[i], filed);
		snprintf(detail, sizeof(detail), "%s: %ld incidents filed", std ? "<stdin>" : argv[i],
		    filed);
		cli_audit(w.s, w.user.username, "cli import-incidents", NULL, NULL, detail, rc);
	}
	cli_work_close(&w);
	return rc;
}
