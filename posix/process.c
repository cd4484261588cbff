/* SPDX-License-Identifier: MIT */
/*
 * The program's life: exit_group, the thread pointer (arch_prctl), signals
 * (sigaction, sigprocmask, kill and tkill to itself: what raise and abort
 * use), fork and execve (refused: processes are the user-mode issue's).
 *
 * Signals: no signal arrives from outside (there is no other process, and
 * faults are reported by the kernel, kernel/traps.c). A program can only
 * send itself one. It is delivered at once when not blocked, else when the
 * mask unblocks it: a handler is called on the spot; with SIG_DFL the
 * default action is taken: nothing for SIGCHLD, SIGCONT, SIGURG and
 * SIGWINCH (Linux's "ignore" set), else the domain ends, crashed, with
 *     mote: killed by signal N (NAME)
 * and a backtrace, as a Linux process would be killed (abort's SIGABRT
 * this way).
 */
#include <errno.h>
#include <kernel.h>
#include <printk.h>
#include <stdbool.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <traps.h>

/* Ends the program, and with it the domain: a zero status (its low 8 bits,
 * the part Linux passes to a parent) powers off, anything else crashes with
 * the status printed; the same end as main's return (kernel/boot.c). */
__attribute__((noreturn)) static void end_program(int status)
{
    status &= 0xff;
    if (status == 0)
        kernel_shutdown(SHUTDOWN_poweroff);
    printk("mote: exit(%d)\n", status);
    kernel_shutdown(SHUTDOWN_crash);
}

/* exit_group(2): ends the program (end_program). Does not return. */
long sys_exit_group(int status)
{
    end_program(status);
}

/* arch_prctl(2): ARCH_SET_FS sets the thread pointer (%fs base, loaded on
 * every switch to this thread: include/thread.h), ARCH_GET_FS stores it at
 * addr. 0, or -EPERM (a non-canonical address, as Linux), -EPERM for the
 * %gs calls (%gs is mote's per-vCPU pointer), -EINVAL for other codes. */
long sys_arch_prctl(int code, unsigned long addr)
{
    switch (code) {
    case LINUX_ARCH_SET_FS:
        return thread_set_fs_base(addr) == 0 ? 0 : -EPERM;
    case LINUX_ARCH_GET_FS:
        *(unsigned long *)addr = thread_fs_base();
        return 0;
    case LINUX_ARCH_SET_GS:
    case LINUX_ARCH_GET_GS:
        return -EPERM;
    default:
        return -EINVAL;
    }
}

static struct linux_sigaction actions[LINUX_NSIG + 1];
static uint64_t blocked, pending;

static uint64_t sig_bit(int sig)
{
    return 1ull << (sig - 1);
}

static bool sig_valid(int sig)
{
    return sig >= 1 && sig <= LINUX_NSIG;
}

