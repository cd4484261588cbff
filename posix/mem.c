/* SPDX-License-Identifier: MIT */
/*
 * Memory calls: brk, anonymous mmap and munmap, mprotect, madvise: what a
 * C library's malloc runs on (musl's mallocng asks brk for its metadata and
 * mmap for everything else).
 *
 * mote has one address space, the kernel's, with all memory in its direct
 * map (kernel/mm.c); so a mapping is a block of pages from the page
 * allocator (a power of two of them, its buddy order), already mapped
 * read-write and never executable (W^X), zeroed as Linux's anonymous
 * memory is. What is not there yet, and what each call then does:
 *   - protections are not changed per page: mprotect checks its arguments
 *     and accepts read/write/none, but the pages stay read-write (a
 *     PROT_NONE guard page does not trap);
 *   - a partial munmap leaves the block mapped until all of it is unmapped;
 *   - no mapping of files (-ENODEV for an open descriptor).
 */
#include <errno.h>
#include <file.h>
#include <page_alloc.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>

#define PAGE_BYTES 4096ul
#define BRK_ORDER 6                     /* 256 KiB for brk's whole range */

struct mapping {
    unsigned long start;
    size_t pages;                       /* as asked, rounded up to pages */
    unsigned order;                     /* of the block from the allocator */
    size_t unmapped;                    /* pages munmap has given back */
    struct mapping *next;
};

static struct mapping *mappings;
static spinlock_t mem_lock = SPINLOCK_INIT;

static size_t pages_for(size_t len)
{
    return (len + PAGE_BYTES - 1) / PAGE_BYTES;
}

static unsigned order_for(size_t pages)
{
    unsigned order = 0;

    while ((1ul << order) < pages)
        order++;
    return order;
}

/* The mapping holding [addr, addr + len), or NULL; mem_lock held. */
static struct mapping *find_mapping(unsigned long addr, size_t len)
{
    for (struct mapping *m = mappings; m; m = m->next)
        if (addr >= m->start && addr + len <= m->start + m->pages * PAGE_BYTES)
            return m;
    return NULL;
}

static long map_new(size_t len)
{
    size_t pages = pages_for(len);
    unsigned order = order_for(pages);
    struct mapping *m = malloc(sizeof(*m));
    void *block = m ? alloc_pages(order) : NULL;

    if (!block) {
        free(m);
        return -ENOMEM;
    }
    memset(block, 0, pages * PAGE_BYTES);
    *m = (struct mapping){ .start = (unsigned long)block, .pages = pages, .order = order };
    unsigned long flags = spin_lock_irqsave(&mem_lock);
    m->next = mappings;
    mappings = m;
    spin_unlock_irqrestore(&mem_lock, flags);
    return (long)block;
}

/* MAP_FIXED inside one of our mappings: fresh zero pages there, as a new
 * mapping over an old one gives. Anywhere else mote cannot place memory. */
static long map_fixed(unsigned long addr, size_t len)
{
    unsigned long flags = spin_lock_irqsave(&mem_lock);
    bool inside = find_mapping(addr, len) != NULL;
    spin_unlock_irqrestore(&mem_lock, flags);
    if (!inside)
        return -ENOMEM;
    memset((void *)addr, 0, pages_for(len) * PAGE_BYTES);
    return (long)addr;
}

/* mmap(2), anonymous: len bytes (rounded up to pages) of zeroed memory,
 * private or shared alike (one program); the address, or -EINVAL (len 0,
 * an unaligned MAP_FIXED address or offset, neither MAP_PRIVATE nor
 * MAP_SHARED), -EACCES (PROT_EXEC: mote maps no new code), -EBADF (not
 * anonymous, fd not open), -ENODEV (not anonymous: no file maps yet),
 * -ENOMEM (no pages; MAP_FIXED outside an existing mapping). addr without
 * MAP_FIXED is a hint, not followed. */
