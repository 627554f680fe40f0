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
#include "reader.h"

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

/* Print the outcome of one file; returns its cli_status. */
static int
report(const char *name, const char *ref, enum aim_err e, const struct aim_fault *f,
    const struct manifest_meta *m, const char *sha, const json_t *reply, int already, double dt)
{
	const json_t *man = json_object_get(reply, "manifest");

	if (e != AIM_OK) {
		/* parser messages start with "line:col: ", others get a space */
		fprintf(stderr, "%s:%s%s\n", name, f->msg[0] >= '0' && f->msg[0] <= '9' ? "" : " ",
		    f->msg[0] != '\0' ? f->msg : aim_strerror(e));
		return e == AIM_EIO || e == AIM_EDB || e == AIM_ENOMEM || e == AIM_EBUSY ?
		    CLI_FAILED : CLI_REJECTED;
	}
	if (already) {
		printf("%s: already imported as manifest %lld in %s (sha256 %s); nothing added\n",
		    name, (long long)json_integer_value(json_object_get(man, "id")),
		    json_string_value(json_object_get(man, "case_ref")), sha);
		return CLI_OK;
	}
	printf("%s: %llu entries (%llu sanitised) into %s as manifest %lld, sha256 %s,"
	    " %lld hash matches, %.2f s, %.0f entries/s\n", name, (unsigned long long)m->items,
	    (unsigned long long)m->sanitised, ref,
	    (long long)json_integer_value(json_object_get(man, "id")), sha,
	    (long long)json_integer_value(json_object_get(reply, "hash_matches")), dt,
	    dt > 0 ? (double)m->items / dt : 0.0);
	return CLI_OK;
}

/*
 * Import one file (fd) in one pass: a reader thread keeps and hashes the
 * original while this thread parses and stores.  Returns a cli_status.
 */
static int
import_one(struct store *s, const struct cli_rules *cr, const struct aim_user *u,
    const char *ref, const char *obj_dir, int fd, const char *name)
{
	struct manifest_limits lim;
	struct aim_fault f = { 0 };
	struct import_job j;
	struct obj_writer *orig = NULL;
	struct reader *rd = NULL;
	struct stat sb;
	json_t *reply = NULL;
	const char *chunk;
	char sha[OBJ_HASH_LEN] = "";
	int tty = isatty(STDERR_FILENO), already = 0, rc;
	double t0 = seconds(), last = t0;
	off_t total = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? sb.st_size : 0;
	ssize_t n;
	enum aim_err e;

	manifest_limits_default(&lim);
	e = import_job_start(&j, s, u, ref, NULL, &lim, aim_time_now(), &f);
	import_job_rules(&j, cr->rs, cr->sc);
	if (e == AIM_OK && ((orig = obj_writer_new(obj_dir, &f)) == NULL ||
	    (rd = reader_start(fd, orig)) == NULL))
		e = f.err != AIM_OK ? f.err : aim_fault_set(&f, AIM_ENOMEM, NULL, "out of memory");
	while (e == AIM_OK && (n = reader_next(rd, &chunk)) != 0) {
		if (n < 0) {
			e = aim_fault_set(&f, AIM_EIO, NULL, "cannot read it or keep its copy: %s",
			    strerror(errno));
			break;
		}
		e = import_job_feed(&j, chunk, (size_t)n, &f);
		if (tty && seconds() - last > 0.25) {
			progress(name, import_job_meta(&j), total, t0);
			last = seconds();
		}
	}
	reader_free(rd);
	if (e == AIM_OK && (e = import_job_end(&j, &f)) == AIM_OK) {
		obj_writer_hash(orig, sha);
		if (obj_writer_keep(orig) != AIM_OK)
			e = aim_fault_set(&f, AIM_EIO, NULL, "cannot keep the original: %s",
			    strerror(errno));
		else
			e = import_job_commit(&j, sha, aim_time_now(), &reply, &already, &f);
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	rc = report(name, ref, e, &f, import_job_meta(&j), sha, reply, already, seconds() - t0);
	json_decref(reply);
	import_job_release(&j);
	obj_writer_free(orig);
	return rc;
}

static int
is_dir(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
cli_import(int argc, char **argv, const char *db)
{
	const char *ref = NULL, *as = getenv("USER"), *rules = NULL;
	struct cli_work w;
	char obj_dir[4096];
	int nfiles = 0, worst = CLI_OK;

	for (int i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "--case") == 0 || strcmp(argv[i], "--as") == 0 ||
		    strcmp(argv[i], "--rules") == 0) && i + 1 < argc) {
			*(argv[i][2] == 'c' ? &ref : argv[i][2] == 'a' ? &as : &rules) = argv[i + 1];
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
		fprintf(stderr, "usage: aimcase import --case REF [--as USER] [--rules DIR] FILE...\n");
		return CLI_USAGE;
	}
	if ((worst = cli_work_open(&w, db, rules, as)) != CLI_OK)
		return worst;
	obj_dir_for_db(db, obj_dir, sizeof(obj_dir));
	for (int i = 0; i < argc; i++) {
		int std, fd, rc;

		if (argv[i] == NULL)
			continue;
		std = strcmp(argv[i], "-") == 0;
		fd = std ? STDIN_FILENO : open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || is_dir(fd)) {
			fprintf(stderr, "%s: cannot open: %s\n", std ? "<stdin>" : argv[i],
			    fd < 0 ? strerror(errno) : "is a directory");
			if (fd >= 0 && !std)
				close(fd);
			worst = CLI_FAILED;
			continue;
		}
		rc = import_one(w.s, &w.cr, &w.user, ref, obj_dir, fd, std ? "<stdin>" : argv[i]);
		if (!std)
			close(fd);
		cli_audit(w.s, w.user.username, "cli import", NULL, ref, std ? "<stdin>" : argv[i], rc);
		if (rc > worst)
			worst = rc;
	}
	cli_work_close(&w);
	return worst;
}
