/* SPDX-License-Identifier: MIT */
/*
 * The system call table: Linux's x86-64 numbers to mote's handlers, and the
 * one entry point, mote_syscall.
 *
 * Handlers are declared with Linux's argument types (posix/syscall.h) and
 * called here with six longs, as Linux's own table called them before 4.17:
 * on x86-64 every argument travels in a 64-bit register (SysV ABI), a handler
 * reads the width its type has, and the registers it has no parameter for
 * are ignored. The cast through void (*)(void) says the mismatch is meant.
 *
 * A number without a handler returns -ENOSYS, as Linux does for a call it
 * was built without, and prints once per number
 *     mote: syscall: NAME (NR) not implemented
 * so that the first call a program needs and mote lacks is named.
 */
#include <errno.h>
#include <printk.h>
#include <stdbool.h>
#include <syscall.h>

typedef long (*syscall_fn)(long, long, long, long, long, long);

#define HANDLER_AS(name, fn) [NR_##name] = (syscall_fn)(void (*)(void))sys_##fn
#define HANDLER(name) HANDLER_AS(name, name)

static const syscall_fn syscall_table[NR_COUNT] = {
    HANDLER(read), HANDLER(write), HANDLER(readv), HANDLER(writev),
    HANDLER(close), HANDLER(dup), HANDLER(dup2), HANDLER(dup3),
    HANDLER(fcntl), HANDLER(ioctl), HANDLER(lseek),
    HANDLER(pread64), HANDLER(pwrite64), HANDLER(fstat), HANDLER(getdents64),
    HANDLER(ftruncate), HANDLER(fsync), HANDLER_AS(fdatasync, fsync),
    HANDLER(open), HANDLER(openat), HANDLER(creat), HANDLER(stat), HANDLER(lstat),
    HANDLER(newfstatat), HANDLER(access), HANDLER(faccessat), HANDLER(mkdir),
    HANDLER(mkdirat), HANDLER(unlink), HANDLER(unlinkat), HANDLER(rmdir),
    HANDLER(rename), HANDLER(renameat), HANDLER(truncate), HANDLER(chdir),
    HANDLER(fchdir), HANDLER(getcwd),
    HANDLER(brk), HANDLER(mmap), HANDLER(munmap), HANDLER(mprotect), HANDLER(madvise),
    HANDLER(clock_gettime), HANDLER(clock_getres), HANDLER(nanosleep),
    HANDLER(clock_nanosleep), HANDLER(gettimeofday), HANDLER(setitimer),
    HANDLER(uname), HANDLER(getpid), HANDLER(getppid), HANDLER(gettid),
    HANDLER(getuid), HANDLER_AS(geteuid, getuid), HANDLER_AS(getgid, getuid),
    HANDLER_AS(getegid, getuid),
    HANDLER(set_tid_address),
    HANDLER(exit), HANDLER(exit_group), HANDLER(arch_prctl),
    HANDLER(rt_sigaction), HANDLER(rt_sigprocmask),
    HANDLER(tkill), HANDLER(tgkill), HANDLER(kill),
    HANDLER(fork), HANDLER(execve), HANDLER(sched_yield), HANDLER(futex),
    HANDLER_AS(vfork, fork),
    /* socket.c: send and recv are sendto and recvfrom in musl */
    HANDLER(socket), HANDLER(bind), HANDLER(connect), HANDLER(listen),
    HANDLER(accept), HANDLER(accept4), HANDLER(getsockname), HANDLER(getpeername),
    HANDLER(sendto), HANDLER(recvfrom), HANDLER(sendmsg), HANDLER(recvmsg),
    HANDLER(shutdown), HANDLER(setsockopt), HANDLER(getsockopt),
    /* poll.c, epoll.c */
    HANDLER(poll), HANDLER(ppoll), HANDLER(select), HANDLER(pselect6),
    HANDLER(epoll_create), HANDLER(epoll_create1), HANDLER(epoll_ctl),
    HANDLER(epoll_wait), HANDLER(epoll_pwait),
};

static const char *const syscall_names[NR_COUNT] = {
#define SYSCALL_NAME(nr, name) [nr] = #name,
#include "syscall_list.h"
#undef SYSCALL_NAME
};

const char *syscall_name(long nr)
{
    return nr >= 0 && nr < NR_COUNT ? syscall_names[nr] : NULL;
}

/* One bit per number already reported; numbers past the table share the
 * last bit. Set with an atomic OR, so two threads print a number once. */
static uint64_t reported[(NR_COUNT + 1 + 63) / 64];

static void report_unimplemented(long nr)
{
    unsigned long bit = nr >= 0 && nr < NR_COUNT ? (unsigned long)nr : NR_COUNT;
    uint64_t mask = 1ull << (bit % 64);

    if (__atomic_fetch_or(&reported[bit / 64], mask, __ATOMIC_RELAXED) & mask)
        return;
    const char *name = syscall_name(nr);
    printk("mote: syscall: %s (%ld) not implemented\n", name ? name : "unknown", nr);
}

long mote_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    syscall_fn fn = nr >= 0 && nr < NR_COUNT ? syscall_table[nr] : NULL;

    if (!fn) {
        report_unimplemented(nr);
        return -ENOSYS;
    }
    return fn(a1, a2, a3, a4, a5, a6);
}
