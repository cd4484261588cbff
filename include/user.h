/* SPDX-License-Identifier: MIT */
/*
 * User mode: a process's context as the kernel runs it (kernel/user.c).
 *
 * A thread runs a user task with user_task_run: it enters user mode and
 * comes back only when the task ends, by user_task_exit (from a system
 * call) or killed by a fault, with
 *     mote: pid N (NAME) killed by SIGNAME: what, rip ...
 * and the user registers. System calls from user mode go to the handler
 * the POSIX layer registers (user_set_syscall_handler); every pointer they
 * carry is read and written with the copy helpers below, which check it
 * against the task's page table: a bad one is -EFAULT, never a kernel
 * fault.
 */
#ifndef USER_H
#define USER_H

#include <arch/regs.h>
#include <arch/user.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct user_task {
    int pid, ppid;
    char name[16];              /* the program's name, for reports */
    struct user_space *space;
    uint64_t kernel_sp;         /* arch_user_run's, while it runs */
};

/* Handles the system call in regs (number in rax, arguments in rdi rsi rdx
 * r10 r8 r9) for the calling thread's task; returns the result for rax. */
typedef long (*user_syscall_fn)(struct cpu_regs *regs);
void user_set_syscall_handler(user_syscall_fn fn);

/* Runs task in user mode from `regs` in the calling thread, its space
 * installed, until it ends. Returns its end as a wait status's parts:
 * the exit status (0-255), or 128 + the signal that killed it. */
int user_task_run(struct user_task *task, const struct cpu_regs *regs);
/* Ends the calling thread's task with exit status `status`. */
__attribute__((noreturn)) void user_task_exit(int status);
/* The calling thread's task, or NULL in a kernel thread. */
struct user_task *user_current(void);
/* kernel/traps.c, for an exception in user mode: reports and ends the
 * calling thread's task (128 + the signal). */
__attribute__((noreturn)) void user_fault(struct cpu_regs *regs);
/* thread.c, switching to a thread that runs task. */
void user_switch_in(struct user_task *task);

/* Copies between the kernel and the calling thread's task, checking every
 * byte of the user range: 0, or -EFAULT if any of it is not mapped
 * (writable, for copy_to_user). In a kernel thread (a program linked into
 * the kernel, calling the system call table directly) they are plain
 * copies: such a caller's pointers are the kernel's own. */
long copy_from_user(void *dst, const void *usrc, size_t n);
long copy_to_user(void *udst, const void *src, size_t n);
/* Whether [uaddr, uaddr + n) is all mapped (writable if `write`) in the
 * calling thread's task (always true in a kernel thread). */
bool user_range_ok(const void *uaddr, size_t n, bool write);
/* Copies into the task's space s (not running) at udst: for building a
 * new task's stack. 0 or -EFAULT. */
long user_space_copy_out(struct user_space *s, unsigned long udst, const void *src, size_t n);

#endif
