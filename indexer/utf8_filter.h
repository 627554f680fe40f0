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
