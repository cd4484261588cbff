/* SPDX-License-Identifier: MIT */
/*
 * The ways between mote and its processes in user mode (kernel/user.c):
 * the syscall callback, the first entry into user mode and the way back
 * to the kernel thread that started it.
 *
 * On 64-bit PV the guest kernel and user mode both run at CPL 3; Xen tells
 * them apart and switches page tables between the kernel's and the
 * process's user table (MMUEXT_NEW_USER_BASEPTR, arch/x86_64/user_mm.c).
 * Every entry from user mode lands on the kernel stack given with
 * HYPERVISOR_stack_switch, with the frame of arch/x86_64/include/arch/
 * entry.h: a `syscall` instruction here (Xen bounces it to the
 * CALLBACKTYPE_syscall address, callback.h), exceptions in traps.S and
 * events in upcall.S. Every return to user mode goes through
 * HYPERVISOR_iret: a direct iretq cannot switch page tables.
 *
 * The kernel stack of a process is the stack of the thread that runs it,
 * below the frame of arch_user_run:
 *
 *        | caller of arch_user_run   |
 *        | return address, rbx rbp   |
 *        | r12 r13 r14 r15           |  <- kernel_sp: stack_switch points here
 *        | Xen's frame of each entry |
 *        | from user mode, the C     |
 *        | handler below it          |
 *
 * so that arch_user_leave, from any handler, can drop everything below
 * kernel_sp and return from arch_user_run in the thread (as xv6's
 * swtch back to the scheduler, in one step).
 */
#include <arch/entry.h>
#include <arch/regs.h>

        .text
/*
 * A `syscall` in user mode. Xen's frame is the bounce frame of entry.h
 * without an error code: %rcx and %r11 (the return RIP and RFLAGS the
 * instruction put there) on top of an iret frame whose rip, rflags and
 * rsp are the user's. Registered with CALLBACKF_mask_events: delivery is
 * masked until do_user_syscall has the frame. The number is in %rax, the
 * arguments in %rdi %rsi %rdx %r10 %r8 %r9 (Linux's x86-64 ABI); the
 * result goes back in %rax. VGCF_in_syscall tells Xen that %rcx and %r11
 * need no restoring, as after a sysret (xen-x86_64.h, HYPERVISOR_iret).
 */
        .globl  syscall_callback
        .type   syscall_callback, @function
syscall_callback:
        ENTRY_FROM_XEN USER_SYSCALL_VECTOR
        cld
        mov     %rsp, %rdi              /* arg0: struct cpu_regs * */
        /* C wants a 16-byte aligned stack; %rbx is restored from the frame. */
        mov     %rsp, %rbx
        and     $~0xf, %rsp
        call    do_user_syscall
        mov     %rbx, %rsp
        RESTORE_ALL
        add     $16, %rsp               /* vector, error code */
        pushq   $VGCF_in_syscall        /* iret_context.flags */
        jmp     hypercall_page + __HYPERVISOR_iret * 32
        .size   syscall_callback, . - syscall_callback

/*
 * long arch_user_run(const struct cpu_regs *user, uint64_t *kernel_sp):
 * enters user mode with the registers in *user (cs FLAT_USER_CS: RPL 3
 * makes Xen's iret switch to the user page table), after pointing the
 * vCPU's kernel stack (HYPERVISOR_stack_switch) just below its own saved
 * registers, whose address it stores in *kernel_sp. Returns the value
 * given to arch_user_leave.
 */
        .globl  arch_user_run
        .type   arch_user_run, @function
arch_user_run:
        PUSH_CALLEE_SAVED
        mov     %rsp, (%rsi)
        mov     %rdi, %r12
        mov     $FLAT_KERNEL_SS, %edi
        mov     %rsp, %rsi
        call    hypercall_page + __HYPERVISOR_stack_switch * 32
        test    %rax, %rax
        jnz     2f
        /* The user's frame, copied below kernel_sp: XEN_IRET pops it. */
        sub     $CPU_REGS_SIZE, %rsp
        mov     %rsp, %rdi
        mov     %r12, %rsi
        mov     $(CPU_REGS_SIZE / 8), %ecx
        rep movsq
        XEN_IRET
2:      mov     %rax, %rdi
        call    user_stack_switch_failed
        ud2
        .size   arch_user_run, . - arch_user_run

/*
 * void arch_user_leave(uint64_t kernel_sp, long value): back into the
 * thread, returning value from the arch_user_run that stored kernel_sp.
 * Whatever ran below kernel_sp (a handler, Xen's frame) is dropped.
 */
        .globl  arch_user_leave
        .type   arch_user_leave, @function
arch_user_leave:
        mov     %rdi, %rsp
        mov     %rsi, %rax
        POP_CALLEE_SAVED
        ret
        .size   arch_user_leave, . - arch_user_leave
