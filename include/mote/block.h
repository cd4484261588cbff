/*
 * mote application API: block devices (the disks given with xl's `disk =`):
 * open by name or index, size, sector size, read, write, flush, and the
 * asynchronous block_submit.
 *
 * Applications include <mote/...> headers; each function is documented in the
 * kernel header included below, and all are listed in docs/api.md.
 */
#ifndef MOTE_BLOCK_H
#define MOTE_BLOCK_H

#include <block.h>

#endif
