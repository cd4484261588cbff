/* SPDX-License-Identifier: MIT */
/*
 * The virtual file system between the path calls (posix/vfs.c) and each
 * file system (posix/ramfs.c, ...): a vnode is one file or directory of a
 * mounted file system, with the operations its file system gives it; a
 * mount puts a file system's root vnode at an absolute path.
 *
 * Every operation runs with the VFS's one lock held (vfs_lock, a sleeping
 * mutex: a disk file system waits for its I/O under it), so file systems
 * need no locks of their own. Names come as (pointer, length), not
 * NUL-terminated: they are components of a longer path.
 *
 * References: lookup and create return a vnode with a reference the caller
 * gives back with put; an open file holds one for as long as it is open.
 * A file system frees a vnode when it has neither references nor links.
 */
#ifndef POSIX_VFS_H
#define POSIX_VFS_H

#include <linux.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vnode;

/* readdir's callback: one entry, and the position just past it; false
 * when the caller's buffer is full (the file system then keeps that entry
 * for the next call). */
typedef bool (*vfs_fill_fn)(void *ctx, const char *name, size_t len, uint64_t ino,
                            unsigned int d_type, uint64_t next_pos);

/* Each returns 0 or a count >= 0, or -errno as Linux's calls do. */
struct vnode_ops {
    long (*lookup)(struct vnode *dir, const char *name, size_t len, struct vnode **out);
    long (*create)(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                   struct vnode **out);
    long (*mkdir)(struct vnode *dir, const char *name, size_t len, uint32_t mode);
    /* unlink (is_dir false: -EISDIR for a directory) or rmdir (true:
     * -ENOTDIR for a file, -ENOTEMPTY). */
    long (*remove)(struct vnode *dir, const char *name, size_t len, bool is_dir);
    /* rename within one file system, replacing a target as rename(2) does. */
    long (*rename)(struct vnode *old_dir, const char *old_name, size_t old_len,
                   struct vnode *new_dir, const char *new_name, size_t new_len);
    long (*read)(struct vnode *v, void *buf, size_t count, uint64_t offset);
    long (*write)(struct vnode *v, const void *buf, size_t count, uint64_t offset);
    long (*truncate)(struct vnode *v, uint64_t size);
    /* Entries from *pos on, through fill; *pos moves past each one taken. */
    long (*readdir)(struct vnode *dir, uint64_t *pos, vfs_fill_fn fill, void *ctx);
    long (*fsync)(struct vnode *v);
    void (*put)(struct vnode *v);
};

struct vnode {
    const struct vnode_ops *ops;
    uint64_t dev;               /* the mount's number, st_dev */
    uint64_t ino;
    uint32_t mode;              /* LINUX_S_IFDIR or LINUX_S_IFREG, and permissions */
    uint32_t nlink;
    uint64_t size;
    struct linux_timespec mtime;
    int refs;
};

static inline bool vnode_is_dir(const struct vnode *v)
{
    return (v->mode & LINUX_S_IFMT) == LINUX_S_IFDIR;
}

/* Mounts root (holding its reference) at the absolute path, which must be
 * a directory already unless it is "/": 0, -ENOENT, -ENOTDIR, -EBUSY (a
 * mount there already), -ENOMEM. */
long vfs_mount(const char *path, struct vnode *root);

/* The RAM file system (posix/ramfs.c): a new one's root directory. */
struct vnode *ramfs_new(void);

/* The current time, for a vnode's mtime. */
struct linux_timespec vfs_now(void);

/* Mounts a RAM file system at / with an empty /tmp (posix/start.c, before
 * main). */
void vfs_init(void);

/* Unpacks the domain's ramdisk (start_info's module, a newc cpio archive)
 * at / (posix/ramdisk.c, before main); reports and stops at a bad entry. */
void ramdisk_unpack(void);

#endif
