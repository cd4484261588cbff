/* SPDX-License-Identifier: MIT */
/*
 * Exceptions: the trap table, fault reports and breakpoints.
 *
 * traps_init() registers an entry point for every exception Xen delivers to
 * a 64-bit PV kernel (HYPERVISOR_set_trap_table). A fault in mote prints a
 * report (vector, error code, registers, backtrace with symbol names), then
 * "mote: crash: <reason>", and shuts the domain down with reason crash. An
 * int3 prints "mote: breakpoint at <symbol+offset>" and execution continues
 * after it.
 */
#ifndef TRAPS_H
#define TRAPS_H

#include <arch/regs.h>
#include <stddef.h>

struct thread;

void traps_init(void);

/* do_trap and do_failsafe, which the entry stubs call: include/asm_calls.h. */

/*
 * For the fault reporters. fault_enter() starts a report; a fault while one
 * is being printed goes straight to a crash instead of recursing.
 * fault_crash() prints "mote: crash: <reason>" and ends the domain.
 */
void fault_enter(void);
__attribute__((noreturn)) void fault_crash(const char *reason);

/* Architecture part (arch/x86_64/traps.c): is this trap a breakpoint to
 * continue after, and where was it; the full report of a fatal trap, with
 * a one-line reason for fault_crash written to reason[size]. */
int arch_trap_is_breakpoint(const struct cpu_regs *regs, unsigned long *where);
void arch_fault_report(const struct cpu_regs *regs, char *reason, size_t size);
/* The report of a stack overflow in thread `thread` (the frame __morestack
 * built, arch/x86_64/stack_check.S): what wanted how much, registers,
 * backtrace. */
void arch_stack_overflow_report(const struct cpu_regs *regs, const char *thread);

/*
 * Prints the call chain of the context with program counter `pc`, stack
 * pointer `sp` and frame pointer `fp`, innermost first, checking every
 * pointer before reading through it (arch/x86_64/backtrace.c).
 */
void backtrace_print(unsigned long pc, unsigned long sp, unsigned long fp);
/* The same for a context on thread `t`'s stack (a sleeping thread's). */
void backtrace_print_stack(const struct thread *t, unsigned long pc, unsigned long sp,
                           unsigned long fp);

#endif
