/* SPDX-License-Identifier: MIT */
/*
 * Thread context switching (arch/x86_64/switch.S): the frame drawing is there.
 */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <stdint.h>

void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp, unsigned long load_limit);
extern char arch_thread_start[];

/* Builds a new thread's first frame below `stack_top` (16-byte aligned) so
 * that switching to the returned %rsp calls thread_start(arg). The `ret`
 * leaves %rsp at stack_top, so thread_start is entered with %rsp + 8
 * 16-byte aligned, as the SysV ABI requires. */
static inline uint64_t arch_thread_stack_init(void *stack_top, void *arg)
{
    uint64_t *sp = stack_top;

    *--sp = (uint64_t)arch_thread_start;
    *--sp = 0;                          /* rbx */
    *--sp = 0;                          /* rbp */
    *--sp = (uint64_t)arg;              /* r12 */
    *--sp = 0;                          /* r13 */
    *--sp = 0;                          /* r14 */
    *--sp = 0;                          /* r15 */
    return (uint64_t)sp;
}

#endif
