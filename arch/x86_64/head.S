/* SPDX-License-Identifier: MIT */
/*
 * The kernel entry point: the first instruction Xen runs in mote.
 *
 * Xen's PV domain builder enters at XEN_ELFNOTE_ENTRY in 64-bit mode at CPL 3
 * with (xen.h, "Start-of-day memory layout"):
 *   %rsi = virtual address of the start_info page,
 *   %rsp = a bootstrap stack inside the initial mapping,
 *   event delivery masked (vcpu_info.evtchn_upcall_mask = 1).
 * We move to our own stack in .bss (its size is ours to choose, and a guard
 * page can later be placed below it), point %fs at the stack overflow
 * check's limit (arch/x86_64/stack_check.S: every C function reads it),
 * clear %rbp so that frame-pointer backtraces stop here, and call
 * start_kernel(start_info) in C.
 */
#include <arch/layout.h>

        .section .text.head, "ax", @progbits
        .globl  _start
        .type   _start, @function
_start:
        /* The very first thing: the TSC, for the boot-time benchmark
         * (rdtsc leaves %rsi, the start_info pointer, alone). */
        rdtsc
        shl     $32, %rdx
        or      %rdx, %rax
        mov     %rax, boot_entry_tsc(%rip)
        /* Xen writes the hypercall page while building the domain
         * (XEN_ELFNOTE_HYPERCALL_PAGE); the image leaves it zero-filled
         * (hypercall_page.S). Every stub starts with a non-zero opcode, so a
         * zero first byte means it was not written: stop here, visibly,
         * rather than run zeroes at the first hypercall. */
        cmpb    $0, hypercall_page(%rip)
        jne     1f
        ud2
1:      cld
        lea     boot_stack_top(%rip), %rsp
        call    stack_check_boot_init
        xor     %ebp, %ebp
        mov     %rsi, %rdi              /* arg0: start_info_t * */
        call    start_kernel
        /* start_kernel never returns; trap rather than run into garbage. */
        ud2
        .size   _start, . - _start

        .data
        .balign 8
        .globl  boot_entry_tsc
boot_entry_tsc:
        .quad   0

        /* The page below main's stack is the guard page mm_init unmaps, so
         * that an overflow the stack check misses (assembly, which is not
         * checked) faults instead of running into .data. The stack itself
         * follows it, sized by the link (linker.ld: mote_main_stack_size). */
        .section .bss.stack, "aw", @nobits
        .balign PAGE_SIZE
        .globl  boot_stack_guard
boot_stack_guard:
        .skip   PAGE_SIZE
