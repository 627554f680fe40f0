/*
 * api_evidence.c — manifest uploads, their originals, the evidence listing.
 *
 * An upload streams: each chunk goes to the original's file (hashed as it
 * goes) and through the parser, which checks the manifest without touching
 * the database.  Once the body is complete and valid, a repeat (same
 * SHA-256) answers 200 with "already_imported"; otherwise the kept original
 * is imported in one transaction and the answer is 201.
 *
 * An Idempotency-Key makes retries safe, as for incidents (the same table,
 * the same store functions): the request is the case and the SHA-256 of the
 * bytes, and a repeat gets the first answer, whose status follows from its
 * body (200 when "already_imported", else 201).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "auth.h"
#include "case_ref.h"
#include "import.h"
#include "validate.h"

#define EVIDENCE_DEFAULT 50
#define EVIDENCE_MAX 500
#define EVIDENCE_Q_MAX 512
#define IDEM_KEY_MAX 200

struct upload {
	struct import_job job;
	char obj_dir[4096];
	int started;
};

static void
upload_free(void *p)
{
	struct upload *u = p;

	if (u == NULL)
		return;
	import_job_release(&u->job);
	free(u);
}

/* The {ref} of the path if it is a case the user may see, else NULL. */
static const char *
visible_ref(struct request *rq, enum aim_err *e)
{
	int y, n;

	if (case_ref_parse(rq->param[0], &y, &n) != 0) {
		*e = AIM_ENOTFOUND;
		return NULL;
	}
	*e = store_case_visible(rq->store, &rq->user, rq->param[0]);
	return *e == AIM_OK ? rq->param[0] : NULL;
}

static enum aim_err
upload_start(struct request *rq, struct aim_fault *f)
{
	const char *key = srv_header(rq, "Idempotency-Key");
	struct upload *u;
	enum aim_err e;

	if (key != NULL && v_token_chars(key, IDEM_KEY_MAX) != 0)
		return aim_fault_set(f, AIM_EINVAL, "Idempotency-Key",
		    "Idempotency-Key: 1 to 200 printable ASCII characters");
	if (visible_ref(rq, &e) == NULL)
		return e;
	if ((u = calloc(1, sizeof(*u))) == NULL)
		return AIM_ENOMEM;
	rq->upload_state = u;
	rq->upload_free = upload_free;
	obj_dir_for_db(rq->cfg->db_path, u->obj_dir, sizeof(u->obj_dir));
	u->started = 1;
	return import_job_start(&u->job, NULL, &rq->user, rq->param[0], u->obj_dir,
	    &rq->cfg->manifest, rq->now, f);
}

enum aim_err
api_manifest_chunk(struct request *rq, const char *data, size_t len, struct aim_fault *f)
{
	struct upload *u = rq->upload_state;
	enum aim_err e;

	if (u == NULL) {
		if ((e = upload_start(rq, f)) != AIM_OK)
			return e;
		u = rq->upload_state;
	}
	return import_job_feed(&u->job, data, len, f);
}

/* 200 for a repeat ("already_imported": true), else 201: the status follows from the body. */
static unsigned
manifest_status(const json_t *reply)
{
	return json_is_true(json_object_get(reply, "already_imported")) ? 200 : 201;
}

enum aim_err
api_manifest_done(struct request *rq, struct aim_fault *f)
{
	const char *key = srv_header(rq, "Idempotency-Key");
	struct upload *u = rq->upload_state;
	unsigned char req_hash[32];
	char req[ROUTE_PARAM_LEN + OBJ_HASH_LEN + 64];
	json_t *reply = NULL;
	int already = 0;
	enum aim_err e;

	if (u == NULL) {
		/* no body at all */
		if ((e = upload_start(rq, f)) != AIM_OK)
			return e;
		u = rq->upload_state;
	}
	if ((e = import_job_end(&u->job, f)) != AIM_OK)
		return e;
	/* the request, for its idempotency key: this case, these bytes */
	snprintf(req, sizeof(req), "POST /api/cases/%s/manifests sha256:%s", rq->param[0],
	    u->job.sha256);
	auth_token_hash(req, req_hash);
	e = store_manifest_repeat(rq->store, &rq->user, rq->param[0], u->job.sha256, key,
	    req_hash, rq->now, &reply, f);
	if (e == AIM_OK)
		return srv_json(rq, manifest_status(reply), reply);
	if (e != AIM_ENOTFOUND)
		return e;
	if ((e = import_job_keep(&u->job, f)) != AIM_OK)
		return e;
	e = import_kept(rq->store, &rq->user, rq->param[0], u->obj_dir, u->job.sha256, key,
	    req_hash, &rq->cfg->manifest, srv_rules(rq), rules_thread_scratch(), rq->now, &reply,
	    &already, f);
	if (e != AIM_OK)
		return e;
	return srv_json(rq, manifest_status(reply), reply);
}

enum aim_err
api_manifest_original(struct request *rq, struct aim_fault *f)
{
	char sha[65], dir[4096], disposition[128];
	struct stat sb;
	int64_t id;
	int fd;
	enum aim_err e;

	(void)f;
	if (v_int64(rq->param[0], 1, INT64_MAX, &id) != 0)
		return AIM_ENOTFOUND;
	if ((e = store_manifest_sha(rq->store, &rq->user, id, sha)) != AIM_OK)
		return e;
	obj_dir_for_db(rq->cfg->db_path, dir, sizeof(dir));
	if ((fd = obj_open(dir, sha)) < 0)
		return aim_fault_set(f, AIM_EIO, NULL, "the original of manifest %lld is missing",
		    (long long)id);
	if (fstat(fd, &sb) != 0 ||
	    (rq->resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd)) == NULL) {
		close(fd);
		return AIM_EIO;
	}
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"manifest-%lld.xml\"",
	    (long long)id);
	MHD_add_response_header(rq->resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/xml");
	MHD_add_response_header(rq->resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
	MHD_add_response_header(rq->resp, "X-Content-SHA256", sha);
	rq->status = 200;
	rq->resp_len = (size_t)sb.st_size;
	return AIM_OK;
}

enum aim_err
api_evidence_list(struct request *rq, struct aim_fault *f)
{
	struct evidence_filter flt = { .limit = EVIDENCE_DEFAULT };
	const char *lim = srv_arg(rq, "limit"), *off = srv_arg(rq, "offset");
	json_t *out;
	int y, n;
	enum aim_err e;

	if (case_ref_parse(rq->param[0], &y, &n) != 0)
		return AIM_ENOTFOUND;
	flt.q = srv_arg(rq, "q");
	if (flt.q != NULL && flt.q[0] == '\0')
		flt.q = NULL;
	if (flt.q != NULL && v_text(flt.q, 1, EVIDENCE_Q_MAX, 0, 0) != NULL)
		return aim_fault_set(f, AIM_EINVAL, "q", "q: at most %d characters, no controls",
		    EVIDENCE_Q_MAX);
	if (lim != NULL && v_int64(lim, 1, EVIDENCE_MAX, &flt.limit) != 0)
		return aim_fault_set(f, AIM_EINVAL, "limit", "limit: a whole number from 1 to %d",
		    EVIDENCE_MAX);
	if (off != NULL && v_int64(off, 0, INT32_MAX, &flt.offset) != 0)
		return aim_fault_set(f, AIM_EINVAL, "offset", "offset: a whole number from 0");
	if ((e = store_evidence_list(rq->store, &rq->user, rq->param[0], &flt, &out)) != AIM_OK)
		return e;
	return srv_json(rq, 200, out);
}
