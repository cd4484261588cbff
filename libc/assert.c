/* SPDX-License-Identifier: MIT */
/*
 * assert's failure path (<assert.h>): reports the expression and where it
 * is, and crashes the domain (panic), so a test sees reason "crash".
 */
#include <assert.h>
#include <mote/kernel.h>

void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func)
{
    panic("assertion failed: %s (%s:%u, %s)", expr, file, line, func);
}
