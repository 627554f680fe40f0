/*
 * escape — the one place where text becomes HTML.  (JSON is always written
 * by jansson.)
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>

/*
 * HTML-escape text, turning the search engine's hit markers (\x01 before,
 * \x02 after a hit) into <mark> and </mark>.  Returns a malloc'd string
 * (owned: free) or NULL when out of memory.
 */
char *html_escape_marked(const char *text);

#endif
