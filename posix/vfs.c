/* SPDX-License-Identifier: MIT */
/*
 * The calls that name files by path: open, openat, creat, stat, lstat,
 * newfstatat, access, faccessat, mkdir(at), unlink(at), rmdir, rename(at),
 * truncate, chdir, fchdir, getcwd; and vfs_init, which mounts a RAM file
 * system at / with /tmp before main. Paths go through posix/path.c to a
 * file system's vnodes (posix/vfs.h); each call holds vfs_lock throughout,
 * so a path's lookup and what is done there are one step.
 *
 * A relative path starts at the current directory, or for the *at calls at
 * dirfd's directory (AT_FDCWD: the current one). mote has one user, root:
 * permissions are kept and reported but not enforced, as root sees them.
 */
#include <clock.h>
#include <errno.h>
#include <path.h>
#include <printk.h>
#include <string.h>
#include <syscall.h>
#include <vfile.h>

struct linux_timespec vfs_now(void)
{
    struct linux_timespec now;

    sys_clock_gettime(LINUX_CLOCK_REALTIME, &now);
    return now;
}

/* path, relative to dirfd, made canonical into out. */
static long at_path(int dirfd, const char *path, char *out)
{
    const char *base = path_cwd();

    if (path && path[0] != '/' && dirfd != LINUX_AT_FDCWD) {
        base = vfile_dir_path(dirfd);
        if (!base)
            return -EBADF;
        if (!*base)
            return -ENOTDIR;
    }
    return path_canonical(base, path, out);
}

/* The file at name in dir, created (O_CREAT) if it is not there. */
static long open_or_create(struct vnode *dir, const char *name, int flags, uint32_t mode,
                           struct vnode **out)
{
    size_t len = strlen(name);
    long err = dir->ops->lookup(dir, name, len, out);

    if (err == 0 && (flags & LINUX_O_EXCL)) {
        (*out)->ops->put(*out);
        return -EEXIST;
    }
    if (err == -ENOENT)
        err = dir->ops->create(dir, name, len, mode, out);
    return err;
}

static long lookup_for_open(const char *canonical, int flags, uint32_t mode, struct vnode **out)
{
    char parent[LINUX_PATH_MAX];
    const char *name;
    struct vnode *dir;

    if (!(flags & LINUX_O_CREAT))
        return path_lookup(canonical, out);
    long err = path_lookup_parent(canonical, parent, &name, &dir);
    if (err == -EBUSY)
        return -EISDIR;         /* "/" */
    if (err)
        return err;
    err = open_or_create(dir, name, flags, mode, out);
    dir->ops->put(dir);
    return err;
}

/* What open's flags ask of the file v: a directory only read, O_DIRECTORY
 * only a directory, O_TRUNC empties a regular file opened for writing. */
static long open_checks(struct vnode *v, int flags)
{
    int accmode = flags & LINUX_O_ACCMODE;

    if (vnode_is_dir(v) && (accmode != LINUX_O_RDONLY || (flags & LINUX_O_CREAT)))
        return -EISDIR;
    if (!vnode_is_dir(v) && (flags & LINUX_O_DIRECTORY))
        return -ENOTDIR;
    if ((flags & LINUX_O_TRUNC) && !vnode_is_dir(v) && accmode != LINUX_O_RDONLY)
        return v->ops->truncate(v, 0);
    return 0;
}

/* openat(2): the new descriptor; -ENOENT, -EEXIST (O_CREAT|O_EXCL),
 * -EISDIR, -ENOTDIR, -ENAMETOOLONG, -EMFILE, -ENOMEM. */
long sys_openat(int dirfd, const char *path, int flags, uint32_t mode)
{
    char canonical[LINUX_PATH_MAX];
    struct vnode *v;

    mutex_lock(&vfs_lock);
    long err = at_path(dirfd, path, canonical);
    if (!err)
        err = lookup_for_open(canonical, flags, mode, &v);
    if (!err) {
        err = open_checks(v, flags);
        if (!err)
            err = vfile_install(v, canonical, flags);
        if (err < 0)
            v->ops->put(v);
    }
    mutex_unlock(&vfs_lock);
    return err;
}

