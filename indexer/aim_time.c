#include "aim_time.h"

#include <stdio.h>
#include <time.h>

int64_t
aim_time_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec;
}

/* Days from 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t
aim_time_from_civil(int y, int mon, int d, int h, int min, int s)
{
	return days_from_civil(y, mon, d) * 86400 + h * 3600 + min * 60 + s;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int
aim_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;

	if (s == NULL)
		return -1;
	/* YYYY-MM-DDTHH:MM:SS */
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
			return -1;
		if (oh > 23 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60)		/* leap second: count it as the next second */
		sec = 59;
	*out = aim_time_from_civil(y, mo, d, h, mi, sec) -
	    sign * (oh * 3600 + om * 60);
	return 0;
}

void
aim_time_format(int64_t t, char buf[AIM_TIME_LEN])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, AIM_TIME_LEN, "0000-01-01T00:00:00Z");
		return;
	}
	/* Every field is in range here; the modulos tell the compiler so. */
	snprintf(buf, AIM_TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(rem / 3600) % 100u,
	    (unsigned)(rem / 60 % 60) % 100u, (unsigned)(rem % 60) % 100u);
}

int
aim_time_year(int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	return y;
}

int64_t
aim_removal_due(int64_t requested_at)
{
	return requested_at + AIM_REMOVAL_WINDOW;
}

int
aim_removal_overdue(int64_t requested_at, int64_t removed_at, int64_t now)
{
	int64_t due = aim_removal_due(requested_at);

	if (removed_at < 0)
		return now > due;
	return removed_at > due;
}

int64_t
aim_loss_max_window(const int64_t *times, const int64_t *cents, size_t n)
{
	int64_t best = 0, sum = 0;
	size_t lo = 0;

	for (size_t hi = 0; hi < n; hi++) {
		sum += cents[hi];
		while (times[hi] - times[lo] >= AIM_YEAR_SECONDS)
			sum -= cents[lo++];
		if (sum > best)
			best = sum;
	}
	return best;
}
