/* SPDX-License-Identifier: MIT */
/*
 * Block devices (drivers/block/): the whole interface is the application
 * API, <mote/block.h>, where each function's contract is.
 */
#ifndef BLOCK_H
#define BLOCK_H

#include <mote/block.h>

#endif
