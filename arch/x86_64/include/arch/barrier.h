/*
 * Memory barriers for rings shared with another domain (io/ring.h names them
 * xen_mb/xen_rmb/xen_wmb and leaves their definition to the guest).
 *
 * x86-64 is TSO: loads are not reordered with other loads, stores not with
 * other stores, and loads not with later stores (Intel SDM vol. 3, 8.2.2). So
 * the read and write barriers only have to stop the compiler; the one
 * reordering the CPU does, a store passing a later load, needs mfence. This is
 * what Linux's virt_rmb/virt_wmb/virt_mb are on x86.
 *
 * Also built into the host tests, which run on x86-64 as well.
 */
#ifndef ARCH_BARRIER_H
#define ARCH_BARRIER_H

#define xen_mb()  asm volatile ("mfence" ::: "memory")
#define xen_rmb() asm volatile ("" ::: "memory")
#define xen_wmb() asm volatile ("" ::: "memory")

/* One access of a field the other domain may change at any time: the
 * compiler must neither re-read it nor tear it (a 32-bit aligned access is
 * atomic on x86). */
#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif
