/* SPDX-License-Identifier: MIT */
/*
 * Sockets as descriptors: socket(2) and the calls on a socket, for AF_INET
 * TCP and UDP, on lwIP's BSD socket API (net/, .cache/lwip). Each socket is
 * a struct file whose priv is lwIP's socket number; lwIP's numbers never
 * reach the program, which sees descriptors of the one table (posix/fd.c).
 *
 * lwIP's socket API speaks BSD's dialect, this layer Linux's: addresses
 * (Linux's sockaddr_in starts with a 16-bit family, lwIP's with a length
 * byte), message flags, socket option names and levels are translated here;
 * error numbers are Linux's already (lwIP sets the kernel's errno, whose
 * values are Linux's). Data is not copied here: lwIP copies between its
 * pbufs and the program's buffer, once, as Linux does.
 *
 * O_NONBLOCK is the file's (fcntl, SOCK_NONBLOCK, FIONBIO): send and recv
 * pass it as MSG_DONTWAIT, accept and connect set lwIP's own flag to match
 * first. Readiness (poll, select, epoll) reads lwIP's per-socket event
 * counts, which its event callback keeps; this layer wraps that callback to
 * wake the waiters (file_readiness_changed) after each event.
 *
 * The network starts (net_start, <mote/net.h>) with the first socket.
 */
#include <errno.h>
#include <file.h>
#include <lwip/api.h>
#include <lwip/priv/sockets_priv.h>
#include <lwip/sockets.h>
#include <mote/net.h>
#include <mote/thread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>

/* Linux's values (linux/socket.h, linux/net.h, asm-generic/socket.h,
 * linux/in.h, linux/tcp.h, asm-generic/ioctls.h). */
#define LINUX_AF_INET        2
#define LINUX_SOCK_STREAM    1
#define LINUX_SOCK_DGRAM     2
#define LINUX_SOCK_TYPE_MASK 0xf
#define LINUX_SOCK_NONBLOCK  LINUX_O_NONBLOCK
#define LINUX_SOCK_CLOEXEC   LINUX_O_CLOEXEC
#define LINUX_IPPROTO_IP     0
#define LINUX_IPPROTO_TCP    6
#define LINUX_IPPROTO_UDP    17
#define LINUX_SOL_SOCKET     1
#define LINUX_MSG_OOB        0x1
#define LINUX_MSG_PEEK       0x2
#define LINUX_MSG_TRUNC      0x20
#define LINUX_MSG_DONTWAIT   0x40
#define LINUX_MSG_WAITALL    0x100
#define LINUX_MSG_NOSIGNAL   0x4000
#define LINUX_MSG_MORE       0x8000
#define LINUX_FIONREAD       0x541b
#define LINUX_FIONBIO        0x5421
/* Linux errno values the kernel's <errno.h> does not name. */
#define LINUX_EPROTONOSUPPORT 93
#define LINUX_ESOCKTNOSUPPORT 94

struct linux_sockaddr_in {
    uint16_t sin_family;
    uint16_t sin_port;          /* network order, as lwIP's */
    uint32_t sin_addr;          /* network order, as lwIP's */
    uint8_t sin_zero[8];
};

/* struct user_msghdr (linux/socket.h). */
struct linux_msghdr {
    void *msg_name;
    int msg_namelen;
    struct linux_iovec *msg_iov;
    size_t msg_iovlen;
    void *msg_control;
    size_t msg_controllen;
    unsigned int msg_flags;
};

/* lwIP's iovec is Linux's (base, then length): the arrays pass as they are. */
_Static_assert(sizeof(struct iovec) == sizeof(struct linux_iovec), "iovec layouts differ");

static const struct file_ops socket_ops;

/* lwIP's own event callback (sockets.c's event_callback, static there),
 * taken from the first socket; socket_event runs it, then wakes waiters. */
static netconn_callback lwip_event;

static void socket_event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
    lwip_event(conn, evt, len);
    file_readiness_changed();
}

static struct lwip_sock *lwip_sock_of(int s)
{
    return lwip_socket_dbg_get_socket(s);
}

/* Routes socket s's events through socket_event. Sockets that accept()
 * returns inherit the listener's callback (api_msg.c, accept_function). */
static void hook_events(int s)
{
    struct netconn *conn = lwip_sock_of(s)->conn;

    if (conn->callback != socket_event) {
        lwip_event = conn->callback;
        conn->callback = socket_event;
    }
}

static int lwip_socket_of(struct file *f)
{
    return (int)(intptr_t)f->priv;
}

static bool nonblocking(struct file *f)
{
    return f->status_flags & LINUX_O_NONBLOCK;
}

/* The result of an lwIP call: its own, or -errno for -1. */
static long lwip_result(long rc)
{
    return rc < 0 ? -errno : rc;
}

/* The socket at fd: its file, or NULL with *err -EBADF / -ENOTSOCK. */
static struct file *socket_file(int fd, long *err)
{
    struct file *f = fd_get(fd);

    *err = !f ? -EBADF : -ENOTSOCK;
    return f && f->ops == &socket_ops ? f : NULL;
}

#define SOCKET_OR_RETURN(f, fd)                 \
    long err_;                                  \
    struct file *f = socket_file(fd, &err_);    \
    if (!f)                                     \
        return err_

/* Linux's sockaddr_in at uaddr (len bytes) as lwIP's; 0, -EINVAL (short),
 * -EAFNOSUPPORT (not AF_INET). */
static long addr_from_linux(const void *uaddr, int len, struct sockaddr_in *out)
{
    struct linux_sockaddr_in in;

    if (!uaddr || len < (int)sizeof(in.sin_family))
        return -EINVAL;
    memcpy(&in.sin_family, uaddr, sizeof(in.sin_family));
    if (in.sin_family != LINUX_AF_INET)
        return -EAFNOSUPPORT;
    if (len < (int)sizeof(in))
        return -EINVAL;
    memcpy(&in, uaddr, sizeof(in));
    memset(out, 0, sizeof(*out));
    out->sin_len = sizeof(*out);
    out->sin_family = AF_INET;
    out->sin_port = in.sin_port;
    out->sin_addr.s_addr = in.sin_addr;
    return 0;
}

/* lwIP's address to the program's (uaddr, *ulen bytes, truncated as
 * Linux does; *ulen becomes the full size). */
static void addr_to_linux(const struct sockaddr_in *a, void *uaddr, int *ulen)
{
    struct linux_sockaddr_in in = {
        .sin_family = LINUX_AF_INET, .sin_port = a->sin_port, .sin_addr = a->sin_addr.s_addr,
    };

    if (!uaddr || !ulen)
        return;
    size_t n = *ulen < 0 ? 0 : (size_t)*ulen;
    memcpy(uaddr, &in, n < sizeof(in) ? n : sizeof(in));
    *ulen = sizeof(in);
}

/* Linux's MSG_* to lwIP's; -EOPNOTSUPP for out-of-band data (lwIP has
 * none), unknown bits ignored as Linux does. */
static long flags_from_linux(struct file *f, int flags)
{
    static const struct { int linux_flag, lwip_flag; } map[] = {
        { LINUX_MSG_PEEK, MSG_PEEK }, { LINUX_MSG_DONTWAIT, MSG_DONTWAIT },
        { LINUX_MSG_WAITALL, MSG_WAITALL }, { LINUX_MSG_MORE, MSG_MORE },
        { LINUX_MSG_NOSIGNAL, MSG_NOSIGNAL },
    };
    int out = nonblocking(f) ? MSG_DONTWAIT : 0;

    if (flags & LINUX_MSG_OOB)
        return -EOPNOTSUPP;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (flags & map[i].linux_flag)
            out |= map[i].lwip_flag;
    return out;
}

/* lwIP's O_NONBLOCK made the file's, before a call without flags. */
static void sync_nonblocking(struct file *f)
{
    lwip_fcntl(lwip_socket_of(f), F_SETFL, nonblocking(f) ? O_NONBLOCK : 0);
}

static struct mutex net_lock;
static bool net_started;

/* The network, started once by the first socket (net_start prints a line
 * per interface). */
static void start_network(void)
{
    mutex_lock(&net_lock);
    if (!net_started) {
        net_start();
        net_started = true;
    }
    mutex_unlock(&net_lock);
}

/* A descriptor for lwIP socket s, with type's SOCK_NONBLOCK/SOCK_CLOEXEC:
 * the descriptor, or -ENOMEM/-EMFILE (s closed). */
