/* SPDX-License-Identifier: MIT */
/*
 * CPUID for the few processor features mote checks. A PV guest may run
 * CPUID directly (Xen filters it with CPUID faulting where the hardware has
 * it, else the guest sees the host's bits); feature bits that the hardware
 * lacks are clear either way.
 */
#ifndef ARCH_CPUID_H
#define ARCH_CPUID_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    struct cpuid_regs r;

    asm volatile ("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                  : "a"(leaf), "c"(0));
    return r;
}

/* The no-execute page bit (Intel SDM vol. 2, CPUID leaf 0x80000001, EDX
 * bit 20, "Execute Disable Bit available"). */
static inline bool cpu_has_nx(void)
{
    if (cpuid(0x80000000).eax < 0x80000001)
        return false;
    return cpuid(0x80000001).edx & (1u << 20);
}

#endif
