#include "objstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

struct obj_writer {
	char dir[4096];
	char tmp[4200];
	char hex[OBJ_HASH_LEN];
	int fd;
	int kept;
	crypto_hash_sha256_state sha;
};

void
obj_dir_for_db(const char *db_path, char *out, size_t len)
{
	int n = snprintf(out, len, "%s.objects", db_path);

	if (n < 0 || (size_t)n >= len)
		out[0] = '\0';
}

struct obj_writer *
obj_writer_new(const char *dir, struct aim_fault *f)
{
	struct obj_writer *w = calloc(1, sizeof(*w));
	int n;

	if (w == NULL) {
		aim_fault_set(f, AIM_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	w->fd = -1;
	n = snprintf(w->dir, sizeof(w->dir), "%s", dir);
	if (n <= 0 || (size_t)n >= sizeof(w->dir) ||
	    snprintf(w->tmp, sizeof(w->tmp), "%s/.upload-XXXXXX", dir) <= 0) {
		aim_fault_set(f, AIM_EIO, NULL, "object directory path too long");
		goto fail;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		aim_fault_set(f, AIM_EIO, NULL, "cannot create %s: %s", dir, strerror(errno));
		goto fail;
	}
	if ((w->fd = mkstemp(w->tmp)) < 0) {
		aim_fault_set(f, AIM_EIO, NULL, "cannot create a file in %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	/* held while the file is written: obj_sweep() leaves a locked upload alone */
	if (flock(w->fd, LOCK_EX | LOCK_NB) != 0) {
		aim_fault_set(f, AIM_EIO, NULL, "cannot lock %s: %s", w->tmp, strerror(errno));
		goto fail;
	}
	crypto_hash_sha256_init(&w->sha);
	return w;
fail:
	w->tmp[0] = '\0';
	obj_writer_free(w);
	return NULL;
}

enum aim_err
obj_writer_write(struct obj_writer *w, const void *buf, size_t len)
{
	const char *p = buf;

	crypto_hash_sha256_update(&w->sha, buf, len);
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return AIM_EIO;
		p += n;
		len -= (size_t)n;
	}
	return AIM_OK;
}

void
obj_writer_hash(struct obj_writer *w, char hex[OBJ_HASH_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final(&w->sha, h);
	sodium_bin2hex(w->hex, sizeof(w->hex), h, sizeof(h));
	memcpy(hex, w->hex, OBJ_HASH_LEN);
}

const char *
obj_writer_path(const struct obj_writer *w)
{
	return w->tmp;
}

enum aim_err
obj_writer_keep(struct obj_writer *w)
{
	char final[4200];
	int dfd;

	if (w->hex[0] == '\0' || fsync(w->fd) != 0)
		return AIM_EIO;
	if (snprintf(final, sizeof(final), "%s/%s", w->dir, w->hex) <= 0 ||
	    rename(w->tmp, final) != 0)
		return AIM_EIO;
	w->kept = 1;
	if ((dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return AIM_EIO;
	if (fsync(dfd) != 0) {
		close(dfd);
		return AIM_EIO;
	}
	close(dfd);
	return AIM_OK;
}

void
obj_writer_free(struct obj_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (!w->kept && w->tmp[0] != '\0')
		unlink(w->tmp);
	free(w);
}

int
obj_open(const char *dir, const char *hex)
{
	char path[4200];

	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", dir, hex) <= 0)
		return -1;
	return open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

int
obj_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		int fd;

		if (strncmp(de->d_name, ".upload-", 8) != 0)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* nobody writes it any more (a writer holds the lock until it is done) */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 && unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
		close(fd);
	}
	closedir(d);
	return n;
}
