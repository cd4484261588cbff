/* SPDX-License-Identifier: MIT */
/*
 * Page tables on x86-64 PV: the mechanism under kernel/mm.c, which decides
 * what is mapped how and when the page allocator starts (include/mm.h has
 * the interface, layout.h the address map, arch/mm.h this file's calls).
 *
 * A PV guest never writes its page tables directly: Xen maps them read-only
 * and checks every entry we ask for through mmu_update (xen.h, comment above
 * MMU_NORMAL_PT_UPDATE: "The pages that make up a pagetable must be mapped
 * read-only in the guest ... Xen ... will disallow using any writable page as
 * a pagetable"). In the order kernel/mm.c calls them:
 *
 *  arch_mm_discover: checks the CPU has NX (without it Xen refuses entries
 *     with bit 63 set, so entries go without it, said once), reads
 *     start_info: nr_pages, the P2M (mfn_list), pt_base/nr_pt_frames. The
 *     pfns Xen's boot mapping uses are [0, pt_base + tables + 1 stack page)
 *     (xen.h, "Start-of-day memory layout", items 3a-3h); the mapping itself
 *     runs on to a 4 MiB boundary (items 2 and 7), found by walking it.
 *  arch_mm_reserve_tables: sets aside, at the first free pfns, the
 *     page-table pages for the part of the direct map boot needs (up to and
 *     including those tables, in whole 2 MiB steps) and for the foreign-map
 *     window.
 *  arch_mm_protect_boot_mapping: rewrites the boot mapping's L1 entries (one
 *     batched mmu_update) with the protection the policy gives each pfn;
 *     Xen's tables and ours are read-only whatever it says. The range
 *     partly in use, and the first range when wholly in use, get fresh L1s
 *     without Xen's P2M, linked only by arch_mm_finish_boot_mapping.
 *  arch_mm_map_direct: clears the reserved tables (none is mapped anywhere
 *     now: the previous step unmapped the tail, so Xen lets us clear them
 *     with MMUEXT_CLEAR_PAGE) and links them in, mapping that first part of
 *     the direct map. We do not pin them: linking a table into the pinned,
 *     in-use L4 makes Xen validate it and hold a type reference through its
 *     parent for as long as it stays linked, which is forever here (pinning,
 *     xen.h step 5, is for tables not yet reachable from a base pointer).
 *  arch_mm_finish_boot_mapping: points phys_to_machine at the P2M in the
 *     direct map and links those fresh L1s, so the P2M (8 bytes a page of
 *     the domain) costs the boot mapping no entries.
 *  arch_mm_grow_direct: later, when the page allocator runs dry, maps the
 *     next 2 MiB (one L1 table; a new L2 at each 1 GiB), so boot does not
 *     spend time in proportion to the domain's memory. The new tables are
 *     pages the allocator still has, made read-only first, or else the first
 *     pages of the step itself, left unmapped.
 */
#include <arch/cpuid.h>
#include <arch/pgtable.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <spinlock.h>
#include <string.h>
#include <xen/memory.h>

xen_pfn_t *phys_to_machine;
uint64_t pte_nx = _PAGE_NX_BIT;
unsigned long mm_nr_pages;
unsigned long mm_boot_nr_pages;

static bool directmap_ready;
static unsigned long boot_map_pages;        /* pfns mapped at VIRT_BASE by Xen */
static unsigned long boot_pt_first;         /* Xen's boot page tables, pfns */
static unsigned long pool_first, pool_count, pool_used; /* our page tables */
static unsigned long boot_direct_pages;     /* pfns the direct map had at boot */
static unsigned long p2m_first, p2m_end;    /* pfns of Xen's P2M in its boot mapping */
static unsigned long code_l1s;              /* pool pages for whole ranges with code */
/* Fresh L1s of the boot mapping, linked by arch_mm_finish_boot_mapping
 * once the P2M is read through the direct map. */
static struct {
    uint64_t l2e_ma;
    pte_t l2e;
} deferred[2];
static unsigned nr_deferred;
/* The direct map grows upwards: pfns below grow_next are mapped. The tables
 * that map grow_next - 1 are kept by pfn (grow_l3_pfn, grow_l2_pfn), as the
 * window's L1 is: a restored domain has other machine frames under the same
 * pfns, and an mfn kept from before the save names a frame that is no longer
 * ours, or another of our pages (issue 27: a grow after xl restore linked
 * its L1 into a stale frame and left the new 2 MiB unmapped). grown_tables
 * counts the tables made since boot. */
