/* SPDX-License-Identifier: MIT */
/*
 * x86-64 PV exceptions: the virtual IDT registered with Xen, and the report
 * printed for a fatal trap or a failsafe callback.
 *
 * A PV guest has no IDT of its own: it gives Xen a table of struct trap_info
 * (xen.h, HYPERVISOR_set_trap_table) and Xen bounces each exception to the
 * entry named there, with the frame drawn in arch/x86_64/include/arch/entry.h.
 */
#include <asm_calls.h>
#include <arch/stack_check.h>
#include <arch/traps.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <symbols.h>
#include <thread.h>
#include <traps.h>
#include <xen_shared.h>

#include <stddef.h>

_Static_assert(offsetof(struct cpu_regs, rip) == CPU_REGS_RIP &&
               offsetof(struct cpu_regs, cs) == CPU_REGS_CS &&
               offsetof(struct cpu_regs, rflags) == CPU_REGS_RFLAGS &&
               offsetof(struct cpu_regs, rsp) == CPU_REGS_RSP &&
               offsetof(struct cpu_regs, ss) == CPU_REGS_SS,
               "arch/regs.h: the iret frame's offsets");

/* arch/x86_64/traps.S */
void entry_DE(void), entry_DB(void), entry_BP(void), entry_OF(void), entry_BR(void),
     entry_UD(void), entry_NM(void), entry_DF(void), entry_TS(void), entry_NP(void),
     entry_SS(void), entry_GP(void), entry_PF(void), entry_MF(void), entry_AC(void),
     entry_MC(void), entry_XM(void);

/*
 * trap_info.flags (xen.h): bits 0-1 are the privilege level that may raise
 * the vector with a software interrupt ("0: noone, 1-2: kernel, 3:
 * everyone"); bit 2 (TI_SET_IF) makes Xen mask event delivery on entry
 * (Xen's create_bounce_frame: "TBF_INTERRUPT -> set upcall mask"), as an
 * interrupt gate clears IF. Every handler here wants that: a fault report
 * must not be interleaved with event handlers, and the return (XEN_IRET)
 * restores the interrupted mask from the saved RFLAGS.IF.
 */
#define TI_MASK_EVENTS 4
#define TRAP(vec, dpl, entry) \
    { .vector = (vec), .flags = (dpl) | TI_MASK_EVENTS, .cs = FLAT_KERNEL_CS, \
      .address = (unsigned long)(entry) }

/*
 * Every exception Xen delivers to a 64-bit PV kernel through this table.
 * Not here: NMI (2), which reaches PV guests as a callback
 * (CALLBACKTYPE_nmi, callback.h) rather than as an exception; 9 (coprocessor
 * segment overrun, not generated since the 386); 15 (reserved); and vectors
 * above 19, which Xen does not deliver to PV guests.
 * #BP has privilege level 3 so that int3 can be used from any code mote runs.
 */
static const struct trap_info trap_table[] = {
    TRAP(X86_EXC_DE, 0, entry_DE),
    TRAP(X86_EXC_DB, 0, entry_DB),
    TRAP(X86_EXC_BP, 3, entry_BP),
    TRAP(X86_EXC_OF, 0, entry_OF),
    TRAP(X86_EXC_BR, 0, entry_BR),
    TRAP(X86_EXC_UD, 0, entry_UD),
    TRAP(X86_EXC_NM, 0, entry_NM),
    TRAP(X86_EXC_DF, 0, entry_DF),
    TRAP(X86_EXC_TS, 0, entry_TS),
    TRAP(X86_EXC_NP, 0, entry_NP),
    TRAP(X86_EXC_SS, 0, entry_SS),
    TRAP(X86_EXC_GP, 0, entry_GP),
    TRAP(X86_EXC_PF, 0, entry_PF),
    TRAP(X86_EXC_MF, 0, entry_MF),
    TRAP(X86_EXC_AC, 0, entry_AC),
    TRAP(X86_EXC_MC, 0, entry_MC),
    TRAP(X86_EXC_XM, 0, entry_XM),
    { 0, 0, 0, 0 },     /* terminator: address 0 (xen.h) */
};

void traps_init(void)
{
    if (xen_call(set_trap_table, trap_table) < 0)
        panic("cannot register the trap table");
}

const struct trap_info *arch_trap_table(void)
{
    return trap_table;
}