long sys_open(const char *path, int flags, uint32_t mode)
{
    return sys_openat(LINUX_AT_FDCWD, path, flags, mode);
}

long sys_creat(const char *path, uint32_t mode)
{
    return sys_open(path, LINUX_O_CREAT | LINUX_O_WRONLY | LINUX_O_TRUNC, mode);
}

/* newfstatat(2): path's stat, or with AT_EMPTY_PATH and "" dirfd's own
 * (as fstat). No symbolic links: AT_SYMLINK_NOFOLLOW changes nothing. */
long sys_newfstatat(int dirfd, const char *path, struct linux_stat *st, int flags)
{
    char canonical[LINUX_PATH_MAX];
    struct vnode *v;

    if ((flags & LINUX_AT_EMPTY_PATH) && path && !*path)
        return sys_fstat(dirfd, st);
    mutex_lock(&vfs_lock);
    long err = at_path(dirfd, path, canonical);
    if (!err)
        err = path_lookup(canonical, &v);
    if (!err) {
        vnode_stat(v, st);
        v->ops->put(v);
    }
    mutex_unlock(&vfs_lock);
    return err;
}

long sys_stat(const char *path, struct linux_stat *st)
{
    return sys_newfstatat(LINUX_AT_FDCWD, path, st, 0);
}

long sys_lstat(const char *path, struct linux_stat *st)
{
    return sys_newfstatat(LINUX_AT_FDCWD, path, st, LINUX_AT_SYMLINK_NOFOLLOW);
}

/* faccessat(2): 0 if the file exists (root may do anything), -EINVAL for
 * a mode past R_OK|W_OK|X_OK. */
long sys_faccessat(int dirfd, const char *path, int mode)
{
    struct linux_stat st;

    if (mode & ~7)
        return -EINVAL;
    return sys_newfstatat(dirfd, path, &st, 0);
}

long sys_access(const char *path, int mode)
{
    return sys_faccessat(LINUX_AT_FDCWD, path, mode);
}

typedef long (*parent_op)(struct vnode *dir, const char *name, long arg);

/* Runs op on the directory holding path's last component, and its name;
 * a mount point or "/" is -EBUSY. */
static long in_parent(int dirfd, const char *path, parent_op op, long arg)
{
    char canonical[LINUX_PATH_MAX], parent[LINUX_PATH_MAX];
    const char *name;
    struct vnode *dir;

    mutex_lock(&vfs_lock);
    long err = at_path(dirfd, path, canonical);
    if (!err && path_is_mount_point(canonical))
        err = -EBUSY;
    if (!err)
        err = path_lookup_parent(canonical, parent, &name, &dir);
    if (!err) {
        err = op(dir, name, arg);
        dir->ops->put(dir);
    }
    mutex_unlock(&vfs_lock);
    return err;
}

static long mkdir_op(struct vnode *dir, const char *name, long mode)
{
    return dir->ops->mkdir(dir, name, strlen(name), (uint32_t)mode);
}

/* mkdirat(2): 0, -EEXIST (also for "/" and a mount point), -ENOENT. */
long sys_mkdirat(int dirfd, const char *path, uint32_t mode)
{
    long err = in_parent(dirfd, path, mkdir_op, mode);

    return err == -EBUSY ? -EEXIST : err;
}

long sys_mkdir(const char *path, uint32_t mode)
{
    return sys_mkdirat(LINUX_AT_FDCWD, path, mode);
}

static long remove_op(struct vnode *dir, const char *name, long is_dir_wanted)
{
    return dir->ops->remove(dir, name, strlen(name), is_dir_wanted);
}

/* unlinkat(2): a file, or with AT_REMOVEDIR an empty directory; -EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -EBUSY (a mount point), -EINVAL for other flags. */
long sys_unlinkat(int dirfd, const char *path, int flags)
{
    if (flags & ~LINUX_AT_REMOVEDIR)
        return -EINVAL;
    return in_parent(dirfd, path, remove_op, (flags & LINUX_AT_REMOVEDIR) != 0);
}