static long install_socket(int s, int flags)
{
    struct file *f = calloc(1, sizeof(*f));
    long fd = f ? fd_install(f) : -ENOMEM;

    if (f) {
        f->ops = &socket_ops;
        f->status_flags = LINUX_O_RDWR | (flags & LINUX_SOCK_NONBLOCK);
        f->priv = (void *)(intptr_t)s;
    }
    if (fd < 0) {
        free(f);
        lwip_close(s);
        return fd;
    }
    hook_events(s);
    if (flags & LINUX_SOCK_CLOEXEC)
        sys_fcntl((int)fd, LINUX_F_SETFD, LINUX_FD_CLOEXEC);
    return fd;
}

static long protocol_check(int type, int protocol)
{
    if (type != LINUX_SOCK_STREAM && type != LINUX_SOCK_DGRAM)
        return -LINUX_ESOCKTNOSUPPORT;
    if (protocol == 0 || protocol == (type == LINUX_SOCK_STREAM ? LINUX_IPPROTO_TCP
                                                                : LINUX_IPPROTO_UDP))
        return 0;
    return -LINUX_EPROTONOSUPPORT;
}

/* socket(2): AF_INET SOCK_STREAM (TCP) or SOCK_DGRAM (UDP), with
 * SOCK_NONBLOCK and SOCK_CLOEXEC; the descriptor, or -EAFNOSUPPORT (another
 * domain), -EINVAL (unknown flags), -ESOCKTNOSUPPORT (another type),
 * -EPROTONOSUPPORT, -ENFILE (lwIP's sockets are all in use), -EMFILE. */
long sys_socket(int domain, int type, int protocol)
{
    int flags = type & ~LINUX_SOCK_TYPE_MASK;
    int base = type & LINUX_SOCK_TYPE_MASK;

    if (domain != LINUX_AF_INET)
        return -EAFNOSUPPORT;
    if (flags & ~(LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC))
        return -EINVAL;
    long rc = protocol_check(base, protocol);
    if (rc)
        return rc;
    start_network();
    int s = lwip_socket(AF_INET, base == LINUX_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (s < 0)
        return errno == ENOBUFS ? -ENFILE : -errno;
    return install_socket(s, flags);
}

/* bind(2): 0, or -EBADF, -ENOTSOCK, -EINVAL, -EAFNOSUPPORT, -EADDRINUSE. */
long sys_bind(int fd, const void *addr, int len)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in in;
    long rc = addr_from_linux(addr, len, &in);
    if (rc)
        return rc;
    return lwip_result(lwip_bind(lwip_socket_of(f), (struct sockaddr *)&in, sizeof(in)));
}

/* connect(2): 0, or -EINPROGRESS on a non-blocking socket, -ECONNREFUSED... */
long sys_connect(int fd, const void *addr, int len)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in in;
    long rc = addr_from_linux(addr, len, &in);
    if (rc)
        return rc;
    sync_nonblocking(f);
    return lwip_result(lwip_connect(lwip_socket_of(f), (struct sockaddr *)&in, sizeof(in)));
}

/* listen(2): 0, or -EOPNOTSUPP for a UDP socket. */
long sys_listen(int fd, int backlog)
{
    SOCKET_OR_RETURN(f, fd);
    if (backlog < 0 || backlog > 0xff)
        backlog = 0xff;           /* lwIP's backlog is a byte; Linux clamps too */
    return lwip_result(lwip_listen(lwip_socket_of(f), backlog));
}

/* accept4(2): a descriptor for the next connection, with flags'
 * SOCK_NONBLOCK/SOCK_CLOEXEC, its peer in addr; -EAGAIN when non-blocking
 * and none waits, -EINVAL (not listening, bad flags). */
long sys_accept4(int fd, void *addr, int *len, int flags)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in peer;
    socklen_t peer_len = sizeof(peer);

    if (flags & ~(LINUX_SOCK_NONBLOCK | LINUX_SOCK_CLOEXEC))
        return -EINVAL;
    if (addr && (!len || *len < 0))
        return -EINVAL;
    sync_nonblocking(f);
    int s = lwip_accept(lwip_socket_of(f), (struct sockaddr *)&peer, &peer_len);
    if (s < 0)
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    addr_to_linux(&peer, addr, len);
    return install_socket(s, flags);
}

