/* SPDX-License-Identifier: MIT */
/*
 * netcheck: a network client for the test dom0 (Linux), built static on the
 * host and added to each run's initramfs by scripts/qemu-domu, for what
 * busybox's and the stack's clients cannot check byte for byte. The boot
 * tests of the network (tests/boot/net.sh) run it against the guest:
 *
 *   netcheck udp HOST PORT COUNT MAXSIZE
 *       COUNT datagrams of 1 to MAXSIZE bytes (evenly spread) of pseudo-random
 *       contents, one at a time; each must come back equal (a lost one is
 *       sent again, up to 5 tries) ("udp: COUNT echoed, sizes 1-MAXSIZE, R resent").
 *   netcheck tcp HOST PORT BYTES
 *       one connection; sends BYTES pseudo-random bytes while reading the
 *       echo, which must be the same bytes in order ("tcp: BYTES echoed").
 *   netcheck tcphold HOST PORT BYTES [FILE...]
 *       one connection kept open: a tcp echo round of BYTES, then for each
 *       FILE a wait until it exists (up to 600 s; the test saves and
 *       restores the guest meanwhile) and another round on the same
 *       connection, the bytes going on ("tcphold: round N: BYTES echoed on
 *       port LOCALPORT" after each).
 *   netcheck http HOST PORT COUNT PATH
 *       COUNT HTTP/1.1 GET requests for PATH, one after another on one
 *       keep-alive connection; each must be 200 with a body of its
 *       Content-Length ("http: COUNT responses on one connection").
 *   netcheck pattern N
 *       writes N bytes to stdout, byte i being i % 251: what httpd's
 *       /bytes/N must return, for cmp.
 *   netcheck raw IFACE DSTMAC COUNT
 *       sends COUNT hostile frames on IFACE (AF_PACKET): too short, runts
 *       of random bytes, IPv4 with bad header checksums, UDP with bad
 *       checksums, truncated IPv4 and TCP, random bytes up to 9014 (those
 *       beyond IFACE's MTU are refused by Linux and not counted)
 *       ("raw: N frames sent").
 *
 * Exit status 0, or 1 with a message naming what differed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static uint32_t seed = 12345;

static uint8_t next_byte(void)
{
    seed = seed * 1103515245u + 12345u;
    return (uint8_t)(seed >> 16);
}

static void die(const char *what)
{
    fprintf(stderr, "netcheck: %s: %s\n", what, strerror(errno));
    exit(1);
}

static struct sockaddr_in addr_of(const char *host, const char *port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)) };

    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        fprintf(stderr, "netcheck: bad address %s\n", host);
        exit(1);
    }
    return a;
}

static int udp(const char *host, const char *port, long count, long maxsize)
{
    struct sockaddr_in a = addr_of(host, port);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    static uint8_t out[65536], in[65536];
    struct timeval tv = { .tv_sec = 1 };
    long resent = 0;

    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("udp socket");
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (long i = 0; i < count; i++) {
        /* From 1 byte to maxsize, evenly spread. */
        size_t size = count > 1 ? 1 + (size_t)(i * (maxsize - 1) / (count - 1)) : (size_t)maxsize;
        for (size_t k = 0; k < size; k++)
            out[k] = next_byte();
        out[0] = (uint8_t)i;   /* tells a late echo of the one before apart */
        int tries = 0;
        for (;;) {
            if (send(s, out, size, 0) != (ssize_t)size)
                die("udp send");
            /* Late echoes of an earlier try are skipped. */
            ssize_t n;
            while ((n = recv(s, in, sizeof(in), 0)) >= 0 &&
                   !((size_t)n == size && !memcmp(in, out, size)))
                ;
            if (n >= 0)
                break;
            if (++tries == 5) {
                fprintf(stderr, "netcheck: udp message %ld (%zu bytes): no equal echo in 5 tries\n",
                        i, size);
                return 1;
            }
            resent++;
        }
    }
    printf("udp: %ld echoed, sizes 1-%ld, %ld resent\n", count, maxsize, resent);
    return 0;
}

/* Sends `bytes` pseudo-random bytes on s while reading the echo, which must
 * be the same bytes in order; the generators go on from *send_seed and
 * *recv_seed. A stall of `stall_ms` without progress fails. */
