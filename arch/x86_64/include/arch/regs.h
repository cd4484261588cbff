/* SPDX-License-Identifier: MIT */
/*
 * The register frame built by every entry from Xen (event upcall, exceptions,
 * failsafe): see the drawing in arch/x86_64/include/arch/entry.h. C handlers
 * get a pointer to it; changing a field changes what the return restores.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

/* Not an exception vector: marks frames made by the event upcall. */
#define EVENT_UPCALL_VECTOR 0x100
#define X86_EFLAGS_IF       (1u << 9)

/* How an upcall entered, evtchn_do_upcall's second argument
 * (arch/x86_64/upcall.S): from Xen; again on its own frame for an event
 * found pending as the return unmasked; from Xen inside that return's
 * critical region, taking over the frame it was returning through. */
#define UPCALL_FROM_XEN      0
#define UPCALL_RESCAN        1
#define UPCALL_TOOK_OVER_RETURN 2

/* Byte offsets in struct cpu_regs of the interrupted context's iret frame,
 * for the entry code (checked in arch/x86_64/traps.c). */
#define CPU_REGS_RIP    136
#define CPU_REGS_CS     144
#define CPU_REGS_RFLAGS 152
#define CPU_REGS_RSP    160
#define CPU_REGS_SS     168

#ifndef __ASSEMBLY__
#include <stdint.h>

struct cpu_regs {
    /* Pushed by SAVE_ALL (lowest address first). */
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    /* Pushed by the entry stub: vector number (EVENT_UPCALL_VECTOR for upcalls). */
    uint64_t vector;
    /* Pushed by Xen for exceptions that have one, else 0 by the stub. */
    uint64_t error_code;
    /* The interrupted context, as Xen saved it (an x86 iret frame). */
    uint64_t rip, cs, rflags, rsp, ss;
};
#endif

#endif
