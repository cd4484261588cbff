/* SPDX-License-Identifier: MIT */
/*
 * Every memory barrier mote uses, defined here once: barrier() for the
 * compiler alone, mb/rmb/wmb for memory another CPU or domain writes, and
 * the names xen/io/ring.h uses (xen_mb/xen_rmb/xen_wmb: it leaves their
 * definition to the guest).
 *
 * x86-64 is TSO: loads are not reordered with other loads, stores not with
 * other stores, and loads not with later stores (Intel SDM vol. 3, 8.2.2), so
 * the read and write barriers only stop the compiler; the one reordering the
 * CPU does, a store passing a later load, needs mfence. Linux's
 * virt_rmb/virt_wmb/virt_mb are the same on x86.
 *
 * Also built into the host tests, which run on x86-64 as well.
 */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

/* The compiler must not move memory accesses across this; the CPU may. */
#define barrier() asm volatile ("" ::: "memory")

#define rmb()  barrier()
#define wmb()  barrier()
#define mb()   asm volatile ("mfence" ::: "memory")

#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()

/* One access of a field the other domain may change at any time: the
 * compiler must neither re-read it nor tear it (an aligned 32-bit access is
 * atomic on x86). */
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