static const char *const exception_names[] = {
    [X86_EXC_DE] = "#DE divide error",
    [X86_EXC_DB] = "#DB debug",
    [X86_EXC_NMI] = "NMI",
    [X86_EXC_BP] = "#BP breakpoint",
    [X86_EXC_OF] = "#OF overflow",
    [X86_EXC_BR] = "#BR bound range exceeded",
    [X86_EXC_UD] = "#UD invalid opcode",
    [X86_EXC_NM] = "#NM device not available",
    [X86_EXC_DF] = "#DF double fault",
    [X86_EXC_TS] = "#TS invalid TSS",
    [X86_EXC_NP] = "#NP segment not present",
    [X86_EXC_SS] = "#SS stack-segment fault",
    [X86_EXC_GP] = "#GP general protection",
    [X86_EXC_PF] = "#PF page fault",
    [X86_EXC_MF] = "#MF x87 floating-point error",
    [X86_EXC_AC] = "#AC alignment check",
    [X86_EXC_MC] = "#MC machine check",
    [X86_EXC_XM] = "#XM SIMD floating-point error",
};

static const char *exception_name(unsigned long vector)
{
    if (vector < ARRAY_SIZE(exception_names) && exception_names[vector])
        return exception_names[vector];
    return "unknown exception";
}

int arch_trap_is_breakpoint(const struct cpu_regs *regs, unsigned long *where)
{
    const uint8_t *after = (const uint8_t *)regs->rip;

    if (regs->vector != X86_EXC_BP)
        return 0;
    /* #BP is a trap: the saved RIP is past the instruction, which is the
     * one-byte int3 (0xcc) or the two-byte int $3 (0xcd 0x03; Intel SDM
     * vol. 2, INT n/INTO/INT3/INT1). Our text is mapped readable. */
    *where = after[-1] == 0x03 && after[-2] == 0xcd ? regs->rip - 2 : regs->rip - 1;
    return 1;
}

