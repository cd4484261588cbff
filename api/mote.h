/* SPDX-License-Identifier: MIT */
/*
 * <mote.h>: everything an application may use from mote, in one header
 * (like XTF's <xtf.h>). Applications are compiled with only this directory
 * (api/) and the C library's headers (libc/include/) on their include path,
 * and linked only against the functions declared there: including a kernel
 * header, or calling a kernel function not declared here, fails the build
 * (see docs/api.md, "The boundary").
 *
 * The C library (<stdio.h>, <stdlib.h>, <string.h>, <ctype.h>, <errno.h>,
 * <assert.h>, <time.h>, <inttypes.h>, <limits.h>, and the compiler's
 * <stdint.h>, <stddef.h>, <stdbool.h>, <stdarg.h>, <float.h>) is included
 * separately, as in any C program.
 */
#ifndef MOTE_H
#define MOTE_H

#include <mote/kernel.h>
#include <mote/console.h>
#include <mote/memory.h>
#include <mote/time.h>
#include <mote/timer.h>
#include <mote/thread.h>
#include <mote/events.h>
#include <mote/xenstore.h>
#include <mote/block.h>
#include <mote/smp.h>

#endif
