#include "utf8_filter.h"

#include <string.h>

void
utf8_filter_init(struct utf8_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->line = f->col = 1;
}

/* One more printable ASCII byte, written at output offset at: follow numeric references. */
static void
ref_step(struct utf8_filter *f, unsigned char b, uint64_t at)
{
	int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 :
	    b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;

	if (b == '&') {
		f->ref = 1;
		f->ref_line = f->line;
		f->ref_col = f->col;
		f->ref_out = at;
	} else if (f->ref == 1) {
		f->ref = b == '#' ? 2 : 0;
	} else if (f->ref == 2 && b == 'x') {
		f->ref = 3;
		f->ref_value = 0;
	} else if (f->ref == 2 && d >= 0 && d < 10) {
		f->ref = 4;
		f->ref_value = (uint32_t)d;
	} else if ((f->ref == 3 || f->ref == 4) && d >= 0 && d < (f->ref == 3 ? 16 : 10)) {
		f->ref_value = f->ref_value * (f->ref == 3 ? 16u : 10u) + (uint32_t)d;
		if (f->ref_value > 0x10FFFF)
			f->ref_value = 0x110000;
	} else {
		if ((f->ref == 3 || f->ref == 4) && b == ';' && f->ref_value >= 0x10FF00 &&
		    f->ref_value <= 0x10FFFF && f->reserved_line == 0) {
			/* the first reference into the marks' range: the one to refuse */
			f->reserved_line = f->ref_line;
			f->reserved_col = f->ref_col;
			f->reserved_out = f->ref_out;
		}
		f->ref = 0;
	}
}

/* 1 when one of the eight bytes of v is '&'. */
static int
has_amp(uint64_t v)
{
	uint64_t t = v ^ 0x2626262626262626u;

	return ((t - 0x0101010101010101u) & ~t & 0x8080808080808080u) != 0;
}

static size_t
mark(unsigned char b, unsigned char *out)
{
	out[0] = 0xF4;
	out[1] = 0x8F;
	out[2] = (unsigned char)(0xBC | (b >> 6));
	out[3] = (unsigned char)(0x80 | (b & 0x3F));
	return 4;
}

static int
cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Length of the valid, XML-acceptable UTF-8 sequence at s (n bytes there),
 * 0 if the first byte is odd, or -1 if more bytes are needed to decide.
 */
static int
seq_len(const unsigned char *s, size_t n)
{
	unsigned char b = s[0];
	int need;
	unsigned char lo = 0x80, hi = 0xBF;

	if (b == '\r') {
		/*
		 * A CR before LF ends a line; a lone CR is data (a Mac "Icon\r"
		 * file) that XML would turn into LF: keep it as an odd byte.
		 */
		if (n < 2)
			return -1;
		return s[1] == '\n' ? 1 : 0;
	}
	if (b < 0x80)
		return (b >= 0x20 || b == '\t' || b == '\n') ? 1 : 0;
	if (b >= 0xC2 && b <= 0xDF)
		need = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		need = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		need = 4;
	else
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;	/* no surrogates */
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	for (int i = 1; i < need; i++) {
		if ((size_t)i >= n)
			return -1;
		if (i == 1 ? (s[1] < lo || s[1] > hi) : !cont(s[i]))
			return 0;
	}
	if (need == 3 && b == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 0;	/* U+FFFE, U+FFFF */
	if (need == 4 && b == 0xF4 && s[1] == 0x8F && s[2] >= 0xBC)
		return 0;	/* our own marker range */
	return need;
}

/* Filter what can be decided in s[0..n); returns bytes consumed. */
static size_t
run(struct utf8_filter *f, const unsigned char *s, size_t n, unsigned char *out,
    size_t *w, int final)
{
	size_t i = 0;

	while (i < n) {
		int k;

		/* fast path: eight bytes of printable ASCII, no reference, at a time */
		while (f->ref == 0 && i + 8 <= n) {
			uint64_t v;

			memcpy(&v, s + i, 8);
			if ((v & 0x8080808080808080u) != 0 ||
			    ((v - 0x2020202020202020u) & ~v & 0x8080808080808080u) != 0 || has_amp(v))
				break;
			memcpy(out + *w, &v, 8);
			*w += 8;
			i += 8;
			f->col += 8;
		}
		if (i >= n)
			break;
		/* plain printable ASCII */
		if (s[i] >= 0x20 && s[i] < 0x80) {
			ref_step(f, s[i], f->out + *w);
			f->col++;
			out[(*w)++] = s[i++];
			continue;
		}
		k = seq_len(s + i, n - i);
		if (k < 0 && !final)
			break;
		f->ref = 0;	/* no reference holds anything else */
		if (s[i] == '\n') {
			f->line++;
			f->col = 0;
		}
		f->col += k > 0 ? (uint64_t)k : 1;
		if (k <= 0) {
			*w += mark(s[i], out + *w);
			f->odd++;
			i++;
			continue;
		}
		memcpy(out + *w, s + i, (size_t)k);
		*w += (size_t)k;
		i += (size_t)k;
	}
	return i;
}

size_t
utf8_filter_run(struct utf8_filter *f, const unsigned char *in, size_t len, unsigned char *out,
    int final)
{
	size_t w = 0, used;

	/* First settle a sequence cut at the end of the last chunk. */
	while (f->npend > 0) {
		unsigned char tmp[8];
		size_t n = f->npend, take = len < 4 ? len : 4;
		int k;

		memcpy(tmp, f->pend, n);
		memcpy(tmp + n, in, take);
		k = seq_len(tmp, n + take);
		if (k < 0 && !final) {
			/* still cut: take the whole (short) chunk into pend */
			memcpy(f->pend + n, in, len);
			f->npend = n + len;
			f->out += w;
			return w;
		}
		f->ref = 0;
		f->col += k > 0 ? (uint64_t)k : 1;
		if (k <= 0) {
			w += mark(tmp[0], out + w);
			f->odd++;
			memmove(f->pend, f->pend + 1, n - 1);
			f->npend = n - 1;
			continue;
		}
		memcpy(out + w, tmp, (size_t)k);
		w += (size_t)k;
		if ((size_t)k >= n) {
			in += (size_t)k - n;
			len -= (size_t)k - n;
			f->npend = 0;
		} else {
			memmove(f->pend, f->pend + k, n - (size_t)k);
			f->npend = n - (size_t)k;
		}
	}
	used = run(f, in, len, out, &w, final);
	f->npend = len - used;
	memcpy(f->pend, in + used, f->npend);
	f->out += w;
	return w;
}

int
utf8_has_marks(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i + 3 < len; i++)
		if (p[i] == 0xF4 && p[i + 1] == 0x8F && p[i + 2] >= 0xBC)
			return 1;
	return 0;
}

size_t
utf8_unmark(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	for (size_t i = 0; i < len; i++) {
		if (i + 3 < len && p[i] == 0xF4 && p[i + 1] == 0x8F && p[i + 2] >= 0xBC) {
			unsigned b = ((p[i + 2] & 3u) << 6) | (p[i + 3] & 0x3Fu);

			out[w++] = '\\';
			out[w++] = 'x';
			out[w++] = hex[b >> 4];
			out[w++] = hex[b & 15];
			i += 3;
		} else if (p[i] == '\\') {
			out[w++] = '\\';
			out[w++] = '\\';
		} else {
			out[w++] = (char)p[i];
		}
	}
	out[w] = '\0';
	return w;
}
