/* SPDX-License-Identifier: MIT */
/*
 * The hypercall page: Xen writes one 32-byte stub per hypercall here at domain
 * build time (XEN_ELFNOTE_HYPERCALL_PAGE). Hypercall N is `call
 * hypercall_page + N * 32` with arguments in %rdi, %rsi, %rdx, %r10, %r8
 * (arch-x86/xen-x86_64.h) and the result in %rax.
 *
 * The page is pre-filled with ud2 so that, if Xen did not fill it, the first
 * hypercall faults visibly (a #UD report naming hypercall_page) instead of
 * running zeroes. XTF pre-fills its page with ret instead, which makes such a
 * call return whatever was in %rax; a fault says more.
 */
#include <arch/layout.h>

        .section .text.hypercall_page, "ax", @progbits
        .balign PAGE_SIZE
        .globl  hypercall_page
        .type   hypercall_page, @object
hypercall_page:
        .rept   PAGE_SIZE / 2
        ud2
        .endr
        .size   hypercall_page, PAGE_SIZE
