/* SPDX-License-Identifier: MIT */
/*
 * The C functions that assembly calls, in one place: the entry points Xen
 * and the thread switch jump into. Nothing in C calls them; they are
 * declared here so each definition has its prototype
 * (-Wmissing-prototypes) and a reader finds every way into C from assembly.
 */
#ifndef ASM_CALLS_H
#define ASM_CALLS_H

#include <arch/regs.h>
#include <xen_interface.h>

struct thread;

/* arch/x86_64/head.S, _start: the first C code (kernel/boot.c). */
__attribute__((noreturn)) void start_kernel(start_info_t *si);

/* arch/x86_64/upcall.S, hypervisor_callback: an event upcall, with
 * delivery masked (kernel/events.c). */
void evtchn_do_upcall(struct cpu_regs *regs, unsigned int how);

/* arch/x86_64/traps.S, entry_<vector>: an exception (arch/x86_64/traps.c
 * via kernel/traps.c); returns only for traps execution continues after. */
void do_trap(struct cpu_regs *regs);

/* arch/x86_64/traps.S, failsafe_callback: Xen could not return to us. */
__attribute__((noreturn)) void do_failsafe(struct cpu_regs *regs);

/* arch/x86_64/stack_check.S, __morestack: a C function's frame would have
 * crossed the running thread's stack limit; on the emergency stack. */
__attribute__((noreturn)) void do_stack_overflow(struct cpu_regs *regs);

/* arch/x86_64/switch.S, arch_thread_start: a new thread's first C code,
 * on its own stack with delivery masked (kernel/thread.c). */
__attribute__((noreturn)) void thread_start(struct thread *t);

#endif
