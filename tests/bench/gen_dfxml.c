/*
 * gen_dfxml — a deterministic fiwalk-style DFXML manifest of N entries on
 * stdout, for the import benchmark.  Same N, same bytes (fixed seed).
 *
 *   gen_dfxml 1000000 > big.xml
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t
next(void)
{
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717u;
}

static void
hex(char *out, int n)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < n; i += 16) {
		uint64_t v = next();

		for (int k = 0; k < 16 && i + k < n; k++, v >>= 4)
			out[i + k] = digits[v & 15];
	}
	out[n] = '\0';
}

static const char *const dirs[] = { "Users/jdoe/Documents", "Users/jdoe/Pictures/2025",
	"Users/jdoe/AppData/Local/Temp", "Windows/System32/drivers", "Program Files/Agent",
	"Users/jdoe/Downloads", "ProgramData/Microsoft/Crypto", "Users/jdoe/Desktop/export" };
static const char *const exts[] = { "docx", "jpg", "pdf", "dll", "json", "log", "png", "txt" };

int
main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	char md5[33], sha1[41], when[32];
	struct tm tm;

	printf("<?xml version='1.0' encoding='UTF-8'?>\n"
	    "<dfxml\n  xmlns='http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML'\n"
	    "  xmlns:dc='http://purl.org/dc/elements/1.1/'\n  version='1.0'>\n"
	    "  <metadata>\n    <dc:type>Disk Image</dc:type>\n  </metadata>\n"
	    "  <creator version='1.0'>\n    <program>fiwalk</program>\n"
	    "    <version>4.11.1</version>\n    <execution_environment>\n"
	    "      <command_line>fiwalk -X laptop.xml laptop.raw</command_line>\n"
	    "    </execution_environment>\n  </creator>\n"
	    "  <source>\n    <image_filename>laptop.raw</image_filename>\n  </source>\n"
	    "  <volume offset='1048576'>\n");
	for (long i = 0; i < n; i++) {
		uint64_t r = next();
		unsigned d = (unsigned)(r % 8), e = (unsigned)((r >> 8) % 8);
		uint64_t size = (r >> 16) % 5000000;
		long t = 1700000000 + (long)((r >> 40) % 60000000);

		time_t tt = (time_t)t;

		gmtime_r(&tt, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		hex(md5, 32);
		hex(sha1, 40);
		printf("    <fileobject>\n      <parent_object>\n        <inode>%ld</inode>\n"
		    "      </parent_object>\n      <filename>%s/file_%07ld.%s</filename>\n"
		    "      <partition>1</partition>\n      <id>%ld</id>\n"
		    "      <name_type>r</name_type>\n      <filesize>%" PRIu64 "</filesize>\n"
		    "      <alloc>%d</alloc>\n      <used>1</used>\n      <inode>%ld</inode>\n"
		    "      <meta_type>1</meta_type>\n      <mode>420</mode>\n"
		    "      <mtime>%s</mtime>\n"
		    "      <byte_runs>\n       <byte_run file_offset='0' fs_offset='%" PRIu64
		    "' img_offset='%" PRIu64 "' len='%" PRIu64 "'/>\n      </byte_runs>\n"
		    "      <hashdigest type='md5'>%s</hashdigest>\n"
		    "      <hashdigest type='sha1'>%s</hashdigest>\n    </fileobject>\n",
		    2 + (i % 997), dirs[d], i, exts[e], i + 1, size, (r >> 60) != 0, 100 + i, when,
		    r % 100000000, r % 100000000 + 1048576, size, md5, sha1);
	}
	printf("  </volume>\n</dfxml>\n");
	return 0;
}