static const char *const sig_names[] = {
    [1] = "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

static bool ignored_by_default(int sig)
{
    return sig == LINUX_SIGCHLD || sig == LINUX_SIGCONT || sig == LINUX_SIGURG ||
           sig == LINUX_SIGWINCH;
}

#define LINUX_SA_SIGINFO 4
#define LINUX_SA_NODEFER 0x40000000
#define LINUX_SA_RESETHAND 0x80000000
#define LINUX_SI_TKILL (-6)

/* Calls sig's handler as the kernel would: sig, its own and sa_mask blocked
 * meanwhile, and for SA_SIGINFO a siginfo saying "sent by tkill" (si_signo,
 * si_errno, si_code: the first three ints of Linux's 128-byte siginfo). */
static void run_handler(int sig, struct linux_sigaction *act)
{
    void (*handler)(int) = act->handler;
    uint64_t saved = blocked;
    int info[32] = { sig, 0, LINUX_SI_TKILL };

    blocked |= act->mask | (act->flags & LINUX_SA_NODEFER ? 0 : sig_bit(sig));
    if (act->flags & LINUX_SA_RESETHAND)
        act->handler = LINUX_SIG_DFL;
    if (act->flags & LINUX_SA_SIGINFO)
        ((void (*)(int, void *, void *))(void (*)(void))handler)(sig, info, NULL);
    else
        handler(sig);
    blocked = saved;
}

static void deliver(int sig)
{
    struct linux_sigaction *act = &actions[sig];

    if (act->handler == LINUX_SIG_IGN)
        return;
    if (act->handler != LINUX_SIG_DFL) {
        run_handler(sig, act);
        return;
    }
    if (ignored_by_default(sig))
        return;
    printk("mote: killed by signal %d (%s)\n", sig,
           sig < (int)(sizeof(sig_names) / sizeof(sig_names[0])) ? sig_names[sig] : "SIGRT");
    backtrace_print((unsigned long)deliver, (unsigned long)__builtin_frame_address(0),
                    (unsigned long)__builtin_frame_address(0));
    kernel_shutdown(SHUTDOWN_crash);
}

/* Delivers every pending signal the mask lets through, lowest first. */
static void deliver_pending(void)
{
    for (int sig = 1; sig <= LINUX_NSIG; sig++) {
        if ((pending & sig_bit(sig)) && !(blocked & sig_bit(sig))) {
            pending &= ~sig_bit(sig);
            deliver(sig);
        }
    }
}

/* Sends sig to the program itself (0 checks only): pending, then delivered
 * unless blocked. SIGKILL cannot be blocked. */
static long send_self(int sig)
{
    if (sig == 0)
        return 0;
    if (!sig_valid(sig))
        return -EINVAL;
    pending |= sig_bit(sig);
    deliver_pending();
    return 0;
}

/* rt_sigaction(2): stores the old action of sig in *old and installs *act
 * (either may be NULL). 0, or -EINVAL: sigsetsize not 8, sig outside 1-64,
 * or a new action for SIGKILL or SIGSTOP. */
long sys_rt_sigaction(int sig, const struct linux_sigaction *act,
                      struct linux_sigaction *old, size_t sigsetsize)
{
    if (sigsetsize != sizeof(uint64_t) || !sig_valid(sig))
        return -EINVAL;
    if (act && (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP))
        return -EINVAL;
    if (old)
        *old = actions[sig];
    if (act)
        actions[sig] = *act;
    return 0;
}

/* rt_sigprocmask(2): how SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK with *set
 * (NULL: only read), the old mask in *old. SIGKILL and SIGSTOP stay
 * unblocked; signals it unblocks that are pending are delivered before it
 * returns. 0, or -EINVAL (sigsetsize not 8, another how). */
long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old, size_t sigsetsize)
{
    if (sigsetsize != sizeof(uint64_t))
        return -EINVAL;
    if (set && how != LINUX_SIG_BLOCK && how != LINUX_SIG_UNBLOCK && how != LINUX_SIG_SETMASK)
        return -EINVAL;
    if (old)
        *old = blocked;
    if (!set)
        return 0;
    if (how == LINUX_SIG_BLOCK)
        blocked |= *set;
    else if (how == LINUX_SIG_UNBLOCK)
        blocked &= ~*set;
    else
        blocked = *set;
    blocked &= ~(sig_bit(LINUX_SIGKILL) | sig_bit(LINUX_SIGSTOP));
    deliver_pending();
    return 0;
}

/* tkill(2): sig to thread tid, the caller (signals are the program's, not
 * a thread's, here: only a thread's signal to itself is sent): 0, -EINVAL
 * (tid <= 0, bad sig), -ESRCH (another tid). */
long sys_tkill(int tid, int sig)
{
    if (tid <= 0)
        return -EINVAL;
    return tid == sys_gettid() ? send_self(sig) : -ESRCH;
}

/* tgkill(2): as tkill, within thread group tgid (the program's, 1). */
long sys_tgkill(int tgid, int tid, int sig)
{
    if (tgid <= 0)
        return -EINVAL;
    return tgid == sys_getpid() ? sys_tkill(tid, sig) : -ESRCH;
}

/* kill(2): sig to process pid; the program itself is 1, and 0 and -1 (its
 * group, everyone) reach only it too. 0, -EINVAL, -ESRCH (another pid). */
long sys_kill(int pid, int sig)
{
    if (pid == sys_getpid() || pid == 0 || pid == -1)
        return send_self(sig);
    return -ESRCH;
}

/* fork(2), vfork(2): -ENOSYS. mote runs one program in one address space;
 * new processes come with user mode (a later issue), as on Linux without
 * an MMU, which has no fork either. */
long sys_fork(void)
{
    return -ENOSYS;
}

/* execve(2): -ENOSYS, as fork. */
long sys_execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path;
    (void)argv;
    (void)envp;
    return -ENOSYS;
}

/* sched_yield(2): lets the other runnable threads run first; 0. */
long sys_sched_yield(void)
{
    thread_yield();
    return 0;
}
