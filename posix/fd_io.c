/* SPDX-License-Identifier: MIT */
/*
 * The descriptor calls past read and write that reach a file's own
 * operations (posix/file.h): pread64, pwrite64, fstat, getdents64,
 * ftruncate, fsync, fdatasync. Which kinds of file have them is the file's
 * business; these check the descriptor and the access mode, as Linux does
 * before the file is asked.
 */
#include <errno.h>
#include <file.h>
#include <string.h>
#include <syscall.h>

static struct file *open_for(int fd, int refused_mode)
{
    struct file *f = fd_get(fd);

    return f && (f->status_flags & LINUX_O_ACCMODE) != refused_mode ? f : NULL;
}

/* pread64(2): count bytes at offset, the file's offset unchanged; -EBADF,
 * -ESPIPE for a file without offsets (the console), -EINVAL, -EISDIR. */
long sys_pread64(int fd, void *buf, size_t count, int64_t offset)
{
    struct file *f = open_for(fd, LINUX_O_WRONLY);

    if (!f)
        return -EBADF;
    return f->ops->pread ? f->ops->pread(f, buf, count, offset) : -ESPIPE;
}

/* pwrite64(2): as pread64, writing. */
long sys_pwrite64(int fd, const void *buf, size_t count, int64_t offset)
{
    struct file *f = open_for(fd, LINUX_O_RDONLY);

    if (!f)
        return -EBADF;
    return f->ops->pwrite ? f->ops->pwrite(f, buf, count, offset) : -ESPIPE;
}

/* fstat(2): the file's own stat; a file without one (the console) is a
 * character device, as a terminal is. */
long sys_fstat(int fd, struct linux_stat *st)
{
    struct file *f = fd_get(fd);

    if (!f)
        return -EBADF;
    if (f->ops->stat)
        return f->ops->stat(f, st);
    memset(st, 0, sizeof(*st));
    st->st_mode = LINUX_S_IFCHR | 0620;
    st->st_nlink = 1;
    st->st_blksize = 1024;
    return 0;
}

/* getdents64(2): records of the directory open at fd; -EBADF, -ENOTDIR. */
long sys_getdents64(int fd, void *buf, size_t count)
{
    struct file *f = fd_get(fd);

    if (!f)
        return -EBADF;
    return f->ops->getdents64 ? f->ops->getdents64(f, buf, count) : -ENOTDIR;
}

/* ftruncate(2): -EBADF if fd is not open for writing, -EINVAL if its file
 * has no length. */
long sys_ftruncate(int fd, int64_t length)
{
    struct file *f = open_for(fd, LINUX_O_RDONLY);

    if (!f)
        return -EBADF;
    return f->ops->truncate ? f->ops->truncate(f, length) : -EINVAL;
}

/* fsync(2): the file's data and metadata on its device before returning;
 * -EINVAL for a file that cannot be synced (the console, as Linux's
 * terminals). */
long sys_fsync(int fd)
{
    struct file *f = fd_get(fd);

    if (!f)
        return -EBADF;
    return f->ops->fsync ? f->ops->fsync(f) : -EINVAL;
}