/* accept(2): accept4 without flags. */
long sys_accept(int fd, void *addr, int *len)
{
    return sys_accept4(fd, addr, len, 0);
}

typedef int (*name_fn)(int s, struct sockaddr *name, socklen_t *len);

static long get_name(int fd, void *addr, int *len, name_fn fn)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in in;
    socklen_t in_len = sizeof(in);

    if (!addr || !len || *len < 0)
        return -EINVAL;
    long rc = lwip_result(fn(lwip_socket_of(f), (struct sockaddr *)&in, &in_len));
    if (rc == 0)
        addr_to_linux(&in, addr, len);
    return rc;
}

/* getsockname(2), getpeername(2) (-ENOTCONN without a peer). */
long sys_getsockname(int fd, void *addr, int *len)
{
    return get_name(fd, addr, len, lwip_getsockname);
}

long sys_getpeername(int fd, void *addr, int *len)
{
    return get_name(fd, addr, len, lwip_getpeername);
}

/* sendto(2) and send: the bytes sent, or -EAGAIN (non-blocking, no room),
 * -EPIPE, -ENOTCONN, -EDESTADDRREQ, -EMSGSIZE... */
long sys_sendto(int fd, const void *buf, size_t count, int flags, const void *addr, int len)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in in;
    long lwip_flags = flags_from_linux(f, flags);
    if (lwip_flags < 0)
        return lwip_flags;
    if (!addr)
        return lwip_result(lwip_send(lwip_socket_of(f), buf, count, (int)lwip_flags));
    long rc = addr_from_linux(addr, len, &in);
    if (rc)
        return rc;
    return lwip_result(lwip_sendto(lwip_socket_of(f), buf, count, (int)lwip_flags,
                                   (struct sockaddr *)&in, sizeof(in)));
}

/* recvfrom(2) and recv: the bytes received, 0 at the end of a stream, or
 * -EAGAIN (non-blocking, nothing there), -ENOTCONN... */
long sys_recvfrom(int fd, void *buf, size_t count, int flags, void *addr, int *len)
{
    SOCKET_OR_RETURN(f, fd);
    struct sockaddr_in in;
    socklen_t in_len = sizeof(in);
    long lwip_flags = flags_from_linux(f, flags);
    if (lwip_flags < 0)
        return lwip_flags;
    if (addr && (!len || *len < 0))
        return -EINVAL;
    long n = lwip_result(lwip_recvfrom(lwip_socket_of(f), buf, count, (int)lwip_flags,
                                       addr ? (struct sockaddr *)&in : NULL,
                                       addr ? &in_len : NULL));
    if (n >= 0 && addr)
        addr_to_linux(&in, addr, len);
    return n;
}

/* lwIP's msghdr for Linux's m (the address translated into *in). */
static long msg_from_linux(const struct linux_msghdr *m, struct msghdr *out,
                           struct sockaddr_in *in, bool with_name)
{
    if (!m || m->msg_iovlen > LINUX_IOV_MAX || (m->msg_iovlen && !m->msg_iov))
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    out->msg_iov = (struct iovec *)m->msg_iov;
    out->msg_iovlen = (int)m->msg_iovlen;
    if (m->msg_name && with_name) {
        long rc = addr_from_linux(m->msg_name, m->msg_namelen, in);
        if (rc)
            return rc;
    }
    if (m->msg_name) {
        out->msg_name = in;
        out->msg_namelen = sizeof(*in);
    }
    return 0;
}

/* sendmsg(2): the buffers as one message (ancillary data ignored). */
long sys_sendmsg(int fd, const struct linux_msghdr *m, int flags)
{
    SOCKET_OR_RETURN(f, fd);
    struct msghdr msg;
    struct sockaddr_in in;
    long lwip_flags = flags_from_linux(f, flags);
    long rc = lwip_flags < 0 ? lwip_flags : msg_from_linux(m, &msg, &in, true);
    if (rc)
        return rc;
    return lwip_result(lwip_sendmsg(lwip_socket_of(f), &msg, (int)lwip_flags));
}

/* recvmsg(2): into the buffers; the sender in msg_name, no ancillary data
 * (msg_controllen 0), MSG_TRUNC in msg_flags for a cut datagram. */
