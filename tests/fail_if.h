/* SPDX-License-Identifier: MIT */
/*
 * For test kernels whose tests are functions returning NULL on success or a
 * message on failure: FAIL_IF(cond, fmt, ...) returns the formatted message
 * (in one static buffer) when cond holds.
 */
#ifndef TESTS_FAIL_IF_H
#define TESTS_FAIL_IF_H

#include <format.h>

static char why_buf[160];

#define FAIL_IF(cond, ...)                                              \
    do {                                                                \
        if (cond) {                                                     \
            snprintf(why_buf, sizeof(why_buf), __VA_ARGS__);            \
            return why_buf;                                             \
        }                                                               \
    } while (0)

#endif
