/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 PV side of user mode (kernel/user.c has the rest): the
 * syscall callback's registration, the kernel stack Xen enters on, a user
 * context's first registers, and what a fault in user mode means to Linux
 * (the signal) and prints (the registers).
 */
#include <arch/traps.h>
#include <arch/user.h>
#include <asm_calls.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <string.h>
#include <xen_shared.h>

/* arch/x86_64/user_entry.S */
void syscall_callback(void);

/*
 * A `syscall` in user mode bounces to syscall_callback (callback.h,
 * CALLBACKTYPE_syscall), with delivery masked (CALLBACKF_mask_events) until
 * the entry has saved the frame. The 32-bit ways in, CALLBACKTYPE_syscall32
 * and CALLBACKTYPE_sysenter (a process that switched to a compat code
 * segment), stay unregistered: Xen then raises #GP in the process for
 * those instructions (Xen's pv/traps, "no callback"), and the process is
 * killed with SIGSEGV like any other bad instruction. int $0x80, the other
 * 32-bit system call, has no entry in the trap table and faults the same
 * way.
 */
void arch_user_init(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall, .flags = CALLBACKF_mask_events,
        .address = (unsigned long)syscall_callback,
    };

    if (xen_call(callback_op, CALLBACKOP_register, &cb))
        panic("cannot register the syscall callback");
}

void arch_user_set_kernel_stack(uint64_t sp)
{
    if (xen_call(stack_switch, FLAT_KERNEL_SS, sp))
        panic("user: stack_switch refused");
}

void user_stack_switch_failed(long rc)
{
    panic("user: stack_switch refused: %ld", rc);
}

void arch_user_regs_init(struct cpu_regs *regs, unsigned long rip, unsigned long rsp)
{
    memset(regs, 0, sizeof(*regs));
    regs->rip = rip;
    regs->rsp = rsp;
    /* RPL 3: Xen's iret switches to user mode and its page table. */
    regs->cs = FLAT_USER_CS;
    regs->ss = FLAT_USER_SS;
    /* Bit 1 is always set; IF: events delivered while in user mode. */
    regs->rflags = X86_EFLAGS_IF | 2;
}

/* Linux's signal numbers (asm-generic/signal.h) for the faults a process
 * can take, as Linux's arch/x86/kernel/traps.c sends them. */
enum { SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11 };

int arch_user_fault_signal(const struct cpu_regs *regs, char *what, unsigned long size)
{
    unsigned long ec = regs->error_code;

    switch (regs->vector) {
    case X86_EXC_DE:
        snprintf(what, size, "#DE divide error");
        return SIGFPE;
    case X86_EXC_MF: case X86_EXC_XM:
        snprintf(what, size, "floating-point exception %lu", regs->vector);
        return SIGFPE;
    case X86_EXC_UD:
        snprintf(what, size, "#UD invalid opcode");
        return SIGILL;
    case X86_EXC_DB: case X86_EXC_BP:
        snprintf(what, size, "breakpoint (vector %lu)", regs->vector);
        return SIGTRAP;
    case X86_EXC_AC:
        snprintf(what, size, "#AC alignment check");
        return SIGBUS;
    case X86_EXC_PF:
        snprintf(what, size, "#PF %s%s at 0x%lx",
                 (ec & X86_PFEC_INSN) ? "instruction fetch" : (ec & X86_PFEC_WRITE) ? "write" : "read",
                 (ec & X86_PFEC_PRESENT) ? " (protection)" : " (not present)",
                 this_vcpu()->arch.cr2);
        return SIGSEGV;
    default:
        snprintf(what, size, "%s, error code 0x%lx", exception_name(regs->vector), ec);
        return SIGSEGV;
    }
}

void arch_user_print_regs(const struct cpu_regs *r)
{
    printk("  rip %016lx rsp %016lx rflags %016lx\n", r->rip, r->rsp, r->rflags);
    arch_print_gprs(r);
}
