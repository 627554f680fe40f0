/*
 * cli_serve.c — `aimcase serve` and `aimcase demo`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "aim_time.h"
#include "auth.h"
#include "cli.h"
#include "totp.h"
#include "http.h"
#include "objstore.h"
#include "rules_live.h"
#include "validate.h"

#define JSON_MAX_DEFAULT (1u << 20)

/* 1 when s is an IPv4 or IPv6 address (what the daemon can listen on). */
static int
is_ip_address(const char *s)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1;
}

/* Parse serve's options into cfg; -1 (usage printed) on a bad one. */
static int
serve_options(int argc, char **argv, struct srv_config *cfg, const char **fixtures,
    const char **rules)
{
	int64_t v;

	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (val == NULL || o[0] != '-') {
			fprintf(stderr, "aimcase: unexpected argument '%.80s'\n", o);
			return -1;
		}
		i++;
		if (strcmp(o, "--bind") == 0 && is_ip_address(val))
			cfg->bind = val;
		else if (strcmp(o, "--web") == 0)
			cfg->web_dir = val;
		else if (strcmp(o, "--tls-cert") == 0)
			cfg->tls_cert = val;
		else if (strcmp(o, "--tls-key") == 0)
			cfg->tls_key = val;
		else if (strcmp(o, "--rules") == 0)
			*rules = val;
		else if (strcmp(o, "--fixtures") == 0 && fixtures != NULL)
			*fixtures = val;
		else if (strcmp(o, "--port") == 0 && v_int64(val, 0, 65535, &v) == 0)
			cfg->port = (unsigned)v;
		else if (strcmp(o, "--threads") == 0 && v_int64(val, 1, 256, &v) == 0)
			cfg->threads = (unsigned)v;
		else if (strcmp(o, "--max-manifest-bytes") == 0 &&
		    v_int64(val, 1024, INT64_MAX, &v) == 0)
			cfg->manifest.max_bytes = (uint64_t)v;
		else if (strcmp(o, "--max-manifest-entries") == 0 &&
		    v_int64(val, 1, INT64_MAX, &v) == 0)
			cfg->manifest.max_entries = (uint64_t)v;
		else {
			fprintf(stderr, "aimcase: bad option %.80s %.80s%s\n", o, val,
			    strcmp(o, "--bind") == 0 ? ": not an IPv4 or IPv6 address" : "");
			return -1;
		}
	}
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		fprintf(stderr, "aimcase: --tls-cert and --tls-key go together\n");
		return -1;
	}
	return 0;
}

static void
serve_defaults(struct srv_config *cfg, const char *db)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->db_path = db;
	cfg->bind = "127.0.0.1";
	cfg->port = 8080;
	cfg->web_dir = NULL;	/* --web, else ./web (serve_web_dir) */
	/*
	 * Requests do not hold a thread while their write or audit entry waits
	 * for the group commit (the connection is suspended), so threads are
	 * for CPU work: 2 per core (2 cores, quick bench: 4 threads 24,325 case
	 * views/s and 811 filings/s, 16 threads 24,590 and 794).
	 */
	cfg->threads = n > 1 && n < 32 ? (unsigned)n * 2 : 4;
	cfg->json_max = JSON_MAX_DEFAULT;
	manifest_limits_default(&cfg->manifest);
}

/*
 * The web UI's directory: --web must name one that can be opened (else -1,
 * printed); without --web, ./web when there is one, else the API only.
 */
