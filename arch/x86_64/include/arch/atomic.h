/* SPDX-License-Identifier: MIT */
/*
 * Atomic bit operations and barriers on memory shared with Xen.
 *
 * The event-channel bitmaps in the shared info page are written by Xen on
 * other physical CPUs at any time (xen.h, struct shared_info: PENDING is set
 * by Xen and cleared by the guest), so read-modify-writes of them must be
 * locked instructions, like Linux's sync_* bitops.
 */
#ifndef ARCH_ATOMIC_H
#define ARCH_ATOMIC_H

#include <arch/barrier.h>
#include <stdbool.h>

static inline unsigned long xchg_ulong(volatile unsigned long *p, unsigned long v)
{
    asm volatile ("xchg %0, %1" : "+r" (v), "+m" (*p) :: "memory");
    return v;
}

static inline void sync_set_bit(unsigned int nr, volatile unsigned long *addr)
{
    asm volatile ("lock btsq %1, %0" : "+m" (*addr) : "Ir" ((unsigned long)nr) : "memory");
}

static inline void sync_clear_bit(unsigned int nr, volatile unsigned long *addr)
{
    asm volatile ("lock btrq %1, %0" : "+m" (*addr) : "Ir" ((unsigned long)nr) : "memory");
}

static inline bool sync_test_and_set_bit(unsigned int nr, volatile unsigned long *addr)
{
    bool old;

    asm volatile ("lock btsq %2, %1" : "=@ccc" (old), "+m" (*addr)
                  : "Ir" ((unsigned long)nr) : "memory");
    return old;
}

static inline bool sync_test_and_clear_bit(unsigned int nr, volatile unsigned long *addr)
{
    bool old;

    asm volatile ("lock btrq %2, %1" : "=@ccc" (old), "+m" (*addr)
                  : "Ir" ((unsigned long)nr) : "memory");
    return old;
}

static inline bool test_bit(unsigned int nr, const volatile unsigned long *addr)
{
    return (addr[nr / 64] >> (nr % 64)) & 1;
}

/* In a spin-wait loop: tells the CPU (and a hypervisor watching for spinning
 * guests) that we are waiting (Intel SDM, PAUSE). */
static inline void cpu_relax(void)
{
    asm volatile ("pause" ::: "memory");
}

/* Index of the lowest set bit; x must be non-zero. */
static inline unsigned int lowest_bit(unsigned long x)
{
    return (unsigned int)__builtin_ctzl(x);
}

#endif
