/* SPDX-License-Identifier: MIT */
/*
 * netbench: the guest side of the network benchmark (bench/net.sh). It
 * brings the network up and runs lwIP's lwiperf, an iperf 2 compatible TCP
 * server on port 5001, for dom0's `iperf -c` (into mote); dom0 also pings
 * it for the round-trip times. A connection to port 5003 (TRIGGER_PORT)
 * starts lwiperf as a client (out of mote): 10 s to `iperf -s` on port 5001
 * of the host that connected. Each finished iperf test prints
 *     BENCH net_tcp_mote_kbit KBIT kbit/s (BYTES bytes in MS ms)
 *     BENCH net_tcp_out_mote_kbit KBIT kbit/s (BYTES bytes in MS ms)
 * (the second for a client test). It runs until the domain is told to stop.
 */
#include <lwip/apps/lwiperf.h>
#include <lwip/tcp.h>
#include <lwip/tcpip.h>
#include <mote/net.h>
#include <printk.h>
#include <thread.h>
#include <timer.h>

#define TRIGGER_PORT 5003

static void report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local_addr,
                   u16_t local_port, const ip_addr_t *remote_addr, u16_t remote_port,
                   u32_t bytes, u32_t ms, u32_t kbit)
{
    (void)arg;
    (void)local_addr;
    (void)local_port;
    (void)remote_addr;
    (void)remote_port;
    if (type == LWIPERF_TCP_DONE_SERVER || type == LWIPERF_TCP_DONE_CLIENT)
        printk("BENCH net_tcp_%smote_kbit %u kbit/s (%u bytes in %u ms)\n",
               type == LWIPERF_TCP_DONE_CLIENT ? "out_" : "", (unsigned)kbit,
               (unsigned)bytes, (unsigned)ms);
    else
        printk("netbench: iperf test ended abnormally (%d)\n", (int)type);
}

/* A connection to TRIGGER_PORT (core context): closed at once, and an
 * iperf client test started towards whoever made it. */
static err_t trigger_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    ip_addr_t peer = pcb->remote_ip;
    if (tcp_close(pcb) != ERR_OK) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    if (!lwiperf_start_tcp_client_default(&peer, report, NULL))
        printk("netbench: cannot start the lwiperf client\n");
    return ERR_OK;
}

static bool trigger_listen(void)
{
    struct tcp_pcb *pcb = tcp_new();

    if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, TRIGGER_PORT) != ERR_OK)
        return false;
    struct tcp_pcb *listener = tcp_listen(pcb);
    if (!listener)
        return false;
    tcp_accept(listener, trigger_accept);
    return true;
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
    bool trigger = trigger_listen();
    UNLOCK_TCPIP_CORE();
    if (!server || !trigger) {
        printk("netbench: cannot start lwiperf\n");
        return 1;
    }
    printk("netbench: lwiperf listening on port %d\n", LWIPERF_TCP_PORT_DEFAULT);
    for (;;)
        sleep_ns(3600ull * 1000000000ull);
}
