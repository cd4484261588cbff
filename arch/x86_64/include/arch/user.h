/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 PV side of user mode, for kernel/user.c: a process's page
 * tables (arch/x86_64/user_mm.c), the syscall callback and the ways into
 * and out of user mode (arch/x86_64/user.c, user_entry.S).
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include <arch/regs.h>
#include <stdbool.h>
#include <stdint.h>

/* User addresses are [USER_BASE, USER_TOP): the lower half of the 48-bit
 * address space (L4 slots 0-255), less its first and last page. */
#define USER_BASE 0x1000ul
#define USER_TOP  0x00007ffffffff000ul

/* A user page's protection: W^X, so never writable and executable. */
enum user_prot { USER_RO, USER_RW, USER_RX };

struct user_space;

/* An empty address space (its L4 pinned), or NULL when out of memory. */
struct user_space *arch_user_space_create(void);
/* Maps `page` (a page of the kernel's, from alloc_page) at user address
 * va (page-aligned, in [USER_BASE, USER_TOP)) with prot; from then on it
 * is the space's, freed with it. 0, -ENOMEM (no page for a table),
 * -EEXIST (va is mapped) or -EINVAL (va outside the user range). */
int arch_user_space_map(struct user_space *s, unsigned long va, void *page, enum user_prot prot);
/* Where the kernel reaches user address va, if it is mapped (and writable
 * when `write`): the byte's address in the direct map, else NULL. */
void *arch_user_space_byte(struct user_space *s, unsigned long va, bool write);
/* Makes s the user page table of this vCPU (MMUEXT_NEW_USER_BASEPTR);
 * NULL for none. */
void arch_user_space_activate(struct user_space *s);
/* Frees the space, its tables and every page mapped in it; it must not be
 * active on any vCPU. */
void arch_user_space_destroy(struct user_space *s);

/* Registers the syscall callback (CALLBACKTYPE_syscall). */
void arch_user_init(void);
/* Points this vCPU's kernel stack for entries from user mode at sp. */
void arch_user_set_kernel_stack(uint64_t sp);
/* A user context's first registers: all 0 but rip, rsp, the user code and
 * stack selectors and RFLAGS with events enabled. */
void arch_user_regs_init(struct cpu_regs *regs, unsigned long rip, unsigned long rsp);
/* Enters user mode with *user (arch/x86_64/user_entry.S, which draws the
 * stack); returns what arch_user_leave is given. *kernel_sp is set for
 * arch_user_leave. */
long arch_user_run(const struct cpu_regs *user, uint64_t *kernel_sp);
__attribute__((noreturn)) void arch_user_leave(uint64_t kernel_sp, long value);
/* The signal Linux sends for the exception in regs (SIGSEGV, SIGFPE...),
 * and a one-line description of it, written to what[size]. */
int arch_user_fault_signal(const struct cpu_regs *regs, char *what, unsigned long size);
/* Prints the user registers of a fault report. */
void arch_user_print_regs(const struct cpu_regs *regs);

#endif
