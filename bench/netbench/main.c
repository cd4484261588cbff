/* SPDX-License-Identifier: MIT */
/*
 * netbench: the guest side of the network benchmark (bench/net.sh). It
 * brings the network up and runs lwIP's lwiperf, an iperf 2 compatible TCP
 * server on port 5001, for dom0's `iperf -c`; dom0 also pings it for the
 * round-trip times. Each finished iperf test prints
 *     BENCH net_tcp_mote_kbit KBIT kbit/s (BYTES bytes in MS ms)
 * It runs until the domain is told to stop.
 */
#include <lwip/apps/lwiperf.h>
#include <lwip/tcpip.h>
#include <mote/net.h>
#include <printk.h>
#include <thread.h>
#include <timer.h>

static void report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local_addr,
                   u16_t local_port, const ip_addr_t *remote_addr, u16_t remote_port,
                   u32_t bytes, u32_t ms, u32_t kbit)
{
    (void)arg;
    (void)local_addr;
    (void)local_port;
    (void)remote_addr;
    (void)remote_port;
    if (type == LWIPERF_TCP_DONE_SERVER)
        printk("BENCH net_tcp_mote_kbit %u kbit/s (%u bytes in %u ms)\n", (unsigned)kbit,
               (unsigned)bytes, (unsigned)ms);
    else
        printk("netbench: iperf test ended abnormally (%d)\n", (int)type);
}

int main(void)
{
    if (net_start() <= 0) {
        printk("netbench: no network interface\n");
        return 1;
    }
    /* lwiperf is written on lwIP's raw API: it runs in the core's context. */
    LOCK_TCPIP_CORE();
    void *server = lwiperf_start_tcp_server_default(report, NULL);
    UNLOCK_TCPIP_CORE();
    if (!server) {
        printk("netbench: cannot start lwiperf\n");
        return 1;
    }
    printk("netbench: lwiperf listening on port %d\n", LWIPERF_TCP_PORT_DEFAULT);
    for (;;)
        sleep_ns(3600ull * 1000000000ull);
}
