/* SPDX-License-Identifier: MIT */
/*
 * The file descriptor table: small integers naming open files (struct
 * file, posix/file.h), one table for the whole program (mote runs one),
 * and the calls that work on any descriptor: read, write, readv, writev,
 * close, dup, dup2, dup3, fcntl, ioctl, lseek. What a read or write does is
 * the file's business (its struct file_ops).
 *
 * fd_lock guards the table and the files' reference counts; it is a
 * spinlock, held only to look up or change a slot, never across a file's
 * operation (a console read may wait for input). A file is released when
 * its last descriptor closes; a read running on another thread then keeps
 * using it, which is safe while files are never freed under a reader
 * (the console's never are; later kinds will count their users).
 */
#include <errno.h>
#include <file.h>
#include <spinlock.h>
#include <stdbool.h>
#include <syscall.h>

#define FD_MAX 256

/* Standard input, output and error are the console when a program starts,
 * as they are on a terminal (console_file counts these three). */
static struct file *fds[FD_MAX] = { &console_file, &console_file, &console_file };
static bool cloexec[FD_MAX];
static spinlock_t fd_lock = SPINLOCK_INIT;

struct file *fd_get(int fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return NULL;
    unsigned long flags = spin_lock_irqsave(&fd_lock);
    struct file *f = fds[fd];
    spin_unlock_irqrestore(&fd_lock, flags);
    return f;
}

/* Puts f at the lowest free slot >= from; fd_lock held. */
static int install_from(int from, struct file *f, bool close_on_exec)
{
    for (int fd = from; fd < FD_MAX; fd++) {
        if (!fds[fd]) {
            fds[fd] = f;
            cloexec[fd] = close_on_exec;
            f->refs++;
            return fd;
        }
    }
    return -EMFILE;
}

int fd_install_cloexec(struct file *f, bool close_on_exec)
{
    unsigned long flags = spin_lock_irqsave(&fd_lock);
    int fd = install_from(0, f, close_on_exec);
    spin_unlock_irqrestore(&fd_lock, flags);
    return fd;
}

int fd_install(struct file *f)
{
    return fd_install_cloexec(f, false);
}

/* Empties slot fd; returns the file if that was its last descriptor (the
 * caller releases it, outside the lock). fd_lock held. */
static struct file *clear_slot(int fd)
{
    struct file *f = fds[fd];

    fds[fd] = NULL;
    return f && --f->refs == 0 ? f : NULL;
}

static void release(struct file *f)
{
    if (f && f->ops->release)
        f->ops->release(f);
}

static bool readable(const struct file *f)
{
    return (f->status_flags & LINUX_O_ACCMODE) != LINUX_O_WRONLY;
}