long sys_recvmsg(int fd, struct linux_msghdr *m, int flags)
{
    SOCKET_OR_RETURN(f, fd);
    struct msghdr msg;
    struct sockaddr_in in;
    long lwip_flags = flags_from_linux(f, flags);
    long rc = lwip_flags < 0 ? lwip_flags : msg_from_linux(m, &msg, &in, false);
    if (rc)
        return rc;
    long n = lwip_result(lwip_recvmsg(lwip_socket_of(f), &msg, (int)lwip_flags));
    if (n < 0)
        return n;
    if (m->msg_name)
        addr_to_linux(&in, m->msg_name, &m->msg_namelen);
    m->msg_controllen = 0;
    m->msg_flags = msg.msg_flags & MSG_TRUNC ? LINUX_MSG_TRUNC : 0;
    return n;
}

/* shutdown(2): SHUT_RD, SHUT_WR, SHUT_RDWR (Linux's numbers are lwIP's). */
long sys_shutdown(int fd, int how)
{
    SOCKET_OR_RETURN(f, fd);
    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    return lwip_result(lwip_shutdown(lwip_socket_of(f), how));
}

struct option_name {
    int linux_level, linux_name;
    int lwip_level, lwip_name;
};

/* The options translated; the rest are -ENOPROTOOPT, as Linux answers an
 * option it does not know. Values have the same layout in both (int,
 * struct timeval, struct linger). */
static const struct option_name options[] = {
    { LINUX_SOL_SOCKET, 2, SOL_SOCKET, SO_REUSEADDR },
    { LINUX_SOL_SOCKET, 3, SOL_SOCKET, SO_TYPE },
    { LINUX_SOL_SOCKET, 4, SOL_SOCKET, SO_ERROR },
    { LINUX_SOL_SOCKET, 6, SOL_SOCKET, SO_BROADCAST },
    { LINUX_SOL_SOCKET, 8, SOL_SOCKET, SO_RCVBUF },
    { LINUX_SOL_SOCKET, 9, SOL_SOCKET, SO_KEEPALIVE },
    { LINUX_SOL_SOCKET, 13, SOL_SOCKET, SO_LINGER },
    /* lwIP's SO_REUSEADDR (SO_REUSE) lets sockets share a local port,
     * which is what SO_REUSEPORT asks for; it has no load balancing. */
    { LINUX_SOL_SOCKET, 15, SOL_SOCKET, SO_REUSEADDR },
    { LINUX_SOL_SOCKET, 20, SOL_SOCKET, SO_RCVTIMEO },
    { LINUX_SOL_SOCKET, 21, SOL_SOCKET, SO_SNDTIMEO },
    { LINUX_SOL_SOCKET, 30, SOL_SOCKET, SO_ACCEPTCONN },
    { LINUX_IPPROTO_IP, 1, IPPROTO_IP, IP_TOS },
    { LINUX_IPPROTO_IP, 2, IPPROTO_IP, IP_TTL },
    { LINUX_IPPROTO_TCP, 1, IPPROTO_TCP, TCP_NODELAY },
    { LINUX_IPPROTO_TCP, 4, IPPROTO_TCP, TCP_KEEPIDLE },
    { LINUX_IPPROTO_TCP, 5, IPPROTO_TCP, TCP_KEEPINTVL },
    { LINUX_IPPROTO_TCP, 6, IPPROTO_TCP, TCP_KEEPCNT },
};

static const struct option_name *option_of(int level, int name)
{
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (options[i].linux_level == level && options[i].linux_name == name)
            return &options[i];
    return NULL;
}

#define LINUX_SO_SNDBUF 7
#define LINUX_IP_OPTIONS 4

/* setsockopt(2): the options above; SO_SNDBUF is accepted and changes
 * nothing (lwIP's send buffer is TCP_SND_BUF, fixed at build time, which
 * getsockopt reports). -ENOPROTOOPT for others, -EINVAL for a short value. */
