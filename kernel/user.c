/* SPDX-License-Identifier: MIT */
/*
 * Processes in user mode (include/user.h): running a task in a thread,
 * its system calls, its faults, and the copy helpers that check every
 * pointer it hands the kernel. The x86-64 PV mechanism (the callback, the
 * iret, the page tables) is arch/x86_64/user*.
 *
 * A task runs in the thread that called user_task_run, which is also its
 * kernel stack: each entry from user mode (system call, fault, event)
 * lands just below user_task_run's frame (arch/x86_64/user_entry.S draws
 * it). A system call runs its handler there with events enabled, so it
 * may block like any thread; the task's end, from exit or a fault, drops
 * that stack and returns from user_task_run.
 */
#include <arch/layout.h>
#include <asm_calls.h>
#include <errno.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>
#include <string.h>
#include <thread.h>
#include <user.h>
#include <xen_shared.h>

static user_syscall_fn syscall_handler;

void user_set_syscall_handler(user_syscall_fn fn)
{
    syscall_handler = fn;
}

/* arch/x86_64/user_entry.S, with delivery masked (CALLBACKF_mask_events). */
void do_user_syscall(struct cpu_regs *regs)
{
    local_irq_enable();
    regs->rax = syscall_handler ? syscall_handler(regs) : -ENOSYS;
    /* Masked again for the return: HYPERVISOR_iret unmasks as it enters
     * user mode, from the saved RFLAGS.IF. */
    local_irq_disable();
}

struct user_task *user_current(void)
{
    return thread_user();
}

void user_switch_in(struct user_task *task)
{
    if (task->kernel_sp)
        arch_user_set_kernel_stack(task->kernel_sp);
    arch_user_space_activate(task->space);
}

/*
 * The task stays on the vCPU it starts on: MMUEXT_NEW_USER_BASEPTR is per
 * vCPU, and a space installed on a vCPU the thread had left would keep
 * Xen's reference to its tables after the task ended (one user table per
 * vCPU at a time is the rule until the scheduler installs them).
 */
int user_task_run(struct user_task *task, const struct cpu_regs *regs)
{
    thread_set_affinity(thread_self(), (int)this_cpu_id());
    task->kernel_sp = 0;
    thread_set_user(task);
    arch_user_space_activate(task->space);
    long end = arch_user_run(regs, &task->kernel_sp);
    /* Back from a handler or a fault report, which may have run masked. */
    local_irq_enable();
    thread_set_user(NULL);
    arch_user_space_activate(NULL);
    thread_set_affinity(thread_self(), -1);
    return (int)end;
}

void user_task_exit(int status)
{
    local_irq_disable();
    arch_user_leave(user_current()->kernel_sp, status & 0xff);
}

static const char *signal_name(int sig)
{
    static const char *const names[] = {
        [4] = "SIGILL", [5] = "SIGTRAP", [7] = "SIGBUS", [8] = "SIGFPE", [11] = "SIGSEGV",
    };

    return sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig]
           ? names[sig] : "SIGKILL";
}

/* kernel/traps.c, for an exception taken in user mode: the task is killed,
 * the kernel goes on. */
void user_fault(struct cpu_regs *regs)
{
    struct user_task *task = user_current();
    char what[96];
    int sig = arch_user_fault_signal(regs, what, sizeof(what));

    if (!task)
        panic("user-mode fault with no task: %s, rip %#lx", what, regs->rip);
    printk("mote: pid %d (%s) killed by %s: %s, rip 0x%lx\n", task->pid, task->name,
           signal_name(sig), what, regs->rip);
    arch_user_print_regs(regs);
    arch_user_leave(task->kernel_sp, 128 + sig);
}

/* Walks [uaddr, uaddr + n) of s a page at a time; with kbuf, copies each
 * piece to (to_user) or from it. 0, or -EFAULT at the first unmapped
 * (or, to_user, read-only) page. */
static long walk_user(struct user_space *s, unsigned long uaddr, char *kbuf, size_t n,
                      bool to_user)
{
    if (uaddr + n < uaddr)
        return -EFAULT;
    while (n) {
        char *p = arch_user_space_byte(s, uaddr, to_user);
        size_t piece = PAGE_SIZE - (uaddr & (PAGE_SIZE - 1));
        if (!p)
            return -EFAULT;
        if (piece > n)
            piece = n;
        if (kbuf) {
            memcpy(to_user ? p : kbuf, to_user ? kbuf : p, piece);
            kbuf += piece;
        }
        uaddr += piece;
        n -= piece;
    }
    return 0;
}

long copy_from_user(void *dst, const void *usrc, size_t n)
{
    struct user_task *task = user_current();

    if (!task) {
        memcpy(dst, usrc, n);
        return 0;
    }
    return walk_user(task->space, (unsigned long)usrc, dst, n, false);
}

long copy_to_user(void *udst, const void *src, size_t n)
{
    struct user_task *task = user_current();

    if (!task) {
        memcpy(udst, src, n);
        return 0;
    }
    return walk_user(task->space, (unsigned long)udst, (char *)src, n, true);
}

bool user_range_ok(const void *uaddr, size_t n, bool write)
{
    struct user_task *task = user_current();

    return !task || walk_user(task->space, (unsigned long)uaddr, NULL, n, write) == 0;
}

long user_space_copy_out(struct user_space *s, unsigned long udst, const void *src, size_t n)
{
    return walk_user(s, udst, (char *)src, n, true);
}
