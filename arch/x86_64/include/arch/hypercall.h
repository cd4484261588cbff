/* SPDX-License-Identifier: MIT */
/*
 * Raw x86-64 PV hypercalls: one small inline function per hypercall mote uses,
 * named after it (as XTF does).
 *
 * ABI (arch-x86/xen-x86_64.h): hypercall N is a call to hypercall_page + N*32;
 * arguments in %rdi, %rsi, %rdx, %r10, %r8; result in %rax, negative errno
 * (xen/errno.h) on failure. Xen may clobber the argument registers (debug
 * builds deliberately do), so they are declared as outputs too.
 *
 * Callers that cannot let a failure pass use xen_call() (include/hypercall.h),
 * which reports the hypercall by name with its error code.
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

#include <xen_interface.h>

extern char hypercall_page[];

#define HYPERCALL_ASM(nr) "call hypercall_page + " #nr " * 32"
#define HYPERCALL_NR(nr)  HYPERCALL_ASM(nr)

#define _hypercall1(nr, a1)                                             \
    ({                                                                  \
        long res_, a1_ = (long)(a1);                                    \
        asm volatile (HYPERCALL_NR(nr)                                  \
                      : "=a" (res_), "+D" (a1_)                         \
                      :: "memory");                                     \
        res_;                                                           \
    })

#define _hypercall2(nr, a1, a2)                                         \
    ({                                                                  \
        long res_, a1_ = (long)(a1), a2_ = (long)(a2);                  \
        asm volatile (HYPERCALL_NR(nr)                                  \
                      : "=a" (res_), "+D" (a1_), "+S" (a2_)             \
                      :: "memory");                                     \
        res_;                                                           \
    })

#define _hypercall3(nr, a1, a2, a3)                                     \
    ({                                                                  \
        long res_, a1_ = (long)(a1), a2_ = (long)(a2), a3_ = (long)(a3); \
        asm volatile (HYPERCALL_NR(nr)                                  \
                      : "=a" (res_), "+D" (a1_), "+S" (a2_), "+d" (a3_) \
                      :: "memory");                                     \
        res_;                                                           \
    })

#define _hypercall4(nr, a1, a2, a3, a4)                                 \
    ({                                                                  \
        long res_, a1_ = (long)(a1), a2_ = (long)(a2), a3_ = (long)(a3); \
        register long a4_ asm ("r10") = (long)(a4);                     \
        asm volatile (HYPERCALL_NR(nr)                                  \
                      : "=a" (res_), "+D" (a1_), "+S" (a2_), "+d" (a3_), \
                        "+r" (a4_)                                      \
                      :: "memory");                                     \
        res_;                                                           \
    })

static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
    return _hypercall1(__HYPERVISOR_set_trap_table, table);
}

static inline long HYPERVISOR_mmu_update(const mmu_update_t *req, unsigned int count,
                                         unsigned int *done, domid_t domid)
{
    return _hypercall4(__HYPERVISOR_mmu_update, req, count, done, domid);
}

/* x86-64 form: (event_address, failsafe_address, syscall_address). */
static inline long HYPERVISOR_set_callbacks(unsigned long event, unsigned long failsafe,
                                            unsigned long syscall)
{
    return _hypercall3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return _hypercall1(__HYPERVISOR_fpu_taskswitch, set);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
                                                unsigned long flags)
{
    return _hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long HYPERVISOR_set_timer_op(uint64_t timeout_ns)
{
    return _hypercall1(__HYPERVISOR_set_timer_op, timeout_ns);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{
    return _hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return _hypercall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return _hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpuid, void *arg)
{
    return _hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpuid, arg);
}

static inline long HYPERVISOR_mmuext_op(struct mmuext_op *op, unsigned int count,
                                        unsigned int *done, domid_t domid)
{
    return _hypercall4(__HYPERVISOR_mmuext_op, op, count, done, domid);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long HYPERVISOR_callback_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

/* x86-64: sets the base of %fs or %gs (SEGBASE_*, xen-x86_64.h). */
static inline long HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
{
    return _hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_physdev_op, cmd, arg);
}

#endif
