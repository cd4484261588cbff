/* SPDX-License-Identifier: MIT */
/*
 * The domain's ramdisk: a cpio archive in the "newc" format (what
 * `cpio -o -H newc` writes; Linux's initramfs format) that Xen loaded as
 * start_info's module, unpacked at / before main (posix/start.c). `xl`
 * takes it from a guest config's `ramdisk=`, Xen's dom0 builder from the
 * boot module after the kernel's.
 *
 * Where it is (xen.h, struct start_info): mod_start is the module's
 * virtual address in Xen's boot mapping, and mod_len its length, unless
 * SIF_MOD_START_PFN says mod_start is a pfn. Xen sets that flag only for a
 * kernel that asks for it (XEN_ELFNOTE_MOD_START_PFN), which mote does not,
 * so here it is refused as an error. The archive's pages lie inside the
 * boot mapping's first part (image, module, P2M, start_info, tables), which
 * mm_init keeps reserved and mapped: they are deliberately kept, not freed,
 * after unpacking; its size is counted with Xen's start-of-day data.
 *
 * Each entry (Linux's Documentation/driver-api/early-userspace/
 * buffer-format.rst): a 110-byte header ("070701" or "070702", then 13
 * fields of 8 hex digits), the name (namesize bytes with its NUL), padding
 * to 4 bytes, the data (filesize bytes), padding to 4 bytes; the entry
 * named "TRAILER!!!" ends it. Directories and regular files are made;
 * other kinds (symbolic links, devices) are reported and skipped.
 */
#include <errno.h>
#include <kernel.h>
#include <printk.h>
#include <string.h>
#include <syscall.h>
#include <vfs.h>

enum { CPIO_HEADER = 110, CPIO_FIELDS = 13 };
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

struct cpio_entry {
    uint32_t field[CPIO_FIELDS];
    const char *name;           /* NUL-terminated in the archive */
    const char *data;
};

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static bool hex_field(const char *s, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < 8; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
        if (d == 16)
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* The entry at *pos of the archive (len bytes); *pos moves past it. NULL
 * with *why set if the header or the sizes do not fit the archive. */
static bool next_entry(const char *archive, size_t len, size_t *pos, struct cpio_entry *e,
                       const char **why)
{
    const char *h = archive + *pos;

    *why = "truncated header";
    if (len - *pos < CPIO_HEADER)
        return false;
    *why = "bad magic (not a newc cpio archive)";
    if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
        return false;
    *why = "bad header field";
    for (int i = 0; i < CPIO_FIELDS; i++)
        if (!hex_field(h + 6 + 8 * i, &e->field[i]))
            return false;
    size_t name_end = *pos + CPIO_HEADER + e->field[F_NAMESIZE];
    size_t data_at = *pos + pad4(CPIO_HEADER + e->field[F_NAMESIZE]);
    *why = "name or data past the archive's end";
    if (e->field[F_NAMESIZE] == 0 || name_end > len || data_at + e->field[F_FILESIZE] > len ||
        archive[name_end - 1] != '\0')
        return false;
    e->name = h + CPIO_HEADER;
    e->data = archive + data_at;
    *pos = pad4(data_at + e->field[F_FILESIZE]);
    return true;
}

static long write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        long n = sys_write(fd, data, len);
        if (n <= 0)
            return n < 0 ? n : -EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static long make_file(const char *path, const struct cpio_entry *e)
{
    long fd = sys_open(path, LINUX_O_WRONLY | LINUX_O_CREAT | LINUX_O_TRUNC,
                       e->field[F_MODE] & 07777);

    if (fd < 0)
        return fd;
    long err = write_all((int)fd, e->data, e->field[F_FILESIZE]);
    sys_close((int)fd);
    return err;
}

/* Makes the directories above path that the archive did not list. */
static void make_parents(char *path)
{
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        sys_mkdir(path, 0755);
        *slash = '/';
    }
}

/* One entry at /name ("./" and "/" in front of name dropped). */
static long unpack_entry(const struct cpio_entry *e, unsigned *files)
{
    char path[LINUX_PATH_MAX];
    const char *name = e->name;
    uint32_t type = e->field[F_MODE] & LINUX_S_IFMT;

    while (name[0] == '.' && name[1] == '/')
        name += 2;
    while (name[0] == '/')
        name++;
    if (!*name || strcmp(name, ".") == 0)
        return 0;
    if (strlen(name) + 2 > sizeof(path))
        return -ENAMETOOLONG;
    path[0] = '/';
    strcpy(path + 1, name);
    make_parents(path);
    if (type == LINUX_S_IFDIR) {
        long err = sys_mkdir(path, e->field[F_MODE] & 07777);
        return err == -EEXIST ? 0 : err;
    }
    if (type != LINUX_S_IFREG) {
        printk("mote: ramdisk: %s: mode %#o is neither a file nor a directory, skipped\n",
               path, e->field[F_MODE]);
        return 0;
    }
    (*files)++;
    return make_file(path, e);
}

/* Unpacks the archive; false after reporting what was wrong. */
static bool unpack(const char *archive, size_t len)
{
    size_t pos = 0, bytes = 0;
    unsigned files = 0;
    struct cpio_entry e;
    const char *why;

    while (next_entry(archive, len, &pos, &e, &why)) {
        if (strcmp(e.name, "TRAILER!!!") == 0) {
            printk("mote: ramdisk: %u files, %zu bytes unpacked at /\n", files, bytes);
            return true;
        }
        long err = unpack_entry(&e, &files);
        if (err) {
            printk("mote: ramdisk: %s: error %ld, unpacking stopped\n", e.name, -err);
            return false;
        }
        bytes += e.field[F_FILESIZE];
    }
    printk("mote: ramdisk: %s at byte %zu of %zu, unpacking stopped\n", why, pos, len);
    return false;
}

void ramdisk_unpack(void)
{
    if (!start_info->mod_start || !start_info->mod_len)
        return;
    if (start_info->flags & SIF_MOD_START_PFN) {
        printk("mote: ramdisk: mod_start is a pfn (SIF_MOD_START_PFN), which mote does not "
               "ask for: not unpacked\n");
        return;
    }
    unpack((const char *)start_info->mod_start, start_info->mod_len);
}
