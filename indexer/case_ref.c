#include "case_ref.h"

#include <stdio.h>
#include <string.h>

int
case_ref_format(int year, int seq, char buf[CASE_REF_LEN])
{
	if (year < 1000 || year > 9999 || seq < 1 || seq > CASE_REF_MAX_SEQ)
		return -1;
	snprintf(buf, CASE_REF_LEN, "AIM-%04d-%05d", year, seq);
	return 0;
}

int
case_ref_parse(const char *s, int *year, int *seq)
{
	int y = 0, n = 0;

	if (s == NULL || strlen(s) != CASE_REF_LEN - 1 || strncmp(s, "AIM-", 4) != 0 ||
	    s[8] != '-')
		return -1;
	for (int i = 4; i < 8; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	for (int i = 9; i < 14; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (y < 1000 || n < 1)
		return -1;
	*year = y;
	*seq = n;
	return 0;
}
