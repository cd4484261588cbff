/* SPDX-License-Identifier: MIT */
/*
 * The stack overflow check's assembly (arch/stack_check.h has the why):
 * the boot vCPU's limit and emergency stack, pointing its %fs at them, and
 * __morestack, which every C function's split-stack prologue calls when its
 * frame would cross the limit.
 */
#include <arch/entry.h>
#include <arch/layout.h>
#include <arch/regs.h>
#include <arch/stack_check.h>
#include <arch/traps.h>

/*
 * Called by head.S on the boot stack before any C code: every C function
 * reads %fs:0x70, and Xen starts a PV guest with a %fs base of 0.
 * HYPERVISOR_set_segment_base(SEGBASE_FS, base) (xen-x86_64.h) sets it for
 * this vCPU; Xen keeps it across vCPU switches and in a saved domain
 * (vcpu_guest_context.fs_base). Keeps %rsi (the start_info pointer); a
 * failure stops here, as nothing can be printed yet.
 */
        .text
        .globl  stack_check_boot_init
        .type   stack_check_boot_init, @function
stack_check_boot_init:
        push    %rsi
        mov     $SEGBASE_FS, %edi
        lea     boot_stack_check - STACK_CHECK_FS_LIMIT(%rip), %rsi
        call    hypercall_page + __HYPERVISOR_set_segment_base * 32
        test    %rax, %rax
        jz      1f
        ud2
1:      pop     %rsi
        ret
        .size   stack_check_boot_init, . - stack_check_boot_init

/*
 * __morestack: a C function found that its frame of %r10 bytes would go
 * below this vCPU's limit. On entry (GCC's split-stack calling sequence):
 *
 *        | the function's return address |  <- the function's entry %rsp
 *        | return into its prologue      |  <- %rsp
 *
 * Builds a struct cpu_regs here (there is STACK_CHECK_MARGIN of room) as if
 * the function had trapped in its prologue, with the frame size wanted as
 * the error code, then moves to the emergency stack, lifts the limit (the
 * report's own functions are checked too) and calls
 * do_stack_overflow(regs), which never returns.
 */
        .globl  __morestack
        .type   __morestack, @function
__morestack:
        sub     $5 * 8, %rsp            /* the iret frame's five words */
        push    %r10                    /* error code: the frame wanted */
        pushq   $STACK_OVERFLOW_VECTOR
        SAVE_ALL
        mov     CPU_REGS_SS + 8(%rsp), %rax
        mov     %rax, CPU_REGS_RIP(%rsp)
        lea     CPU_REGS_SS + 16(%rsp), %rax
        mov     %rax, CPU_REGS_RSP(%rsp)
        /* As Xen's frames show kernel mode: RPL 0 (create_bounce_frame,
         * "Indicate kernel context to guest"), though mote runs at CPL 3. */
        mov     %cs, %eax
        and     $~3, %eax
        mov     %rax, CPU_REGS_CS(%rsp)
        mov     %ss, %eax
        mov     %rax, CPU_REGS_SS(%rsp)
        pushfq
        pop     CPU_REGS_RFLAGS(%rsp)
        cld
        mov     %rsp, %rdi
        mov     %fs:STACK_CHECK_FS_EMERGENCY, %rsp
        movq    $0, %fs:STACK_CHECK_FS_LIMIT
        call    do_stack_overflow
        ud2
        .size   __morestack, . - __morestack

/* The boot vCPU's limit (main's stack, linker.ld) and emergency stack. */
        .data
        .balign 16
        .globl  boot_stack_check
boot_stack_check:
        .quad   boot_stack + STACK_CHECK_MARGIN
        .quad   boot_emergency_stack_top

        .bss
        .balign 16
boot_emergency_stack:
        .skip   PAGE_SIZE << EMERGENCY_STACK_ORDER
boot_emergency_stack_top:
