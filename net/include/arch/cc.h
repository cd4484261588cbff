/* SPDX-License-Identifier: MIT */
/*
 * lwIP's compiler and platform definitions for mote (lwIP's
 * src/include/lwip/arch.h says what a port defines here). Included by lwIP
 * and by apps through lwIP's headers, so it uses only the public API
 * (<mote/kernel.h>) and the C library.
 */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#include <stdlib.h>
#include <mote/kernel.h>

/* x86-64 is little-endian; lwIP defines the byte-order macros from this. */
#define BYTE_ORDER LITTLE_ENDIAN

#define LWIP_PLATFORM_DIAG(x) do { printk x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) \
    panic("lwIP assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

#define LWIP_RAND() ((u32_t)rand())

/* The C library has no struct timeval; lwIP's sockets.h defines it. */
#define LWIP_TIMEVAL_PRIVATE 1

/* Debian's lwIP asks the port how to set and read a socket address's
 * length; lwIP's own struct sockaddr has the BSD length byte. */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) ((sin)->sin_len = sizeof(struct sockaddr_in))
#define IPADDR_SOCKADDR_GET_LEN(addr) ((addr)->sa.sa_len)

#endif
