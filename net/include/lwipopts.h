/* SPDX-License-Identifier: MIT */
/*
 * lwIP's configuration for mote (lwIP's src/include/lwip/opt.h lists every
 * option and its default). lwIP runs as an OS port (NO_SYS = 0): its core
 * in the tcpip thread, apps on their own mote threads through the netconn
 * and socket APIs (net/sys_arch.c). IPv4 only. Checksums are made in
 * software; they are checked in software too, except the TCP/UDP ones of
 * frames the backend marked checked (net/ethif.c switches the check off
 * per frame: LWIP_CHECKSUM_CTRL_PER_NETIF).
 */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H

#define NO_SYS                      0
#define SYS_LIGHTWEIGHT_PROT        1
#define LWIP_TCPIP_CORE_LOCKING     1
/* Received frames enter the core in the driver's rx thread under the core
 * lock (net/ethif.c calls ethernet_input so; this makes tcpip_input do the
 * same for any other caller), not through the tcpip thread's mailbox. */
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define LWIP_NETCONN_SEM_PER_THREAD 0

/* Memory: lwIP's heap and pools come from mote's malloc. */
#define MEM_LIBC_MALLOC             1
#define MEMP_MEM_MALLOC             1
#define MEM_ALIGNMENT               8
#define MEM_SIZE                    (1024 * 1024)
#define PBUF_POOL_SIZE              256

#define LWIP_IPV4                   1
#define LWIP_IPV6                   0
#define LWIP_ARP                    1
#define LWIP_ETHERNET               1
#define LWIP_ICMP                   1
#define LWIP_RAW                    1
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1
#define LWIP_DNS                    0
#define LWIP_IGMP                   0
#define LWIP_AUTOIP                 0
#define LWIP_SINGLE_NETIF           0
#define LWIP_NETIF_HOSTNAME         1
#define LWIP_NETIF_STATUS_CALLBACK  1
#define LWIP_NETIF_LINK_CALLBACK    1
/* DHCP checks an offered address with ARP first (RFC 2131 2.2). */
#define DHCP_DOES_ARP_CHECK         1

/* `ping -s 8000` arrives as 6 fragments; 64 KiB datagrams as 45. */
#define IP_REASSEMBLY               1
#define IP_FRAG                     1
#define IP_REASS_MAX_PBUFS          64
#define MEMP_NUM_REASSDATA          8

/* TCP: windows of 32 segments, enough to keep a 1 MiB reply flowing. */
#define TCP_MSS                     1460
#define TCP_WND                     (32 * TCP_MSS)
#define TCP_SND_BUF                 (32 * TCP_MSS)
#define TCP_SND_QUEUELEN            (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ             1
#define LWIP_TCP_SACK_OUT           0
#define MEMP_NUM_TCP_PCB            64
#define MEMP_NUM_TCP_PCB_LISTEN     8
#define MEMP_NUM_TCP_SEG            512
#define MEMP_NUM_UDP_PCB            16
#define MEMP_NUM_NETCONN            96
#define MEMP_NUM_NETBUF             64
#define MEMP_NUM_TCPIP_MSG_INPKT    256
#define MEMP_NUM_SYS_TIMEOUT        (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)

/* Threads and mailboxes (net/sys_arch.c; mote threads have one stack size). */
#define TCPIP_THREAD_NAME           "tcpip"
#define TCPIP_THREAD_STACKSIZE      0
#define TCPIP_THREAD_PRIO           0
#define TCPIP_MBOX_SIZE             512
#define DEFAULT_THREAD_STACKSIZE    0
#define DEFAULT_RAW_RECVMBOX_SIZE   64
#define DEFAULT_UDP_RECVMBOX_SIZE   256
#define DEFAULT_TCP_RECVMBOX_SIZE   64
#define DEFAULT_ACCEPTMBOX_SIZE     32

/* The APIs apps use: netconn and BSD sockets (socket(), bind(), ...). */
#define LWIP_NETCONN                1
#define LWIP_SOCKET                 1
#define LWIP_COMPAT_SOCKETS         1
#define LWIP_POSIX_SOCKETS_IO_NAMES 1
#define LWIP_SO_RCVTIMEO            1
#define LWIP_SO_SNDTIMEO            1
#define LWIP_SO_RCVBUF              1
#define LWIP_SOCKET_SELECT          1
#define LWIP_SOCKET_POLL            1
#define SO_REUSE                    1
#define LWIP_ERRNO_STDINCLUDE       1

#define LWIP_STATS                  1
#define LWIP_STATS_DISPLAY          0

#endif
