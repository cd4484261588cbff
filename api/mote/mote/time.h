/*
 * mote application API: the clocks: monotonic system time and the UTC wall clock.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_TIME_H
#define MOTE_TIME_H

#include <clock.h>
#include <utc.h>

#endif
