#include "escape.h"

#include <stdlib.h>
#include <string.h>

char *
html_escape_marked(const char *text)
{
	size_t cap = strlen(text) * 7 + 1, w = 0;
	char *out = malloc(cap);

	if (out == NULL)
		return NULL;
	for (const char *p = text; *p != '\0'; p++) {
		const char *rep = NULL;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\x01':
			rep = "<mark>";
			break;
		case '\x02':
			rep = "</mark>";
			break;
		default:
			out[w++] = *p;
			continue;
		}
		memcpy(out + w, rep, strlen(rep));
		w += strlen(rep);
	}
	out[w] = '\0';
	return out;
}
