/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page-table entries as a PV guest writes them (xen.h, comment
 * above MMU_NORMAL_PT_UPDATE: bit 63 NX, bits 12-51 the machine frame, the low
 * bits the architectural flags; bit 7 is PAT in an L1 entry, never PSE, since
 * a PV guest cannot make superpages by setting it).
 */
#ifndef ARCH_PGTABLE_H
#define ARCH_PGTABLE_H

#include <stdint.h>

typedef uint64_t pte_t;

#define _PAGE_PRESENT   (1ULL << 0)
#define _PAGE_RW        (1ULL << 1)
#define _PAGE_USER      (1ULL << 2)
#define _PAGE_ACCESSED  (1ULL << 5)
#define _PAGE_DIRTY     (1ULL << 6)
#define _PAGE_NX_BIT    (1ULL << 63)
/* _PAGE_NX_BIT where the CPU has NX, else 0: Xen refuses entries with bit 63
 * set on a CPU without it (arch/x86_64/mm.c, mm_init). */
extern uint64_t pte_nx;
#define _PAGE_NX        pte_nx
#define PTE_MFN_MASK    0x000ffffffffff000ULL

#define PT_ENTRIES      512

/* Leaf entries. Xen adds _PAGE_USER itself for a 64-bit PV kernel (which runs
 * in ring 3); A and D are preset so the CPU never has to write them back. */
#define PTE_KERNEL_RX   (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PTE_KERNEL_RO   (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define PTE_KERNEL_RW   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
/* An entry pointing at a lower-level table (Linux's _PAGE_TABLE). */
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

/* Index of va in the table at level (1 = L1 ... 4 = L4). */
static inline unsigned pt_index(unsigned long va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static inline unsigned long pte_mfn(pte_t e)
{
    return (e & PTE_MFN_MASK) >> 12;
}

#endif
