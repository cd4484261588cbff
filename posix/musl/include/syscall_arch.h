/* SPDX-License-Identifier: MIT */
/*
 * mote's syscall_arch.h, put before musl's own arch/x86_64/syscall_arch.h
 * when musl is built (mk/musl.mk): musl's __syscall0 .. __syscall6 issue the
 * `syscall` instruction; here they are plain C calls into mote's system call
 * table (posix/syscall_table.c), with Linux's numbers and arguments and its
 * return convention (-errno on failure). No trap, no mode switch: the
 * application and the kernel run in the same address space and mode (and a
 * `syscall` in a PV guest's kernel mode would be a hypercall anyway,
 * /work/shared/reference/posix-usermode-notes.md).
 *
 * There is no vDSO (VDSO_USEFUL is not defined), so clock_gettime asks the
 * table too.
 */

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

long mote_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);

static __inline long __syscall0(long n)
{
	return mote_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a1)
{
	return mote_syscall(n, a1, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a1, long a2)
{
	return mote_syscall(n, a1, a2, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
	return mote_syscall(n, a1, a2, a3, 0, 0, 0);
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
	return mote_syscall(n, a1, a2, a3, a4, 0, 0);
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
	return mote_syscall(n, a1, a2, a3, a4, a5, 0);
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return mote_syscall(n, a1, a2, a3, a4, a5, a6);
}

#define IPC_64 0
