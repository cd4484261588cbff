/* SPDX-License-Identifier: MIT */
/*
 * An open file of a file system as the descriptor table holds it: a struct
 * file whose operations (posix/file.h) reach its vnode (posix/vfs.h) under
 * vfs_lock, with the file's offset for read, write and lseek, and a
 * directory's position for getdents64. vfs.c's open makes them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vfile.h>

struct mutex vfs_lock;

struct vfile {
    struct file file;           /* first: a struct file pointer is a vfile pointer */
    struct vnode *v;
    uint64_t offset;            /* read, write, lseek; a directory's readdir position */
    char path[];                /* canonical, for the *at calls' dirfd */
};

static struct vfile *vfile_of(struct file *f)
{
    return (struct vfile *)f;
}

static long vfile_pread(struct file *f, void *buf, size_t count, int64_t offset)
{
    struct vnode *v = vfile_of(f)->v;

    if (vnode_is_dir(v))
        return -EISDIR;
    if (offset < 0)
        return -EINVAL;
    mutex_lock(&vfs_lock);
    long n = v->ops->read(v, buf, count, (uint64_t)offset);
    mutex_unlock(&vfs_lock);
    return n;
}

static long vfile_pwrite(struct file *f, const void *buf, size_t count, int64_t offset)
{
    struct vnode *v = vfile_of(f)->v;

    if (offset < 0)
        return -EINVAL;
    mutex_lock(&vfs_lock);
    long n = v->ops->write(v, buf, count, (uint64_t)offset);
    mutex_unlock(&vfs_lock);
    return n;
}

static long vfile_read(struct file *f, void *buf, size_t count)
{
    struct vfile *vf = vfile_of(f);

    if (vnode_is_dir(vf->v))
        return -EISDIR;
    mutex_lock(&vfs_lock);
    long n = vf->v->ops->read(vf->v, buf, count, vf->offset);
    if (n > 0)
        vf->offset += (uint64_t)n;
    mutex_unlock(&vfs_lock);
    return n;
}

/* O_APPEND: every write at the end, found under the lock (write(2)). */
static long vfile_write(struct file *f, const void *buf, size_t count)
{
    struct vfile *vf = vfile_of(f);

    mutex_lock(&vfs_lock);
    if (f->status_flags & LINUX_O_APPEND)
        vf->offset = vf->v->size;
    long n = vf->v->ops->write(vf->v, buf, count, vf->offset);
    if (n > 0)
        vf->offset += (uint64_t)n;
    mutex_unlock(&vfs_lock);
    return n;
}

/* lseek(2): SEEK_SET, SEEK_CUR, SEEK_END; past the end is allowed (a later
 * write leaves a hole), before the start is -EINVAL. */
static long vfile_lseek(struct file *f, int64_t offset, int whence)
{
    struct vfile *vf = vfile_of(f);
    int64_t base;

    mutex_lock(&vfs_lock);
    switch (whence) {
    case LINUX_SEEK_SET: base = 0; break;
    case LINUX_SEEK_CUR: base = (int64_t)vf->offset; break;
    case LINUX_SEEK_END: base = (int64_t)vf->v->size; break;
    default:             base = -1; offset = 0; break;
    }
    long result = base < 0 || base + offset < 0 ? -EINVAL : base + offset;
    if (result >= 0)
        vf->offset = (uint64_t)result;
    mutex_unlock(&vfs_lock);
    return result;
}

void vnode_stat(const struct vnode *v, struct linux_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = v->dev;
    st->st_ino = v->ino;
    st->st_nlink = v->nlink;
    st->st_mode = v->mode;
    st->st_size = (int64_t)v->size;
    st->st_blksize = 4096;
    st->st_blocks = (int64_t)((v->size + 511) / 512);
    st->st_atim = st->st_mtim = st->st_ctim = v->mtime;
}

static long vfile_stat(struct file *f, struct linux_stat *st)
{
    mutex_lock(&vfs_lock);
    vnode_stat(vfile_of(f)->v, st);
    mutex_unlock(&vfs_lock);
    return 0;
}

