/* SPDX-License-Identifier: MIT */
/*
 * netecho: echoes UDP datagrams and TCP streams on port 7 (RFC 862) until
 * the domain is told to stop (`xl shutdown`). The boot tests drive it
 * (tests/boot/net.sh); keep this interface:
 *
 *   netecho            prints "netecho: listening on port 7 (udp, tcp)"
 *                      once both sockets are ready; a TCP connection
 *                      that ends prints "netecho: tcp connection closed
 *                      after N bytes". While frames are being dropped
 *                      it prints, at most once a second,
 *                      "netecho: eth0 rx N packets, N dropped, N refused"
 *                      (<mote/net.h> net_stats).
 *
 * Each TCP connection gets its own thread, so clients are served at once.
 */
#include <mote.h>
#include <mote/net.h>
#include <lwip/sockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT 7

static int udp_echo(void *arg)
{
    int s = (int)(long)arg;
    static char buf[65536];

    for (;;) {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        int n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) {
            printk("netecho: udp recvfrom: %s\n", strerror(errno));
            return 1;
        }
        if (sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen) < 0)
            printk("netecho: udp sendto: %s\n", strerror(errno));
    }
}

static int tcp_echo(void *arg)
{
    int c = (int)(long)arg;
    char *buf = malloc(16384);
    unsigned long total = 0;

    for (int n; buf && (n = recv(c, buf, 16384, 0)) > 0;) {
        for (int off = 0; off < n;) {
            int w = send(c, buf + off, (size_t)(n - off), 0);
            if (w <= 0)
                goto out;
            off += w;
        }
        total += (unsigned long)n;
    }
out:
    printk("netecho: tcp connection closed after %lu bytes\n", total);
    free(buf);
    close(c);
    return 0;
}

/* Reports eth0's counters once a second while its drops change. */
static int report_drops(void *arg)
{
    unsigned long last = 0;

    (void)arg;
    for (;;) {
        struct net_stats st;
        sleep_ns(NSEC_PER_SEC);
        if (net_stats(0, &st) == 0 && st.rx_dropped + st.rx_refused != last) {
            last = st.rx_dropped + st.rx_refused;
            printk("netecho: eth0 rx %lu packets, %lu dropped, %lu refused\n", st.rx_packets,
                   st.rx_dropped, st.rx_refused);
        }
    }
    return 0;
}

static int open_socket(int type)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
    int s = socket(AF_INET, type, 0);

    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        printk("netecho: cannot bind %s port %d: %s\n", type == SOCK_DGRAM ? "udp" : "tcp",
               PORT, strerror(errno));
        exit(1);
    }
    return s;
}

int main(void)
{
    if (net_start() <= 0) {
        printk("netecho: no network interface\n");
        return 1;
    }
    int u = open_socket(SOCK_DGRAM);
    int t = open_socket(SOCK_STREAM);
    if (listen(t, 16) < 0) {
        printk("netecho: listen: %s\n", strerror(errno));
        return 1;
    }
    thread_create("udp-echo", udp_echo, (void *)(long)u);
    thread_create("drops", report_drops, NULL);
    printk("netecho: listening on port %d (udp, tcp)\n", PORT);
    for (;;) {
        int c = accept(t, NULL, NULL);
        if (c < 0) {
            printk("netecho: accept: %s\n", strerror(errno));
            continue;
        }
        if (!thread_create("tcp-echo", tcp_echo, (void *)(long)c))
            close(c);
    }
}
