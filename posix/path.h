/* SPDX-License-Identifier: MIT */
/*
 * Paths to vnodes (posix/path.c): canonical paths, the current directory,
 * the mount table, lookup. Callers hold vfs_lock.
 */
#ifndef POSIX_PATH_H
#define POSIX_PATH_H

#include <stdbool.h>
#include <vfs.h>

/* path made absolute against base (a canonical directory path) and
 * canonical into out (LINUX_PATH_MAX bytes): 0, -ENOENT for "", -EFAULT
 * for NULL, -ENAMETOOLONG. */
long path_canonical(const char *base, const char *path, char *out);

/* The current directory, canonical; chdir's change of it. */
const char *path_cwd(void);
void path_set_cwd(const char *canonical);

bool path_is_mount_point(const char *canonical);

/* The vnode at a canonical path, with a reference: 0, -ENOENT, -ENOTDIR. */
long path_lookup(const char *canonical, struct vnode **out);

/* The directory holding a canonical path's last component (referenced,
 * its path into parent, LINUX_PATH_MAX bytes) and that component's name
 * (*name, into canonical): 0, -EBUSY for "/", else as path_lookup. */
long path_lookup_parent(const char *canonical, char *parent, const char **name,
                        struct vnode **dir);

#endif
