/* SPDX-License-Identifier: MIT */
/*
 * The %fs segment base: a C library's thread pointer (TLS variant II,
 * musl's __set_thread_area). mote itself never uses %fs (per-vCPU data is
 * in %gs), so it is a thread's own register, loaded when the thread runs.
 * A PV guest cannot use wrmsr or wrfsbase (CR4.FSGSBASE belongs to Xen), so
 * it asks Xen: HYPERVISOR_set_segment_base(SEGBASE_FS, base)
 * (public/arch-x86/xen-x86_64.h).
 */
#ifndef ARCH_FS_BASE_H
#define ARCH_FS_BASE_H

#include <arch/hypercall.h>
#include <stdint.h>

/* 0, or Xen's error (-EINVAL for a non-canonical base). */
static inline long arch_set_fs_base(uint64_t base)
{
    return HYPERVISOR_set_segment_base(SEGBASE_FS, base);
}

#endif
