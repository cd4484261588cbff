/* SPDX-License-Identifier: MIT */
/*
 * An open file as the descriptor table holds it (posix/fd.c): what it is
 * (its operations) and its state. Several descriptors may share one (dup);
 * it is released when the last one closes. Kinds: the console
 * (posix/console.c), files of the file systems (posix/vfs.c), sockets
 * (posix/socket.c); devices later.
 *
 * Readiness (poll, select, epoll: posix/poll.c, posix/epoll.c): a file's
 * poll operation says what it is ready for now, without waiting. Waiters
 * sleep on event_waiters (<mote/events.h>, wait_until), woken after every
 * upcall, and look at every poll operation again, under the wait queues'
 * lock: so a poll operation is a quick look that never sleeps (it may take a
 * spinlock). A kind whose readiness changes in an upcall (console input)
 * needs nothing more; a kind whose readiness changes on a thread (lwIP's
 * tcpip thread for sockets) calls file_readiness_changed() after the change.
 */
#ifndef POSIX_FILE_H
#define POSIX_FILE_H

#include <linux.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file;

/* Each returns Linux's result: a count >= 0 or -errno. A NULL operation
 * means the file does not support it (the caller answers as Linux does). */
struct file_ops {
    long (*read)(struct file *f, void *buf, size_t count);
    long (*write)(struct file *f, const void *buf, size_t count);
    long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
    /* At an offset, leaving the file's own offset (pread64, pwrite64). */
    long (*pread)(struct file *f, void *buf, size_t count, int64_t offset);
    long (*pwrite)(struct file *f, const void *buf, size_t count, int64_t offset);
    long (*lseek)(struct file *f, int64_t offset, int whence);
    long (*stat)(struct file *f, struct linux_stat *st);
    long (*getdents64)(struct file *f, void *buf, size_t count);
    long (*truncate)(struct file *f, int64_t length);
    long (*fsync)(struct file *f);
    /* Readiness now, as poll's revents bits (LINUX_POLLIN, LINUX_POLLOUT...);
     * NULL means always ready for both, as a regular file is. */
    unsigned int (*poll)(struct file *f);
    void (*release)(struct file *f);
};

/* poll(2)'s events (asm-generic/poll.h), which epoll's share. */
#define LINUX_POLLIN     0x001
#define LINUX_POLLPRI    0x002
#define LINUX_POLLOUT    0x004
#define LINUX_POLLERR    0x008
#define LINUX_POLLHUP    0x010
#define LINUX_POLLNVAL   0x020
#define LINUX_POLLRDNORM 0x040
#define LINUX_POLLWRNORM 0x100
#define LINUX_POLLRDHUP  0x2000

struct file {
    const struct file_ops *ops;
    int status_flags;           /* O_ACCMODE, O_APPEND, O_NONBLOCK (F_GETFL) */
    int refs;                   /* descriptors that point here */
    void *priv;
};

/* Installs f at the lowest free descriptor >= 0: the descriptor, or -EMFILE.
 * With close_on_exec, the descriptor has FD_CLOEXEC (O_CLOEXEC). */
int fd_install(struct file *f);
int fd_install_cloexec(struct file *f, bool close_on_exec);

/* The file at fd, or NULL if fd is not open. */
struct file *fd_get(int fd);

/* The events f is ready for now (its poll operation's answer). */
unsigned int file_poll(struct file *f);
/* Wakes the threads waiting for readiness (after a change on a thread). */
void file_readiness_changed(void);

/* Waiting for readiness (posix/poll.c): scan(ctx) returns how many of its
 * descriptors are ready (or -errno); poll_wait runs it, then again after
 * each wake-up, until it is not 0 or the deadline (monotonic ns) passes.
 * scan runs under the wait queues' lock, so it may take spinlocks but never
 * sleep; each poll operation is such a look. */
#define POLL_NOW     0ull
#define POLL_FOREVER (~0ull)
typedef long (*poll_scan_fn)(void *ctx);
long poll_wait(poll_scan_fn scan, void *ctx, uint64_t deadline);
/* Deadlines from poll's milliseconds (< 0: forever) and from a relative
 * timespec (NULL: forever; -EINVAL for a bad one). */
uint64_t poll_deadline_ms(int timeout_ms);
long poll_deadline(const struct linux_timespec *ts, uint64_t *deadline);

/* The console (posix/console.c): descriptors 0, 1 and 2 from the start. */
extern struct file console_file;

#endif