static int echo_stream(int s, long bytes, uint32_t *send_seed, uint32_t *recv_seed, int stall_ms)
{
    long sent = 0, got = 0;
    uint8_t buf[65536];

    while (got < bytes) {
        struct pollfd p = { .fd = s, .events = POLLIN | (sent < bytes ? POLLOUT : 0) };
        if (poll(&p, 1, stall_ms) <= 0) {
            fprintf(stderr, "netcheck: tcp stalled at %ld sent, %ld echoed\n", sent, got);
            return 1;
        }
        if ((p.revents & POLLOUT) && sent < bytes) {
            size_t n = bytes - sent < (long)sizeof(buf) ? (size_t)(bytes - sent) : sizeof(buf);
            seed = *send_seed;
            for (size_t k = 0; k < n; k++)
                buf[k] = next_byte();
            ssize_t w = send(s, buf, n, MSG_DONTWAIT);
            if (w < 0 && errno != EAGAIN)
                die("tcp send");
            /* Rewind the generator to what was really sent. */
            seed = *send_seed;
            for (ssize_t k = 0; k < w; k++)
                next_byte();
            *send_seed = seed;
            if (w > 0)
                sent += w;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
            if (n == 0) {
                fprintf(stderr, "netcheck: tcp closed by the guest after %ld echoed bytes\n", got);
                return 1;
            }
            if (n < 0 && errno != EAGAIN)
                die("tcp recv");
            seed = *recv_seed;
            for (ssize_t k = 0; k < n; k++) {
                if (buf[k] != next_byte()) {
                    fprintf(stderr, "netcheck: tcp byte %ld differs\n", got + k);
                    return 1;
                }
            }
            *recv_seed = seed;
            if (n > 0)
                got += n;
        }
    }
    return 0;
}

static int tcp_connect(const char *host, const char *port)
{
    struct sockaddr_in a = addr_of(host, port);
    int s = socket(AF_INET, SOCK_STREAM, 0);

    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("tcp connect");
    return s;
}

static int tcp(const char *host, const char *port, long bytes)
{
    int s = tcp_connect(host, port);
    uint32_t send_seed = seed, recv_seed = seed;

    if (echo_stream(s, bytes, &send_seed, &recv_seed, 10000))
        return 1;
    close(s);
    printf("tcp: %ld echoed\n", bytes);
    return 0;
}

/* One connection, kept open: an echo round of `bytes`, then for each file a
 * wait (up to 600 s) until it exists and another round; the byte stream
 * goes on across rounds. */
static int tcphold(const char *host, const char *port, long bytes, int nfiles, char **files)
{
    int s = tcp_connect(host, port);
    uint32_t send_seed = seed, recv_seed = seed;
    struct sockaddr_in local;
    socklen_t len = sizeof(local);

    if (getsockname(s, (struct sockaddr *)&local, &len) < 0)
        die("getsockname");
    for (int round = 0; round <= nfiles; round++) {
        if (round > 0) {
            int tries = 6000;
            while (access(files[round - 1], F_OK) != 0) {
                if (--tries == 0) {
                    fprintf(stderr, "netcheck: %s never appeared\n", files[round - 1]);
                    return 1;
                }
                usleep(100000);
            }
        }
        /* After a restore dom0's retransmissions may have backed off. */
        if (echo_stream(s, bytes, &send_seed, &recv_seed, 60000))
            return 1;
        printf("tcphold: round %d: %ld echoed on port %u\n", round + 1, bytes,
               ntohs(local.sin_port));
        fflush(stdout);
    }
    close(s);
    return 0;
}

/* Reads up to and including "\r\n\r\n" into hdr; the rest stays in *extra. */
static int http(const char *host, const char *port, long count, const char *path)
{
    struct sockaddr_in a = addr_of(host, port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    char req[256], buf[65536];
    size_t have = 0;
    struct timeval tv = { .tv_sec = 10 };

    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
        die("http connect");
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host);
    for (long i = 0; i < count; i++) {
        if (send(s, req, (size_t)len, 0) != len)
            die("http send");
        char *end;
        while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
            ssize_t n = recv(s, buf + have, sizeof(buf) - have, 0);
            if (n <= 0) {
                fprintf(stderr, "netcheck: http response %ld: connection %s\n", i,
                        n == 0 ? "closed" : "failed");
                return 1;
            }
            have += (size_t)n;
        }
        size_t hdr = (size_t)(end + 4 - buf);
        if (strncmp(buf, "HTTP/1.1 200 ", 13)) {
            fprintf(stderr, "netcheck: http response %ld: %.*s\n", i, 20, buf);
            return 1;
        }
        char *cl = memmem(buf, hdr, "Content-Length: ", 16);
        if (!cl) {
            fprintf(stderr, "netcheck: http response %ld has no Content-Length\n", i);
            return 1;
        }
        size_t body = strtoul(cl + 16, NULL, 10), need = hdr + body;
        while (have < need) {
            size_t room = sizeof(buf) - have;
            if (room == 0) {   /* a large body: keep only what is still needed */
                need -= have;
                have = 0;
                hdr = 0;
                room = sizeof(buf);
            }
            ssize_t n = recv(s, buf + have, room, 0);
            if (n <= 0) {
                fprintf(stderr, "netcheck: http response %ld: body cut short\n", i);
                return 1;
            }
            have += (size_t)n;
        }
        memmove(buf, buf + need, have - need);
        have -= need;
    }
    close(s);
    printf("http: %ld responses on one connection\n", count);
    return 0;
}

