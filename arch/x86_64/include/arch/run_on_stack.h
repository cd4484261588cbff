/* SPDX-License-Identifier: MIT */
/*
 * Calling a function that never returns on another stack (posix/start.c:
 * an application's main on a stack of its size).
 */
#ifndef ARCH_RUN_ON_STACK_H
#define ARCH_RUN_ON_STACK_H

/* Calls fn(argc, argv) with %rsp at top (16-byte aligned, as the SysV ABI
 * wants before a call; the call pushes the return address). %rbp still
 * points into the caller's frames, so a backtrace can go on into them. */
__attribute__((noreturn)) static inline void arch_run_on_stack(void *top,
                                                              int (*fn)(int, char **),
                                                              int argc, char **argv)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "call *%1"
                     : : "r"(top), "r"(fn), "D"(argc), "S"(argv) : "memory");
    __builtin_unreachable();
}

#endif
