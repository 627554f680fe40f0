/*
 * Unit tests: the DFXML reader gives one answer whatever the chunks an upload
 * comes in — character references into the filter's marks, and the places
 * where libxml2's own answer follows the chunks.
 */
#include <stdio.h>
#include <string.h>

#include "manifest.h"
#include "manifest_parse.h"
#include "unit.h"

/*
 * A character reference into U+10FF00-U+10FFFF would read back as a marked
 * byte ("\x41" for &#x10FF41;): refused where it starts, in whatever chunks
 * it comes; references elsewhere and U+10FF41 written as itself are read.
 */
START_TEST(references_into_the_mark_range)
{
	static const char *const refused[] = { "&#x10FF41;", "&#1113921;", "&#x0010ff00;",
		"&#x10FFFF;" };
	static const struct {
		const char *ref, *path;
	} read[] = {
		{ "&#x41;&amp;&#233;", "A&\xc3\xa9" }, { "&#x10FEFF;", "\xf4\x8f\xbb\xbf" },
		{ "&#x10FF41", NULL }, { "\xf4\x8f\xbd\x81", "\\xF4\\x8F\\xBD\\x81" },
		{ "&#x;&#;", NULL }, { "&#X10FF41;", NULL },
	};
	char doc[256], want[64];

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(doc, sizeof(doc), "<dfxml>\n<fileobject>\n<filename>x%s</filename>"
		    "</fileobject></dfxml>", refused[i]);
		for (size_t step = 1; step <= 9; step += 4) {
			struct collected c;
			struct aim_fault f = { 0 };
			enum aim_err e = parse(doc, strlen(doc), step, &c, &f, NULL);

			ck_assert_msg(e == AIM_EMANIFEST, "%s: %s", refused[i], f.msg);
			ck_assert_msg(strstr(f.msg, "3:12: a character reference") == f.msg, "%s",
			    f.msg);
			ck_assert_int_eq(c.n, 0);
		}
	}
	for (size_t i = 0; i < sizeof(read) / sizeof(read[0]); i++) {
		snprintf(doc, sizeof(doc), "<dfxml><fileobject><filename>x%s</filename>"
		    "</fileobject></dfxml>", read[i].ref);
		for (size_t step = 1; step <= 7; step += 3) {
			struct collected c;
			struct aim_fault f = { 0 };
			enum aim_err e = parse(doc, strlen(doc), step, &c, &f, NULL);

			if (read[i].path == NULL) {	/* not a reference: the parser's own error */
				ck_assert_msg(e == AIM_EXML, "%s: %s", read[i].ref, f.msg);
				continue;
			}
			ck_assert_msg(e == AIM_OK, "%s: %s", read[i].ref, f.msg);
			snprintf(want, sizeof(want), "x%s", read[i].path);
			ck_assert_int_eq(c.n, 1);
			ck_assert_str_eq(c.paths[0], want);
		}
	}
	/* leading zeros: a reference is followed to its end, however long */
	snprintf(doc, sizeof(doc), "<dfxml><fileobject><filename>x&#x%070d10FF41;</filename>"
	    "</fileobject></dfxml>", 0);
	for (size_t step = 1; step <= 101; step += 50) {
		struct collected c;
		struct aim_fault f = { 0 };

		ck_assert_int_eq(parse(doc, strlen(doc), step, &c, &f, NULL), AIM_EMANIFEST);
		ck_assert_msg(strstr(f.msg, "1:31: a character reference to U+10FF00") == f.msg,
		    "%s", f.msg);
		snprintf(doc, sizeof(doc), "<dfxml><fileobject><filename>x&#x%070d41;</filename>"
		    "</fileobject></dfxml>", 0);
		ck_assert_int_eq(parse(doc, strlen(doc), step, &c, &f, NULL), AIM_OK);
		ck_assert_str_eq(c.paths[0], "xA");
		snprintf(doc, sizeof(doc), "<dfxml><fileobject><filename>x&#x%070d10FF41;</filename>"
		    "</fileobject></dfxml>", 0);
	}
}
END_TEST

