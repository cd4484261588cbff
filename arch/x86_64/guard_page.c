/* SPDX-License-Identifier: MIT */
/*
 * Guard pages in the direct map: a page of a stack allocation is unmapped so
 * that running off the end of the stack faults at once (#PF, reported by the
 * trap handlers) instead of overwriting the next allocation.
 *
 * update_va_mapping (xen.h) replaces the one L1 entry for the address and
 * flushes it from the TLB (UVMF_INVLPG): an entry of 0 is "not present".
 */
#include <arch/guard_page.h>
#include <arch/mm.h>
#include <arch/pgtable.h>
#include <hypercall.h>
#include <printk.h>

void arch_guard_page(void *va)
{
    if (xen_call(update_va_mapping, (unsigned long)va, 0, UVMF_INVLPG))
        panic("cannot unmap guard page %p", va);
}

void arch_unguard_page(void *va)
{
    /* Back to what the direct map has for every ordinary page. */
    pte_t pte = ((uint64_t)pfn_to_mfn(virt_to_pfn(va)) << PAGE_SHIFT) | PTE_KERNEL_RW;

    if (xen_call(update_va_mapping, (unsigned long)va, pte, UVMF_INVLPG))
        panic("cannot remap guard page %p", va);
}
