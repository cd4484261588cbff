/* SPDX-License-Identifier: MIT */
/*
 * loopback: the program of lab loopback (docs/labs/loopback.md). Starts
 * lwIP (dom0 has no vif, so no interface but what lwIP makes itself),
 * binds a UDP socket to 127.0.0.1:7777, sends itself one datagram and
 * waits up to 2 s to receive it, saying what each step returned.
 */
#include <errno.h>
#include <lwip/sockets.h>
#include <mote/net.h>
#include <printk.h>
#include <string.h>

#define PORT 7777
#define MESSAGE "over the loopback"

/* "ok" or the errno's name, for the step's line. */
static const char *outcome(int rc)
{
    return rc < 0 ? strerror(errno) : "ok";
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printk("loopback: net_start: %d vifs\n", net_start());
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in lo = {
        .sin_family = AF_INET, .sin_port = htons(PORT), .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    struct timeval two_seconds = { .tv_sec = 2 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof(two_seconds));
    int rc = bind(s, (struct sockaddr *)&lo, sizeof(lo));
    printk("loopback: bind 127.0.0.1:%d: %s\n", PORT, outcome(rc));
    rc = sendto(s, MESSAGE, strlen(MESSAGE), 0, (struct sockaddr *)&lo, sizeof(lo));
    printk("loopback: sendto 127.0.0.1:%d: %s\n", PORT, outcome(rc));

    char buf[64];
    rc = recv(s, buf, sizeof(buf) - 1, 0);
    if (rc < 0) {
        printk("loopback: recv: %s\n", outcome(rc));
        return 0;
    }
    buf[rc] = '\0';
    printk("loopback: received \"%s\"\n", buf);
    return 0;
}
