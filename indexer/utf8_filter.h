/*
 * utf8_filter — make a byte stream acceptable to an XML parser, reversibly.
 *
 * Forensic tools copy raw file-name bytes into their XML: invalid UTF-8 and
 * control characters, which a conforming parser rejects for the whole file.
 * The filter passes well-formed UTF-8 through unchanged and replaces each
 * odd byte b with the private-use code point U+10FF00 + b (4 bytes of UTF-8,
 * a legal XML character).  Odd bytes are: bytes that are not part of a
 * valid UTF-8 sequence, C0 controls other than tab and LF, a CR that is not
 * followed by LF (XML would read it as LF and lose it), the bytes of
 * U+FFFE and U+FFFF, and the bytes of any real U+10FF00–U+10FFFF (so that
 * the mapping can always be undone).  utf8_unmark() turns a filtered text
 * back into the original bytes written as `\xNN`, with `\` written as `\\`.
 *
 * A numeric character reference into U+10FF00–U+10FFFF (`&#x10FF41;`) would
 * reach the parser as a mark that no odd byte made (libxml2 expands
 * references after the filter): the filter notes where the first one starts
 * (reserved_*), in the input (line, column) and in its output (the offset
 * the reader compares with the parser's position to refuse the manifest).
 * It does not tell CDATA sections or comments from text: such a reference
 * there is noted too.
 */
#ifndef UTF8_FILTER_H
#define UTF8_FILTER_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_FILTER_GROWTH 4	/* out needs 4 bytes per input byte, plus 16 */

struct utf8_filter {
	unsigned char pend[4];	/* an incomplete sequence from the last chunk */
	size_t npend;
	uint64_t odd;		/* odd bytes replaced so far */
	uint64_t out;		/* bytes written so far, all calls */
	uint64_t line, col;	/* where the next byte is (1-based; the column in bytes) */
	uint64_t ref_line, ref_col, ref_out;	/* where the reference being read starts */
	/* the first reference into U+10FF00–U+10FFFF: line 0 when none; out, its offset in the output */
	uint64_t reserved_line, reserved_col, reserved_out;
	unsigned char ref;	/* in a numeric reference: 1 "&", 2 "&#", 3 "&#x…", 4 "&#…" */
	uint32_t ref_value;	/* its value so far (0x110000 once past U+10FFFF) */
};

/* Start a filter. */
void utf8_filter_init(struct utf8_filter *f);

/*
 * Filter len bytes of in into out (borrowed, at least 4 * len + 16 bytes);
 * returns the bytes written.  A sequence cut at the end of in is kept for
 * the next call; with final set, it is flushed as odd bytes.
 */
size_t utf8_filter_run(struct utf8_filter *f, const unsigned char *in, size_t len,
    unsigned char *out, int final);

/* 1 when s (len bytes) contains a marker written by the filter. */
int utf8_has_marks(const char *s, size_t len);

/*
 * Undo the filter's marks in s (len bytes): each marker becomes "\xNN" and
 * each backslash "\\".  Writes at most 2 * len + 1 bytes into out (borrowed)
 * with a final NUL; returns the length.
 */
size_t utf8_unmark(const char *s, size_t len, char *out);

#endif
