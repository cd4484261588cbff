/* SPDX-License-Identifier: MIT */
/*
 * The initial FPU/SSE state of a thread (include/arch/fpu.h). The FXSAVE
 * layout (Intel SDM vol. 1, table 10-2): FCW at byte 0, the abridged tag
 * word at byte 4 (0: every x87 register empty), MXCSR at byte 24.
 */
#include <arch/fpu.h>
#include <string.h>

#define FXSAVE_FCW   0
#define FXSAVE_MXCSR 24

void arch_fpu_init(struct fpu_state *s)
{
    uint16_t fcw = FPU_FCW_DEFAULT;
    uint32_t mxcsr = FPU_MXCSR_DEFAULT;

    memset(s, 0, sizeof(*s));
    memcpy(s->image + FXSAVE_FCW, &fcw, sizeof(fcw));
    memcpy(s->image + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}
