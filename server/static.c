/*
 * static.c — the web UI's files and the health check.
 *
 * Files are served only from the web directory: a path with an empty, "."
 * or ".." segment, or a hidden name, is 404; only regular files are served
 * (never a listing); symbolic links are not followed at the last step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"

#define STATIC_PATH_MAX 512

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot != NULL)
		for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
			if (strcmp(dot, mime_types[i].ext) == 0)
				return mime_types[i].type;
	return "application/octet-stream";
}

/* A relative path inside the web directory, or -1 if it could leave it. */
static int
safe_path(const char *url, char *out, size_t len)
{
	const char *p = url;

	if (*p != '/')
		return -1;
	p++;
	if (*p == '\0')
		p = "index.html";
	if (strlen(p) >= len)
		return -1;
	for (const char *seg = p; *seg != '\0';) {
		size_t n = strcspn(seg, "/");

		if (n == 0 || seg[0] == '.')
			return -1;	/* empty, ".", "..", hidden */
		seg += n;
		if (*seg == '/')
			seg++;
	}
	if (strchr(p, '\\') != NULL)
		return -1;
	snprintf(out, len, "%s", p);
	return 0;
}

enum aim_err
api_static(struct request *rq, struct aim_fault *f)
{
	char rel[STATIC_PATH_MAX];
	struct stat sb;
	int dir = -1, fd = -1;
	enum aim_err e = AIM_ENOTFOUND;

	(void)f;
	if (rq->cfg->web_dir == NULL || safe_path(rq->url, rel, sizeof(rel)) != 0)
		return AIM_ENOTFOUND;
	if ((dir = open(rq->cfg->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return AIM_ENOTFOUND;
	fd = openat(dir, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return errno == ENOENT || errno == ELOOP || errno == ENOTDIR ? AIM_ENOTFOUND :
		    AIM_EIO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		goto out;
	rq->resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (rq->resp == NULL) {
		e = AIM_ENOMEM;
		goto out;
	}
	fd = -1;		/* the response owns it now */
	MHD_add_response_header(rq->resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(rel));
	MHD_add_response_header(rq->resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	rq->status = 200;
	rq->resp_len = (size_t)sb.st_size;
	e = AIM_OK;
out:
	if (fd >= 0)
		close(fd);
	return e;
}

enum aim_err
api_healthz(struct request *rq, struct aim_fault *f)
{
	static const char ok[] = "ok\n";

	(void)f;
	rq->resp = MHD_create_response_from_buffer(sizeof(ok) - 1, (void *)ok,
	    MHD_RESPMEM_PERSISTENT);
	if (rq->resp == NULL)
		return AIM_ENOMEM;
	MHD_add_response_header(rq->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	rq->status = 200;
	rq->resp_len = sizeof(ok) - 1;
	return AIM_OK;
}
