/*
 * cli_import.c — `aimcase import --case REF [--as USER] FILE...`
 *
 * Each file is one manifest and one transaction, read once: its bytes are
 * parsed, stored as evidence and kept as the original in the same pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aim_time.h"
#include "cli.h"
#include "import.h"

#define READ_CHUNK (256 * 1024)

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress(const char *name, const struct manifest_meta *m, off_t total, double t0)
{
	double dt = seconds() - t0;

	fprintf(stderr, "\r%s: %llu entries, %.1f MB/s", name, (unsigned long long)m->items,
	    dt > 0 ? (double)m->bytes / 1e6 / dt : 0.0);
	if (total > 0)
		fprintf(stderr, ", %.0f%%", 100.0 * (double)m->bytes / (double)total);
	fprintf(stderr, "   ");
}

/* Import one file (fd); prints its summary or error; returns a cli_status. */
static int
import_one(struct store *s, const struct aim_user *u, const char *ref, const char *obj_dir,
    int fd, const char *name)
{
	struct manifest_limits lim;
	struct aim_fault f = { 0 };
	struct import_job j;
	struct stat sb;
	char *buf = malloc(READ_CHUNK);
	json_t *reply = NULL;
	int tty = isatty(STDERR_FILENO), already = 0, rc = CLI_FAILED;
	double t0 = seconds(), last = t0, dt;
	off_t total = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? sb.st_size : 0;
	ssize_t n;
	enum aim_err e;

	manifest_limits_default(&lim);
	if (buf == NULL)
		return CLI_FAILED;
	e = import_job_start(&j, s, u, ref, obj_dir, &lim, aim_time_now(), &f);
	while (e == AIM_OK && (n = read(fd, buf, READ_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = aim_fault_set(&f, AIM_EIO, NULL, "read error: %s", strerror(errno));
			break;
		}
		e = import_job_feed(&j, buf, (size_t)n, &f);
		if (tty && seconds() - last > 0.25) {
			progress(name, import_job_meta(&j), total, t0);
			last = seconds();
		}
	}
	if (e == AIM_OK && (e = import_job_end(&j, &f)) == AIM_OK &&
	    (e = import_job_keep(&j, &f)) == AIM_OK)
		e = import_job_commit(&j, j.sha256, aim_time_now(), &reply, &already, &f);
	if (tty)
		fprintf(stderr, "\r\033[K");
	dt = seconds() - t0;
	if (e != AIM_OK) {
		/* parser messages start with "line:col: ", others get a space */
		fprintf(stderr, "%s:%s%s\n", name, f.msg[0] >= '0' && f.msg[0] <= '9' ? "" : " ",
		    f.msg[0] != '\0' ? f.msg : aim_strerror(e));
		rc = e == AIM_EIO || e == AIM_EDB || e == AIM_ENOMEM || e == AIM_EBUSY ?
		    CLI_FAILED : CLI_REJECTED;
	} else if (already) {
		json_t *m = json_object_get(reply, "manifest");

		printf("%s: already imported as manifest %lld in %s (sha256 %s); nothing added\n",
		    name, (long long)json_integer_value(json_object_get(m, "id")),
		    json_string_value(json_object_get(m, "case_ref")), j.sha256);
		rc = CLI_OK;
	} else {
		const struct manifest_meta *m = import_job_meta(&j);

		printf("%s: %llu entries (%llu sanitised) into %s as manifest %lld, sha256 %s,"
		    " %lld hash matches, %.2f s, %.0f entries/s\n", name,
		    (unsigned long long)m->items, (unsigned long long)m->sanitised, ref,
		    (long long)json_integer_value(json_object_get(json_object_get(reply, "manifest"),
		    "id")), j.sha256,
		    (long long)json_integer_value(json_object_get(reply, "hash_matches")), dt,
		    dt > 0 ? (double)m->items / dt : 0.0);
		rc = CLI_OK;
	}
	json_decref(reply);
	import_job_release(&j);
	free(buf);
	return rc;
}

int
cli_import(int argc, char **argv, const char *db)
{
	const char *ref = NULL, *as = getenv("USER");
	char obj_dir[4096];
	struct aim_user u;
	struct store *s;
	int nfiles = 0, worst = CLI_OK;

	for (int i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "--case") == 0 || strcmp(argv[i], "--as") == 0) &&
		    i + 1 < argc) {
			*(argv[i][2] == 'c' ? &ref : &as) = argv[i + 1];
			argv[i] = argv[i + 1] = NULL;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "aimcase: import: unknown option '%s'\n", argv[i]);
			return CLI_USAGE;
		} else {
			nfiles++;
		}
	}
	if (ref == NULL || nfiles == 0 || as == NULL) {
		fprintf(stderr, "usage: aimcase import --case REF [--as USER] FILE...\n");
		return CLI_USAGE;
	}
	if ((s = cli_store_open(db)) == NULL)
		return CLI_FAILED;
	if (cli_user_find(s, as, &u) != 0) {
		store_close(s);
		return CLI_REJECTED;
	}
	obj_dir_for_db(db, obj_dir, sizeof(obj_dir));
	for (int i = 0; i < argc; i++) {
		int std, fd, rc;

		if (argv[i] == NULL)
			continue;
		std = strcmp(argv[i], "-") == 0;
		fd = std ? STDIN_FILENO : open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "%s: cannot open: %s\n", argv[i], strerror(errno));
			worst = CLI_FAILED;
			continue;
		}
		rc = import_one(s, &u, ref, obj_dir, fd, std ? "<stdin>" : argv[i]);
		if (!std)
			close(fd);
		if (rc > worst)
			worst = rc;
	}
	store_close(s);
	return worst;
}