static unsigned long grow_next, grown_tables;
static unsigned long grow_l3_pfn, grow_l2_pfn;
static spinlock_t grow_lock = SPINLOCK_INIT;
/* The window's L1 table by pfn: a restored domain has new machine frames
 * under the same pfns (lifecycle/suspend.c), so its address is looked up in
 * the P2M at each use. */
static unsigned long window_l1_pfn;
static uint64_t window_used[FOREIGN_MAP_PAGES / 64];

/* ---- Batched page-table writes (mmu_update, MMU_NORMAL_PT_UPDATE). ---- */

/* 128 entries, 2 KiB of bss: a full 512-entry L1 takes four calls. */
#define BATCH 128
static mmu_update_t batch[BATCH];
static unsigned batch_len;

static void batch_flush(void)
{
    unsigned int done = 0;

    if (!batch_len)
        return;
    if (xen_call(mmu_update, batch, batch_len, &done, DOMID_SELF) < 0)
        panic("mm: mmu_update did %u of %u writes; refused: entry at maddr %#lx = %#lx",
              done, batch_len, (unsigned long)batch[done].ptr, (unsigned long)batch[done].val);
    batch_len = 0;
}

/* Queues "*(pte at machine address maddr) = val"; Xen applies them in order. */
static void batch_add(uint64_t maddr, pte_t val)
{
    batch[batch_len].ptr = maddr | MMU_NORMAL_PT_UPDATE;
    batch[batch_len].val = val;
    if (++batch_len == BATCH)
        batch_flush();
}

static void mmuext(unsigned int cmd, xen_pfn_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    if (xen_call(mmuext_op, &op, 1, NULL, DOMID_SELF) < 0)
        panic("mm: mmuext_op %u (mfn %#lx) failed", cmd, mfn);
}

/* Changing or removing mappings leaves stale TLB entries; mmu_update does not
 * flush for us (Linux and Mini-OS flush after their batches too). */
