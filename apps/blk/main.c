/* SPDX-License-Identifier: MIT */
/*
 * blk: reads and writes a disk given to the domain with xl, through
 * <mote/block.h>. The boot tests drive it (tests/boot/blk.sh); keep this
 * interface:
 *
 *   blk [-d DEV] COMMAND       DEV: xenstore id (51712) or name (xvda);
 *                              default: the first disk
 *     info                     "blk: DEV sectors=N sector_size=S ro=0|1"
 *     read START COUNT         a hexdump of those sectors, in the format of
 *                              `hexdump -C` with disk byte offsets (repeated
 *                              lines as "*", the end offset last)
 *     fill START COUNT BYTE    writes BYTE into every byte of those sectors
 *     copy SRC DST COUNT       copies COUNT sectors from SRC to DST
 *                              (overlapping ranges as memmove does)
 *     verify START COUNT BYTE  "blk: verify ok" or
 *                              "blk: verify FAILED at sector N"
 *
 * Numbers are decimal or 0x-hex; sectors are the disk's own. It powers off
 * when done (main returns 0) and exits non-zero with a message on any error.
 */
#include <mote.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Work in pieces of this many bytes: large requests, many ring slots in flight. */
#define CHUNK_BYTES (256 * 1024)

static struct block_device *bd;
static unsigned char *buf;
static uint32_t chunk;     /* sectors per piece */

static int usage(void)
{
    printk("usage: blk [-d DEV] info | read START COUNT | fill START COUNT BYTE |\n"
           "           copy SRC DST COUNT | verify START COUNT BYTE\n");
    return 2;
}

