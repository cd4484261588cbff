/*
 * TEMPORARY: maps the shared info page for the #PF report until the event
 * channel code (kernel/events.c, events_init) is on main. The report needs
 * vcpu_info.arch.cr2 (arch-x86/xen-x86_64.h), which lives in the shared info
 * page (xen.h, struct shared_info).
 *
 * shared_info and vcpu are defined weak here, so events.c's definitions win
 * when both are linked, and traps_vcpu_info() then just returns vcpu. When
 * events land: delete this file and call sites use `vcpu` directly.
 */
#include <arch/hypercall.h>
#include <arch/layout.h>
#include <kernel.h>
#include <stddef.h>
#include <xen_shared.h>

__attribute__((weak)) shared_info_t *shared_info;
__attribute__((weak)) vcpu_info_t *vcpu;

/* The page whose mapping is replaced by the shared info frame. */
static char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* x86 PTE bits (Intel SDM vol. 3, 4.5): present, writable, accessed, dirty.
 * Xen adds the user bit itself for a 64-bit PV kernel's mappings. */
#define PTE_KERNEL_RW 0x63

vcpu_info_t *traps_vcpu_info(void)
{
    if (vcpu)
        return vcpu;
    /* start_info.shared_info is the page's machine address (xen.h). */
    if (HYPERVISOR_update_va_mapping((unsigned long)shared_info_page,
                                     start_info->shared_info | PTE_KERNEL_RW, UVMF_INVLPG))
        return NULL;
    shared_info = (shared_info_t *)shared_info_page;
    vcpu = &shared_info->vcpu_info[0];
    return vcpu;
}
