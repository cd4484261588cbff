/* SPDX-License-Identifier: MIT */
/*
 * Port I/O permission for the kernel (see arch/io.h).
 *
 * PHYSDEVOP_set_iopl sets the vCPU's virtual IOPL. A 64-bit PV kernel runs at
 * CPL 3 but Xen treats guest kernel mode as ring 1 for this check, so IOPL 1
 * lets the kernel, and not applications, use the ports (Linux's dom0 does the
 * same).
 */
#include <arch/io.h>
#include <hypercall.h>

bool arch_ioport_enable(void)
{
    struct physdev_set_iopl set_iopl = { .iopl = 1 };

    return xen_call(physdev_op, PHYSDEVOP_set_iopl, &set_iopl) == 0;
}
