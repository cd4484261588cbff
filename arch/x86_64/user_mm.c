/* SPDX-License-Identifier: MIT */
/*
 * A process's address space on x86-64 PV: its own four-level page table,
 * which Xen installs whenever the vCPU is in user mode
 * (MMUEXT_NEW_USER_BASEPTR, xen.h). It maps the process's pages and
 * nothing of the kernel: that table is the isolation, since on 64-bit PV
 * the kernel and user mode both run at CPL 3, and Xen sets _PAGE_USER on
 * every guest mapping. The kernel's own table maps no user memory either:
 * the kernel reaches a user page through the direct map, after a walk of
 * this table (arch_user_space_byte), which is how the copy helpers
 * (kernel/user.c) check every user pointer.
 *
 * Xen's rules for page tables apply as for the kernel's (xen.h,
 * MMU_NORMAL_PT_UPDATE): a table page is mapped read-only in the direct
 * map before it is used as one, every entry is written with mmu_update,
 * and the L4 is pinned (MMUEXT_PIN_L4_TABLE), so that Xen validates each
 * new entry as it is written.
 */
#include <arch/mm.h>
#include <arch/pgtable.h>
#include <arch/user.h>
#include <errno.h>
#include <hypercall.h>
#include <kernel.h>
#include <page_alloc.h>
#include <string.h>

/* A space is named by its L4's address in the direct map (the handle
 * include/user.h passes around is that pointer). */
static pte_t *l4_of(struct user_space *s)
{
    return (pte_t *)s;
}

/* User leaves: present, user, accessed (and dirty if writable) preset so
 * the CPU never writes them back; NX unless executable (W^X). */
#define USER_PTE_BASE (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

static pte_t user_pte_flags(enum user_prot prot)
{
    switch (prot) {
    case USER_RX: return USER_PTE_BASE;
    case USER_RW: return USER_PTE_BASE | _PAGE_RW | _PAGE_DIRTY | _PAGE_NX;
    default:      return USER_PTE_BASE | _PAGE_NX;
    }
}

/* *entry = val, entry being in a page table (read-only to us). */
static long set_entry(pte_t *entry, pte_t val)
{
    mmu_update_t u = { .ptr = virt_to_maddr(entry) | MMU_NORMAL_PT_UPDATE, .val = val };

    return xen_call(mmu_update, &u, 1, NULL, DOMID_SELF);
}

static long mmuext(unsigned int cmd, xen_pfn_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return xen_call(mmuext_op, &op, 1, NULL, DOMID_SELF);
}

/* The direct-map entry of a table page: read-only while it is a table. */
static long remap_direct(void *page, pte_t flags)
{
    return xen_call(update_va_mapping, (unsigned long)page,
                    ((pte_t)virt_to_mfn(page) << PAGE_SHIFT) | flags, UVMF_INVLPG | UVMF_LOCAL);
}

static pte_t *new_table(void)
{
    pte_t *t = alloc_page();

    if (!t)
        return NULL;
    memset(t, 0, PAGE_SIZE);
    if (remap_direct(t, PTE_KERNEL_RO)) {
        free_page(t);
        return NULL;
    }
    return t;
}

static void free_table(pte_t *t)
{
    remap_direct(t, PTE_KERNEL_RW);
    free_page(t);
}

static void *entry_page(pte_t e)
{
    return pfn_to_virt(mfn_to_pfn(pte_mfn(e)));
}

/* va's L1 entry, creating the tables on the way if `create`; NULL when
 * one is missing (or could not be made). */
static pte_t *walk(struct user_space *s, unsigned long va, bool create)
{
    pte_t *t = l4_of(s);

    for (int level = 4; level > 1; level--) {
        pte_t *e = &t[pt_index(va, level)];
        if (!(*e & _PAGE_PRESENT)) {
            pte_t *n = create ? new_table() : NULL;
            if (!n)
                return NULL;
            if (set_entry(e, virt_to_maddr(n) | PTE_TABLE)) {
                free_table(n);
                return NULL;
            }
        }
        t = entry_page(*e);
    }
    return &t[pt_index(va, 1)];
}

struct user_space *arch_user_space_create(void)
{
    pte_t *l4 = new_table();

    if (l4 && mmuext(MMUEXT_PIN_L4_TABLE, virt_to_mfn(l4))) {
        free_table(l4);
        return NULL;
    }
    return (struct user_space *)l4;
}

static bool user_address(unsigned long va)
{
    return va >= USER_BASE && va < USER_TOP;
}

int arch_user_space_map(struct user_space *s, unsigned long va, void *page, enum user_prot prot)
{
    if (!user_address(va) || (va & (PAGE_SIZE - 1)))
        return -EINVAL;
    pte_t *e = walk(s, va, true);
    if (!e)
        return -ENOMEM;
    if (*e & _PAGE_PRESENT)
        return -EEXIST;
    if (set_entry(e, virt_to_maddr(page) | user_pte_flags(prot)))
        return -ENOMEM;
    return 0;
}

void *arch_user_space_byte(struct user_space *s, unsigned long va, bool write)
{
    if (!user_address(va))
        return NULL;
    pte_t *e = walk(s, va, false);
    if (!e || !(*e & _PAGE_PRESENT) || (write && !(*e & _PAGE_RW)))
        return NULL;
    return (char *)entry_page(*e) + (va & (PAGE_SIZE - 1));
}

void arch_user_space_activate(struct user_space *s)
{
    if (mmuext(MMUEXT_NEW_USER_BASEPTR, s ? virt_to_mfn(l4_of(s)) : 0))
        panic("user: cannot install the user page table");
}

/* Frees the table at `level` (its user slots only, for the L4: Xen's own
 * are above them) and everything under it: pages under an L1. */
static void free_level(pte_t *t, int level)
{
    unsigned n = level == 4 ? pt_index(USER_TOP, 4) + 1 : PT_ENTRIES;

    for (unsigned i = 0; i < n; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        if (level == 1)
            free_page(entry_page(t[i]));
        else
            free_level(entry_page(t[i]), level - 1);
    }
    free_table(t);
}

void arch_user_space_destroy(struct user_space *s)
{
    /* Unpinned and installed nowhere, the tables have no type left in
     * Xen's eyes, and their pages may be mapped writable again. */
    mmuext(MMUEXT_UNPIN_TABLE, virt_to_mfn(l4_of(s)));
    free_level(l4_of(s), 4);
}
