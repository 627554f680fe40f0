/*
 * Unit tests: utf8_filter and the DFXML reader — what real tools write,
 * raw bytes kept reversibly, and hostile XML refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "manifest_parse.h"
#include "model.h"
#include "objstore.h"
#include "unit.h"
#include "utf8_filter.h"

/* ---- the filter ---- */

/* Filter s in chunks of `step` bytes, then undo the marks of the result. */
static void
filter_unmark(const char *s, size_t len, size_t step, char *out)
{
	struct utf8_filter f;
	unsigned char buf[4096];
	size_t w = 0;

	utf8_filter_init(&f);
	for (size_t i = 0; i < len; i += step) {
		size_t n = len - i < step ? len - i : step;

		w += utf8_filter_run(&f, (const unsigned char *)s + i, n, buf + w, 0);
	}
	w += utf8_filter_run(&f, (const unsigned char *)"", 0, buf + w, 1);
	utf8_unmark((const char *)buf, w, out);
}

START_TEST(filter_passes_utf8)
{
	const char *s = "Users/jdoe/r\xc3\xa9sum\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x81.txt\t";
	char out[256];

	for (size_t step = 1; step <= 8; step++) {
		filter_unmark(s, strlen(s), step, out);
		ck_assert_str_eq(out, s);
	}
}
END_TEST

START_TEST(filter_marks_odd_bytes)
{
	/* Latin-1 é, a lone continuation byte, 0xFF, a control, a cut sequence */
	const char s[] = "caf\xe9 \x80 bad\xffname\x01 x\\y \xe6\x97";
	char out[256];

	for (size_t step = 1; step <= 8; step++) {
		filter_unmark(s, sizeof(s) - 1, step, out);
		ck_assert_str_eq(out, "caf\\xE9 \\x80 bad\\xFFname\\x01 x\\\\y \\xE6\\x97");
	}
}
END_TEST

START_TEST(filter_keeps_lone_cr)
{
	/* CRLF line ends pass; a lone CR (Mac "Icon\r") is kept as a byte */
	const char s[] = "<a>\r\n<f>Icon\r</f>\r\n</a>\r";
	char out[256];

	for (size_t step = 1; step <= 4; step++) {
		filter_unmark(s, sizeof(s) - 1, step, out);
		ck_assert_str_eq(out, "<a>\r\n<f>Icon\\x0D</f>\r\n</a>\\x0D");
	}
}
END_TEST

START_TEST(filter_refuses_what_xml_refuses)
{
	/* surrogates, U+FFFE, overlong forms, and our own marker range */
	const char s[] = "\xed\xa0\x80|\xef\xbf\xbe|\xc0\xaf|\xf4\x8f\xbc\x80";
	char out[256];

	filter_unmark(s, sizeof(s) - 1, 3, out);
	ck_assert_str_eq(out, "\\xED\\xA0\\x80|\\xEF\\xBF\\xBE|\\xC0\\xAF|\\xF4\\x8F\\xBC\\x80");
}
END_TEST

/* ---- the reader ---- */

