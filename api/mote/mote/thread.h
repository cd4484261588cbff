/*
 * mote application API: cooperative threads, wait queues, mutexes and semaphores.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_THREAD_H
#define MOTE_THREAD_H

#include <thread.h>

#endif
