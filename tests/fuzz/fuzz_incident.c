/*
 * fuzz_incident — incident reports (server/incident.h) as POST /api/incidents
 * and `aimcase import-incidents` read them: json_body_parse, then
 * incident_from_json into a struct incident, then the API's error body for
 * a refusal.
 *
 * A refused report must say why (f filled with the same error, a message,
 * an error reply that can be sent) and be a client error (4xx), never a
 * store or system error.  An accepted
 * one must survive what filing and `aimcase rescan` do with it: the
 * normalized JSON (incident_to_json, dumped compact as filing stores it) is
 * read back as rescan reads it (json_loads, incident_from_json) and must be
 * accepted and normalize to the same text.
 */
#include <string.h>

#include "fuzz.h"
#include "incident.h"
#include "json_io.h"

/* What filing stores: the normalized report, compact (owned: free). */
static char *
normalized(const struct incident *inc)
{
	json_t *doc = incident_to_json(inc);
	char *text;

	FUZZ_CHECK(doc != NULL, "incident_to_json: out of memory");
	text = json_dumps(doc, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "json_dumps: out of memory");
	json_decref(doc);
	return text;
}

/* Read the stored text back as rescan does; it must normalize to itself. */
static void
read_back(const char *text)
{
	struct aim_fault f = { 0 };
	struct incident inc;
	json_t *doc = json_loads(text, 0, NULL);
	char *again;

	FUZZ_CHECK(doc != NULL, "the normalized report is not JSON: %s", text);
	incident_init(&inc);
	if (incident_from_json(doc, FUZZ_NOW, &inc, &f) != AIM_OK)
		FUZZ_FAIL("the normalized report is refused: %s: %s\n%s", f.field, f.msg, text);
	again = normalized(&inc);
	FUZZ_CHECK(strcmp(text, again) == 0, "normalizing twice changes the report:\n%s\n%s",
	    text, again);
	free(again);
	incident_release(&inc);
	json_decref(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aim_fault f = { 0 };
	struct incident inc;
	json_t *doc;
	enum aim_err e;

	doc = json_body_parse((const char *)data, size, &f);
	if (doc == NULL) {
		fuzz_check_fault(AIM_EMALFORMED, &f);
		return 0;
	}
	incident_init(&inc);
	e = incident_from_json(doc, FUZZ_NOW, &inc, &f);
	if (e == AIM_OK) {
		char *text = normalized(&inc);

		read_back(text);
		free(text);
	} else {
		unsigned status = aim_http_status(e);

		FUZZ_CHECK(status >= 400 && status < 500, "refused with %s: HTTP %u",
		    aim_err_code(e), status);
		fuzz_check_fault(e, &f);
	}
	incident_release(&inc);
	json_decref(doc);
	return 0;
}
