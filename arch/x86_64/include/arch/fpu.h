/* SPDX-License-Identifier: MIT */
/*
 * A thread's FPU and SSE registers (arch/x86_64/fpu.c).
 *
 * Applications use floating point and SSE; the kernel never does (it is
 * built with -mgeneral-regs-only, and so are event handlers). So the
 * registers belong to whichever thread runs, and the scheduler saves the
 * old thread's and loads the new one's at each switch (eager switching with
 * FXSAVE/FXRSTOR: x87 and MMX registers, XMM0-15, MXCSR; Intel SDM vol. 1,
 * 10.5.1). Event upcalls save and restore them too (kernel/events.c):
 * application handlers are built with SSE and may use it. Xen keeps the
 * vCPU's registers across its own switches.
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* The 512-byte FXSAVE image, which must be 16-byte aligned. */
struct fpu_state {
    uint8_t image[512];
} __attribute__((aligned(16)));

/* The control state of a reset: what FNINIT gives (64-bit precision, round
 * to nearest, all x87 exceptions masked) and MXCSR's reset value (all SSE
 * exceptions masked, round to nearest, no FTZ/DAZ). */
#define FPU_FCW_DEFAULT   0x037f
#define FPU_MXCSR_DEFAULT 0x1f80u

/* The state a new thread starts with: what FNINIT and a reset MXCSR give
 * (x87 control word 0x37f, MXCSR 0x1f80: all exceptions masked, round to
 * nearest), every register zero. */
void arch_fpu_init(struct fpu_state *s);

static inline void arch_fpu_save(struct fpu_state *s)
{
    asm volatile("fxsave64 %0" : "=m"(*s));
}

static inline void arch_fpu_restore(const struct fpu_state *s)
{
    asm volatile("fxrstor64 %0" : : "m"(*s));
}

/* After arch_fpu_save, before code that did not choose the interrupted
 * thread's modes (an event handler) uses the FPU: FXSAVE leaves the
 * registers as they were, so its rounding mode, FTZ/DAZ and unmasked
 * exceptions (an #XM in the handler) would carry over. The control state a
 * new thread starts with instead (arch_fpu_init), as Linux's
 * kernel_fpu_begin loads MXCSR_DEFAULT and runs FNINIT. */
static inline void arch_fpu_load_clean_control(void)
{
    const uint32_t mxcsr = FPU_MXCSR_DEFAULT;

    asm volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
}

#endif