static int
serve_web_dir(struct srv_config *cfg)
{
	struct stat sb;
	int fd;

	if (cfg->web_dir == NULL) {
		if (stat("web", &sb) == 0 && S_ISDIR(sb.st_mode))
			cfg->web_dir = "web";
		else
			fprintf(stderr, "aimcase: no web directory (--web DIR): the API only\n");
		return 0;
	}
	if ((fd = open(cfg->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "aimcase: --web %.200s: %s\n", cfg->web_dir, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Open the database once before serving (creates or migrates the schema),
 * load the rules (broken packs stop the start), then serve.
 */
static int
serve_start(struct srv_config *cfg, const char *rules)
{
	struct store *s = cli_store_open(cfg->db_path);
	struct rules_live rl;
	char objects[4096];
	struct stat sb;
	int rc, swept;

	if (s == NULL)
		return CLI_FAILED;
	store_close(s);
	/* what an upload cut by a crash left behind (never an acknowledged manifest) */
	obj_dir_for_db(cfg->db_path, objects, sizeof(objects));
	if ((swept = obj_sweep(objects)) > 0)
		fprintf(stderr, "aimcase: removed %d unfinished upload%s from %s\n", swept,
		    swept == 1 ? "" : "s", objects);
	if (rules == NULL && (rules = getenv("AIMCASE_RULES")) == NULL &&
	    stat("rules/packs", &sb) == 0 && S_ISDIR(sb.st_mode))
		rules = "rules/packs";
	if (rules == NULL)
		fprintf(stderr, "aimcase: no rule packs (--rules DIR): nothing will be flagged\n");
	if (rules_live_init(&rl, rules) != 0)
		return CLI_REJECTED;
	cfg->rules = &rl;
	rc = srv_run(cfg) == 0 ? CLI_OK : CLI_FAILED;
	rules_live_release(&rl);
	return rc;
}

int
cli_serve(int argc, char **argv, const char *db)
{
	struct srv_config cfg;
	const char *rules = NULL;

	serve_defaults(&cfg, db);
	if (serve_options(argc, argv, &cfg, NULL, &rules) != 0)
		return CLI_USAGE;
	if (serve_web_dir(&cfg) != 0)
		return CLI_REJECTED;
	return serve_start(&cfg, rules);
}

static const struct {
	const char *name;
	enum aim_role role;
} demo_users[] = {
	{ "ivy", ROLE_INVESTIGATOR },
	{ "ian", ROLE_INVESTIGATOR },
	{ "paula", ROLE_PROSECUTOR },
	{ "pat", ROLE_PROSECUTOR },
	{ "sam", ROLE_SUPERVISOR },
};

#define DEMO_USERS (sizeof(demo_users) / sizeof(demo_users[0]))
#define DEMO_PASSWORD_LEN 17

/*
 * Create the demo users with fresh random passwords, written into pw; the
 * supervisor gets a second factor, its base32 secret written into totp.
 */
static int
demo_add_users(struct store *s, char pw[][DEMO_PASSWORD_LEN], char *totp, size_t totp_len)
{
	char hash[AUTH_HASH_LEN], token[AUTH_TOKEN_LEN];
	unsigned char secret[TOTP_SECRET_LEN];
	struct aim_fault f = { 0 };

	for (size_t i = 0; i < DEMO_USERS; i++) {
		auth_token_new("", token, sizeof(token));
		memcpy(pw[i], token, DEMO_PASSWORD_LEN - 1);	/* 96 random bits */
		pw[i][DEMO_PASSWORD_LEN - 1] = '\0';
		if (auth_password_hash(pw[i], hash) != 0 ||
		    store_user_add(s, demo_users[i].name, demo_users[i].role, hash,
		    aim_time_now(), &f) != AIM_OK) {
			fprintf(stderr, "aimcase: demo: %s\n", f.msg[0] ? f.msg : "out of memory");
			return -1;
		}
		if (demo_users[i].role == ROLE_SUPERVISOR) {
			totp_new_secret(secret);
			if (store_user_set_totp(s, demo_users[i].name, secret, sizeof(secret)) !=
			    AIM_OK || totp_base32(secret, sizeof(secret), totp, totp_len) != 0) {
				fprintf(stderr, "aimcase: demo: cannot enroll a second factor\n");
				return -1;
			}
			sodium_memzero(secret, sizeof(secret));
		}
	}
	return 0;
}

/* File fixtures/incidents/<user>.ndjson as each demo user. */
static int
demo_load(struct store *s, const struct cli_rules *cr, const char *fixtures)
{
	char path[1024];
	long filed, total = 0;

	for (size_t i = 0; i < DEMO_USERS; i++) {
		struct aim_user u;
		FILE *in;
		int rc;

		snprintf(path, sizeof(path), "%s/incidents/%s.ndjson", fixtures, demo_users[i].name);
		if ((in = fopen(path, "r")) == NULL)
			continue;
		if (cli_user_find(s, demo_users[i].name, &u) != 0) {
			fclose(in);
			return -1;
		}
		rc = cli_file_ndjson(s, cr, &u, in, path, &filed);
		fclose(in);
		if (rc != CLI_OK)
			return -1;
		total += filed;
	}
	fprintf(stderr, "aimcase: demo: %ld incidents filed from %s\n", total, fixtures);
	return 0;
}

int
cli_demo(int argc, char **argv, const char *db)
{
	const char *fixtures = "fixtures", *rules = NULL;
	char pw[DEMO_USERS][DEMO_PASSWORD_LEN], totp[64] = "";
	struct srv_config cfg;
	struct cli_rules cr;
	struct store *s;
	int64_t cases = 0;
	int rc;

	serve_defaults(&cfg, db);
	if (serve_options(argc, argv, &cfg, &fixtures, &rules) != 0)
		return CLI_USAGE;
	if (serve_web_dir(&cfg) != 0)
		return CLI_REJECTED;
	if (cli_rules_open(&cr, rules) != 0)
		return CLI_REJECTED;
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	if (store_case_count(s, &cases) != AIM_OK || cases != 0) {
		fprintf(stderr, "aimcase: demo: %s is not a fresh database (%lld cases);"
		    " give a new --db path\n", db, (long long)cases);
		store_close(s);
		cli_rules_close(&cr);
		return CLI_REJECTED;
	}
	rc = demo_add_users(s, pw, totp, sizeof(totp)) != 0 || demo_load(s, &cr, fixtures) != 0;
	store_close(s);
	cli_rules_close(&cr);
	if (rc != 0)
		return CLI_FAILED;
	printf("\naimcase demo: http://%s:%u/  (database %s)\n\n  %-8s %-13s %s\n", cfg.bind,
	    cfg.port, db, "user", "role", "password");
	for (size_t i = 0; i < DEMO_USERS; i++)
		printf("  %-8s %-13s %s\n", demo_users[i].name, role_name(demo_users[i].role),
		    pw[i]);
	printf("\nSupervisors log in with a one-time code as well: add the secret %s to an\n"
	    "authenticator app, or run `oathtool --totp -b %s`.\n", totp, totp);
	printf("\nStop with Ctrl-C.\n\n");
	fflush(stdout);
	sodium_memzero(pw, sizeof(pw));
	return serve_start(&cfg, rules);
}
