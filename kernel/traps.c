/* SPDX-License-Identifier: MIT */
/*
 * What a trap does to the kernel: a breakpoint is reported and execution goes
 * on after it; every other exception is a bug in mote or its application, so
 * it is reported in full and the domain crashes (include/traps.h). The
 * architecture supplies the trap table and the report itself
 * (arch/x86_64/traps.c).
 */
#include <asm_calls.h>
#include <console.h>
#include <format.h>
#include <kernel.h>
#include <printk.h>
#include <symbols.h>
#include <thread.h>
#include <traps.h>

/* Reports in progress: more than one means the reporter itself faulted. */
static int fault_depth;

void fault_enter(void)
{
    static const char msg[] = "\nmote: crash: fault while reporting a fault\n";

    if (fault_depth++ == 0) {
        /* The report must get out even if the console ring is wedged. */
        console_emergency_mode();
        return;
    }
    /* Whatever broke the report may break printk too: write directly. */
    console_emergency_write(msg, sizeof(msg) - 1);
    kernel_shutdown(SHUTDOWN_crash);
}

void fault_crash(const char *reason)
{
    printk("mote: crash: %s\n", reason);
    kernel_shutdown(SHUTDOWN_crash);
}

/* The report of a stack overflow (include/asm_calls.h): the thread whose
 * stack ran out is the running one, whichever code was using it. */
void do_stack_overflow(struct cpu_regs *regs)
{
    char reason[160];

    local_irq_disable();
    fault_enter();
    arch_stack_overflow_report(regs, thread_name(thread_self()));
    snprintf(reason, sizeof(reason), "stack overflow in thread %s", thread_name(thread_self()));
    fault_crash(reason);
}

void do_trap(struct cpu_regs *regs)
{
    unsigned long where;
    char reason[160];

    if (arch_trap_is_breakpoint(regs, &where)) {
        char sym[96];
        printk("mote: breakpoint at %s\n", symbol_format(sym, sizeof(sym), where));
        return;
    }
    fault_enter();
    arch_fault_report(regs, reason, sizeof(reason));
    fault_crash(reason);
}
