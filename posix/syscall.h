/* SPDX-License-Identifier: MIT */
/*
 * mote's Linux x86-64 system call layer: one table indexed by Linux's call
 * numbers (posix/syscall_table.c), whose entries have Linux's semantics and
 * return convention (a result >= 0, or -errno). How a call arrives is not
 * its business: musl calls mote_syscall directly (posix/musl/include/
 * syscall_arch.h), and a user-mode entry can call it the same way later.
 *
 * Each handler takes its arguments with Linux's types (the prototypes of
 * Linux's include/linux/syscalls.h) and is documented where it is defined,
 * one concern per file: fd.c (the descriptor table), fd_io.c (pread,
 * fstat, fsync... on any descriptor), vfs.c (calls that take a path),
 * console.c (the console as descriptors 0-2), socket.c, poll.c, epoll.c,
 * mem.c, time.c, identity.c, thread.c (clone
 * and thread ids), futex.c, process.c.
 */
#ifndef POSIX_SYSCALL_H
#define POSIX_SYSCALL_H

#include <linux.h>
#include <stddef.h>
#include <stdint.h>

/* The call numbers, NR_read = 0 ... (posix/syscall_list.h). */
enum syscall_nr {
#define SYSCALL_NAME(nr, name) NR_##name = nr,
#include "syscall_list.h"
#undef SYSCALL_NAME
    NR_COUNT
};

/* mote_syscall(nr, a1 .. a6): runs call nr with its six argument
 * registers' values; unknown or unimplemented numbers return -ENOSYS,
 * reported once per number. Declared once, in the header musl's build
 * compiles its calls with, so the two sides cannot drift apart. */
#include "musl/include/syscall_arch.h"

/* Linux's name for call nr ("epoll_pwait"), or NULL for a number Linux
 * does not use. */
const char *syscall_name(long nr);

/* fd.c */
long sys_read(int fd, void *buf, size_t count);
long sys_write(int fd, const void *buf, size_t count);
long sys_readv(int fd, const struct linux_iovec *iov, int iovcnt);
long sys_writev(int fd, const struct linux_iovec *iov, int iovcnt);
long sys_close(int fd);
long sys_dup(int oldfd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, unsigned long arg);
long sys_ioctl(int fd, unsigned int cmd, unsigned long arg);
long sys_lseek(int fd, int64_t offset, int whence);

/* fd_io.c */
long sys_pread64(int fd, void *buf, size_t count, int64_t offset);
long sys_pwrite64(int fd, const void *buf, size_t count, int64_t offset);
long sys_fstat(int fd, struct linux_stat *st);
long sys_getdents64(int fd, void *buf, size_t count);
long sys_ftruncate(int fd, int64_t length);
long sys_fsync(int fd);

/* vfs.c */
long sys_open(const char *path, int flags, uint32_t mode);
long sys_openat(int dirfd, const char *path, int flags, uint32_t mode);
long sys_creat(const char *path, uint32_t mode);
long sys_stat(const char *path, struct linux_stat *st);
long sys_lstat(const char *path, struct linux_stat *st);
long sys_newfstatat(int dirfd, const char *path, struct linux_stat *st, int flags);
long sys_access(const char *path, int mode);
long sys_faccessat(int dirfd, const char *path, int mode);
long sys_mkdir(const char *path, uint32_t mode);
long sys_mkdirat(int dirfd, const char *path, uint32_t mode);
long sys_unlink(const char *path);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_rmdir(const char *path);
long sys_rename(const char *oldpath, const char *newpath);
long sys_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
long sys_truncate(const char *path, int64_t length);
long sys_chdir(const char *path);
long sys_fchdir(int fd);
long sys_getcwd(char *buf, size_t size);

/* socket.c */
struct linux_msghdr;
long sys_socket(int domain, int type, int protocol);
long sys_bind(int fd, const void *addr, int len);
long sys_connect(int fd, const void *addr, int len);
long sys_listen(int fd, int backlog);
long sys_accept(int fd, void *addr, int *len);
long sys_accept4(int fd, void *addr, int *len, int flags);
long sys_getsockname(int fd, void *addr, int *len);
long sys_getpeername(int fd, void *addr, int *len);
long sys_sendto(int fd, const void *buf, size_t count, int flags, const void *addr, int len);
long sys_recvfrom(int fd, void *buf, size_t count, int flags, void *addr, int *len);
long sys_sendmsg(int fd, const struct linux_msghdr *m, int flags);
long sys_recvmsg(int fd, struct linux_msghdr *m, int flags);
long sys_shutdown(int fd, int how);
long sys_setsockopt(int fd, int level, int name, const void *val, int len);
long sys_getsockopt(int fd, int level, int name, void *val, int *len);

/* poll.c */
long sys_poll(struct linux_pollfd *fds, unsigned int nfds, int timeout_ms);
long sys_ppoll(struct linux_pollfd *fds, unsigned int nfds, const struct linux_timespec *ts,
               const uint64_t *sigmask, size_t sigsetsize);
long sys_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex, struct linux_timeval *tv);
long sys_pselect6(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex,
                  const struct linux_timespec *ts, const void *sigmask);

/* epoll.c */
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, const struct linux_epoll_event *ev);
long sys_epoll_wait(int epfd, struct linux_epoll_event *events, int maxevents, int timeout_ms);
long sys_epoll_pwait(int epfd, struct linux_epoll_event *events, int maxevents, int timeout_ms,
                     const uint64_t *sigmask, size_t sigsetsize);

/* mem.c */
long sys_brk(unsigned long addr);
long sys_mmap(unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off);
long sys_munmap(unsigned long addr, size_t len);
long sys_mprotect(unsigned long addr, size_t len, int prot);
long sys_madvise(unsigned long addr, size_t len, int advice);

/* time.c */
long sys_clock_gettime(int clock, struct linux_timespec *ts);
long sys_clock_getres(int clock, struct linux_timespec *res);
long sys_nanosleep(const struct linux_timespec *req, struct linux_timespec *rem);
long sys_clock_nanosleep(int clock, int flags, const struct linux_timespec *req,
                         struct linux_timespec *rem);
long sys_gettimeofday(struct linux_timeval *tv, void *tz);
struct linux_itimerval;
long sys_setitimer(int which, const struct linux_itimerval *value, struct linux_itimerval *old);

/* identity.c */
long sys_uname(struct linux_utsname *buf);
long sys_getpid(void);
long sys_getppid(void);
long sys_getuid(void);

/* thread.c */
long sys_exit(int status);
long sys_gettid(void);
long sys_set_tid_address(int *tidptr);
long mote_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
                int *ptid, unsigned long tls, int *ctid);

/* futex.c */
long sys_futex(int *uaddr, int op, int val, const struct linux_timespec *timeout,
               int *uaddr2, int val3);

/* process.c */
long sys_exit_group(int status);
long sys_arch_prctl(int code, unsigned long addr);
long sys_rt_sigaction(int sig, const struct linux_sigaction *act,
                      struct linux_sigaction *old, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old, size_t sigsetsize);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_kill(int pid, int sig);
long sys_fork(void);
long sys_execve(const char *path, char *const argv[], char *const envp[]);
long sys_sched_yield(void);

#endif
