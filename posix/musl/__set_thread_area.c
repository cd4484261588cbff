/* SPDX-License-Identifier: MIT */
/*
 * Replaces musl's src/thread/x86_64/__set_thread_area.s (mk/musl.mk), which
 * issues arch_prctl(ARCH_SET_FS) with a `syscall` instruction: the same
 * call, through mote's table (posix/process.c loads %fs with
 * HYPERVISOR_set_segment_base). musl's generic C version would ask for
 * set_thread_area, which is i386's call, so it is replaced too.
 */
#include "pthread_impl.h"

/* Linux's arch/x86/include/uapi/asm/prctl.h (musl has no header for it). */
#define ARCH_SET_FS 0x1002

int __set_thread_area(void *p)
{
	return __syscall(SYS_arch_prctl, ARCH_SET_FS, p);
}
