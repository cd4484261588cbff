/* SPDX-License-Identifier: MIT */
/*
 * x86 port I/O for a PV domain.
 *
 * A PV kernel runs at CPL 3, so `out` traps into Xen, which emulates it if the
 * domain may use the port and its virtual I/O privilege level allows it
 * (PHYSDEVOP_set_iopl, xen/physdev.h). Only the initial domain owns ports.
 */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <stdbool.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
    asm volatile ("outb %0, %1" :: "a" (value), "Nd" (port));
}

/* Raises the virtual IOPL so the kernel's port I/O is allowed; false if Xen refuses. */
bool arch_ioport_enable(void);

#endif
