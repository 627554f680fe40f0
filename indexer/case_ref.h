/*
 * case_ref — case references "AIM-YYYY-NNNNN".
 *
 * The year is the year the case was opened; the number counts cases opened
 * that year, from 1 to 99999.
 */
#ifndef CASE_REF_H
#define CASE_REF_H

#define CASE_REF_LEN 15		/* "AIM-2026-00012" plus NUL */
#define CASE_REF_MAX_SEQ 99999

/* Write the reference into buf (borrowed); -1 if year or seq is out of range. */
int case_ref_format(int year, int seq, char buf[CASE_REF_LEN]);

/* Parse a reference strictly; 0 with *year, *seq set, or -1. */
int case_ref_parse(const char *s, int *year, int *seq);

#endif