/*
 * What the parser finds before a refused reference comes first, in one piece
 * and in any chunks: an XML error (here "]]>" in text, which libxml2 only
 * judges once it has 300 bytes of text or the next '<': the fuzzer's case),
 * an item refused or an item read.
 */
START_TEST(references_refused_in_document_order)
{
	static const char end[] = "</filename></fileobject></dfxml>";
	static const struct {
		const char *before, *after;	/* before and after &#x10FF41; ("%0*d": zeros) */
		enum aim_err err;
		const char *what;
		int items;
	} cases[] = {
		{ "<dfxml>%0400d]]>", end, AIM_EXML, "1:408: Sequence ']]>' not allowed", 0 },
		{ "<dfxml><fileobject><filename>a</filename><filesize>x</filesize></fileobject>",
		    end, AIM_EMANIFEST, "1:64: filesize 'x' is not a number", 0 },
		{ "<dfxml><fileobject><filename>a</filename></fileobject>\n<fileobject><filename>",
		    end, AIM_EMANIFEST, "2:23: a character reference to U+10FF00", 1 },
		{ "<dfxml><fileobject><filename><![CDATA[%0400d]]>", end, AIM_EMANIFEST,
		    "1:442: a character reference to U+10FF00", 0 },
	};
	static const size_t steps[] = { 1, 7, 64, 350, 401, 4096 };
	char doc[2048];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(doc, sizeof(doc), cases[i].before, 0);

		n += snprintf(doc + n, sizeof(doc) - (size_t)n, "&#x10FF41;");
		snprintf(doc + n, sizeof(doc) - (size_t)n, cases[i].after, 0);
		for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			struct collected c;
			struct aim_fault f = { 0 };
			enum aim_err e = parse(doc, strlen(doc), steps[k], &c, &f, NULL);

			ck_assert_msg(e == cases[i].err && strstr(f.msg, cases[i].what) == f.msg,
			    "case %zu, step %zu: %s", i, steps[k], f.msg);
			ck_assert_msg(c.n == cases[i].items, "case %zu, step %zu: %d items", i,
			    steps[k], c.n);
		}
	}
	/*
	 * In a CDATA section never closed: libxml2 hands its text over 300 bytes
	 * a chunk, more of it the more chunks; the section is the error, always.
	 */
	size_t n = (size_t)snprintf(doc, sizeof(doc), "<dfxml>\n<![CDATA[");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "%sa>00000/a>\n",
		    i == 40 ? "&#x10FF41;" : "");
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		struct collected c;
		struct aim_fault f = { 0 };

		ck_assert_msg(parse(doc, n, steps[k], &c, &f, NULL) == AIM_EXML, "step %zu: %s",
		    steps[k], f.msg);
	}
}
END_TEST

/*
 * The same answer in any chunks where libxml2's own answer follows them: a
 * "]]>" in text (it looks for one inside a chunk only), and text over the
 * limit before such an error (libxml2 hands the text over before the error
 * in some chunks, after it in others).
 */
START_TEST(errors_in_text_whatever_the_chunks)
{
	static const struct {
		int text;
		const char *tail;
		enum aim_err err;
		const char *what;
	} cases[] = {
		{ 400, "]]></dfxml>", AIM_EXML, "1:408: Sequence ']]>' not allowed" },
		{ 5000, "]]></dfxml>", AIM_EXML, "1:5008: Sequence ']]>' not allowed" },
		{ 5000, "</dfxml>", AIM_EMANIFEST, "1:5016: element text is too long" },
	};
	static const size_t steps[] = { 1, 7, 408, 409, 4200, 5007, 5008, 1 << 20 };
	static char doc[6000];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(doc, sizeof(doc), "<dfxml>%0*d%s", cases[i].text, 0, cases[i].tail);

		for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			struct collected c;
			struct aim_fault f = { 0 };
			enum aim_err e = parse(doc, (size_t)n, steps[k], &c, &f, NULL);

			ck_assert_msg(e == cases[i].err && strstr(f.msg, cases[i].what) == f.msg,
			    "case %zu, step %zu: %s", i, steps[k], f.msg);
		}
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("manifest_chunks");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, references_into_the_mark_range);
	tcase_add_test(tc, references_refused_in_document_order);
	tcase_add_test(tc, errors_in_text_whatever_the_chunks);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