static char *
slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *fp;
	char *buf;

	snprintf(path, sizeof(path), "%s/fixtures/manifests/%s", AIM_SOURCE_DIR, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

START_TEST(fiwalk_style)
{
	static const char doc[] =
	    "<?xml version='1.0' encoding='UTF-8'?>\n"
	    "<dfxml xmlns='http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML'"
	    " version='1.0'>\n"
	    "<creator><program>fiwalk</program><version>4.11.1</version>\n"
	    "<execution_environment><command_line>fiwalk -X out.xml laptop.E01</command_line>"
	    "</execution_environment></creator>\n"
	    "<source><image_filename>laptop.E01</image_filename></source>\n"
	    "<volume offset='1048576'><fileobject>\n"
	    "<parent_object><inode>2</inode></parent_object>\n"
	    "<filename>Users/jdoe/a &amp; &lt;b&gt;.txt</filename><filesize>6</filesize>\n"
	    "<alloc>1</alloc><inode>12</inode>\n"
	    "<mtime prec='2'>2025-03-01T10:20:30</mtime><crtime>2025-03-01T10:20:30Z</crtime>\n"
	    "<byte_runs><byte_run file_offset='0' len='6'><hashdigest type='md5'>"
	    "00000000000000000000000000000000</hashdigest></byte_run></byte_runs>\n"
	    "<hashdigest type='MD5'>B1946AC92492D2347C6235B4D2611184</hashdigest>\n"
	    "<hashdigest type='sha1'>f572d396fae9206628714fb2ce00f72e94f2258f</hashdigest>\n"
	    "</fileobject>\n<fileobject><filename>Users/jdoe/deleted.doc</filename>"
	    "<unalloc>1</unalloc><filesize>0</filesize></fileobject></volume></dfxml>\n";
	struct collected c;
	struct aim_fault f = { 0 };
	struct manifest_meta m;

	for (size_t step = 1; step < sizeof(doc); step *= 7) {
		ck_assert_int_eq(parse(doc, sizeof(doc) - 1, step, &c, &f, &m), AIM_OK);
		ck_assert_int_eq(c.n, 2);
		ck_assert_str_eq(c.paths[0], "Users/jdoe/a & <b>.txt");
		ck_assert_int_eq(c.items[0].size, 6);
		ck_assert_int_eq(c.items[0].inode, 12);	/* not the parent's 2 */
		ck_assert_int_eq(c.items[0].alloc, 1);
		ck_assert_int_eq(c.items[0].zoneless, 1);
		/* the file's md5, not the byte run's, lower-cased */
		ck_assert_str_eq(c.items[0].md5, "b1946ac92492d2347c6235b4d2611184");
		ck_assert_str_eq(c.items[0].sha256, "");
		ck_assert_int_eq(c.items[1].alloc, 0);
		ck_assert_str_eq(m.program, "fiwalk");
		ck_assert_str_eq(m.version, "4.11.1");
		ck_assert_str_eq(m.image_filename, "laptop.E01");
		ck_assert_str_eq(m.command_line, "fiwalk -X out.xml laptop.E01");
		ck_assert_int_eq(m.items, 2);
	}
}
END_TEST

START_TEST(namespace_on_inner_element)
{
	/* PhotoRec and ewfinfo put the namespace on an inner element only */
	static const char doc[] =
	    "<dfxml xmloutputversion='1.0'><metadata xmlns='http://www.forensicswiki.org/wiki/"
	    "Category:Digital_Forensics_XML' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
	    "<dc:type>Carve Output</dc:type></metadata><creator><program>PhotoRec</program>"
	    "<version>7.1</version></creator><ewfinfo><case_number>2026-0412</case_number>"
	    "<evidence_number>E-7</evidence_number><examiner_name>K. Osei</examiner_name>"
	    "</ewfinfo><fileobject xmlns:x='urn:x'><x:filename>recup_dir.1/f0001234.jpg</x:filename>"
	    "<x:filesize>48213</x:filesize></fileobject></dfxml>";
	struct collected c;
	struct aim_fault f = { 0 };
	struct manifest_meta m;

	ck_assert_int_eq(parse(doc, sizeof(doc) - 1, 64, &c, &f, &m), AIM_OK);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.paths[0], "recup_dir.1/f0001234.jpg");
	ck_assert_int_eq(c.items[0].size, 48213);
	ck_assert_str_eq(m.program, "PhotoRec");
	ck_assert_str_eq(m.case_number, "2026-0412");
	ck_assert_str_eq(m.evidence_number, "E-7");
	ck_assert_str_eq(m.examiner, "K. Osei");
}
END_TEST

START_TEST(raw_bytes_in_names)
{
	static const char doc[] =
	    "<dfxml><fileobject><filename>/media/usb/bad\xffname\x01.txt</filename>"
	    "<filesize>3</filesize></fileobject><fileobject><filename>/media/usb/caf\xe9\\"
	    "menu.pdf</filename></fileobject><fileobject><filename>/media/usb/ok\\x41"
	    "</filename></fileobject></dfxml>";
	struct collected c;
	struct aim_fault f = { 0 };
	struct manifest_meta m;

	for (size_t step = 1; step <= 5; step++) {
		ck_assert_int_eq(parse(doc, sizeof(doc) - 1, step, &c, &f, &m), AIM_OK);
		ck_assert_int_eq(c.n, 3);
		ck_assert_str_eq(c.paths[0], "/media/usb/bad\\xFFname\\x01.txt");
		ck_assert_int_eq(c.items[0].sanitised, 1);
		ck_assert_str_eq(c.paths[1], "/media/usb/caf\\xE9\\\\menu.pdf");
		/* a name that merely contains a backslash is kept as it is */
		ck_assert_str_eq(c.paths[2], "/media/usb/ok\\x41");
		ck_assert_int_eq(c.items[2].sanitised, 0);
		ck_assert_int_eq(m.sanitised, 2);
	}
}
END_TEST