long sys_setsockopt(int fd, int level, int name, const void *val, int len)
{
    SOCKET_OR_RETURN(f, fd);
    if (len < 0)
        return -EINVAL;
    if (level == LINUX_SOL_SOCKET && name == LINUX_SO_SNDBUF)
        return len < (int)sizeof(int) ? -EINVAL : 0;
    const struct option_name *o = option_of(level, name);
    if (!o)
        return -ENOPROTOOPT;
    return lwip_result(lwip_setsockopt(lwip_socket_of(f), o->lwip_level, o->lwip_name, val,
                                       (socklen_t)len));
}

/* getsockopt(2): the options setsockopt takes, SO_TYPE, SO_ERROR (read
 * and cleared), SO_ACCEPTCONN; SO_SNDBUF is lwIP's TCP_SND_BUF; IP_OPTIONS
 * is empty (length 0), as on Linux for a socket that set none. */
long sys_getsockopt(int fd, int level, int name, void *val, int *len)
{
    SOCKET_OR_RETURN(f, fd);
    if (!len || *len < 0)
        return -EINVAL;
    if (level == LINUX_IPPROTO_IP && name == LINUX_IP_OPTIONS) {
        *len = 0;               /* lwIP keeps no IP options for a socket */
        return 0;
    }
    if (level == LINUX_SOL_SOCKET && name == LINUX_SO_SNDBUF) {
        int size = TCP_SND_BUF;
        if (*len < (int)sizeof(size))
            return -EINVAL;
        memcpy(val, &size, sizeof(size));
        *len = sizeof(size);
        return 0;
    }
    const struct option_name *o = option_of(level, name);
    if (!o)
        return -ENOPROTOOPT;
    socklen_t n = (socklen_t)*len;
    long rc = lwip_result(lwip_getsockopt(lwip_socket_of(f), o->lwip_level, o->lwip_name,
                                          val, &n));
    if (rc == 0)
        *len = (int)n;
    return rc;
}

static long socket_read(struct file *f, void *buf, size_t count)
{
    return lwip_result(lwip_recvfrom(lwip_socket_of(f), buf, count,
                                     nonblocking(f) ? MSG_DONTWAIT : 0, NULL, NULL));
}

static long socket_write(struct file *f, const void *buf, size_t count)
{
    return lwip_result(lwip_send(lwip_socket_of(f), buf, count,
                                 nonblocking(f) ? MSG_DONTWAIT : 0));
}

/* FIONREAD (bytes waiting), FIONBIO (O_NONBLOCK on or off). */
static long socket_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
    if (cmd == LINUX_FIONBIO) {
        int on;
        memcpy(&on, (const void *)arg, sizeof(on));
        f->status_flags = on ? f->status_flags | LINUX_O_NONBLOCK
                             : f->status_flags & ~LINUX_O_NONBLOCK;
        return 0;
    }
    if (cmd == LINUX_FIONREAD) {
        int n = 0;
        long rc = lwip_result(lwip_ioctl(lwip_socket_of(f), FIONREAD, &n));
        if (rc == 0)
            memcpy((void *)arg, &n, sizeof(n));
        return rc;
    }
    return -ENOTTY;
}

/* What lwip_pollscan (sockets.c) reports, read without its lock: poll
 * methods run under the wait queues' lock (posix/file.h), and each count is
 * one aligned word that socket_event's wake-up follows. */
static unsigned int socket_poll(struct file *f)
{
    const struct lwip_sock *sock = lwip_sock_of(lwip_socket_of(f));
    unsigned int events = 0;

    if (!sock || !sock->conn)
        return LINUX_POLLNVAL;
    if (__atomic_load_n(&sock->lastdata.pbuf, __ATOMIC_RELAXED) ||
        __atomic_load_n(&sock->rcvevent, __ATOMIC_RELAXED) > 0)
        events |= LINUX_POLLIN | LINUX_POLLRDNORM;
    if (__atomic_load_n(&sock->sendevent, __ATOMIC_RELAXED))
        events |= LINUX_POLLOUT | LINUX_POLLWRNORM;
    if (__atomic_load_n(&sock->errevent, __ATOMIC_RELAXED))
        events |= LINUX_POLLERR;
    return events;
}

static void socket_release(struct file *f)
{
    lwip_close(lwip_socket_of(f));
    free(f);
}

static const struct file_ops socket_ops = {
    .read = socket_read,
    .write = socket_write,
    .ioctl = socket_ioctl,
    .poll = socket_poll,
    .release = socket_release,
};