long sys_unlink(const char *path)
{
    return sys_unlinkat(LINUX_AT_FDCWD, path, 0);
}

long sys_rmdir(const char *path)
{
    return sys_unlinkat(LINUX_AT_FDCWD, path, LINUX_AT_REMOVEDIR);
}

/* Both ends of a rename, canonical, each in its own file system. */
static long rename_locked(const char *from, const char *to)
{
    char from_parent[LINUX_PATH_MAX], to_parent[LINUX_PATH_MAX];
    const char *from_name, *to_name;
    struct vnode *from_dir, *to_dir;

    if (path_is_mount_point(from) || path_is_mount_point(to))
        return -EBUSY;
    long err = path_lookup_parent(from, from_parent, &from_name, &from_dir);
    if (err)
        return err;
    err = path_lookup_parent(to, to_parent, &to_name, &to_dir);
    if (!err) {
        err = from_dir->dev != to_dir->dev ? -EXDEV
            : from_dir->ops->rename(from_dir, from_name, strlen(from_name),
                                    to_dir, to_name, strlen(to_name));
        to_dir->ops->put(to_dir);
    }
    from_dir->ops->put(from_dir);
    return err;
}

/* renameat(2): as rename(2); -EXDEV across file systems, -EBUSY for a
 * mount point, -EINVAL for a directory into itself. */
long sys_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
    char from[LINUX_PATH_MAX], to[LINUX_PATH_MAX];

    mutex_lock(&vfs_lock);
    long err = at_path(olddirfd, oldpath, from);
    if (!err)
        err = at_path(newdirfd, newpath, to);
    if (!err)
        err = rename_locked(from, to);
    mutex_unlock(&vfs_lock);
    return err;
}

long sys_rename(const char *oldpath, const char *newpath)
{
    return sys_renameat(LINUX_AT_FDCWD, oldpath, LINUX_AT_FDCWD, newpath);
}

/* truncate(2): as ftruncate on the file at path. */
long sys_truncate(const char *path, int64_t length)
{
    long fd = sys_open(path, LINUX_O_WRONLY, 0);

    if (fd < 0)
        return fd;
    long err = sys_ftruncate((int)fd, length);
    sys_close((int)fd);
    return err;
}

/* chdir(2): 0, -ENOENT, -ENOTDIR. */
long sys_chdir(const char *path)
{
    char canonical[LINUX_PATH_MAX];
    struct vnode *v;

    mutex_lock(&vfs_lock);
    long err = path_canonical(path_cwd(), path, canonical);
    if (!err)
        err = path_lookup(canonical, &v);
    if (!err) {
        err = vnode_is_dir(v) ? 0 : -ENOTDIR;
        v->ops->put(v);
    }
    if (!err)
        path_set_cwd(canonical);
    mutex_unlock(&vfs_lock);
    return err;
}

/* fchdir(2): to the directory open at fd; -EBADF, -ENOTDIR. */
long sys_fchdir(int fd)
{
    mutex_lock(&vfs_lock);
    const char *path = vfile_dir_path(fd);
    long err = !path ? -EBADF : !*path ? -ENOTDIR : 0;
    if (!err)
        path_set_cwd(path);
    mutex_unlock(&vfs_lock);
    return err;
}

/* getcwd(2): the length written with its NUL, or -ERANGE. */
long sys_getcwd(char *buf, size_t size)
{
    mutex_lock(&vfs_lock);
    size_t len = strlen(path_cwd()) + 1;
    long err = len > size ? -ERANGE : (long)len;
    if (err > 0)
        memcpy(buf, path_cwd(), len);
    mutex_unlock(&vfs_lock);
    return err;
}

void vfs_init(void)
{
    struct vnode *root = ramfs_new();

    if (!root || vfs_mount("/", root) != 0)
        panic("vfs: no memory for the RAM file system at /");
    if (sys_mkdir("/tmp", 01777) != 0)
        panic("vfs: cannot make /tmp");
}
