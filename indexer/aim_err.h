/*
 * aim_err — the one error enum of aimcase.
 *
 * Every module reports failure as an enum aim_err; aim_strerror() gives a
 * human sentence, aim_err_code() the stable machine code used in the API's
 * {"error":{"code",…}} shape, and aim_http_status() the HTTP status.  The
 * tables are indexed by the enum and checked for length at compile time.
 */
#ifndef AIM_ERR_H
#define AIM_ERR_H

enum aim_err {
	AIM_OK = 0,
	AIM_EMALFORMED,		/* body is not well-formed JSON */
	AIM_EXML,		/* body is not well-formed XML */
	AIM_EMANIFEST,		/* well-formed XML, but not an acceptable manifest */
	AIM_EMISSING,		/* a required field is absent */
	AIM_EUNKNOWN,		/* a field that does not belong */
	AIM_EINVAL,		/* a field or parameter is invalid */
	AIM_EUNAUTH,		/* no valid session */
	AIM_EBADCRED,		/* wrong username or password */
	AIM_EMFA,		/* second factor required or wrong */
	AIM_EFORBIDDEN,		/* role not allowed */
	AIM_ECSRF,		/* CSRF token missing or wrong */
	AIM_ENOTFOUND,		/* no such thing, or not visible */
	AIM_EMETHOD,		/* method not allowed on this path */
	AIM_ECONFLICT,		/* contradicts stored state */
	AIM_ETOOBIG,		/* over a size limit */
	AIM_EMEDIA,		/* wrong content type */
	AIM_ERATE,		/* rate limited */
	AIM_EDB,		/* database failure */
	AIM_EIO,		/* file or system failure */
	AIM_ENOMEM,		/* out of memory */
	AIM_EBUSY,		/* database busy beyond the timeout */
	AIM_E__MAX
};

/*
 * A failure with its details: which field, and a sentence for a person.
 * Filled by validators and the store, turned into the API's error shape by
 * the server and into "file:line: message" by the CLI.
 */
struct aim_fault {
	enum aim_err err;
	char field[128];	/* "" when not about one field */
	char msg[320];
};

/*
 * Record a failure in f (borrowed; may be NULL) and return e.  field may be
 * NULL.  The message is printf-formatted and truncated to fit.
 */
enum aim_err aim_fault_set(struct aim_fault *f, enum aim_err e, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Human sentence for the error; static storage, never NULL. */
const char *aim_strerror(enum aim_err e);
/* Stable API code ("invalid_field", …); static storage, never NULL. */
const char *aim_err_code(enum aim_err e);
/* HTTP status for the error (200 for AIM_OK). */
unsigned aim_http_status(enum aim_err e);

#endif
