/*
 * mote application API: event channels (bind, send, mask, close) and waiting for events.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_EVENTS_H
#define MOTE_EVENTS_H

#include <events.h>

#endif
