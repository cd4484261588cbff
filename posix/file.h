/* SPDX-License-Identifier: MIT */
/*
 * An open file as the descriptor table holds it (posix/fd.c): what it is
 * (its operations) and its state. Several descriptors may share one (dup);
 * it is released when the last one closes. The console (posix/console.c) is
 * the first kind; files, sockets and devices will be others.
 */
#ifndef POSIX_FILE_H
#define POSIX_FILE_H

#include <stddef.h>

struct file;

/* Each returns Linux's result: a count >= 0 or -errno. A NULL operation
 * means the file does not support it (the caller answers as Linux does). */
struct file_ops {
    long (*read)(struct file *f, void *buf, size_t count);
    long (*write)(struct file *f, const void *buf, size_t count);
    long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
    void (*release)(struct file *f);
};

struct file {
    const struct file_ops *ops;
    int status_flags;           /* O_ACCMODE, O_APPEND, O_NONBLOCK (F_GETFL) */
    int refs;                   /* descriptors that point here */
    void *priv;
};

/* Installs f at the lowest free descriptor >= 0: the descriptor, or -EMFILE. */
int fd_install(struct file *f);

/* The console (posix/console.c): descriptors 0, 1 and 2 from the start. */
extern struct file console_file;

#endif
