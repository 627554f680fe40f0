/*
 * aim_time — RFC 3339 times and the legal clocks computed from them.
 *
 * Times are kept as int64 seconds since the Unix epoch, UTC.  Parsing is
 * strict RFC 3339 (a 'T' or 't', seconds required, optional fraction, 'Z' or
 * ±hh:mm); formatting always writes "YYYY-MM-DDTHH:MM:SSZ".  Nothing here
 * reads the clock except aim_time_now().
 */
#ifndef AIM_TIME_H
#define AIM_TIME_H

#include <stddef.h>
#include <stdint.h>

#define AIM_TIME_LEN 21		/* "2026-10-30T14:05:00Z" plus NUL */
#define AIM_REMOVAL_WINDOW (48 * 3600)	/* 47 U.S.C. 223a: 48 hours */
#define AIM_YEAR_SECONDS (365 * 86400)

/* Current time, seconds since the epoch. */
int64_t aim_time_now(void);

/* Parse an RFC 3339 string; 0 and *out set on success, -1 if invalid. */
int aim_time_parse(const char *s, int64_t *out);

/* Write t as "YYYY-MM-DDTHH:MM:SSZ" into buf (borrowed, >= AIM_TIME_LEN). */
void aim_time_format(int64_t t, char buf[AIM_TIME_LEN]);

/* Calendar year (UTC) of t. */
int aim_time_year(int64_t t);

/* Seconds since the epoch of a proleptic-Gregorian UTC date and time. */
int64_t aim_time_from_civil(int y, int mon, int d, int h, int min, int s);

/* Take It Down removal deadline: request + 48 h. */
int64_t aim_removal_due(int64_t requested_at);

/*
 * 1 when the removal is overdue: not removed (removed_at < 0) and now is
 * past the deadline, or removed after the deadline.
 */
int aim_removal_overdue(int64_t requested_at, int64_t removed_at, int64_t now);

/*
 * CFAA loss: the largest sum of amounts whose times fall within one window of
 * AIM_YEAR_SECONDS.  times and cents are borrowed arrays of n entries, sorted
 * by time ascending.
 */
int64_t aim_loss_max_window(const int64_t *times, const int64_t *cents, size_t n);

#endif