static int number(const char *s, uint64_t max, uint64_t *out)
{
    char *end;

    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 0);
    if (*end || v > max) {
        printk("blk: bad number \"%s\"\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

static int failed(const char *what, uint64_t sector, uint64_t count, int rc)
{
    printk("blk: %s of sectors %lu+%lu on %s failed: %s\n", what, (unsigned long)sector,
           (unsigned long)count, block_name(bd), xen_errno_name(rc));
    return 1;
}

static uint32_t piece(uint64_t left)
{
    return left < chunk ? (uint32_t)left : chunk;
}

/* One `hexdump -C` line, or "*" for a run of lines equal to the last one. */
static void hexdump_line(uint64_t addr, const unsigned char *p, bool *starred,
                         const unsigned char **last)
{
    char hex[64], ascii[20];
    int h = 0;

    if (*last && !memcmp(*last, p, 16)) {
        if (!*starred)
            printk("*\n");
        *starred = true;
        return;
    }
    *starred = false;
    *last = p;
    for (int i = 0; i < 16; i++) {
        h += snprintf(hex + h, sizeof(hex) - (size_t)h, "%02x %s", p[i], i == 7 ? " " : "");
        ascii[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
    }
    ascii[16] = '\0';
    printk("%08lx  %s |%s|\n", (unsigned long)addr, hex, ascii);
}

static int cmd_read(uint64_t start, uint64_t count)
{
    unsigned int ss = block_sector_size(bd);
    static unsigned char prev[16];
    const unsigned char *last = NULL;
    bool starred = false;

    for (uint64_t done = 0; done < count || count == 0;) {
        uint32_t n = piece(count - done);
        int rc = block_read(bd, start + done, n, buf);
        if (rc < 0)
            return failed("read", start + done, n, rc);
        for (size_t off = 0; off < (size_t)n * ss; off += 16) {
            hexdump_line((start + done) * ss + off, buf + off, &starred, &last);
            /* The next piece overwrites buf: keep the line to compare with. */
            memcpy(prev, buf + off, 16);
            last = prev;
        }
        done += n;
        if (count == 0)
            break;
    }
    printk("%08lx\n", (unsigned long)((start + count) * ss));
    return 0;
}

static int cmd_fill(uint64_t start, uint64_t count, uint8_t byte)
{
    memset(buf, byte, CHUNK_BYTES);
    for (uint64_t done = 0; done < count;) {
        uint32_t n = piece(count - done);
        int rc = block_write(bd, start + done, n, buf);
        if (rc < 0)
            return failed("write", start + done, n, rc);
        done += n;
    }
    if (count == 0) {
        int rc = block_write(bd, start, 0, buf);
        if (rc < 0)
            return failed("write", start, 0, rc);
    }
    printk("blk: filled %lu sectors from %lu with 0x%02x\n", (unsigned long)count,
           (unsigned long)start, byte);
    return 0;
}

static int cmd_copy(uint64_t src, uint64_t dst, uint64_t count)
{
    /* Back to front when the destination overlaps the source's tail. */
    bool backwards = dst > src && dst < src + count;

    for (uint64_t done = 0; done < count;) {
        uint32_t n = piece(count - done);
        uint64_t off = backwards ? count - done - n : done;
        int rc = block_read(bd, src + off, n, buf);
        if (rc < 0)
            return failed("read", src + off, n, rc);
        rc = block_write(bd, dst + off, n, buf);
        if (rc < 0)
            return failed("write", dst + off, n, rc);
        done += n;
    }
    if (count == 0 && (dst > block_sectors(bd) || src > block_sectors(bd)))
        return failed("copy", src, 0, -XEN_ERANGE);
    printk("blk: copied %lu sectors from %lu to %lu\n", (unsigned long)count,
           (unsigned long)src, (unsigned long)dst);
    return 0;
}

static int cmd_verify(uint64_t start, uint64_t count, uint8_t byte)
{
    unsigned int ss = block_sector_size(bd);

    for (uint64_t done = 0; done < count;) {
        uint32_t n = piece(count - done);
        int rc = block_read(bd, start + done, n, buf);
        if (rc < 0)
            return failed("read", start + done, n, rc);
        for (size_t i = 0; i < (size_t)n * ss; i++) {
            if (buf[i] != byte) {
                printk("blk: verify FAILED at sector %lu\n",
                       (unsigned long)(start + done + i / ss));
                return 1;
            }
        }
        done += n;
    }
    printk("blk: verify ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *dev = NULL;
    uint64_t a, b, c;
    int i = 1;

    if (argc > 2 && !strcmp(argv[1], "-d")) {
        dev = argv[2];
        i = 3;
    }
    if (i >= argc)
        return usage();
    const char *cmd = argv[i];
    int nargs = argc - i - 1;
    char **arg = argv + i + 1;

    bd = block_open(dev);
    if (!bd) {
        printk("blk: no disk %s\n", dev ? dev : "(none given to this domain)");
        return 1;
    }
    buf = malloc(CHUNK_BYTES);
    if (!buf) {
        printk("blk: no memory for a %d KiB buffer\n", CHUNK_BYTES / 1024);
        return 1;
    }
    chunk = CHUNK_BYTES / block_sector_size(bd);

    if (!strcmp(cmd, "info") && nargs == 0) {
        printk("blk: %s sectors=%lu sector_size=%u ro=%d\n", block_name(bd),
               (unsigned long)block_sectors(bd), block_sector_size(bd), block_read_only(bd));
        return 0;
    }
    if (!strcmp(cmd, "read") && nargs == 2 && !number(arg[0], UINT64_MAX, &a) &&
        !number(arg[1], UINT32_MAX, &b))
        return cmd_read(a, b);
    if (!strcmp(cmd, "fill") && nargs == 3 && !number(arg[0], UINT64_MAX, &a) &&
        !number(arg[1], UINT32_MAX, &b) && !number(arg[2], 255, &c))
        return cmd_fill(a, b, (uint8_t)c);
    if (!strcmp(cmd, "copy") && nargs == 3 && !number(arg[0], UINT64_MAX, &a) &&
        !number(arg[1], UINT64_MAX, &b) && !number(arg[2], UINT32_MAX, &c))
        return cmd_copy(a, b, c);
    if (!strcmp(cmd, "verify") && nargs == 3 && !number(arg[0], UINT64_MAX, &a) &&
        !number(arg[1], UINT32_MAX, &b) && !number(arg[2], 255, &c))
        return cmd_verify(a, b, (uint8_t)c);
    return usage();
}