long sys_mmap(unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off)
{
    int type = flags & LINUX_MAP_TYPE;
    bool fixed = flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE);

    if (len == 0 || (off & (PAGE_BYTES - 1)) || (fixed && (addr & (PAGE_BYTES - 1))) ||
        (type != LINUX_MAP_PRIVATE && type != LINUX_MAP_SHARED) || len > (1ul << 46))
        return -EINVAL;
    if (prot & LINUX_PROT_EXEC)
        return -EACCES;
    if (!(flags & LINUX_MAP_ANONYMOUS))
        return sys_fcntl(fd, LINUX_F_GETFD, 0) < 0 ? -EBADF : -ENODEV;
    if (flags & LINUX_MAP_FIXED_NOREPLACE)
        return -EEXIST;
    return fixed ? map_fixed(addr, len) : map_new(len);
}

/* Takes back [addr, addr + len) from m; returns m if all of it is back
 * (unlinked, for the caller to free). mem_lock held. */
static struct mapping *unmap_part(struct mapping *m, unsigned long addr, size_t len)
{
    unsigned long end = addr + pages_for(len) * PAGE_BYTES;
    unsigned long m_end = m->start + m->pages * PAGE_BYTES;
    unsigned long from = addr > m->start ? addr : m->start;
    unsigned long to = end < m_end ? end : m_end;

    if (from >= to)
        return NULL;
    m->unmapped += (to - from) / PAGE_BYTES;
    if (m->unmapped < m->pages)
        return NULL;
    for (struct mapping **p = &mappings; *p; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            break;
        }
    }
    return m;
}

/* munmap(2): gives back the pages of [addr, addr + len); 0 (also where
 * nothing was mapped, as Linux), or -EINVAL (addr not page aligned, len 0).
 * A block's pages return to the allocator when all of them are unmapped. */
long sys_munmap(unsigned long addr, size_t len)
{
    if ((addr & (PAGE_BYTES - 1)) || len == 0)
        return -EINVAL;
    for (;;) {
        unsigned long flags = spin_lock_irqsave(&mem_lock);
        struct mapping *whole = NULL;
        for (struct mapping *m = mappings; m && !whole; m = m->next)
            whole = unmap_part(m, addr, len);
        spin_unlock_irqrestore(&mem_lock, flags);
        if (!whole)
            return 0;
        free_pages((void *)whole->start, whole->order);
        free(whole);
    }
}

/* mprotect(2): 0 for read, write or none (the pages stay read-write: see
 * the file comment), -EACCES for PROT_EXEC, -EINVAL for an unaligned addr
 * or unknown bits. */
long sys_mprotect(unsigned long addr, size_t len, int prot)
{
    (void)len;
    if ((addr & (PAGE_BYTES - 1)) || (prot & ~(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC)))
        return -EINVAL;
    return prot & LINUX_PROT_EXEC ? -EACCES : 0;
}

#define LINUX_MADV_DONTNEED 4

/* madvise(2): a hint, taken as none, except MADV_DONTNEED, whose promise
 * (private anonymous pages read back as zeros) is kept by zeroing them. 0,
 * or -EINVAL for an unaligned addr. */
long sys_madvise(unsigned long addr, size_t len, int advice)
{
    if (addr & (PAGE_BYTES - 1))
        return -EINVAL;
    if (advice == LINUX_MADV_DONTNEED && len) {
        unsigned long flags = spin_lock_irqsave(&mem_lock);
        bool ours = find_mapping(addr, len) != NULL;
        spin_unlock_irqrestore(&mem_lock, flags);
        if (ours)
            memset((void *)addr, 0, len);
    }
    return 0;
}

/* The break's block and where it is now, under brk_lock (threads). */
static unsigned long brk_base, brk_now;
static struct mutex brk_lock;

static long move_break(unsigned long addr)
{
    if (!brk_base) {
        void *block = alloc_pages(BRK_ORDER);
        if (!block)
            return 0;
        brk_base = brk_now = (unsigned long)block;
    }
    if (addr < brk_base || addr > brk_base + (PAGE_BYTES << BRK_ORDER))
        return (long)brk_now;
    if (addr > brk_now)
        memset((void *)brk_now, 0, addr - brk_now);
    brk_now = addr;
    return (long)brk_now;
}

/* brk(2): moves the end of the data area (the "break") to addr within a
 * 256 KiB block taken at the first call, zeroing what it adds; returns the
 * new break, or the old one when addr is outside the block (as Linux
 * reports a failure; brk(0) asks where it is). */
long sys_brk(unsigned long addr)
{
    mutex_lock(&brk_lock);
    long now = move_break(addr);
    mutex_unlock(&brk_lock);
    return now;
}
