/* SPDX-License-Identifier: MIT */
/*
 * Replaces musl's src/thread/x86_64/syscall_cp.s (mk/musl.mk): a system
 * call that is a cancellation point. musl's version checks the thread's
 * cancel flag and then issues `syscall`; the labels __cp_begin, __cp_end
 * and __cp_cancel let its cancellation signal handler (pthread_cancel.c)
 * see whether the thread was interrupted between the check and the call.
 * mote delivers no signals, so that window never matters: the check and the
 * call are ordinary C, and the labels mark this function only so that
 * pthread_cancel.c links.
 */
#include "pthread_impl.h"

hidden long __cancel(void);

hidden long __syscall_cp_asm(volatile int *cancel, syscall_arg_t nr,
                             syscall_arg_t u, syscall_arg_t v, syscall_arg_t w,
                             syscall_arg_t x, syscall_arg_t y, syscall_arg_t z)
{
	if (*cancel)
		return __cancel();
	return __syscall(nr, u, v, w, x, y, z);
}

__asm__(".globl __cp_begin, __cp_end, __cp_cancel\n"
        ".hidden __cp_begin, __cp_end, __cp_cancel\n"
        ".set __cp_begin, __syscall_cp_asm\n"
        ".set __cp_end, __syscall_cp_asm\n"
        ".set __cp_cancel, __syscall_cp_asm\n");