struct dirent_buf {
    char *buf;
    size_t count, used;
    bool too_small;             /* the first record did not fit */
};

/* One linux_dirent64 record, 8-byte aligned as Linux writes them. */
static bool fill_dirent(void *ctx, const char *name, size_t len, uint64_t ino,
                        unsigned int d_type, uint64_t next_pos)
{
    struct dirent_buf *b = ctx;
    size_t reclen = (offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;

    if (b->used + reclen > b->count) {
        b->too_small = b->used == 0;
        return false;
    }
    struct linux_dirent64 *d = (struct linux_dirent64 *)(b->buf + b->used);
    d->d_ino = ino;
    d->d_off = (int64_t)next_pos;
    d->d_reclen = (uint16_t)reclen;
    d->d_type = (uint8_t)d_type;
    memcpy(d->d_name, name, len);
    memset(d->d_name + len, 0, reclen - offsetof(struct linux_dirent64, d_name) - len);
    b->used += reclen;
    return true;
}

/* getdents64(2): the bytes of whole records written, 0 at the end,
 * -ENOTDIR, -EINVAL if even one record does not fit. */
static long vfile_getdents64(struct file *f, void *buf, size_t count)
{
    struct vfile *vf = vfile_of(f);
    struct dirent_buf b = { .buf = buf, .count = count };

    if (!vnode_is_dir(vf->v))
        return -ENOTDIR;
    mutex_lock(&vfs_lock);
    long err = vf->v->ops->readdir(vf->v, &vf->offset, fill_dirent, &b);
    mutex_unlock(&vfs_lock);
    if (err)
        return err;
    return b.too_small ? -EINVAL : (long)b.used;
}

/* ftruncate(2): a regular file open for writing; -EINVAL otherwise, or for
 * a negative length. */
static long vfile_truncate(struct file *f, int64_t length)
{
    struct vnode *v = vfile_of(f)->v;

    if (length < 0 || vnode_is_dir(v) || (f->status_flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY)
        return -EINVAL;
    mutex_lock(&vfs_lock);
    long err = v->ops->truncate(v, (uint64_t)length);
    mutex_unlock(&vfs_lock);
    return err;
}

static long vfile_fsync(struct file *f)
{
    struct vnode *v = vfile_of(f)->v;

    mutex_lock(&vfs_lock);
    long err = v->ops->fsync(v);
    mutex_unlock(&vfs_lock);
    return err;
}

static void vfile_release(struct file *f)
{
    struct vfile *vf = vfile_of(f);

    mutex_lock(&vfs_lock);
    vf->v->ops->put(vf->v);
    mutex_unlock(&vfs_lock);
    free(vf);
}

static const struct file_ops vfile_ops = {
    .read = vfile_read, .write = vfile_write,
    .pread = vfile_pread, .pwrite = vfile_pwrite, .lseek = vfile_lseek,
    .stat = vfile_stat, .getdents64 = vfile_getdents64,
    .truncate = vfile_truncate, .fsync = vfile_fsync, .release = vfile_release,
};

long vfile_install(struct vnode *v, const char *canonical, int flags)
{
    size_t len = strlen(canonical);
    struct vfile *vf = malloc(sizeof(*vf) + len + 1);

    if (!vf)
        return -ENOMEM;
    int accmode = flags & LINUX_O_PATH ? LINUX_O_RDONLY : flags & LINUX_O_ACCMODE;
    int kept = flags & (LINUX_O_APPEND | LINUX_O_NONBLOCK);
    vf->file = (struct file){ .ops = &vfile_ops, .status_flags = accmode | kept };
    vf->v = v;
    vf->offset = 0;
    memcpy(vf->path, canonical, len + 1);
    long fd = fd_install_cloexec(&vf->file, flags & LINUX_O_CLOEXEC);
    if (fd < 0)
        free(vf);
    return fd;
}

const char *vfile_dir_path(int fd)
{
    struct file *f = fd_get(fd);

    if (!f || f->ops != &vfile_ops)
        return NULL;
    return vnode_is_dir(vfile_of(f)->v) ? vfile_of(f)->path : "";
}
