/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 PV part of suspend (lifecycle/suspend.c): publishing the P2M for
 * the save side and the suspend hypercall itself.
 *
 * The P2M (start_info->mfn_list, one xen_pfn_t per pfn) is found by the
 * tools through shared_info->arch (arch-x86/xen.h, struct arch_shared_info):
 * max_pfn entries, reached through pfn_to_mfn_frame_list_list, the mfn of a
 * page of mfns of pages ("frame lists") of mfns of the P2M's own pages. We
 * do not publish a linear P2M (p2m_cr3 = 0), so the tools use the 3-level
 * tree. The save side maps the tree before it asks us to suspend, so it is
 * built at boot; the frames change in a new domain, so it is rebuilt there
 * (as Linux's xen_build_mfn_list_list is, at boot and on resume). The
 * balloon changes P2M entries, never the P2M's own pages.
 */
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <suspend.h>
#include <xen_shared.h>

#define PER_PAGE (PAGE_SIZE / sizeof(xen_pfn_t))

static xen_pfn_t *frame_list_list;      /* one page */
static xen_pfn_t **frame_lists;         /* pages of the middle level */
static unsigned long nr_frame_lists;

void arch_suspend_publish_p2m(void)
{
    unsigned long p2m_pages = (mm_nr_pages + PER_PAGE - 1) / PER_PAGE;
    unsigned long first = virt_to_pfn(phys_to_machine);

    if ((unsigned long)phys_to_machine % PAGE_SIZE)
        panic("suspend: the P2M at %p is not page-aligned", (void *)phys_to_machine);
    if (!frame_list_list) {
        nr_frame_lists = (p2m_pages + PER_PAGE - 1) / PER_PAGE;
        if (nr_frame_lists > PER_PAGE)
            panic("suspend: a P2M of %lu pages needs more than one frame list list", p2m_pages);
        frame_list_list = alloc_pages_or_panic(0);
        frame_lists = alloc_pages_or_panic(0);
        for (unsigned long i = 0; i < nr_frame_lists; i++)
            frame_lists[i] = alloc_pages_or_panic(0);
    }
    for (unsigned long i = 0; i < PER_PAGE; i++)
        frame_list_list[i] = i < nr_frame_lists ? virt_to_mfn(frame_lists[i]) : 0;
    for (unsigned long i = 0; i < nr_frame_lists * PER_PAGE; i++)
        frame_lists[i / PER_PAGE][i % PER_PAGE] = i < p2m_pages ? pfn_to_mfn(first + i) : 0;

    shared_info->arch.max_pfn = mm_nr_pages;
    shared_info->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(frame_list_list);
    shared_info->arch.p2m_cr3 = 0;
}

int arch_suspend(void)
{
    struct sched_shutdown r = { .reason = SHUTDOWN_suspend };

    /* The tools find start_info through the third argument, %rdx (as
     * Linux's HYPERVISOR_suspend says: "the tools require that the
     * start_info mfn be present in rdx/edx when the hypercall is made"). */
    return (int)_hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &r,
                            virt_to_mfn(start_info));
}