static void print_regs(const struct cpu_regs *r)
{
    char sym[96];

    printk("  rip %016lx %s\n", r->rip, symbol_format(sym, sizeof(sym), r->rip));
    /* The CS slot of a Xen frame carries the saved upcall mask in bits 32-39
     * (Xen's create_bounce_frame): only the low 16 bits are the selector. */
    printk("  rsp %016lx rflags %016lx cs %04lx ss %04lx\n", r->rsp, r->rflags,
           r->cs & 0xffff, r->ss & 0xffff);
    printk("  rax %016lx rbx %016lx rcx %016lx\n", r->rax, r->rbx, r->rcx);
    printk("  rdx %016lx rsi %016lx rdi %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("  rbp %016lx r8  %016lx r9  %016lx\n", r->rbp, r->r8, r->r9);
    printk("  r10 %016lx r11 %016lx r12 %016lx\n", r->r10, r->r11, r->r12);
    printk("  r13 %016lx r14 %016lx r15 %016lx\n", r->r13, r->r14, r->r15);
}

/* The faulting address of the last #PF: Xen stores it in vcpu_info.arch.cr2
 * (arch-x86/xen-x86_64.h, struct arch_vcpu_info), as a PV guest cannot read
 * %cr2. Returns 0 with *known = 0 for a fault before events_init() has
 * mapped vcpu_info (include/xen_shared.h). */
static unsigned long page_fault_address(int *known)
{
    *known = this_vcpu() != NULL;
    return this_vcpu() ? this_vcpu()->arch.cr2 : 0;
}

/* Writes the #PF details line and returns the short form for the reason. */
static const char *report_page_fault(const struct cpu_regs *regs, unsigned long *addr)
{
    unsigned long ec = regs->error_code;
    int known;

    *addr = page_fault_address(&known);
    printk("  address 0x%lx%s: %s, %s, %s mode%s%s\n", *addr,
           known ? "" : " (unknown: vcpu_info not mapped)",
           (ec & X86_PFEC_PRESENT) ? "protection violation" : "page not present",
           (ec & X86_PFEC_WRITE) ? "write" : "read",
           (ec & X86_PFEC_USER) ? "user" : "kernel",
           (ec & X86_PFEC_RESERVED) ? ", reserved bit set in a page table entry" : "",
           (ec & X86_PFEC_INSN) ? ", instruction fetch" : "");
    if (ec & X86_PFEC_INSN)
        return "instruction fetch";
    if (ec & X86_PFEC_PRESENT)
        return (ec & X86_PFEC_WRITE) ? "write to a read-only page" : "protection violation";
    return (ec & X86_PFEC_WRITE) ? "write to an unmapped page" : "read of an unmapped page";
}

/* #TS #NP #SS #GP #AC error codes name a selector (Intel SDM vol. 3, 6.13):
 * bit 0 external event, bit 1 IDT, else bit 2 LDT/GDT; index in bits 3-15. */
static void report_selector_error(unsigned long ec)
{
    if (ec == 0)
        return;
    printk("  error code: selector index %lu in the %s%s\n", (ec >> 3) & 0x1fff,
           (ec & 2) ? "IDT" : (ec & 4) ? "LDT" : "GDT", (ec & 1) ? ", external event" : "");
}

void arch_fault_report(const struct cpu_regs *regs, char *reason, size_t size)
{
    const char *name = exception_name(regs->vector);
    char sym[96];

    printk("\nmote: fault: %s (vector %lu), error code 0x%lx\n", name, regs->vector,
           regs->error_code);
    symbol_format(sym, sizeof(sym), regs->rip);
    switch (regs->vector) {
    case X86_EXC_PF: {
        unsigned long addr;
        const char *what = report_page_fault(regs, &addr);
        snprintf(reason, size, "%s at %s: %s at 0x%lx", name, sym, what, addr);
        break;
    }
    case X86_EXC_TS: case X86_EXC_NP: case X86_EXC_SS: case X86_EXC_GP:
        report_selector_error(regs->error_code);
        /* fall through */
    default:
        snprintf(reason, size, "%s at %s", name, sym);
        break;
    }
    print_regs(regs);
    backtrace_print(regs->rip, regs->rsp, regs->rbp);
}

void arch_stack_overflow_report(const struct cpu_regs *regs, const char *thread)
{
    char sym[96];
    unsigned long lo, hi;

    symbol_format(sym, sizeof(sym), regs->rip);
    printk("\nmote: fault: stack overflow in thread %s\n", thread);
    /* __morestack put the frame size GCC's prologue asked for (%r10) in
     * the error code slot. */
    if (thread_stack(thread_self(), &lo, &hi))
        printk("  %s wants a %lu-byte frame at rsp %016lx; the stack is %016lx-%016lx,"
               " checked down to %016lx\n", sym, regs->error_code, regs->rsp, lo, hi,
               stack_check_limit(lo));
    print_regs(regs);
    backtrace_print(regs->rip, regs->rsp, regs->rbp);
}

static unsigned int read_segment(int which)
{
    unsigned int sel = 0;

    switch (which) {
    case 0: asm volatile ("mov %%ds, %0" : "=r" (sel)); break;
    case 1: asm volatile ("mov %%es, %0" : "=r" (sel)); break;
    case 2: asm volatile ("mov %%fs, %0" : "=r" (sel)); break;
    case 3: asm volatile ("mov %%gs, %0" : "=r" (sel)); break;
    }
    return sel & 0xffff;
}

/*
 * Xen could not return to the context in regs (arch/x86_64/traps.S draws the
 * frame). Two causes, told apart as Linux's xen_failsafe_callback does:
 * - loading a data segment failed: Xen put a null selector in that register
 *   instead, so it differs from the value Xen tried to load (in the frame);
 * - every segment matches: the IRET itself faulted (a bad cs or ss in the
 *   return frame), which older Xen bounced here from the fix-up on its exit
 *   path (Xen 4.17 delivers a #GP instead).
 * Either way the context is lost: report and crash, never retry.
 */
void do_failsafe(struct cpu_regs *regs)
{
    static const char *const seg_names[4] = { "ds", "es", "fs", "gs" };
    const uint64_t *tried = (const uint64_t *)(regs + 1);
    char reason[160], sym[96];
    int failed = -1;

    /* Registered with CALLBACKF_mask_events (kernel/events.c): Xen masked
     * delivery on the way in, so no handler interleaves with this report. */
    bool masked_by_xen = local_irq_is_disabled();

    local_irq_disable();
    fault_enter();
    symbol_format(sym, sizeof(sym), regs->rip);
    printk("\nmote: fault: failsafe callback: Xen could not return to %s\n", sym);
    printk("  event delivery masked on entry: %s\n", masked_by_xen ? "yes" : "NO");
    for (int i = 0; i < 4; i++) {
        unsigned int now = read_segment(i);
        int bad = (tried[i] & 0xffff) != now;
        printk("  %s: Xen loaded 0x%lx, now 0x%x%s\n", seg_names[i], tried[i] & 0xffff, now,
               bad ? "  <- failed to load" : "");
        if (bad && failed < 0)
            failed = i;
    }
    if (failed >= 0)
        snprintf(reason, sizeof(reason), "failsafe callback: bad %s selector 0x%lx at %s",
                 seg_names[failed], tried[failed] & 0xffff, sym);
    else
        snprintf(reason, sizeof(reason),
                 "failsafe callback: iret to cs 0x%lx ss 0x%lx faulted at %s",
                 regs->cs & 0xffff, regs->ss & 0xffff, sym);
    print_regs(regs);
    backtrace_print(regs->rip, regs->rsp, regs->rbp);
    fault_crash(reason);
}
