/* SPDX-License-Identifier: MIT */
/*
 * Replaces musl's src/thread/x86_64/clone.s (mk/musl.mk), which issues the
 * clone system call and, in the child, calls fn(arg) on the new stack. A C
 * function cannot return twice, so the whole of it is mote's: mote_clone
 * (posix/thread.c) makes a thread that calls fn(arg) on stack and exits with
 * its result; the caller gets the new thread's id, as the parent does.
 */
#include <stdarg.h>
#include "pthread_impl.h"

long mote_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
                int *ptid, unsigned long tls, int *ctid);

int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	unsigned long tls = (unsigned long)va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);
	return mote_clone(fn, stack, (unsigned)flags, arg, ptid, tls, ctid);
}
