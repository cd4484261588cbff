/* SPDX-License-Identifier: MIT */
/*
 * The RAM file system: directories and regular files held in the kernel's
 * heap, mounted at / (and so /tmp) before main (posix/vfs.c). A file's data
 * is one block grown by doubling; a directory is a list of named entries.
 * A node lives while it has a link (an entry naming it) or a reference (an
 * open file, a lookup in progress): unlinking an open file keeps its data
 * until the last close, as on Linux. The VFS lock serialises every call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vfs.h>

struct ram_entry {
    struct ram_entry *next;
    struct ram_node *node;
    size_t len;
    char name[];
};

struct ram_node {
    struct vnode v;             /* first: a vnode pointer is a node pointer */
    struct ram_node *parent;    /* a directory's, for ".." */
    struct ram_entry *entries;  /* a directory's */
    char *data;                 /* a file's */
    size_t capacity;
};

static const struct vnode_ops ramfs_ops;
static uint64_t next_ino = 1;

static struct ram_node *node_of(struct vnode *v)
{
    return (struct ram_node *)v;
}

static bool is_dir(const struct ram_node *n)
{
    return (n->v.mode & LINUX_S_IFMT) == LINUX_S_IFDIR;
}

static struct ram_node *node_new(uint32_t mode, struct ram_node *parent)
{
    struct ram_node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->v = (struct vnode){ .ops = &ramfs_ops, .ino = next_ino++, .mode = mode,
                           .mtime = vfs_now() };
    n->parent = parent ? parent : n;
    n->v.dev = parent ? parent->v.dev : 0;
    return n;
}

static void node_free_if_unused(struct ram_node *n)
{
    if (n->v.refs == 0 && n->v.nlink == 0) {
        free(n->data);
        free(n);
    }
}

static struct ram_entry **entry_slot(struct ram_node *dir, const char *name, size_t len)
{
    struct ram_entry **e = &dir->entries;

    while (*e && ((*e)->len != len || memcmp((*e)->name, name, len) != 0))
        e = &(*e)->next;
    return e;
}

static long link_node(struct ram_node *dir, const char *name, size_t len, struct ram_node *n)
{
    struct ram_entry *e = malloc(sizeof(*e) + len);

    if (!e)
        return -ENOMEM;
    e->node = n;
    e->len = len;
    memcpy(e->name, name, len);
    e->next = dir->entries;
    dir->entries = e;
    n->v.nlink += is_dir(n) ? 2 : 1;   /* a directory's own "." links it too */
    if (is_dir(n))
        dir->v.nlink++;                 /* its ".." */
    dir->v.mtime = vfs_now();
    return 0;
}

/* Removes the entry *slot names; the node goes when unused. */
static void unlink_entry(struct ram_node *dir, struct ram_entry **slot)
{
    struct ram_entry *e = *slot;
    struct ram_node *n = e->node;

    *slot = e->next;
    free(e);
    if (is_dir(n)) {
        dir->v.nlink--;
        n->v.nlink = 0;
    } else {
        n->v.nlink--;
    }
    dir->v.mtime = vfs_now();
    node_free_if_unused(n);
}

static long ramfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
    struct ram_node *d = node_of(dir);
    struct ram_node *n;

    if (len == 1 && name[0] == '.')
        n = d;
    else if (len == 2 && name[0] == '.' && name[1] == '.')
        n = d->parent;
    else {
        struct ram_entry *e = *entry_slot(d, name, len);
        if (!e)
            return -ENOENT;
        n = e->node;
    }
    n->v.refs++;
    *out = &n->v;
    return 0;
}

static long add_node(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                     struct ram_node **out)
{
    struct ram_node *d = node_of(dir);

    if (*entry_slot(d, name, len))
        return -EEXIST;
    struct ram_node *n = node_new(mode, d);
    if (!n)
        return -ENOMEM;
    long err = link_node(d, name, len, n);
    if (err) {
        free(n);
        return err;
    }
    *out = n;
    return 0;
}

static long ramfs_create(struct vnode *dir, const char *name, size_t len, uint32_t mode,
                         struct vnode **out)
{
    struct ram_node *n;
    long err = add_node(dir, name, len, LINUX_S_IFREG | (mode & 07777), &n);

    if (err)
        return err;
    n->v.refs++;
    *out = &n->v;
    return 0;
}

static long ramfs_mkdir(struct vnode *dir, const char *name, size_t len, uint32_t mode)
{
    struct ram_node *n;

    return add_node(dir, name, len, LINUX_S_IFDIR | (mode & 07777), &n);
}

/* Whether the entry may go as unlink (want_dir false) or rmdir asks. */
static long removable(const struct ram_node *n, bool want_dir)
{
    if (want_dir && !is_dir(n))
        return -ENOTDIR;
    if (!want_dir && is_dir(n))
        return -EISDIR;
    if (is_dir(n) && n->entries)
        return -ENOTEMPTY;
    return 0;
}

static long ramfs_remove(struct vnode *dir, const char *name, size_t len, bool want_dir)
{
    struct ram_node *d = node_of(dir);
    struct ram_entry **slot = entry_slot(d, name, len);

    if (!*slot)
        return -ENOENT;
    long err = removable((*slot)->node, want_dir);
    if (err)
        return err;
    unlink_entry(d, slot);
    return 0;
}

/* Whether dir is n or below it (renaming a directory into itself). */
static bool is_within(const struct ram_node *dir, const struct ram_node *n)
{
    for (;;) {
        if (dir == n)
            return true;
        if (dir->parent == dir)
            return false;
        dir = dir->parent;
    }
}

/* What rename(2) allows over an existing target: like kinds, an empty
 * directory. */
static long replaceable(const struct ram_node *from, const struct ram_node *to)
{
    if (is_dir(from) && !is_dir(to))
        return -ENOTDIR;
    if (!is_dir(from) && is_dir(to))
        return -EISDIR;
    return is_dir(to) && to->entries ? -ENOTEMPTY : 0;
}

static long ramfs_rename(struct vnode *old_dir, const char *old_name, size_t old_len,
                         struct vnode *new_dir, const char *new_name, size_t new_len)
{
    struct ram_node *od = node_of(old_dir), *nd = node_of(new_dir);
    struct ram_entry **from = entry_slot(od, old_name, old_len);

    if (!*from)
        return -ENOENT;
    struct ram_node *n = (*from)->node;
    if (is_dir(n) && is_within(nd, n))
        return -EINVAL;
    struct ram_entry **to = entry_slot(nd, new_name, new_len);
    if (*to && (*to)->node == n)
        return 0;
    long err = *to ? replaceable(n, (*to)->node) : 0;
    if (err)
        return err;
    n->v.refs++;                /* keeps it while it has no entry */
    if (*to)
        unlink_entry(nd, to);
    unlink_entry(od, entry_slot(od, old_name, old_len));
    err = link_node(nd, new_name, new_len, n);
    n->parent = is_dir(n) ? nd : n->parent;
    n->v.refs--;
    node_free_if_unused(n);
    return err;
}

static long ramfs_read(struct vnode *v, void *buf, size_t count, uint64_t offset)
{
    struct ram_node *n = node_of(v);

    if (offset >= v->size)
        return 0;
    if (count > v->size - offset)
        count = v->size - offset;
    memcpy(buf, n->data + offset, count);
    return (long)count;
}

/* Room for size bytes, new bytes zero (a hole reads as zeros). */
static long reserve(struct ram_node *n, uint64_t size)
{
    if (size <= n->capacity)
        return 0;
    size_t capacity = n->capacity ? n->capacity : 256;
    while (capacity < size)
        capacity *= 2;
    char *data = realloc(n->data, capacity);
    if (!data)
        return -ENOSPC;
    memset(data + n->capacity, 0, capacity - n->capacity);
    n->data = data;
    n->capacity = capacity;
    return 0;
}

static long ramfs_truncate(struct vnode *v, uint64_t size)
{
    struct ram_node *n = node_of(v);
    long err = reserve(n, size);

    if (err)
        return err;
    if (size < v->size)
        memset(n->data + size, 0, v->size - size);
    v->size = size;
    v->mtime = vfs_now();
    return 0;
}

static long ramfs_write(struct vnode *v, const void *buf, size_t count, uint64_t offset)
{
    struct ram_node *n = node_of(v);
    long err = reserve(n, offset + count);

    if (err)
        return err;
    memcpy(n->data + offset, buf, count);
    if (offset + count > v->size)
        v->size = offset + count;
    v->mtime = vfs_now();
    return (long)count;
}

static unsigned int d_type_of(const struct ram_node *n)
{
    return is_dir(n) ? LINUX_DT_DIR : LINUX_DT_REG;
}

/* Positions 0 and 1 are "." and ".."; 2 on, the entries in list order. */
static long ramfs_readdir(struct vnode *dir, uint64_t *pos, vfs_fill_fn fill, void *ctx)
{
    struct ram_node *d = node_of(dir);

    if (*pos == 0 && fill(ctx, ".", 1, d->v.ino, LINUX_DT_DIR, 1))
        (*pos)++;
    if (*pos == 1 && fill(ctx, "..", 2, d->parent->v.ino, LINUX_DT_DIR, 2))
        (*pos)++;
    if (*pos < 2)
        return 0;
    struct ram_entry *e = d->entries;
    for (uint64_t i = 2; e && i < *pos; i++)
        e = e->next;
    for (; e && fill(ctx, e->name, e->len, e->node->v.ino, d_type_of(e->node), *pos + 1);
         e = e->next)
        (*pos)++;
    return 0;
}

static long ramfs_fsync(struct vnode *v)
{
    (void)v;
    return 0;
}

static void ramfs_put(struct vnode *v)
{
    v->refs--;
    node_free_if_unused(node_of(v));
}

static const struct vnode_ops ramfs_ops = {
    .lookup = ramfs_lookup, .create = ramfs_create, .mkdir = ramfs_mkdir,
    .remove = ramfs_remove, .rename = ramfs_rename,
    .read = ramfs_read, .write = ramfs_write, .truncate = ramfs_truncate,
    .readdir = ramfs_readdir, .fsync = ramfs_fsync, .put = ramfs_put,
};

struct vnode *ramfs_new(void)
{
    struct ram_node *root = node_new(LINUX_S_IFDIR | 0755, NULL);

    if (!root)
        return NULL;
    root->v.nlink = 2;
    root->v.refs = 1;
    return &root->v;
}