static void tlb_flush(void)
{
    mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/* ---- Reading page tables. ---- */

/* A page-table frame, readable: through the direct map once it exists, before
 * that through Xen's boot mapping, where all of Xen's boot tables lie. */
static pte_t *table_virt(xen_pfn_t mfn)
{
    unsigned long pfn = mfn_to_pfn(mfn);

    if (directmap_ready)
        return pfn_to_virt(pfn);
    if (pfn >= mm_stats.boot_pages)
        panic("mm: page table mfn %#lx (pfn %#lx) outside the boot mapping", mfn, pfn);
    return (pte_t *)(VIRT_BASE + (pfn << PAGE_SHIFT));
}

/* Machine address of va's entry in its level-`level` table (its value in
 * *entry), or 0 when a table on the way is missing. */
static uint64_t pte_maddr(unsigned long va, int level, pte_t *entry)
{
    xen_pfn_t mfn = virt_to_mfn((void *)start_info->pt_base);

    for (int l = 4; l > level; l--) {
        pte_t e = table_virt(mfn)[pt_index(va, l)];
        if (!(e & _PAGE_PRESENT))
            return 0;
        mfn = pte_mfn(e);
    }
    *entry = table_virt(mfn)[pt_index(va, level)];
    return ((uint64_t)mfn << PAGE_SHIFT) + pt_index(va, level) * sizeof(pte_t);
}

/* ---- Steps. ---- */

static bool is_page_table(unsigned long pfn)
{
    return (pfn >= boot_pt_first && pfn < boot_pt_first + start_info->nr_pt_frames) ||
           (pfn >= pool_first && pfn < pool_first + pool_count);
}

/* The entry for pfn with the protection asked for; page tables are always
 * read-only (Xen's rule above). */
static pte_t make_pte(unsigned long pfn, enum page_prot prot)
{
    pte_t mfn = (pte_t)pfn_to_mfn(pfn) << PAGE_SHIFT;

    if (prot == PAGE_NONE)
        return 0;
    if (is_page_table(pfn))
        return mfn | PTE_KERNEL_RO;
    switch (prot) {
    case PAGE_RX: return mfn | PTE_KERNEL_RX;
    case PAGE_RO: return mfn | PTE_KERNEL_RO;
    default:      return mfn | PTE_KERNEL_RW;
    }
}

/*
 * How many pfns a domU may grow to with the balloon (xl's maxmem, above
 * memory: the domain starts with pages beyond nr_pages unpopulated). libxl
 * gives a PV domain a memory map of one RAM range up to static-max plus its
 * slack (xc_domain_set_memmap_limit); XENMEM_memory_map (memory.h) reads it,
 * as Linux's xen_memory_setup does. Without one, the boot size. Capped to
 * what the direct map holds.
 */
static unsigned long max_pfns(unsigned long nr_pages)
{
    struct e820entry {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) map[16];
    struct xen_memory_map mm = { .nr_entries = ARRAY_SIZE(map) };
    unsigned long end = nr_pages;

    if (xen_initial_domain())
        return nr_pages;
    set_xen_guest_handle(mm.buffer, map);
    if (HYPERVISOR_memory_op(XENMEM_memory_map, &mm) < 0)
        return nr_pages;
    for (unsigned i = 0; i < mm.nr_entries && i < ARRAY_SIZE(map); i++) {
        unsigned long last = (unsigned long)((map[i].addr + map[i].size) >> PAGE_SHIFT);
        if (map[i].type == 1 && last > end)     /* E820_RAM */
            end = last;
    }
    return end < DIRECTMAP_SIZE / PAGE_SIZE ? end : DIRECTMAP_SIZE / PAGE_SIZE;
}

void arch_mm_move_p2m(xen_pfn_t *to)
{
    for (unsigned long pfn = 0; pfn < mm_nr_pages; pfn++)
        to[pfn] = pfn < mm_boot_nr_pages ? phys_to_machine[pfn] : INVALID_P2M_ENTRY;
    phys_to_machine = to;
}

void arch_mm_discover(void)
{
    const start_info_t *si = start_info;
    pte_t e;

    mm_boot_nr_pages = si->nr_pages;
    mm_nr_pages = max_pfns(si->nr_pages);
    phys_to_machine = (xen_pfn_t *)si->mfn_list;
    if (mm_nr_pages > DIRECTMAP_SIZE / PAGE_SIZE)
        panic("mm: %lu pages do not fit the %lu GiB direct map", mm_nr_pages, DIRECTMAP_SIZE >> 30);
    if (!cpu_has_nx()) {
        pte_nx = 0;
        printk("mote: memory: this CPU has no NX (CPUID 0x80000001 EDX bit 20): "
               "data and stacks stay executable\n");
    }

    boot_pt_first = virt_to_pfn((void *)si->pt_base);
    p2m_first = virt_to_pfn((void *)si->mfn_list);
    p2m_end = p2m_first + (si->nr_pages * sizeof(xen_pfn_t) + PAGE_SIZE - 1) / PAGE_SIZE;
    /* Image, module, P2M, start_info, (domU rings,) tables, then one page of
     * bootstrap stack (xen.h 3a-3h; Xen's x86-64 builders give one page). */
    mm_stats.boot_pages = boot_pt_first + si->nr_pt_frames + 1;
    if (mm_stats.boot_pages > si->nr_pages)
        panic("mm: boot mapping uses %lu pages but the domain has %lu",
              mm_stats.boot_pages, si->nr_pages);

    /* Xen maps pfn N at VIRT_BASE + N pages (xen.h item 5) up to a 4 MiB
     * boundary at least 512 KiB past the stack (items 2 and 7). Walked an
     * L1 table at a time: a walk from the L4 for every page made this grow
     * with the P2M, i.e. with the domain's memory (bench/README.md). */
    boot_map_pages = 0;
    while (boot_map_pages < si->nr_pages &&
           pte_maddr(VIRT_BASE + boot_map_pages * PAGE_SIZE, 2, &e) && (e & _PAGE_PRESENT)) {
        const pte_t *l1 = table_virt(pte_mfn(e));
        unsigned long first = boot_map_pages;
        for (unsigned i = 0; i < PT_ENTRIES && first + i < si->nr_pages; i++) {
            if (!(l1[i] & _PAGE_PRESENT))
                break;
            if (pte_mfn(l1[i]) != pfn_to_mfn(first + i))
                panic("mm: boot mapping of pfn %#lx is mfn %#lx, P2M says %#lx",
                      first + i, pte_mfn(l1[i]), pfn_to_mfn(first + i));
            boot_map_pages++;
        }
        if (boot_map_pages < first + PT_ENTRIES)
            break;
    }
    if (boot_map_pages < mm_stats.boot_pages)
        panic("mm: Xen's boot mapping ends at pfn %#lx, before its own stack", boot_map_pages);
}

unsigned long arch_mm_boot_map_pages(void)
{
    return boot_map_pages;
}

/* Page tables for a direct map of pfns [0, mapped), the foreign-map window's. */
static unsigned long tables_for(unsigned long mapped)
{
    /* L1s and L2s, one L3, and three for the window. */
    return (mapped + PT_ENTRIES - 1) / PT_ENTRIES +
           (mapped + PT_ENTRIES * PT_ENTRIES - 1) / (PT_ENTRIES * PT_ENTRIES) + 1 + 3;
}

/* pfns mapped at boot: everything up to the end of the tables that map them,
 * in whole L1s (2 MiB), so growing later always starts a fresh L1. */
static unsigned long boot_direct_for(unsigned long tables_end, unsigned long nr_pages)
{
    unsigned long end = (tables_end + PT_ENTRIES - 1) / PT_ENTRIES * PT_ENTRIES;

    return end < nr_pages ? end : nr_pages;
}

/* 2 MiB ranges wholly in use by Xen's boot mapping (image, P2M, ...): the
 * direct map links the boot mapping's own L1 for them (arch_mm_map_direct). */
static unsigned long shared_ranges(void)
{
    return mm_stats.boot_pages / PT_ENTRIES;
}

/* The 2 MiB range of the boot mapping that is partly in use, if any: it
 * gets a fresh L1 holding only what is in use (arch_mm_protect_boot_mapping). */
static bool partial_range(void)
{
    return mm_stats.boot_pages % PT_ENTRIES && mm_stats.boot_pages < boot_map_pages;
}

unsigned long arch_mm_reserve_tables(unsigned long first_pfn, unsigned long nr_pages)
{
    /* The tables lie in the range they map: grow both until they agree. */
    unsigned long mapped = boot_direct_for(first_pfn + tables_for(0), nr_pages);

    while (boot_direct_for(first_pfn + tables_for(mapped), nr_pages) > mapped)
        mapped = boot_direct_for(first_pfn + tables_for(mapped), nr_pages);
    pool_first = first_pfn;
    code_l1s = shared_ranges() ? 1 : 0;
    pool_count = tables_for(mapped) - shared_ranges() + (partial_range() ? 1 : 0) + code_l1s;
    boot_direct_pages = mapped;
    return pool_count;
}

unsigned long arch_mm_boot_direct_pages(void)
{
    return boot_direct_pages;
}

unsigned long arch_mm_table_pages(void)
{
    return start_info->nr_pt_frames + pool_used + grown_tables;
}

static xen_pfn_t pool_take(void)
{
    if (pool_used == pool_count)
        panic("mm: page-table pool of %lu pages exhausted", pool_count);
    return pfn_to_mfn(pool_first + pool_used++);
}

/* Links a new, cleared table as entry `index` of the table at machine frame
 * `parent`; returns the new table's mfn. */
static xen_pfn_t link_table(xen_pfn_t parent, unsigned index)
{
    xen_pfn_t child = pool_take();

    batch_add(((uint64_t)parent << PAGE_SHIFT) + index * sizeof(pte_t),
              ((pte_t)child << PAGE_SHIFT) | PTE_TABLE);
    return child;
}

/* Xen's P2M: the boot mapping's fresh L1s leave it out (it is read through
 * the direct map once that exists), so that the P2M, which grows with the
 * domain's memory, costs no entries there. */
static bool in_p2m(unsigned long pfn)
{
    return pfn >= p2m_first && pfn < p2m_end;
}

/* The range [first, first + 512) of the boot mapping gets a fresh L1 with
 * the pages in use but the P2M, linked later (arch_mm_finish_boot_mapping):
 * the old one stays until then, for the P2M. Our page tables lying in the
 * range must lose their writable mapping there first: Xen refuses a table
 * that is mapped writable anywhere (xen.h, MMU_NORMAL_PT_UPDATE). */
static void fresh_boot_l1(unsigned long first, uint64_t l2e_ma, pte_t l2e, bool executable,
                          enum page_prot (*prot)(unsigned long pfn))
{
    const pte_t *old_l1 = table_virt(pte_mfn(l2e));

    for (unsigned long pfn = pool_first; pfn < pool_first + pool_count; pfn++) {
        if (pfn >= first && pfn < first + PT_ENTRIES && (old_l1[pfn - first] & _PAGE_PRESENT))
            batch_add((pte_mfn(l2e) << PAGE_SHIFT) + (pfn - first) * sizeof(pte_t), 0);
    }
    batch_flush();
    /* Filled while it is not yet a table (Xen writes such a page like any
     * other), then linked in one write: the range may hold the code and the
     * batch being run, so it must never be half mapped. */
    xen_pfn_t l1 = pool_take();
    mmuext(MMUEXT_CLEAR_PAGE, l1);
    for (unsigned long pfn = first; pfn < first + PT_ENTRIES; pfn++) {
        enum page_prot p = in_p2m(pfn) ? PAGE_NONE : prot(pfn);
        if (p != PAGE_NONE)
            batch_add(((uint64_t)l1 << PAGE_SHIFT) + (pfn - first) * sizeof(pte_t), make_pte(pfn, p));
    }
    batch_flush();
    if (nr_deferred == ARRAY_SIZE(deferred))
        panic("mm: more than %zu fresh boot L1s", ARRAY_SIZE(deferred));
    deferred[nr_deferred].l2e_ma = l2e_ma;
    deferred[nr_deferred].l2e = ((pte_t)l1 << PAGE_SHIFT) | (l2e & ~PTE_MFN_MASK) |
                                (executable ? 0 : _PAGE_NX);
    nr_deferred++;
}

/* Same frame, same present and writable bits: what Xen's accessed, dirty,
 * user and global bits and an NX set in the L2 above do not change. */
static bool same_mapping(pte_t old, pte_t new)
{
    const pte_t bits = PTE_MFN_MASK | _PAGE_PRESENT | _PAGE_RW;

    return (old & bits) == (new & bits);
}

/* One 2 MiB range (one L1 table) at a time, so the cost follows what is in
 * use, not the domain's size (the P2M in the boot mapping grows with it):
 * a range with nothing in use is dropped from its L2 in one write; the one
 * partly in use gets a fresh L1 (from our pool) with only the pages in use,
 * instead of hundreds of entries cleared; one with no executable page gets
 * NX in its L2 entry, which covers all 512 pages (Intel SDM vol. 3, 4.6:
 * NX at any level applies), and only the entries whose frame or read/write
 * state changes are rewritten. */
void arch_mm_protect_boot_mapping(enum page_prot (*prot)(unsigned long pfn))
{
    /* Whole unused ranges go first, so that none of our tables is still
     * mapped writable there when the partial range's fresh L1 is linked. */
    for (unsigned long first = 0; first + PT_ENTRIES <= boot_map_pages; first += PT_ENTRIES) {
        pte_t l2e;
        uint64_t l2e_ma = pte_maddr(VIRT_BASE + first * PAGE_SIZE, 2, &l2e);
        if (first >= mm_stats.boot_pages)
            batch_add(l2e_ma, 0);
    }
    batch_flush();
    const bool p2m_rw = p2m_first < p2m_end && prot(p2m_first) == PAGE_RW;
    for (unsigned long first = 0; first < mm_stats.boot_pages; first += PT_ENTRIES) {
        unsigned long end = first + PT_ENTRIES < boot_map_pages ? first + PT_ENTRIES
                                                                : boot_map_pages;
        pte_t l2e;
        uint64_t l2e_ma = pte_maddr(VIRT_BASE + first * PAGE_SIZE, 2, &l2e);
        bool executable = false;

        /* When the policy wants the P2M read-write, as Xen mapped it, its
         * pfns need neither a look each (about 100 instructions, with
         * make_pte: 13 ms of icount time for the 1,000 at 2 GiB) nor,
         * where NX comes from elsewhere, a rewrite. */
        for (unsigned long pfn = first; pfn < end; pfn++)
            executable |= !(p2m_rw && in_p2m(pfn)) && prot(pfn) == PAGE_RX;
        if (first < mm_stats.boot_pages && mm_stats.boot_pages < end) {
            fresh_boot_l1(first, l2e_ma, l2e, executable, prot);
            continue;
        }
        /* A whole range with code (at 2 GiB the image and 467 pages of the
         * P2M): its old L1 goes on in the direct map (arch_mm_map_direct,
         * NX in the L2 there), where the P2M needs no NX of its own, and
         * the boot mapping gets a fresh one with the image alone. So only
         * the entries that change are rewritten, not all 512 for NX. */
        bool fresh = executable && code_l1s && code_l1s--;
        if (!executable)
            batch_add(l2e_ma, l2e | _PAGE_NX);
        const pte_t *l1 = table_virt(pte_mfn(l2e));
        for (unsigned long pfn = first; pfn < end; pfn++) {
            if ((!executable || fresh) && p2m_rw && in_p2m(pfn) && (l1[pfn - first] & _PAGE_RW))
                continue;
            pte_t new = make_pte(pfn, prot(pfn));
            if ((!executable || fresh) && same_mapping(l1[pfn - first], new))
                continue;
            batch_add((pte_mfn(l2e) << PAGE_SHIFT) + (pfn - first) * sizeof(pte_t), new);
        }
        if (fresh) {
            batch_flush();
            fresh_boot_l1(first, l2e_ma, l2e, executable, prot);
        }
    }
    batch_flush();
    tlb_flush();
}

void arch_mm_map_direct(enum page_prot (*prot)(unsigned long pfn))
{
    const unsigned long per_l1 = PT_ENTRIES, per_l2 = PT_ENTRIES * PT_ENTRIES;
    const unsigned long nr_pages = boot_direct_pages;
    xen_pfn_t l4 = virt_to_mfn((void *)start_info->pt_base);
    const pte_t *l4_table = (const pte_t *)start_info->pt_base;
    xen_pfn_t l3 = 0, l2 = 0;

    if (l4_table[pt_index(DIRECTMAP_BASE, 4)] || l4_table[pt_index(FOREIGN_MAP_BASE, 4)])
        panic("mm: L4 slots for the direct map or the foreign-map window already in use");

    /* Xen requires a page table to hold only valid entries; clear them all
     * first, without mapping them (xen.h, MMUEXT_CLEAR_PAGE). */
    for (unsigned long i = pool_used; i < pool_count; i++)
        mmuext(MMUEXT_CLEAR_PAGE, pfn_to_mfn(pool_first + i));

    l3 = link_table(l4, pt_index(DIRECTMAP_BASE, 4));
    for (unsigned long pfn = 0; pfn < nr_pages; pfn += per_l1) {
        unsigned long va = DIRECTMAP_BASE + pfn * PAGE_SIZE;
        if (pfn % per_l2 == 0)
            l2 = link_table(l3, pt_index(va, 3));
        if (pfn / per_l1 < shared_ranges()) {
            /* The boot mapping's L1 has these pages as the policy wants
             * them, but text executable: NX in our L2 entry covers that. */
            pte_t boot_l2e;
            if (!pte_maddr(VIRT_BASE + pfn * PAGE_SIZE, 2, &boot_l2e) || !(boot_l2e & _PAGE_PRESENT))
                panic("mm: no boot L1 table for pfn %#lx", pfn);
            batch_add(((uint64_t)l2 << PAGE_SHIFT) + pt_index(va, 2) * sizeof(pte_t),
                      (boot_l2e & PTE_MFN_MASK) | PTE_TABLE | _PAGE_NX);
            continue;
        }
        xen_pfn_t l1 = link_table(l2, pt_index(va, 2));
        for (unsigned long i = 0; i < per_l1 && pfn + i < nr_pages; i++)
            batch_add(((uint64_t)l1 << PAGE_SHIFT) + i * sizeof(pte_t),
                      make_pte(pfn + i, prot(pfn + i)));
    }

    xen_pfn_t w3 = link_table(l4, pt_index(FOREIGN_MAP_BASE, 4));
    xen_pfn_t w2 = link_table(w3, pt_index(FOREIGN_MAP_BASE, 3));
    xen_pfn_t w1 = link_table(w2, pt_index(FOREIGN_MAP_BASE, 2));
    window_l1_pfn = mfn_to_pfn(w1);

    batch_flush();
    tlb_flush();
    grow_next = nr_pages;
    grow_l3_pfn = mfn_to_pfn(l3);
    grow_l2_pfn = mfn_to_pfn(l2);
    directmap_ready = true;
}

void arch_mm_finish_boot_mapping(void)
{
    /* From now on the P2M is read through the direct map, which maps it
     * (it lies below the tables, all mapped at boot); unless it moved. */
    if (phys_to_machine == (xen_pfn_t *)start_info->mfn_list)
        phys_to_machine = pfn_to_virt(p2m_first);
    for (unsigned i = 0; i < nr_deferred; i++)
        batch_add(deferred[i].l2e_ma, deferred[i].l2e);
    nr_deferred = 0;
    batch_flush();
    tlb_flush();
}

/* A cleared page for a new table of the direct map: one the allocator gave
 * (through take_page), made read-only in the direct map before Xen sees it
 * as a table, or else pfn `own`, which nothing maps. Returns its mfn. */
static xen_pfn_t grow_table(void *(*take_page)(void), unsigned long own, bool *used_own)
{
    void *page = take_page();

    grown_tables++;
    if (!page) {
        /* The balloon grows the direct map over pfns with no frame while
         * the allocator has pages (page_alloc_cover_all). */
        if (pfn_to_mfn(own) == INVALID_P2M_ENTRY)
            panic("mm: no page for a direct-map table at pfn %#lx, which has no frame", own);
        *used_own = true;
        mmuext(MMUEXT_CLEAR_PAGE, pfn_to_mfn(own));
        return pfn_to_mfn(own);
    }
    memset(page, 0, PAGE_SIZE);
    xen_pfn_t mfn = virt_to_mfn(page);
    if (xen_call(update_va_mapping, (unsigned long)page,
                 ((pte_t)mfn << PAGE_SHIFT) | PTE_KERNEL_RO, UVMF_INVLPG | UVMF_ALL))
        panic("mm: cannot make page %p read-only for a page table", page);
    return mfn;
}

/* The machine address of page `pfn`, for a table kept by pfn. */
static uint64_t table_maddr(unsigned long pfn)
{
    return (uint64_t)pfn_to_mfn(pfn) << PAGE_SHIFT;
}

bool arch_mm_grow_direct(void *(*take_page)(void), unsigned long *first, unsigned long *count)
{
    const unsigned long per_l2 = PT_ENTRIES * PT_ENTRIES;
    unsigned long flags = spin_lock_irqsave(&grow_lock);
    unsigned long pfn = grow_next, end = grow_next + PT_ENTRIES;
    unsigned long va = DIRECTMAP_BASE + pfn * PAGE_SIZE;
    unsigned long give = pfn;

    if (pfn >= mm_nr_pages) {
        spin_unlock_irqrestore(&grow_lock, flags);
        return false;
    }
    if (end > mm_nr_pages)
        end = mm_nr_pages;
    /* A table on the step's own pages is not mapped: Xen refuses a
     * writable mapping of a page table, and nothing needs to read it. */
    if (pfn % per_l2 == 0) {
        bool own = false;
        xen_pfn_t l2 = grow_table(take_page, give, &own);
        batch_add(table_maddr(grow_l3_pfn) + pt_index(va, 3) * sizeof(pte_t),
                  ((pte_t)l2 << PAGE_SHIFT) | PTE_TABLE);
        batch_flush();
        grow_l2_pfn = mfn_to_pfn(l2);
        give += own;
    }
    bool own = false;
    xen_pfn_t l1 = grow_table(take_page, give, &own);
    give += own;
    batch_add(table_maddr(grow_l2_pfn) + pt_index(va, 2) * sizeof(pte_t),
              ((pte_t)l1 << PAGE_SHIFT) | PTE_TABLE);
    /* A pfn with no frame yet (past the boot size) stays unmapped until
     * the balloon fills it (arch_mm_map_direct_page). */
    for (unsigned long p = give; p < end; p++)
        if (pfn_to_mfn(p) != INVALID_P2M_ENTRY)
            batch_add(((uint64_t)l1 << PAGE_SHIFT) +
                      pt_index(DIRECTMAP_BASE + p * PAGE_SIZE, 1) * sizeof(pte_t),
                      make_pte(p, PAGE_RW));
    batch_flush();
    grow_next = end;
    spin_unlock_irqrestore(&grow_lock, flags);
    *first = give;
    *count = end - give;
    return true;
}

unsigned long arch_mm_unmapped_usable(void)
{
    const unsigned long per_l2 = PT_ENTRIES * PT_ENTRIES;
    unsigned long next = grow_next;

    /* Only pfns with a frame from boot: the balloon covers the rest itself. */
    if (next >= mm_boot_nr_pages)
        return 0;
    /* Each 2 MiB step costs an L1, each new 1 GiB an L2 (arch_mm_grow_direct). */
    unsigned long rest = mm_boot_nr_pages - next;
    unsigned long l1s = (rest + PT_ENTRIES - 1) / PT_ENTRIES;
    unsigned long l2s = (mm_boot_nr_pages + per_l2 - 1) / per_l2 - (next + per_l2 - 1) / per_l2;
    return rest - l1s - l2s;
}

/* The window's slot bitmap is shared by every thread and vCPU. */
static spinlock_t window_lock = SPINLOCK_INIT;

void *foreign_slot_reserve(void)
{
    unsigned long flags = spin_lock_irqsave(&window_lock);

    for (unsigned slot = 0; slot < FOREIGN_MAP_PAGES; slot++) {
        if (window_used[slot / 64] & (1ULL << (slot % 64)))
            continue;
        window_used[slot / 64] |= 1ULL << (slot % 64);
        spin_unlock_irqrestore(&window_lock, flags);
        return (void *)(FOREIGN_MAP_BASE + (unsigned long)slot * PAGE_SIZE);
    }
    spin_unlock_irqrestore(&window_lock, flags);
    printk("mote: all %u slots of the foreign-map window are in use\n", FOREIGN_MAP_PAGES);
    return NULL;
}

void foreign_slot_release(void *va)
{
    unsigned long slot = ((unsigned long)va - FOREIGN_MAP_BASE) / PAGE_SIZE;

    if ((unsigned long)va < FOREIGN_MAP_BASE || slot >= FOREIGN_MAP_PAGES ||
        !(window_used[slot / 64] & (1ULL << (slot % 64))))
        panic("foreign_slot_release(%p): not a reserved slot", va);
    unsigned long flags = spin_lock_irqsave(&window_lock);
    window_used[slot / 64] &= ~(1ULL << (slot % 64));
    spin_unlock_irqrestore(&window_lock, flags);
}

void *map_foreign_page(xen_pfn_t mfn, domid_t owner)
{
    void *va = foreign_slot_reserve();
    unsigned long slot = ((unsigned long)va - FOREIGN_MAP_BASE) / PAGE_SIZE;

    if (!va) {
        printk("mote: map_foreign_page(mfn %#lx): no free window slot\n", mfn);
        return NULL;
    }
    /* FD = owner: Xen checks the frame belongs to that domain (xen.h,
     * mmu_update, MMU_NORMAL_PT_UPDATE). */
    mmu_update_t req = {
        .ptr = (((uint64_t)pfn_to_mfn(window_l1_pfn) << PAGE_SHIFT) +
                (pt_index(FOREIGN_MAP_BASE, 1) + slot) * sizeof(pte_t)) | MMU_NORMAL_PT_UPDATE,
        .val = ((pte_t)mfn << PAGE_SHIFT) | PTE_KERNEL_RW,
    };
    if (xen_call(mmu_update, &req, 1, NULL, owner) < 0) {
        printk("mote: map_foreign_page(mfn %#lx, domain %u) refused\n", mfn, owner);
        foreign_slot_release(va);
        return NULL;
    }
    return va;
}

int unmap_foreign_page(void *va)
{
    unsigned long slot = ((unsigned long)va - FOREIGN_MAP_BASE) / PAGE_SIZE;

    if ((unsigned long)va < FOREIGN_MAP_BASE || slot >= FOREIGN_MAP_PAGES ||
        !(window_used[slot / 64] & (1ULL << (slot % 64))))
        panic("unmap_foreign_page(%p): not a foreign mapping", va);
    /* UVMF_INVLPG | UVMF_ALL: write the entry and drop its TLB entry on
     * every vCPU in one call: any vCPU may have used the mapping (the shared
     * info page is read by all), and the slot is handed out again. If Xen
     * refuses, the page is still mapped: keep the slot, so it is never
     * handed out again over a live mapping (xen_call reported the error). */
    long rc = xen_call(update_va_mapping, (unsigned long)va, 0, UVMF_INVLPG | UVMF_ALL);
    if (rc < 0)
        return (int)rc;
    foreign_slot_release(va);
    return 0;
}

int arch_mm_unmap_direct_page(unsigned long pfn)
{
    /* UVMF_ALL: no vCPU may keep a TLB entry for a frame that is no
     * longer ours (xen.h, update_va_mapping flags). */
    return (int)xen_call(update_va_mapping, (unsigned long)pfn_to_virt(pfn), 0,
                         UVMF_INVLPG | UVMF_ALL);
}

int arch_mm_map_direct_page(unsigned long pfn)
{
    /* The entry was not present, so no vCPU holds a stale translation. */
    return (int)xen_call(update_va_mapping, (unsigned long)pfn_to_virt(pfn),
                         make_pte(pfn, PAGE_RW), UVMF_INVLPG | UVMF_LOCAL);
}
