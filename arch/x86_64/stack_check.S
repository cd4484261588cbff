/* SPDX-License-Identifier: MIT */
/*
 * The stack overflow check's assembly (arch/stack_check.h has the why):
 * the boot vCPU's limit and emergency stack, pointing its %fs at them, and
 * __morestack, which every C function's split-stack prologue calls when its
 * frame would cross the limit.
 */
#include <arch/entry.h>
#include <arch/layout.h>
#include <arch/percpu.h>
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
#ifdef MOTE_POSIX
        /* A musl image: %fs:0x70 was only a hint (arch/stack_check.h, "A
         * musl image"); the truth is this vCPU's struct stack_check, kept
         * by arch_context_switch. Overflow if the function's entry %rsp
         * minus its frame is below that limit. */
        neg     %r10
        lea     8(%rsp,%r10), %r10
        mov     %gs:PERCPU_STACK_CHECK, %r11
        cmp     (%r11), %r10
        jae     stack_check_hint_wrong
        neg     %r10
        lea     8(%rsp,%r10), %r10      /* the frame size again */
stack_overflow_report:
#endif
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
#ifndef MOTE_POSIX
        mov     %fs:STACK_CHECK_FS_EMERGENCY, %rsp
#else
        mov     %gs:PERCPU_STACK_CHECK, %rax
        mov     STACK_CHECK_FS_EMERGENCY - STACK_CHECK_FS_LIMIT(%rax), %rsp
        movq    $0, (%rax)
#endif
        movq    $0, %fs:STACK_CHECK_FS_LIMIT
        call    do_stack_overflow
        ud2
        .size   __morestack, . - __morestack

#ifdef MOTE_POSIX
/*
 * The hint at %fs:0x70 said overflow, the vCPU's limit says no: a program
 * thread past pthread_exit (musl wrote the thread's result over the hint),
 * or a thread run with another's %fs. Carry on in the function as if its
 * check had passed: GCC's i386 back end (ix86_expand_split_stack_prologue)
 * puts the function's body right after the 1-byte `ret` that follows the
 * call of __morestack, and in a function with variable arguments first a
 * `lea disp8(%rbp), %r11` meant for libgcc's __morestack frame: the
 * arguments on the caller's stack, which are 8 bytes above the function's
 * entry %rsp, as its no-overflow path computes (`lea 8(%rsp), %r11`).
 * %r10 and %r11 are the calling sequence's scratch registers.
 */
stack_check_hint_wrong:
        pop     %r10                    /* the `ret` after the call */
        inc     %r10
        cmpw    $0x8d4c, (%r10)         /* 4c 8d 5d XX: lea XX(%rbp), %r11 */
        jne     1f
        cmpb    $0x5d, 2(%r10)
        jne     1f
        lea     8(%rsp), %r11
        add     $4, %r10
1:      jmp     *%r10
        .size   stack_check_hint_wrong, . - stack_check_hint_wrong

/*
 * __morestack_allocate_stack_space(size): a split-stack function's
 * variable-length array or alloca of `size` bytes (%rdi) would go below
 * the hint. An overflow if below the vCPU's limit too, reported as
 * __morestack does (the return address into the function as rip). Else
 * the hint was wrong: the C ABI call cannot move its caller's %rsp, so the
 * space comes from malloc, as libgcc's comes from the heap (it is never
 * freed: only a thread past pthread_exit or one made by thread_create from
 * a program thread gets here, and only for such arrays).
 */
        .globl  __morestack_allocate_stack_space
        .type   __morestack_allocate_stack_space, @function
__morestack_allocate_stack_space:
        lea     8(%rsp), %r10
        sub     %rdi, %r10
        mov     %gs:PERCPU_STACK_CHECK, %r11
        cmp     (%r11), %r10
        jae     malloc
        mov     %rdi, %r10
        jmp     stack_overflow_report
        .size   __morestack_allocate_stack_space, . - __morestack_allocate_stack_space
#endif

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
