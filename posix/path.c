/* SPDX-License-Identifier: MIT */
/*
 * Paths to vnodes: the mount table, the current directory, and lookup.
 *
 * A path is first made absolute and canonical as text (the current
 * directory or dirfd's path in front, "." and empty components dropped,
 * ".." taking one component off): mote's file systems have no symbolic
 * links, so the text alone says where ".." goes. The mount whose path is
 * the longest prefix of the result (on a component boundary) holds it, and
 * its file system's lookup walks the rest one component at a time. Callers
 * hold vfs_lock (posix/vfs.c).
 */
#include <errno.h>
#include <path.h>
#include <stdlib.h>
#include <string.h>

#define MOUNT_MAX 16

/* The end of the component that starts at s: the next '/' or the NUL. */
static const char *component_end(const char *s)
{
    while (*s && *s != '/')
        s++;
    return s;
}

struct mount {
    char *path;                 /* canonical, "/" or "/a/b" */
    size_t len;
    struct vnode *root;
};

static struct mount mounts[MOUNT_MAX];
static unsigned int mount_count;
static char cwd[LINUX_PATH_MAX] = "/";

/* Appends component name (len bytes) to the canonical path out (length
 * *n, "" standing for "/"), or takes one off for "..". */
static long add_component(char *out, size_t *n, const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.'))
        return 0;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
        while (*n > 0 && out[--*n] != '/')
            ;
        return 0;
    }
    if (len > LINUX_NAME_MAX || *n + 1 + len >= LINUX_PATH_MAX)
        return -ENAMETOOLONG;
    out[(*n)++] = '/';
    memcpy(out + *n, name, len);
    *n += len;
    return 0;
}

long path_canonical(const char *base, const char *path, char *out)
{
    size_t n = 0;

    if (!path)
        return -EFAULT;
    if (!*path)
        return -ENOENT;
    if (path[0] != '/') {
        long err = path_canonical("/", base, out);
        if (err)
            return err;
        n = strcmp(out, "/") == 0 ? 0 : strlen(out);
    }
    while (*path) {
        const char *end = component_end(path);
        long err = add_component(out, &n, path, (size_t)(end - path));
        if (err)
            return err;
        path = *end ? end + 1 : end;
    }
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return 0;
}

const char *path_cwd(void)
{
    return cwd;
}

void path_set_cwd(const char *canonical)
{
    strcpy(cwd, canonical);
}

/* Whether mount m holds canonical path p. */
static bool mount_holds(const struct mount *m, const char *p)
{
    if (m->len == 1)
        return true;
    return strncmp(p, m->path, m->len) == 0 && (p[m->len] == '/' || p[m->len] == '\0');
}

static const struct mount *mount_of(const char *p)
{
    const struct mount *best = NULL;

    for (unsigned int i = 0; i < mount_count; i++)
        if (mount_holds(&mounts[i], p) && (!best || mounts[i].len > best->len))
            best = &mounts[i];
    return best;
}

bool path_is_mount_point(const char *canonical)
{
    for (unsigned int i = 0; i < mount_count; i++)
        if (strcmp(mounts[i].path, canonical) == 0)
            return true;
    return false;
}

/* Walks rest ("" or "/a/b") from v, which the caller's reference holds;
 * that reference passes to the result. */
static long walk(struct vnode *v, const char *rest, struct vnode **out)
{
    while (*rest == '/') {
        const char *name = rest + 1;
        const char *end = component_end(name);
        struct vnode *next;
        long err = vnode_is_dir(v) ? v->ops->lookup(v, name, (size_t)(end - name), &next)
                                   : -ENOTDIR;
        v->ops->put(v);
        if (err)
            return err;
        v = next;
        rest = end;
    }
    *out = v;
    return 0;
}

long path_lookup(const char *canonical, struct vnode **out)
{
    const struct mount *m = mount_of(canonical);

    if (!m)
        return -ENOENT;
    const char *rest = m->len == 1 ? canonical : canonical + m->len;
    m->root->refs++;
    return walk(m->root, strcmp(rest, "/") == 0 ? "" : rest, out);
}

long path_lookup_parent(const char *canonical, char *parent, const char **name,
                        struct vnode **dir)
{
    const char *slash = strrchr(canonical, '/');

    if (slash[1] == '\0')
        return -EBUSY;          /* "/" itself */
    size_t len = slash == canonical ? 1 : (size_t)(slash - canonical);
    memcpy(parent, canonical, len);
    parent[len] = '\0';
    *name = canonical + (slash - canonical) + 1;
    long err = path_lookup(parent, dir);
    if (!err && !vnode_is_dir(*dir)) {
        (*dir)->ops->put(*dir);
        return -ENOTDIR;
    }
    return err;
}

long vfs_mount(const char *path, struct vnode *root)
{
    char canonical[LINUX_PATH_MAX];
    long err = path_canonical("/", path, canonical);

    if (err)
        return err;
    if (path_is_mount_point(canonical))
        return -EBUSY;
    if (mount_count == MOUNT_MAX)
        return -ENOMEM;
    if (mount_count > 0) {
        struct vnode *v;
        err = path_lookup(canonical, &v);
        if (err)
            return err;
        err = vnode_is_dir(v) ? 0 : -ENOTDIR;
        v->ops->put(v);
        if (err)
            return err;
    }
    char *copy = strdup(canonical);
    if (!copy)
        return -ENOMEM;
    root->dev = mount_count + 1;
    mounts[mount_count++] = (struct mount){ .path = copy, .len = strlen(copy), .root = root };
    return 0;
}
