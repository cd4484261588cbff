/* SPDX-License-Identifier: MIT */
/*
 * Open files of the file systems (posix/vfile.c) and the lock every VFS
 * operation runs under.
 */
#ifndef POSIX_VFILE_H
#define POSIX_VFILE_H

#include <file.h>
#include <thread.h>
#include <vfs.h>

/* Held across every vnode operation and path lookup (posix/vfs.h). */
extern struct mutex vfs_lock;

/* A descriptor for v (whose reference passes to it) opened with open's
 * flags, at canonical path: the descriptor, or -EMFILE, -ENOMEM (the
 * caller then still holds the reference). */
long vfile_install(struct vnode *v, const char *canonical, int flags);

/* The canonical path of the directory open at fd, "" if fd is an open file
 * of a file system that is no directory, NULL if it is not one at all. */
const char *vfile_dir_path(int fd);

/* Linux's struct stat of v. */
void vnode_stat(const struct vnode *v, struct linux_stat *st);

#endif