START_TEST(declared_encoding_is_ignored)
{
	/* the bytes are read as UTF-8 whatever the declaration says; others are kept as \xNN */
	static const char latin1[] =
	    "<?xml version='1.0' encoding='ISO-8859-1'?>\n<dfxml><fileobject><filename>"
	    "caf\xe9.txt</filename></fileobject><fileobject><filename>caf\xc3\xa9.txt</filename>"
	    "</fileobject></dfxml>\n";
	static const char utf16[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<dfxml><fileobject><filename>"
	    "caf\xc3\xa9.txt</filename></fileobject></dfxml>\n";
	struct collected c;
	struct aim_fault f = { 0 };
	struct manifest_meta m;

	for (size_t step = 1; step < sizeof(latin1); step *= 3) {
		ck_assert_msg(parse(latin1, sizeof(latin1) - 1, step, &c, &f, &m) == AIM_OK, "%s",
		    f.msg);
		ck_assert_int_eq(c.n, 2);
		ck_assert_str_eq(c.paths[0], "caf\\xE9.txt");
		ck_assert_int_eq(c.items[0].sanitised, 1);
		ck_assert_str_eq(c.paths[1], "caf\xc3\xa9.txt");
		ck_assert_int_eq(c.items[1].sanitised, 0);
		ck_assert_int_eq(m.sanitised, 1);
	}
	/* a UTF-8 manifest labelled UTF-16 is read as what it is */
	ck_assert_msg(parse(utf16, sizeof(utf16) - 1, 5, &c, &f, NULL) == AIM_OK, "%s", f.msg);
	ck_assert_str_eq(c.paths[0], "caf\xc3\xa9.txt");
}
END_TEST

START_TEST(sizes_up_to_int64_max)
{
	static const char doc[] =
	    "<dfxml><fileobject><filename>a</filename><filesize>9223372036854775807</filesize>"
	    "<inode>9223372036854775800</inode></fileobject></dfxml>";
	static const char *const too_big[] = { "9223372036854775808", "9223372036854775810",
		"18446744073709551616", "99999999999999999999" };
	struct collected c;
	struct aim_fault f = { 0 };
	char bad[256];

	ck_assert_msg(parse(doc, sizeof(doc) - 1, 7, &c, &f, NULL) == AIM_OK, "%s", f.msg);
	ck_assert_int_eq(c.n, 1);
	ck_assert_int_eq(c.items[0].size, INT64_MAX);
	ck_assert_int_eq(c.items[0].inode, INT64_MAX - 7);
	for (size_t i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		snprintf(bad, sizeof(bad), "<dfxml><fileobject><filename>a</filename><filesize>%s"
		    "</filesize></fileobject></dfxml>", too_big[i]);
		ck_assert_int_eq(parse(bad, strlen(bad), 7, &c, &f, NULL), AIM_EMANIFEST);
		ck_assert_ptr_nonnull(strstr(f.msg, "not a number"));
	}
}
END_TEST

START_TEST(nested_fileobject_is_refused)
{
	/* directly, and at any depth (differential DFXML's <delta:original_fileobject>) */
	static const char *const docs[] = {
		"<dfxml><fileobject><filename>outer</filename>\n"
		    "<fileobject><filename>inner</filename></fileobject></fileobject></dfxml>",
		"<dfxml xmlns:delta='http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"
		    "#delta'><fileobject><filename>new</filename>\n<delta:original_fileobject>"
		    "<fileobject><filename>old</filename></fileobject></delta:original_fileobject>"
		    "</fileobject></dfxml>",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct collected c;
		struct aim_fault f = { 0 };

		ck_assert_int_eq(parse(docs[i], strlen(docs[i]), 5, &c, &f, NULL), AIM_EMANIFEST);
		ck_assert_msg(strncmp(f.msg, "2:", 2) == 0 &&
		    strstr(f.msg, "a <fileobject> inside a <fileobject>") != NULL, "%s", f.msg);
		ck_assert_int_eq(c.n, 0);
	}
}
END_TEST

START_TEST(real_tool_fixtures)
{
	static const struct {
		const char *file;
		int min_items;
	} files[] = {
		{ "hashdeep-rawbytes.xml", 3 },
		{ "md5deep-piecewise.xml", 3 },
		{ "fiwalk-ext4.xml", 3 },
		{ "fiwalk-fat.xml", 2 },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct collected c;
		struct aim_fault f = { 0 };
		size_t len;
		char *text = slurp(files[i].file, &len);

		ck_assert_msg(parse(text, len, 4096, &c, &f, NULL) == AIM_OK, "%s: %s",
		    files[i].file, f.msg);
		ck_assert_int_ge(c.n, files[i].min_items);
		for (int k = 0; k < c.n && k < 64; k++)
			ck_assert_msg(c.paths[k][0] != '\0', "%s: empty path", files[i].file);
		free(text);
	}
}
END_TEST

START_TEST(hostile_and_bad_input)
{
	static const struct {
		const char *doc, *code, *what;
	} cases[] = {
		{ "<?xml version='1.0'?><!DOCTYPE dfxml [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
		    "<dfxml><fileobject><filename>&x;</filename></fileobject></dfxml>",
		    "invalid_manifest", "DOCTYPE" },
		{ "<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
		    "<dfxml>&lol2;</dfxml>", "invalid_manifest", "DOCTYPE" },
		{ "<!DOCTYPE dfxml SYSTEM 'http://example.invalid/dfxml.dtd'><dfxml/>",
		    "invalid_manifest", "DOCTYPE" },
		{ "<dfxml><fileobject><filename>&foo;</filename></fileobject></dfxml>",
		    "malformed_xml", "foo" },
		{ "<html><body/></html>", "invalid_manifest", "root" },
		{ "<dfxml><fileobject><filename>a</filename><filesize>12x</filesize>"
		    "</fileobject></dfxml>", "invalid_manifest", "filesize" },
		{ "<dfxml><fileobject><filename>a</filename><filesize>-1</filesize>"
		    "</fileobject></dfxml>", "invalid_manifest", "filesize" },
		{ "<dfxml><fileobject><filename>a</filename><hashdigest type='md5'>abc"
		    "</hashdigest></fileobject></dfxml>", "invalid_manifest", "md5" },
		{ "<dfxml><fileobject><filename>a</filename><hashdigest type='SHA256'>"
		    "zz00000000000000000000000000000000000000000000000000000000000000"
		    "</hashdigest></fileobject></dfxml>", "invalid_manifest", "sha256" },
		{ "<dfxml><fileobject><filesize>1</filesize></fileobject></dfxml>",
		    "invalid_manifest", "filename" },
		{ "<dfxml><fileobject><filename>a</filename>", "malformed_xml", "cut short" },
		{ "", "malformed_xml", "no XML" },
		{ "\x89PNG\r\n\x1a\n", "malformed_xml", "" },
		{ "{\"kind\":\"dfxml\"}", "malformed_xml", "no XML" },
		/* an error libxml2 reads on after, into a DOCTYPE that made it keep a document */
		{ "<?xm: v?><!DOCTYPE dfxml [<!ENTITY x 'y'>]><dfxml/>", "malformed_xml",
		    "1:6: colons are forbidden from PI names" },
		{ "<dfxml><fileobject><filename>a</filename><mtime>yesterday</mtime>"
		    "</fileobject></dfxml>", "invalid_manifest", "time" },
	};

	for (size_t i = 0; i < 2 * sizeof(cases) / sizeof(cases[0]); i++) {
		const char *doc = cases[i / 2].doc;
		struct collected c;
		struct aim_fault f = { 0 };
		/* in pieces of 7 bytes, and in one piece */
		enum aim_err e = parse(doc, strlen(doc), i % 2 ? strlen(doc) + 1 : 7, &c, &f, NULL);

		ck_assert_msg(e != AIM_OK, "case %zu accepted", i / 2);
		ck_assert_msg(strcmp(aim_err_code(e), cases[i / 2].code) == 0 &&
		    strstr(f.msg, cases[i / 2].what) != NULL, "case %zu: %s %s", i / 2,
		    aim_err_code(e), f.msg);
		ck_assert_int_eq(c.n, 0);
	}
}
END_TEST

START_TEST(limits)
{
	struct collected c;
	struct aim_fault f = { 0 };
	size_t n = 0, cap = 2 << 20;
	char *doc = malloc(cap);

	/* deep nesting */
	n = (size_t)snprintf(doc, cap, "<dfxml>");
	for (int i = 0; i < 10000; i++)
		n += (size_t)snprintf(doc + n, cap - n, "<a>");
	ck_assert_int_eq(parse(doc, n, 4096, &c, &f, NULL), AIM_EMANIFEST);
	ck_assert_ptr_nonnull(strstr(f.msg, "deeply"));
	/* a 1 MB attribute */
	n = (size_t)snprintf(doc, cap, "<dfxml><fileobject x='");
	memset(doc + n, 'A', 1 << 20);
	n += 1 << 20;
	n += (size_t)snprintf(doc + n, cap - n, "'/></dfxml>");
	ck_assert_int_eq(parse(doc, n, 65536, &c, &f, NULL), AIM_EMANIFEST);
	/* a file name longer than the text limit */
	n = (size_t)snprintf(doc, cap, "<dfxml><fileobject><filename>");
	memset(doc + n, 'b', 8192);
	n += 8192;
	n += (size_t)snprintf(doc + n, cap - n, "</filename></fileobject></dfxml>");
	ck_assert_int_eq(parse(doc, n, 65536, &c, &f, NULL), AIM_EMANIFEST);
	ck_assert_ptr_nonnull(strstr(f.msg, "too long"));
	/* more entries than allowed (the test's limit is 1000) */
	n = (size_t)snprintf(doc, cap, "<dfxml>");
	for (int i = 0; i < 1001; i++)
		n += (size_t)snprintf(doc + n, cap - n,
		    "<fileobject><filename>f%d</filename></fileobject>", i);
	n += (size_t)snprintf(doc + n, cap - n, "</dfxml>");
	ck_assert_int_eq(parse(doc, n, 65536, &c, &f, NULL), AIM_ETOOBIG);
	free(doc);
}
END_TEST

START_TEST(sweep_removes_only_abandoned_uploads)
{
	char dir[] = "/tmp/aimcase-objs-XXXXXX", path[256], hex[OBJ_HASH_LEN];
	struct aim_fault f = { 0 };
	struct obj_writer *live, *kept;
	FILE *fp;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* one being written (locked), one kept under its hash, one left by a killed process */
	ck_assert_ptr_nonnull(live = obj_writer_new(dir, &f));
	ck_assert_int_eq(obj_writer_write(live, "<dfxml/>", 8), AIM_OK);
	ck_assert_ptr_nonnull(kept = obj_writer_new(dir, &f));
	ck_assert_int_eq(obj_writer_write(kept, "<dfxml></dfxml>", 15), AIM_OK);
	obj_writer_hash(kept, hex);
	ck_assert_int_eq(obj_writer_keep(kept), AIM_OK);
	snprintf(path, sizeof(path), "%s/.upload-dead01", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fclose(fp);
	ck_assert_int_eq(obj_sweep(dir), 1);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(access(obj_writer_path(live), F_OK), 0);
	ck_assert_int_ge(fd = obj_open(dir, hex), 0);
	close(fd);
	obj_writer_free(live);
	obj_writer_free(kept);
	ck_assert_int_eq(obj_sweep("/nonexistent/aimcase"), 0);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, filter_passes_utf8);
	tcase_add_test(tc, filter_marks_odd_bytes);
	tcase_add_test(tc, filter_keeps_lone_cr);
	tcase_add_test(tc, filter_refuses_what_xml_refuses);
	tcase_add_test(tc, fiwalk_style);
	tcase_add_test(tc, namespace_on_inner_element);
	tcase_add_test(tc, raw_bytes_in_names);
	tcase_add_test(tc, declared_encoding_is_ignored);
	tcase_add_test(tc, sizes_up_to_int64_max);
	tcase_add_test(tc, nested_fileobject_is_refused);
	tcase_add_test(tc, real_tool_fixtures);
	tcase_add_test(tc, hostile_and_bad_input);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, sweep_removes_only_abandoned_uploads);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
