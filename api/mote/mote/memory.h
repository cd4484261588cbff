/*
 * mote application API: malloc and friends, whole pages, and mapping other domains' pages.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_MEMORY_H
#define MOTE_MEMORY_H

#include <stdlib.h>
#include <page_alloc.h>
#include <mm.h>

#endif