static bool writable(const struct file *f)
{
    return (f->status_flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY;
}

/* read(2): up to count bytes from fd into buf; the count read, 0 at end of
 * file, or -EBADF (not open, or not open for reading), -EINVAL (the file
 * cannot be read). */
long sys_read(int fd, void *buf, size_t count)
{
    struct file *f = fd_get(fd);

    if (!f || !readable(f))
        return -EBADF;
    if (!f->ops->read)
        return -EINVAL;
    return f->ops->read(f, buf, count);
}

/* write(2): up to count bytes from buf to fd; the count written, or -EBADF,
 * -EINVAL as read. */
long sys_write(int fd, const void *buf, size_t count)
{
    struct file *f = fd_get(fd);

    if (!f || !writable(f))
        return -EBADF;
    if (!f->ops->write)
        return -EINVAL;
    return f->ops->write(f, buf, count);
}

static bool iov_valid(const struct linux_iovec *iov, int iovcnt)
{
    return iovcnt >= 0 && iovcnt <= LINUX_IOV_MAX && (iovcnt == 0 || iov);
}

typedef long (*io_fn)(int fd, void *buf, size_t count);

static long write_io(int fd, void *buf, size_t count)
{
    return sys_write(fd, buf, count);
}

/* The buffers in order through io, stopping early (as Linux does) at the
 * first short transfer; the total, or the first error if nothing moved. */
static long transfer_iov(int fd, const struct linux_iovec *iov, int iovcnt, io_fn io)
{
    long total = 0;

    if (!iov_valid(iov, iovcnt))
        return -EINVAL;
    for (int i = 0; i < iovcnt; i++) {
        if (iov[i].iov_len == 0)
            continue;
        long n = io(fd, iov[i].iov_base, iov[i].iov_len);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((size_t)n < iov[i].iov_len)
            break;
    }
    return total;
}

/* readv(2): reads into the buffers in order (transfer_iov); -EINVAL for a
 * negative count or more than IOV_MAX (1024) buffers, else as read. */
long sys_readv(int fd, const struct linux_iovec *iov, int iovcnt)
{
    return transfer_iov(fd, iov, iovcnt, sys_read);
}

/* writev(2): writes the buffers in order (transfer_iov); -EINVAL as readv,
 * else as write. */
long sys_writev(int fd, const struct linux_iovec *iov, int iovcnt)
{
    return transfer_iov(fd, iov, iovcnt, write_io);
}

/* close(2): 0, or -EBADF if fd is not open. */
long sys_close(int fd)
{
    if (fd < 0 || fd >= FD_MAX)
        return -EBADF;
    unsigned long flags = spin_lock_irqsave(&fd_lock);
    bool open = fds[fd] != NULL;
    struct file *last = open ? clear_slot(fd) : NULL;
    spin_unlock_irqrestore(&fd_lock, flags);
    release(last);
    return open ? 0 : -EBADF;
}

/* F_DUPFD and dup: the lowest free descriptor >= from, on oldfd's file. */
static long dup_from(int oldfd, int from, bool close_on_exec)
{
    if (from < 0 || from >= FD_MAX)
        return -EINVAL;
    unsigned long flags = spin_lock_irqsave(&fd_lock);
    struct file *f = oldfd >= 0 && oldfd < FD_MAX ? fds[oldfd] : NULL;
    long fd = f ? install_from(from, f, close_on_exec) : -EBADF;
    spin_unlock_irqrestore(&fd_lock, flags);
    return fd;
}

/* dup(2): a new descriptor (the lowest free) for oldfd's file; -EBADF,
 * -EMFILE. */
long sys_dup(int oldfd)
{
    return dup_from(oldfd, 0, false);
}

/* dup3(2): newfd becomes a copy of oldfd, closing what newfd was first;
 * flags may be O_CLOEXEC. -EINVAL if they are equal or flags has another
 * bit, -EBADF if oldfd is not open or newfd out of range. */
long sys_dup3(int oldfd, int newfd, int flags)
{
    if (oldfd == newfd || (flags & ~LINUX_O_CLOEXEC))
        return -EINVAL;
    if (newfd < 0 || newfd >= FD_MAX)
        return -EBADF;
    unsigned long irq = spin_lock_irqsave(&fd_lock);
    struct file *f = oldfd >= 0 && oldfd < FD_MAX ? fds[oldfd] : NULL;
    struct file *last = NULL;
    if (f) {
        last = clear_slot(newfd);
        fds[newfd] = f;
        cloexec[newfd] = flags & LINUX_O_CLOEXEC;
        f->refs++;
    }
    spin_unlock_irqrestore(&fd_lock, irq);
    release(last);
    return f ? newfd : -EBADF;
}

/* dup2(2): as dup3 without flags, except that oldfd == newfd returns newfd
 * when it is open (-EBADF when not). */
long sys_dup2(int oldfd, int newfd)
{
    if (oldfd == newfd)
        return fd_get(oldfd) ? newfd : -EBADF;
    return sys_dup3(oldfd, newfd, 0);
}

/* fcntl(2): F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD (FD_CLOEXEC),
 * F_GETFL/F_SETFL (F_SETFL changes O_APPEND and O_NONBLOCK only, as Linux).
 * -EBADF if fd is not open, -EINVAL for any other command. */
long sys_fcntl(int fd, int cmd, unsigned long arg)
{
    struct file *f = fd_get(fd);
    const int settable = LINUX_O_APPEND | LINUX_O_NONBLOCK;

    if (!f)
        return -EBADF;
    switch (cmd) {
    case LINUX_F_DUPFD:         return dup_from(fd, (int)arg, false);
    case LINUX_F_DUPFD_CLOEXEC: return dup_from(fd, (int)arg, true);
    case LINUX_F_GETFD:         return cloexec[fd] ? LINUX_FD_CLOEXEC : 0;
    case LINUX_F_SETFD:         cloexec[fd] = arg & LINUX_FD_CLOEXEC; return 0;
    case LINUX_F_GETFL:         return f->status_flags;
    case LINUX_F_SETFL:
        f->status_flags = (f->status_flags & ~settable) | ((int)arg & settable);
        return 0;
    default:                    return -EINVAL;
    }
}

/* ioctl(2): the file's own; -EBADF if fd is not open, -ENOTTY if the file
 * has no such request (Linux's answer for "not a terminal"). */
long sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
    struct file *f = fd_get(fd);

    if (!f)
        return -EBADF;
    return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

/* lseek(2): the file's own (posix/vfs.c for files); -ESPIPE for a file
 * that does not seek (the console, a terminal), -EBADF if fd is not open. */
long sys_lseek(int fd, int64_t offset, int whence)
{
    struct file *f = fd_get(fd);

    if (!f)
        return -EBADF;
    return f->ops->lseek ? f->ops->lseek(f, offset, whence) : -ESPIPE;
}
