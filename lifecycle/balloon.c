/* SPDX-License-Identifier: MIT */
/*
 * The balloon (lifecycle/balloon.h): `xl mem-set` writes the domain's new size
 * in KiB to memory/target (docs/misc/xenstore-paths.pandoc, ~/memory/target),
 * and the guest gives pages back to Xen or takes them back to reach it.
 *
 * Giving a page back (Linux's decrease_reservation, drivers/xen/balloon.c):
 * take it from the page allocator, so nothing else holds it; unmap it from
 * the direct map on every vCPU; mark its pfn invalid in the P2M; then
 * XENMEM_decrease_reservation with its mfn (memory.h: for a PV guest the
 * extent list holds machine frames). Taking one back: XENMEM_populate_physmap
 * with the pfn (memory.h: "IN: GPFN bases of extents to populate with
 * memory; OUT: GMFN bases of extents that were allocated" for a guest
 * without translated paging), the P2M entry set to the new mfn (Xen has
 * already set the M2P), the page mapped again, then freed to the allocator.
 *
 * Only pages the allocator hands out are given back, so a page in use is
 * never given away; when the allocator has none left, we say the target
 * cannot be reached and stop there. The pfns given back are kept in a bitmap
 * so the same pfns are filled again.
 */
#include <balloon.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <thread.h>
#include <xen/memory.h>
#include <xenbus.h>

/* Pages per reservation hypercall. Its two frame lists are on the stack
 * (1 KiB): static ones of 256 took 8 KiB of every image, and memory taken
 * on use could be missing just when a ballooned-down guest grows again. */
#define BATCH 64
#define BITS_PER_LONG (sizeof(unsigned long) * 8)

struct balloon_stats balloon_stats;

static unsigned long *given_back;   /* bitmap: pfn's frame is Xen's */
static struct mutex balloon_lock;

static void mark(unsigned long pfn, bool given)
{
    if (given)
        given_back[pfn / BITS_PER_LONG] |= 1UL << (pfn % BITS_PER_LONG);
    else
        given_back[pfn / BITS_PER_LONG] &= ~(1UL << (pfn % BITS_PER_LONG));
}

/* Up to `want` pages back to Xen; returns how many went. */
/* XENMEM_decrease_reservation or _populate_physmap on n single frames:
 * how many Xen did (a failure is reported by xen_call and counts as 0). */
static long reservation_op(unsigned int op, xen_pfn_t *frames, unsigned long n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = 0,
                                        .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, frames);
    long done = xen_call(memory_op, op, &r);
    return done < 0 ? 0 : done;
}

static unsigned long give_back(unsigned long want)
{
    xen_pfn_t pfns[BATCH], mfns[BATCH];
    unsigned long n = 0;

    while (n < want && n < BATCH) {
        void *page = alloc_page();
        if (!page)
            break;
        pfns[n++] = virt_to_pfn(page);
    }
    for (unsigned long i = 0; i < n; i++) {
        mfns[i] = pfn_to_mfn(pfns[i]);
        if (arch_mm_unmap_direct_page(pfns[i]) < 0)
            panic("balloon: cannot unmap pfn %#lx", (unsigned long)pfns[i]);
        phys_to_machine[pfns[i]] = INVALID_P2M_ENTRY;
    }
    if (!n)
        return 0;

    long done = reservation_op(XENMEM_decrease_reservation, mfns, n);
    for (unsigned long i = 0; i < n; i++) {
        if (i < (unsigned long)done) {
            mark(pfns[i], true);
            continue;
        }
        /* Xen kept this one: it is still ours, put it back. */
        phys_to_machine[pfns[i]] = mfns[i];
        if (arch_mm_map_direct_page(pfns[i]) < 0)
            panic("balloon: cannot map pfn %#lx again", (unsigned long)pfns[i]);
        free_page(pfn_to_virt(pfns[i]));
    }
    if ((unsigned long)done < n)
        printk("balloon: Xen took %ld of %lu pages back\n", done, n);
    return (unsigned long)done;
}

