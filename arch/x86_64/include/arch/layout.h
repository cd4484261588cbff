/* SPDX-License-Identifier: MIT */
/*
 * Virtual memory layout of mote on x86-64 PV.
 *
 * The kernel is linked in the top 2 GiB of the address space (like Linux's
 * __START_KERNEL_map) so it can use -mcmodel=kernel. Xen's domain builder maps
 * the image, the start_info page, the P2M list, the initial page tables and a
 * bootstrap stack contiguously from VIRT_BASE (xen.h, "Start-of-day memory
 * layout"). That region cannot grow to hold a large domain, so every page of
 * the domain is also mapped once more, in pfn order, in the direct map.
 *
 *   0x0000000000000000  unmapped: a NULL dereference faults
 *   ...
 *   0xffff800000000000  Xen (HYPERVISOR_VIRT_START..END, xen-x86_64.h);
 *                       read-only to us: the M2P table at MACH2PHYS_VIRT_START
 *   0xffff880000000000  end of Xen's reserved range
 *   0xffff888000000000  DIRECTMAP_BASE: pfn N at DIRECTMAP_BASE + N * 4 KiB,
 *                       never executable; page-table pages and the image's
 *                       text/rodata read-only; up to 512 GiB (one L4 slot)
 *   0xffffc90000000000  FOREIGN_MAP_BASE: FOREIGN_MAP_PAGES slots for frames
 *                       we do not own as pfns (shared info, other domains'
 *                       pages), see map_foreign_page() in include/mm.h
 *   0xffffffff80000000  VIRT_BASE: Xen's boot mapping = pfns 0..N-1; the image
 *                       (.text RX, .rodata R, .data/.bss RW NX), then the P2M
 *                       list, start_info, boot page tables (read-only) and
 *                       Xen's bootstrap stack (NX); the rest, up to the 4 MiB
 *                       boundary Xen rounded to, is unmapped by mm_init
 *
 * The same addresses as Linux uses for its direct map and vmalloc area, so a
 * reader who knows Linux recognises them.
 *
 * Used from both C and assembly.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define VIRT_BASE       0xffffffff80000000
#define PAGE_SHIFT      12
#define PAGE_SIZE       (1 << PAGE_SHIFT)

#define DIRECTMAP_BASE  0xffff888000000000
#define DIRECTMAP_SIZE  0x0000008000000000      /* 512 GiB: one L4 entry */

#define FOREIGN_MAP_BASE  0xffffc90000000000
#define FOREIGN_MAP_PAGES 512                   /* one L1 table */

#endif
