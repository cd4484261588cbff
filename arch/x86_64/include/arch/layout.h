/*
 * Virtual memory layout of mote on x86-64 PV.
 *
 * The kernel is linked in the top 2 GiB of the address space (like Linux's
 * __START_KERNEL_map) so it can use -mcmodel=kernel. Xen's domain builder maps
 * the image, the start_info page, the P2M list, the initial page tables and a
 * bootstrap stack contiguously from VIRT_BASE (xen.h, "Start-of-day memory
 * layout"). Nothing is mapped below it, so a NULL dereference faults.
 *
 * Used from both C and assembly.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define VIRT_BASE       0xffffffff80000000
#define PAGE_SHIFT      12
#define PAGE_SIZE       (1 << PAGE_SHIFT)

/* Boot stack of the first (and only) vCPU. */
#define BOOT_STACK_SIZE (16 * PAGE_SIZE)

#endif