/* Up to `want` of the pages given back filled again; returns how many. */
static unsigned long take_back(unsigned long want)
{
    xen_pfn_t frames[BATCH], pfns[BATCH];
    unsigned long n = 0;

    for (unsigned long pfn = 0; pfn < mm_nr_pages && n < want && n < BATCH; pfn++) {
        if (given_back[pfn / BITS_PER_LONG] & (1UL << (pfn % BITS_PER_LONG))) {
            pfns[n] = pfn;
            frames[n++] = pfn;
        }
    }
    if (!n)
        return 0;

    long done = reservation_op(XENMEM_populate_physmap, frames, n);
    for (long i = 0; i < done; i++) {
        phys_to_machine[pfns[i]] = frames[i];
        if (arch_mm_map_direct_page(pfns[i]) < 0)
            panic("balloon: cannot map pfn %#lx", (unsigned long)pfns[i]);
        mark(pfns[i], false);
        free_page(pfn_to_virt(pfns[i]));
    }
    return (unsigned long)done;
}

void balloon_set_target(unsigned long target_pages)
{
    mutex_lock(&balloon_lock);
    unsigned long before = balloon_stats.current_pages;
    balloon_stats.target_pages = target_pages;

    while (balloon_stats.current_pages > target_pages) {
        unsigned long n = give_back(balloon_stats.current_pages - target_pages);
        if (!n)
            break;
        balloon_stats.current_pages -= n;
        balloon_stats.given_back += n;
    }
    while (balloon_stats.current_pages < target_pages && balloon_stats.given_back) {
        unsigned long n = take_back(target_pages - balloon_stats.current_pages);
        if (!n)
            break;
        balloon_stats.current_pages += n;
        balloon_stats.given_back -= n;
    }
    unsigned long now = balloon_stats.current_pages;
    if (now != before || now != target_pages)
        printk("balloon: %lu -> %lu pages (%lu KiB), target %lu pages, %lu free\n", before, now,
           now * (PAGE_SIZE / 1024), target_pages, free_page_count());
    if (now > target_pages)
        printk("balloon: target %lu pages cannot be reached: every other page is in use\n",
               target_pages);
    else if (now < target_pages)
        printk("balloon: target %lu pages cannot be reached: %s\n", target_pages,
               balloon_stats.given_back ? "Xen has no more memory for us"
                                        : "the domain has no pfn beyond its size at boot (maxmem)");
    mutex_unlock(&balloon_lock);
}

static void target_watch_fired(const char *path, void *ctx)
{
    char value[32];
    char *end;

    (void)path;
    (void)ctx;
    int rc = xenbus_read(XBT_NIL, "memory/target", value, sizeof(value));
    if (rc <= 0)
        return;
    unsigned long kib = strtoul(value, &end, 10);
    if (*end) {
        printk("balloon: memory/target \"%s\" is not a number of KiB: ignored\n", value);
        return;
    }
    balloon_set_target(kib / (PAGE_SIZE / 1024));
}

/* memory/static-max (KiB; xl's maxmem) against the pfns mm_init made room
 * for, which come from the memory map: said when they disagree. */
static void check_static_max(void)
{
    char value[32];
    char *end;

    if (xenbus_read(XBT_NIL, "memory/static-max", value, sizeof(value)) <= 0)
        return;
    unsigned long pages = strtoul(value, &end, 10) / (PAGE_SIZE / 1024);
    if (!*end && pages > mm_nr_pages)
        printk("balloon: static-max is %lu pages but there is room for %lu only\n", pages,
               mm_nr_pages);
}

int balloon_init(void)
{
    given_back = calloc((mm_nr_pages + BITS_PER_LONG - 1) / BITS_PER_LONG, sizeof(*given_back));
    if (!given_back)
        return -XEN_ENOMEM;
    /* Started ballooned down (maxmem above memory): the pfns past the boot
     * size count as given back, to be filled when the target rises. */
    if (mm_nr_pages > mm_boot_nr_pages) {
        page_alloc_cover_all();
        for (unsigned long pfn = mm_boot_nr_pages; pfn < mm_nr_pages; pfn++)
            mark(pfn, true);
        balloon_stats.given_back = mm_nr_pages - mm_boot_nr_pages;
        printk("balloon: %lu pages, room for %lu\n", mm_boot_nr_pages, mm_nr_pages);
    }
    check_static_max();
    balloon_stats.current_pages = mm_boot_nr_pages;
    balloon_stats.target_pages = mm_boot_nr_pages;
    /* Linux's xen-balloon.c advertises itself so; libxl 4.17 does not
     * create the node for the guest, so the write may be refused, which
     * only means the toolstack does not know. */
    xenbus_write(XBT_NIL, "control/feature-balloon", "1");
    int rc = xenbus_watch("memory/target", target_watch_fired, NULL);
    if (rc < 0)
        printk("balloon: cannot watch memory/target: %d\n", rc);
    return rc < 0 ? rc : 0;
}
