/*
 * mote application API: one-shot timers and sleeping.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_TIMER_H
#define MOTE_TIMER_H

#include <timer.h>

#endif
