/*
 * fixture.h — a fresh database in a temporary directory, users, and a
 * helper to file an incident from JSON text, for the suites that need a store.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aim_time.h"
#include "auth.h"
#include "incident.h"
#include "json_io.h"
#include "store.h"
#include "totp.h"
#include "unit.h"

#define T0 (aim_time_from_civil(2026, 11, 23, 12, 0, 0))

struct fixture {
	char dir[64];
	char path[96];
	struct store *s;
	struct aim_user ivy, ian, paula, pat, sam;
};

static inline void
fixture_user(struct fixture *fx, const char *name, enum aim_role role, struct aim_user *u)
{
	struct aim_fault f = { 0 };

	/* a cheap stand-in hash: the store does not look inside it */
	ck_assert_int_eq(store_user_add(fx->s, name, role, "$argon2id$stand-in", T0, &f), AIM_OK);
	ck_assert_int_eq(store_user_get(fx->s, name, u, NULL, 0), AIM_OK);
}

static inline void
fixture_open(struct fixture *fx)
{
	struct aim_fault f = { 0 };

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/aimcase-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
	fx->s = store_open(fx->path, &f);
	ck_assert_msg(fx->s != NULL, "%s", f.msg);
	fixture_user(fx, "ivy", ROLE_INVESTIGATOR, &fx->ivy);
	fixture_user(fx, "ian", ROLE_INVESTIGATOR, &fx->ian);
	fixture_user(fx, "paula", ROLE_PROSECUTOR, &fx->paula);
	fixture_user(fx, "pat", ROLE_PROSECUTOR, &fx->pat);
	fixture_user(fx, "sam", ROLE_SUPERVISOR, &fx->sam);
}

static inline void
fixture_close(struct fixture *fx)
{
	char p[128];

	store_close(fx->s);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	rmdir(fx->dir);
}

/* File the incident text as u; returns the error; *reply owned when AIM_OK. */
static inline enum aim_err
fixture_file(struct fixture *fx, const struct aim_user *u, const char *text, const char *key,
    json_t **reply, int *replayed, struct aim_fault *f)
{
	struct incident inc;
	unsigned char hash[32];
	json_t *doc = json_body_parse(text, strlen(text), f), *norm;
	char *canon;
	enum aim_err e;
	int dummy;

	ck_assert_msg(doc != NULL, "%s", f->msg);
	incident_init(&inc);
	e = incident_from_json(doc, T0, &inc, f);
	ck_assert_msg(e == AIM_OK, "%s", f->msg);
	norm = incident_to_json(&inc);
	canon = json_dumps(norm, JSON_COMPACT);
	auth_token_hash(canon, hash);
	e = store_incident_file(fx->s, u, &inc, NULL, canon, key, hash, T0, reply,
	    replayed != NULL ? replayed : &dummy, f);
	free(canon);
	json_decref(norm);
	json_decref(doc);
	incident_release(&inc);
	return e;
}

/* File text as u (it must be accepted); the case reference into ref. */
static inline const char *
fixture_file_ref(struct fixture *fx, const struct aim_user *u, const char *text, char ref[32])
{
	struct aim_fault f = { 0 };
	json_t *reply = NULL;

	ck_assert_int_eq(fixture_file(fx, u, text, NULL, &reply, NULL, &f), AIM_OK);
	snprintf(ref, 32, "%s", json_string_value(json_object_get(json_object_get(reply, "case"),
	    "ref")));
	json_decref(reply);
	return ref;
}

/* The suite's database, fresh for each test of a TCase given fx_setup and fx_teardown. */
static struct fixture fx;

static inline void
fx_setup(void)
{
	fixture_open(&fx);
}

static inline void
fx_teardown(void)
{
	fixture_close(&fx);
}

#define AI_REPORT(extra) \
	"{\"kind\":\"ai_intrusion\",\"title\":\"Agent scraped patient portal\"," \
	"\"narrative\":\"Credential stuffing from 203.0.113.7.\"," extra \
	"\"ai_intrusion\":{\"target_system\":\"portal.example-clinic.org\"," \
	"\"access_vector\":\"credential_stuffing\",\"loss_usd\":3000," \
	"\"indicators\":{\"ips\":[\"203.0.113.7\"]}}}"

#define TID_REPORT(minor) \
	"{\"kind\":\"take_it_down\",\"title\":\"Forged images posted\"," \
	"\"narrative\":\"Victim reports forged images.\",\"take_it_down\":{\"victim_minor\":" \
	minor ",\"depiction\":\"digital_forgery\",\"platforms\":[{\"name\":\"Chirp\"," \
	"\"url\":\"https://chirp.example/p/1\",\"removal_requested_at\":\"2026-11-20T10:00:00Z\"}," \
	"{\"name\":\"PixelBoard\",\"removal_requested_at\":\"2026-11-21T10:00:00Z\"," \
	"\"removed_at\":\"2026-11-22T09:00:00Z\"}]}}"

#endif
