/* SPDX-License-Identifier: MIT */
/*
 * Replaces musl's src/thread/x86_64/clone.s (mk/musl.mk), which issues the
 * clone system call and, in the child, calls fn(arg) on the new stack. A C
 * function cannot return twice, so the whole of it is mote's: mote_clone
 * (posix/thread.c) makes a thread that calls fn(arg) on stack and exits with
 * its result; the caller gets the new thread's id, as the parent does.
 */
#define _GNU_SOURCE             /* CLONE_SETTLS */
#include <stdarg.h>
#include "pthread_impl.h"

long mote_clone(int (*fn)(void *), void *stack, unsigned long stack_lo, unsigned long flags,
                void *arg, int *ptid, unsigned long tls, int *ctid);

/* The lowest byte of the stack pthread_create made for the thread whose
 * thread pointer is tls: its struct pthread (TP_ADJ is the identity on
 * x86-64) has the stack's top and size. 0 if unknown. mote's overflow
 * check limits the thread to it (arch/x86_64/include/arch/stack_check.h). */
static unsigned long stack_lowest(unsigned long tls)
{
	struct pthread *p = (struct pthread *)tls;

	return p ? (unsigned long)p->stack - p->stack_size : 0;
}

int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	unsigned long tls = (unsigned long)va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);
	if (!(flags & CLONE_SETTLS))
		tls = 0;
	return mote_clone(fn, stack, stack_lowest(tls), (unsigned)flags, arg, ptid, tls, ctid);
}
