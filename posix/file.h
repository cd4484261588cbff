/* SPDX-License-Identifier: MIT */
/*
 * An open file as the descriptor table holds it (posix/fd.c): what it is
 * (its operations) and its state. Several descriptors may share one (dup);
 * it is released when the last one closes. The console (posix/console.c) is
 * the first kind, files of the file systems (posix/vfs.c) the second;
 * sockets and devices are others.
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

/* The console (posix/console.c): descriptors 0, 1 and 2 from the start. */
extern struct file console_file;

#endif
