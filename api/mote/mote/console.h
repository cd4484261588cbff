/*
 * mote application API: console output and keyboard input.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_CONSOLE_H
#define MOTE_CONSOLE_H

#include <console.h>

#endif
