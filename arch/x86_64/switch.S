/* SPDX-License-Identifier: MIT */
/*
 * Thread context switch (kernel/thread.c).
 *
 * arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp,
 * unsigned long load_limit): saves the callee-saved registers (SysV ABI:
 * %rbx, %rbp, %r12-%r15) on the current stack, stores %rsp in *save_rsp,
 * switches to load_rsp and pops the next thread's registers, then returns
 * into that thread. Everything else is caller-saved, so the C caller has
 * already saved what it needs. The stack overflow check's limit
 * (arch/stack_check.h) changes in the same instructions as %rsp: C code run
 * on one thread's stack with the other's limit could see a false overflow.
 * A musl image stores nothing: its %fs is the C library's thread pointer,
 * and its kernel is built without the check (MOTE_POSIX, mk/musl.mk).
 *
 * A new thread's stack (arch_thread_stack_init) is laid out as if it had
 * called arch_context_switch, returning into arch_thread_start:
 *
 *        | (top of stack)     |
 *        | arch_thread_start  |  <- `ret` goes here
 *        | rbx = 0            |
 *        | rbp = 0            |  ends frame-pointer backtraces
 *        | r12 = thread       |
 *        | r13 .. r15 = 0     |  <- initial saved %rsp
 */
#include <arch/stack_check.h>

        .text
        .globl  arch_context_switch
        .type   arch_context_switch, @function
arch_context_switch:
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
#ifndef MOTE_POSIX
        mov     %rdx, %fs:STACK_CHECK_FS_LIMIT
#endif
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        ret
        .size   arch_context_switch, . - arch_context_switch

/* First code of every new thread: thread_start(thread) in C, never returns. */
        .globl  arch_thread_start
        .type   arch_thread_start, @function
arch_thread_start:
        mov     %r12, %rdi
        call    thread_start
        ud2
        .size   arch_thread_start, . - arch_thread_start
