/* SPDX-License-Identifier: MIT */
/*
 * A POSIX sockets program, built against musl (tests/apps/sockets/app.mk)
 * and knowing nothing of mote; tests/boot/sockets.sh runs it as a domU with
 * address 192.0.2.2 next to dom0 (192.0.2.1). Each check prints
 * "sockets: NAME ok" or "sockets: NAME FAILED: why".
 *
 *   1. errors and non-blocking calls that need no peer (Linux's errnos);
 *   2. "sockets: listening": a TCP and a UDP echo server on port 7000,
 *      served by epoll (TCP) and poll (UDP) together, until one TCP
 *      connection has ended and one datagram has been echoed;
 *   3. a non-blocking connect to dom0's listener on 192.0.2.1:7001, waited
 *      for with poll, then select until dom0 closes: what dom0 sent is
 *      printed as "sockets: from dom0: LINE".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT 7000

static int failures;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("sockets: %s ok\n", name);
	} else {
		printf("sockets: %s FAILED: %s (errno %d)\n", name, why, errno);
		failures++;
	}
}

static int fails_with(long rc, int err)
{
	return rc == -1 && errno == err;
}

static struct sockaddr_in addr_of(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static void check_errors(void)
{
	int tcp = socket(AF_INET, SOCK_STREAM, 0);
	check("socket", tcp > 2, "no descriptor above stdio");
	check("socket_af_unix", fails_with(socket(AF_UNIX, SOCK_STREAM, 0), EAFNOSUPPORT), "not EAFNOSUPPORT");
	check("socket_raw", fails_with(socket(AF_INET, SOCK_RAW, 0), ESOCKTNOSUPPORT), "not ESOCKTNOSUPPORT");
	check("socket_protocol", fails_with(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT),
	      "not EPROTONOSUPPORT");
	struct sockaddr_in any = addr_of("0.0.0.0", 0);
	check("bind_ebadf", fails_with(bind(99, (struct sockaddr *)&any, sizeof(any)), EBADF), "not EBADF");
	check("bind_enotsock", fails_with(bind(1, (struct sockaddr *)&any, sizeof(any)), ENOTSOCK),
	      "not ENOTSOCK");
	check("bind_short", fails_with(bind(tcp, (struct sockaddr *)&any, 4), EINVAL), "not EINVAL");
	check("getpeername_enotconn", fails_with(getpeername(tcp, (struct sockaddr *)&any,
	      &(socklen_t){ sizeof(any) }), ENOTCONN), "not ENOTCONN");
	int one = 1, got = 0;
	socklen_t len = sizeof(got);
	check("setsockopt_nodelay", setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "failed");
	check("getsockopt_nodelay", getsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &got, &len) == 0 && got,
	      "not set");
	len = sizeof(got);
	check("getsockopt_type", getsockopt(tcp, SOL_SOCKET, SO_TYPE, &got, &len) == 0 && got == SOCK_STREAM,
	      "not SOCK_STREAM");
	check("setsockopt_unknown", fails_with(setsockopt(tcp, SOL_SOCKET, SO_PEEK_OFF, &one, sizeof(one)),
	      ENOPROTOOPT), "not ENOPROTOOPT");
	check("send_unconnected", fails_with(send(tcp, "x", 1, MSG_NOSIGNAL), ENOTCONN), "not ENOTCONN");
	check("close", close(tcp) == 0 && fails_with(close(tcp), EBADF), "not closed once");
}

/* A listener with SOCK_NONBLOCK: accept says EAGAIN, poll, select and
 * epoll time out with nothing ready. */
static int listener(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = addr_of("0.0.0.0", PORT), name;
	socklen_t len = sizeof(name);

	check("accept_not_listening", fails_with(accept(s, NULL, NULL), EINVAL), "not EINVAL");
	check("reuseaddr", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0, "failed");
	check("bind", bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "failed");
	check("listen", listen(s, 8) == 0, "failed");
	check("getsockname", getsockname(s, (struct sockaddr *)&name, &len) == 0 && len == sizeof(name) &&
	      name.sin_family == AF_INET && ntohs(name.sin_port) == PORT, "wrong name");
	check("flags_nonblock_cloexec", (fcntl(s, F_GETFL) & O_NONBLOCK) && fcntl(s, F_GETFD) == FD_CLOEXEC,
	      "flags not kept");
	check("accept_eagain", fails_with(accept(s, NULL, NULL), EAGAIN), "not EAGAIN");
	struct pollfd p = { .fd = s, .events = POLLIN };
	check("poll_timeout", poll(&p, 1, 30) == 0 && p.revents == 0, "ready with no client");
	fd_set r;
	FD_ZERO(&r);
	FD_SET(s, &r);
	check("select_timeout", select(s + 1, &r, NULL, NULL, &(struct timeval){ 0, 30000 }) == 0 &&
	      !FD_ISSET(s, &r), "ready with no client");
	struct pollfd bad = { .fd = 200, .events = POLLIN };
	check("poll_nval", poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL, "not POLLNVAL");
	FD_ZERO(&r);
	FD_SET(200, &r);
	check("select_ebadf", fails_with(select(201, &r, NULL, NULL, NULL), EBADF), "not EBADF");
	return s;
}

