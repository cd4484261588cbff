/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates from Unix time (seconds since 1970-01-01 00:00:00 UTC, no
 * leap seconds, as Xen's wc_sec counts them: xen.h, struct shared_info).
 * 64-bit seconds throughout, so dates past 2038 (and before 1970) are right.
 */
#ifndef UTC_H
#define UTC_H

#include <stddef.h>
#include <stdint.h>

/* struct utc_date is in the API. */
#include <mote/time.h>

/* Splits Unix time `t` into its UTC calendar date and time of day. */
void utc_from_unix(int64_t t, struct utc_date *d);

/* Writes "YYYY-MM-DD HH:MM:SS UTC" for `t` into buf; returns what snprintf would. */
int utc_format(char *buf, size_t size, int64_t t);

#endif
