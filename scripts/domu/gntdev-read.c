/* SPDX-License-Identifier: MIT */
/*
 * gntdev-read: a helper for the test dom0 (Linux), built static on the host
 * and added to each run's initramfs by scripts/qemu-domu. It maps one page a
 * guest granted to dom0 through Linux's /dev/xen/gntdev (xen/sys/gntdev.h:
 * IOCTL_GNTDEV_MAP_GRANT_REF, then mmap at the returned index) and prints
 * the NUL-terminated string at its start:
 *
 *     gntdev-read DOMID REF   ->   "gntdev-read: <string>"
 *
 * It is the dom0 side of the grant-table test (tests/boot/grant.sh): a real
 * backend mapping a mote grant. Exit status 0, or 1 with a message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/sys/gntdev.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gntdev-read DOMID REF\n");
        return 1;
    }
    int fd = open("/dev/xen/gntdev", O_RDWR);
    if (fd < 0) {
        fprintf(stderr, "gntdev-read: /dev/xen/gntdev: %s\n", strerror(errno));
        return 1;
    }
    struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
    map.refs[0].domid = (uint32_t)strtoul(argv[1], NULL, 0);
    map.refs[0].ref = (uint32_t)strtoul(argv[2], NULL, 0);
    if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0) {
        fprintf(stderr, "gntdev-read: IOCTL_GNTDEV_MAP_GRANT_REF: %s\n", strerror(errno));
        return 1;
    }
    long page = sysconf(_SC_PAGESIZE);
    /* The guest granted read-only: a writable mapping would be refused. */
    char *p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, (off_t)map.index);
    if (p == MAP_FAILED) {
        fprintf(stderr, "gntdev-read: mmap of domain %s's reference %s: %s\n", argv[1], argv[2],
                strerror(errno));
        return 1;
    }
    printf("gntdev-read: %.*s\n", (int)strnlen(p, (size_t)page), p);
    munmap(p, (size_t)page);
    struct ioctl_gntdev_unmap_grant_ref unmap = { .index = map.index, .count = 1 };
    if (ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) < 0) {
        fprintf(stderr, "gntdev-read: IOCTL_GNTDEV_UNMAP_GRANT_REF: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    return 0;
}