static int udp_socket(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = addr_of("0.0.0.0", PORT);

	check("udp_bind", bind(u, (struct sockaddr *)&a, sizeof(a)) == 0, "failed");
	check("udp_nonblock_recv", fails_with(recv(u, &a, sizeof(a), MSG_DONTWAIT), EAGAIN), "not EAGAIN");
	return u;
}

static int echo_datagram(int u)
{
	char buf[2048];
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	if (n < 0)
		return 0;
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip));
	printf("sockets: udp %zd bytes from %s\n", n, ip);
	return sendto(u, buf, (size_t)n, 0, (struct sockaddr *)&from, len) == n;
}

/* Echoes what is there on conn; 1 at its end (closed). */
static int echo_stream(int conn, long *total)
{
	char buf[4096];
	ssize_t n = read(conn, buf, sizeof(buf));

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n <= 0)
		return 1;
	*total += n;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(conn, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EAGAIN) {
			poll(&(struct pollfd){ .fd = conn, .events = POLLOUT }, 1, -1);
			continue;
		}
		if (w < 0)
			return 1;
		off += w;
	}
	return 0;
}

/* The echo servers: the TCP side on epoll (listener and connection), the
 * UDP side and the epoll descriptor itself on poll. */
static void serve(int s, int u)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), conn = -1, tcp_done = 0, udp_done = 0;
	long total = 0;
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = s };

	check("epoll_ctl_add", epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == 0, "failed");
	check("epoll_ctl_eexist", fails_with(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev), EEXIST), "not EEXIST");
	check("epoll_ctl_enoent", fails_with(epoll_ctl(ep, EPOLL_CTL_DEL, u, NULL), ENOENT), "not ENOENT");
	check("epoll_wait_timeout", epoll_wait(ep, &ev, 1, 20) == 0, "ready with no client");
	printf("sockets: listening on port %d\n", PORT);
	fflush(stdout);
	while (!tcp_done || !udp_done) {
		struct pollfd p[2] = { { .fd = ep, .events = POLLIN }, { .fd = u, .events = POLLIN } };
		if (poll(p, 2, -1) <= 0)
			break;
		if (p[1].revents & POLLIN)
			udp_done |= echo_datagram(u);
		struct epoll_event got[4];
		int n = epoll_wait(ep, got, 4, 0);
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == s) {
				struct sockaddr_in peer;
				socklen_t len = sizeof(peer);
				conn = accept4(s, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK);
				char ip[INET_ADDRSTRLEN];
				inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip));
				printf("sockets: accepted a connection from %s\n", ip);
				ev = (struct epoll_event){ .events = EPOLLIN | EPOLLRDHUP, .data.fd = conn };
				epoll_ctl(ep, EPOLL_CTL_ADD, conn, &ev);
			} else if (echo_stream(got[i].data.fd, &total)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, got[i].data.fd, NULL);
				close(got[i].data.fd);
				printf("sockets: tcp connection closed after %ld bytes\n", total);
				tcp_done = 1;
			}
		}
	}
	close(ep);
}

/* Connects to dom0 without blocking and reads until dom0 closes. */
static void talk_to_dom0(void)
{
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = addr_of("192.0.2.1", PORT + 1);
	int on = 1, err = -1;
	socklen_t len = sizeof(err);

	ioctl(c, FIONBIO, &on);
	int rc = connect(c, (struct sockaddr *)&a, sizeof(a));
	check("connect_einprogress", fails_with(rc, EINPROGRESS) || rc == 0, "neither 0 nor EINPROGRESS");
	struct pollfd p = { .fd = c, .events = POLLOUT };
	check("connect_poll", poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT), "not writable");
	check("connect_so_error", getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0,
	      "connection failed");
	const char hello[] = "hello from mote\n";
	check("send", send(c, hello, sizeof(hello) - 1, 0) == sizeof(hello) - 1, "short send");
	check("shutdown_wr", shutdown(c, SHUT_WR) == 0, "failed");
	char buf[256];
	size_t have = 0;
	for (;;) {
		fd_set r;
		FD_ZERO(&r);
		FD_SET(c, &r);
		if (select(c + 1, &r, NULL, NULL, NULL) != 1)
			break;
		ssize_t n = recv(c, buf + have, sizeof(buf) - 1 - have, 0);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("sockets: from dom0: %s\n", buf);
	close(c);
}

static void check_getaddrinfo(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int rc = getaddrinfo("192.0.2.1", "7001", &hints, &res);
	check("getaddrinfo_numeric", rc == 0 && res && res->ai_family == AF_INET &&
	      ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 7001, gai_strerror(rc));
	if (res)
		freeaddrinfo(res);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_errors();
	check_getaddrinfo();
	int s = listener(), u = udp_socket();
	serve(s, u);
	talk_to_dom0();
	printf("sockets: %d failures\n", failures);
	return failures != 0;
}
