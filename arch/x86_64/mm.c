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
 *  arch_mm_reserve_tables: sets aside the page-table pages the direct map
 *     and the foreign-map window need, at the first free pfns.
 *  arch_mm_protect_boot_mapping: rewrites the boot mapping's L1 entries (one
 *     batched mmu_update) with the protection the policy gives each pfn;
 *     Xen's tables and ours are read-only whatever it says.
 *  arch_mm_map_direct: clears the reserved tables (none is mapped anywhere
 *     now: the previous step unmapped the tail, so Xen lets us clear them
 *     with MMUEXT_CLEAR_PAGE) and links them in, mapping pfns in the direct
 *     map. We do not pin them: linking a table into the pinned, in-use L4
 *     makes Xen validate it and hold a type reference through its parent for
 *     as long as it stays linked, which is forever here (pinning, xen.h step
 *     5, is for tables not yet reachable from a base pointer).
 */
#include <arch/cpuid.h>
#include <arch/pgtable.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <spinlock.h>
#include <string.h>

xen_pfn_t *phys_to_machine;
uint64_t pte_nx = _PAGE_NX_BIT;
unsigned long mm_nr_pages;

static bool directmap_ready;
static unsigned long boot_map_pages;        /* pfns mapped at VIRT_BASE by Xen */
static unsigned long boot_pt_first;         /* Xen's boot page tables, pfns */
static unsigned long pool_first, pool_count, pool_used; /* our page tables */
/* The window's L1 table by pfn: a restored domain has new machine frames
 * under the same pfns (kernel/suspend.c), so its address is looked up in
 * the P2M at each use. */
static unsigned long window_l1_pfn;
static uint64_t window_used[FOREIGN_MAP_PAGES / 64];

/* ---- Batched page-table writes (mmu_update, MMU_NORMAL_PT_UPDATE). ---- */

#define BATCH 512
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

/* Machine address of va's L1 entry (its value in *entry), or 0 when a table
 * on the way is missing. */
static uint64_t l1e_maddr(unsigned long va, pte_t *entry)
{
    xen_pfn_t mfn = virt_to_mfn((void *)start_info->pt_base);

    for (int level = 4; level > 1; level--) {
        pte_t e = table_virt(mfn)[pt_index(va, level)];
        if (!(e & _PAGE_PRESENT))
            return 0;
        mfn = pte_mfn(e);
    }
    *entry = table_virt(mfn)[pt_index(va, 1)];
    return ((uint64_t)mfn << PAGE_SHIFT) + pt_index(va, 1) * sizeof(pte_t);
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

void arch_mm_discover(void)
{
    const start_info_t *si = start_info;
    pte_t e;

    mm_nr_pages = si->nr_pages;
    phys_to_machine = (xen_pfn_t *)si->mfn_list;
    if (mm_nr_pages > DIRECTMAP_SIZE / PAGE_SIZE)
        panic("mm: %lu pages do not fit the %lu GiB direct map", mm_nr_pages, DIRECTMAP_SIZE >> 30);
    if (!cpu_has_nx()) {
        pte_nx = 0;
        printk("mote: memory: this CPU has no NX (CPUID 0x80000001 EDX bit 20): "
               "data and stacks stay executable\n");
    }

    boot_pt_first = virt_to_pfn((void *)si->pt_base);
    /* Image, module, P2M, start_info, (domU rings,) tables, then one page of
     * bootstrap stack (xen.h 3a-3h; Xen's x86-64 builders give one page). */
    mm_stats.boot_pages = boot_pt_first + si->nr_pt_frames + 1;
    if (mm_stats.boot_pages > si->nr_pages)
        panic("mm: boot mapping uses %lu pages but the domain has %lu",
              mm_stats.boot_pages, si->nr_pages);

    /* Xen maps pfn N at VIRT_BASE + N pages (xen.h item 5) up to a 4 MiB
     * boundary at least 512 KiB past the stack (items 2 and 7). */
    boot_map_pages = 0;
    while (boot_map_pages < si->nr_pages &&
           l1e_maddr(VIRT_BASE + boot_map_pages * PAGE_SIZE, &e) && (e & _PAGE_PRESENT)) {
        if (pte_mfn(e) != pfn_to_mfn(boot_map_pages))
            panic("mm: boot mapping of pfn %#lx is mfn %#lx, P2M says %#lx",
                  boot_map_pages, pte_mfn(e), pfn_to_mfn(boot_map_pages));
        boot_map_pages++;
    }
    if (boot_map_pages < mm_stats.boot_pages)
        panic("mm: Xen's boot mapping ends at pfn %#lx, before its own stack", boot_map_pages);
}

unsigned long arch_mm_boot_map_pages(void)
{
    return boot_map_pages;
}

unsigned long arch_mm_reserve_tables(unsigned long first_pfn, unsigned long nr_pages)
{
    /* L1s and L2s for nr_pages, one L3, and three for the window. */
    pool_first = first_pfn;
    pool_count = (nr_pages + PT_ENTRIES - 1) / PT_ENTRIES +
                 (nr_pages + PT_ENTRIES * PT_ENTRIES - 1) / (PT_ENTRIES * PT_ENTRIES) + 1 + 3;
    return pool_count;
}

unsigned long arch_mm_table_pages(void)
{
    return start_info->nr_pt_frames + pool_used;
}

void arch_mm_protect_boot_mapping(enum page_prot (*prot)(unsigned long pfn))
{
    for (unsigned long pfn = 0; pfn < boot_map_pages; pfn++) {
        pte_t old;
        uint64_t maddr = l1e_maddr(VIRT_BASE + pfn * PAGE_SIZE, &old);
        batch_add(maddr, make_pte(pfn, prot(pfn)));
    }
    batch_flush();
    tlb_flush();
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

void arch_mm_map_direct(unsigned long nr_pages, enum page_prot (*prot)(unsigned long pfn))
{
    const unsigned long per_l1 = PT_ENTRIES, per_l2 = PT_ENTRIES * PT_ENTRIES;
    xen_pfn_t l4 = virt_to_mfn((void *)start_info->pt_base);
    const pte_t *l4_table = (const pte_t *)start_info->pt_base;
    xen_pfn_t l3 = 0, l2 = 0;

    if (l4_table[pt_index(DIRECTMAP_BASE, 4)] || l4_table[pt_index(FOREIGN_MAP_BASE, 4)])
        panic("mm: L4 slots for the direct map or the foreign-map window already in use");

    /* Xen requires a page table to hold only valid entries; clear them all
     * first, without mapping them (xen.h, MMUEXT_CLEAR_PAGE). */
    for (unsigned long i = 0; i < pool_count; i++)
        mmuext(MMUEXT_CLEAR_PAGE, pfn_to_mfn(pool_first + i));

    l3 = link_table(l4, pt_index(DIRECTMAP_BASE, 4));
    for (unsigned long pfn = 0; pfn < nr_pages; pfn += per_l1) {
        unsigned long va = DIRECTMAP_BASE + pfn * PAGE_SIZE;
        if (pfn % per_l2 == 0)
            l2 = link_table(l3, pt_index(va, 3));
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
    directmap_ready = true;
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
    /* UVMF_INVLPG: write the entry and drop its TLB entry in one call. If
     * Xen refuses, the page is still mapped: keep the slot, so it is never
     * handed out again over a live mapping (xen_call reported the error). */
    long rc = xen_call(update_va_mapping, (unsigned long)va, 0, UVMF_INVLPG | UVMF_LOCAL);
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