static int raw(const char *ifname, const char *dstmac, long count)
{
    int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = 6 };
    static uint8_t f[9014];
    uint8_t dst[6];
    long sent = 0;
    unsigned int m[6];

    if (s < 0)
        die("packet socket");
    ll.sll_ifindex = (int)if_nametoindex(ifname);
    if (!ll.sll_ifindex || sscanf(dstmac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
        fprintf(stderr, "netcheck: bad interface %s or MAC %s\n", ifname, dstmac);
        return 1;
    }
    for (int k = 0; k < 6; k++)
        dst[k] = (uint8_t)m[k];
    memcpy(ll.sll_addr, dst, 6);
    for (long i = 0; i < count; i++) {
        size_t len;
        for (size_t k = 0; k < sizeof(f); k++)
            f[k] = next_byte();
        memcpy(f, dst, 6);
        f[6] = 0x02;   /* a locally administered source */
        switch (i % 6) {
        case 0:   /* shorter than an Ethernet header */
            len = 1 + (size_t)(i / 6) % 13;
            break;
        case 1:   /* random type and bytes, runt sizes */
            len = 14 + (size_t)(i / 6) % 50;
            break;
        case 2:   /* IPv4, header checksum wrong */
        case 3:   /* IPv4 UDP to port 7, UDP checksum wrong */
        case 4: { /* IPv4 TCP to port 7, total length beyond the frame */
            f[12] = 0x08; f[13] = 0x00;
            uint8_t *ip = f + 14;
            ip[0] = 0x45; ip[1] = 0; ip[6] = 0; ip[7] = 0; ip[8] = 64;
            ip[9] = i % 6 == 4 ? 6 : 17;
            uint8_t src[4] = { 192, 0, 2, 1 }, dip[4] = { 192, 0, 2, 2 };
            memcpy(ip + 12, src, 4);
            memcpy(ip + 16, dip, 4);
            size_t ipl = 20 + 8 + (size_t)(i / 6) % 1000;
            len = 14 + ipl;
            uint16_t tl = (uint16_t)(i % 6 == 4 ? ipl + 500 : ipl);
            ip[2] = (uint8_t)(tl >> 8); ip[3] = (uint8_t)tl;
            ip[10] = ip[11] = 0;
            uint32_t sum = 0;
            for (int k = 0; k < 20; k += 2)
                sum += (uint32_t)(ip[k] << 8 | ip[k + 1]);
            while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
            uint16_t c = (uint16_t)~sum;
            if (i % 6 == 2)
                c ^= 0x5a5a;
            ip[10] = (uint8_t)(c >> 8); ip[11] = (uint8_t)c;
            uint8_t *l4 = ip + 20;
            l4[2] = 0; l4[3] = 7;
            if (i % 6 == 3) {
                l4[4] = (uint8_t)((ipl - 20) >> 8); l4[5] = (uint8_t)(ipl - 20);
                l4[6] = 0xde; l4[7] = 0xad;   /* not the checksum */
            }
            break;
        }
        default:  /* random bytes, some beyond the usual MTU */
            len = 14 + (size_t)(i / 6 * 997) % 9001;
            break;
        }
        if (sendto(s, f, len, 0, (struct sockaddr *)&ll, sizeof(ll)) == (ssize_t)len)
            sent++;
        else if (errno != EMSGSIZE && errno != ENOBUFS && errno != EINVAL)
            die("raw send");
    }
    printf("raw: %ld frames sent\n", sent);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "udp"))
        return udp(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
    if (argc == 5 && !strcmp(argv[1], "tcp"))
        return tcp(argv[2], argv[3], atol(argv[4]));
    if (argc >= 5 && !strcmp(argv[1], "tcphold"))
        return tcphold(argv[2], argv[3], atol(argv[4]), argc - 5, argv + 5);
    if (argc == 6 && !strcmp(argv[1], "http"))
        return http(argv[2], argv[3], atol(argv[4]), argv[5]);
    if (argc == 3 && !strcmp(argv[1], "pattern")) {
        static unsigned char block[251 * 64];
        for (size_t i = 0; i < sizeof(block); i++)
            block[i] = (unsigned char)(i % 251);
        for (long n = atol(argv[2]); n > 0; n -= (long)sizeof(block))
            fwrite(block, 1, n < (long)sizeof(block) ? (size_t)n : sizeof(block), stdout);
        return fflush(stdout) ? 1 : 0;
    }
    if (argc == 5 && !strcmp(argv[1], "raw"))
        return raw(argv[2], argv[3], atol(argv[4]));
    fprintf(stderr, "usage: netcheck udp HOST PORT COUNT MAXSIZE | tcp HOST PORT BYTES |\n"
                    "       tcphold HOST PORT BYTES [FILE...] |\n"
                    "       http HOST PORT COUNT PATH | pattern N | raw IFACE DSTMAC COUNT\n");
    return 2;
}
