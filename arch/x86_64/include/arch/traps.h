/* SPDX-License-Identifier: MIT */
/*
 * x86 exception vectors (Intel SDM vol. 3, table 6-1) and the pseudo-vector
 * the failsafe entry stores in struct cpu_regs. Used from C and assembly.
 */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#define X86_EXC_DE   0  /* divide error */
#define X86_EXC_DB   1  /* debug */
#define X86_EXC_NMI  2
#define X86_EXC_BP   3  /* breakpoint (int3) */
#define X86_EXC_OF   4  /* overflow */
#define X86_EXC_BR   5  /* BOUND range exceeded */
#define X86_EXC_UD   6  /* invalid opcode */
#define X86_EXC_NM   7  /* device not available */
#define X86_EXC_DF   8  /* double fault */
#define X86_EXC_TS  10  /* invalid TSS */
#define X86_EXC_NP  11  /* segment not present */
#define X86_EXC_SS  12  /* stack-segment fault */
#define X86_EXC_GP  13  /* general protection */
#define X86_EXC_PF  14  /* page fault */
#define X86_EXC_MF  16  /* x87 floating-point error */
#define X86_EXC_AC  17  /* alignment check */
#define X86_EXC_MC  18  /* machine check */
#define X86_EXC_XM  19  /* SIMD floating-point */

/* Not exception vectors: mark frames made by failsafe_callback and by
 * __morestack (arch/x86_64/stack_check.S). */
#define FAILSAFE_VECTOR 0x101
#define STACK_OVERFLOW_VECTOR 0x102

/* #PF error code bits (Intel SDM vol. 3, 4.7). Xen sets the user bit for
 * the guest's user/kernel mode, not for the CPL 3 the PV kernel runs at. */
#define X86_PFEC_PRESENT    (1u << 0)
#define X86_PFEC_WRITE      (1u << 1)
#define X86_PFEC_USER       (1u << 2)
#define X86_PFEC_RESERVED   (1u << 3)
#define X86_PFEC_INSN       (1u << 4)

#ifndef __ASSEMBLY__
/* The virtual IDT traps_init registers, ended by an entry with address 0:
 * other vCPUs start with a copy of it (arch/x86_64/smp_boot.c). */
struct trap_info;
const struct trap_info *arch_trap_table(void);
#endif

#endif
