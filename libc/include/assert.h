/* SPDX-License-Identifier: MIT */
/*
 * <assert.h>: a failed assert(expr) prints "assertion failed: EXPR
 * (FILE:LINE, FUNCTION)" and crashes the domain (libc/assert.c). With NDEBUG
 * defined, assert does nothing, as the standard says; this header may be
 * included more than once with NDEBUG changing in between.
 */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) \
    ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef ASSERT_H
#define ASSERT_H
__attribute__((noreturn))
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func);
#define static_assert _Static_assert
#endif
