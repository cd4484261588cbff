/* SPDX-License-Identifier: MIT */
/*
 * A recursion of known stack use for the stack tests (tests/apps/stacktest):
 * about FRAME_BYTES of stack per level.
 */
#ifndef TESTS_APPS_RECURSE_H
#define TESTS_APPS_RECURSE_H

#define FRAME_BYTES 1000

/* Down to `levels` (never, if < 0). The volatile array keeps the frame;
 * adding after the call keeps it from being a tail call. */
static __attribute__((noinline)) int recurse(int depth, int levels)
{
    volatile char frame[FRAME_BYTES];

    frame[0] = (char)depth;
    frame[FRAME_BYTES - 1] = (char)depth;
    if (depth == levels)
        return frame[0];
    return recurse(depth + 1, levels) + frame[FRAME_BYTES - 1];
}

#endif
