/* SPDX-License-Identifier: MIT */
/*
 * The hypercall page: Xen writes one 32-byte stub per hypercall here at domain
 * build time (XEN_ELFNOTE_HYPERCALL_PAGE). Hypercall N is `call
 * hypercall_page + N * 32` with arguments in %rdi, %rsi, %rdx, %r10, %r8
 * (arch-x86/xen-x86_64.h) and the result in %rax.
 *
 * The page takes no room in the image file: it is @nobits, placed last in the
 * text segment (linker.ld), so the domain builder zero-fills it before Xen
 * writes the stubs. If Xen did not fill it, _start (head.S) stops on a ud2
 * before the first hypercall instead of running zeroes. XTF pre-fills its
 * page with ret instead, which makes such a call return whatever was in %rax;
 * a fault says more.
 */
#include <arch/layout.h>

        /* Page aligned by linker.ld (which checks it), not here: a section
         * aligned to a page would align the text segment's file offset too. */
        .section .hypercall_page, "ax", @nobits
        .globl  hypercall_page
        .type   hypercall_page, @object
hypercall_page:
        .skip   PAGE_SIZE
        .size   hypercall_page, PAGE_SIZE
