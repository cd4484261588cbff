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

/* struct utc_date, utc_from_unix and utc_format are in the API. */
#include <mote/time.h>

#endif
