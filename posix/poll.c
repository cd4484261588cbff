/* SPDX-License-Identifier: MIT */
/*
 * poll(2), ppoll(2), select(2) and pselect6(2) over every kind of
 * descriptor, through each file's poll operation (posix/file.h).
 *
 * Waiting is wait_until's (<mote/events.h>): the readiness of the whole set
 * is the condition, checked again under the wait queues' lock after every
 * upcall (console input) and every file_readiness_changed() (a socket's
 * event on lwIP's thread). A timeout arms a timer, whose upcall ends the
 * wait. Signal masks (ppoll, pselect6) are accepted and ignored: mote
 * delivers no signals.
 */
#include <clock.h>
#include <errno.h>
#include <events.h>
#include <file.h>
#include <stdbool.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <timer.h>


unsigned int file_poll(struct file *f)
{
    return f->ops->poll ? f->ops->poll(f) : LINUX_POLLIN | LINUX_POLLOUT |
                                            LINUX_POLLRDNORM | LINUX_POLLWRNORM;
}

void file_readiness_changed(void)
{
    waitqueue_wake_all(&event_waiters);
}

static void timeout_fired(struct timer *t, void *ctx)
{
    (void)t;
    (void)ctx;      /* the upcall that ran this wakes event_waiters */
}

long poll_wait(poll_scan_fn scan, void *ctx, uint64_t deadline)
{
    struct timer timer;
    long n = scan(ctx);

    if (n || deadline == POLL_NOW)
        return n;
    if (deadline != POLL_FOREVER) {
        timer_init(&timer, timeout_fired, NULL);
        timer_arm(&timer, deadline);
    }
    wait_until((n = scan(ctx)) != 0 ||
               (deadline != POLL_FOREVER && monotonic_ns() >= deadline));
    if (deadline != POLL_FOREVER)
        timer_cancel(&timer);
    return n;
}

/* The absolute deadline of a relative timespec (NULL: forever); -EINVAL. */
long poll_deadline(const struct linux_timespec *ts, uint64_t *deadline)
{
    if (!ts) {
        *deadline = POLL_FOREVER;
        return 0;
    }
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC_PER_SEC)
        return -EINVAL;
    if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
        *deadline = POLL_NOW;
        return 0;
    }
    *deadline = monotonic_ns() + (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
    return 0;
}

uint64_t poll_deadline_ms(int timeout_ms)
{
    if (timeout_ms < 0)
        return POLL_FOREVER;
    if (timeout_ms == 0)
        return POLL_NOW;
    return monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
}

struct poll_set {
    struct linux_pollfd *fds;
    unsigned int nfds;
};

/* Fills each revents; the number with any. Always-reported events:
 * POLLERR, POLLHUP, POLLNVAL (a descriptor that is not open). */
static long scan_pollfds(void *ctx)
{
    struct poll_set *set = ctx;
    const unsigned int always = LINUX_POLLERR | LINUX_POLLHUP | LINUX_POLLNVAL;
    long ready = 0;

    for (unsigned int i = 0; i < set->nfds; i++) {
        struct linux_pollfd *p = &set->fds[i];
        struct file *f = p->fd >= 0 ? fd_get(p->fd) : NULL;
        unsigned int events = p->fd < 0 ? 0 : f ? file_poll(f) : LINUX_POLLNVAL;
        p->revents = (short)(events & ((unsigned short)p->events | always));
        ready += p->revents != 0;
    }
    return ready;
}

static long do_poll(struct linux_pollfd *fds, unsigned int nfds, uint64_t deadline)
{
    struct poll_set set = { fds, nfds };

    if (nfds > LINUX_RLIMIT_NOFILE)
        return -EINVAL;
    if (nfds && !fds)
        return -EFAULT;
    return poll_wait(scan_pollfds, &set, deadline);
}

/* poll(2): waits up to timeout_ms (-1: forever) until a descriptor of fds
 * is ready; the number ready, 0 on timeout, -EINVAL (too many). */
long sys_poll(struct linux_pollfd *fds, unsigned int nfds, int timeout_ms)
{
    return do_poll(fds, nfds, poll_deadline_ms(timeout_ms));
}

/* ppoll(2): poll with a timespec (NULL: forever); the mask is ignored. */
long sys_ppoll(struct linux_pollfd *fds, unsigned int nfds, const struct linux_timespec *ts,
               const uint64_t *sigmask, size_t sigsetsize)
{
    uint64_t deadline;
    long rc = poll_deadline(ts, &deadline);

    (void)sigmask;
    (void)sigsetsize;
    return rc ? rc : do_poll(fds, nfds, deadline);
}

#define FDSET_BITS 64
typedef uint64_t fdset_word;

struct select_set {
    int nfds;
    fdset_word *in, *out, *ex;          /* the caller's, written at the end */
    fdset_word want[3][LINUX_FD_SETSIZE / FDSET_BITS];
    fdset_word got[3][LINUX_FD_SETSIZE / FDSET_BITS];
};

static bool fd_bit(const fdset_word *set, int fd)
{
    return set[fd / FDSET_BITS] >> (fd % FDSET_BITS) & 1;
}

static void set_fd_bit(fdset_word *set, int fd)
{
    set[fd / FDSET_BITS] |= (fdset_word)1 << (fd % FDSET_BITS);
}

/* Linux's select sets: readable is POLLIN|POLLHUP|POLLERR, writable
 * POLLOUT|POLLERR, exceptional POLLPRI (fs/select.c). */
static const unsigned int select_events[3] = {
    LINUX_POLLIN | LINUX_POLLRDNORM | LINUX_POLLHUP | LINUX_POLLERR,
    LINUX_POLLOUT | LINUX_POLLWRNORM | LINUX_POLLERR,
    LINUX_POLLPRI,
};

/* One descriptor into the result sets; -EBADF if it is not open. */
static long scan_select_fd(struct select_set *s, int fd)
{
    bool wanted = fd_bit(s->want[0], fd) || fd_bit(s->want[1], fd) || fd_bit(s->want[2], fd);
    long ready = 0;

    if (!wanted)
        return 0;
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    unsigned int events = file_poll(f);
    for (int k = 0; k < 3; k++) {
        if (fd_bit(s->want[k], fd) && (events & select_events[k])) {
            set_fd_bit(s->got[k], fd);
            ready++;
        }
    }
    return ready;
}

static long scan_select(void *ctx)
{
    struct select_set *s = ctx;
    long ready = 0;

    memset(s->got, 0, sizeof(s->got));
    for (int fd = 0; fd < s->nfds; fd++) {
        long n = scan_select_fd(s, fd);
        if (n < 0)
            return n;
        ready += n;
    }
    return ready;
}

static void copy_set_in(fdset_word *dst, const fdset_word *src, int nfds)
{
    size_t words = ((size_t)nfds + FDSET_BITS - 1) / FDSET_BITS;

    if (src)
        memcpy(dst, src, words * sizeof(fdset_word));
}

static void copy_set_out(fdset_word *dst, const fdset_word *src, int nfds)
{
    size_t words = ((size_t)nfds + FDSET_BITS - 1) / FDSET_BITS;

    if (dst)
        memcpy(dst, src, words * sizeof(fdset_word));
}

static long do_select(int nfds, fdset_word *in, fdset_word *out, fdset_word *ex,
                      uint64_t deadline)
{
    struct select_set s = { .nfds = nfds, .in = in, .out = out, .ex = ex };

    if (nfds < 0)
        return -EINVAL;
    if (nfds > LINUX_FD_SETSIZE)
        nfds = s.nfds = LINUX_FD_SETSIZE;
    memset(s.want, 0, sizeof(s.want));
    copy_set_in(s.want[0], in, nfds);
    copy_set_in(s.want[1], out, nfds);
    copy_set_in(s.want[2], ex, nfds);
    long n = poll_wait(scan_select, &s, deadline);
    if (n < 0)
        return n;
    copy_set_out(in, s.got[0], nfds);
    copy_set_out(out, s.got[1], nfds);
    copy_set_out(ex, s.got[2], nfds);
    return n;
}

/* select(2): the number of bits set in the three sets (each rewritten to
 * what is ready), 0 on timeout; -EBADF for a descriptor that is not open,
 * -EINVAL. On timeout Linux writes the time left into tv: so do we. */
long sys_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex, struct linux_timeval *tv)
{
    uint64_t deadline = POLL_FOREVER;

    if (tv) {
        if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
            return -EINVAL;
        uint64_t ns = (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * 1000u;
        deadline = ns ? monotonic_ns() + ns : POLL_NOW;
    }
    long n = do_select(nfds, in, out, ex, deadline);
    if (tv && deadline != POLL_NOW) {
        uint64_t now = monotonic_ns(), left = now < deadline ? deadline - now : 0;
        tv->tv_sec = (long)(left / NSEC_PER_SEC);
        tv->tv_usec = (long)(left % NSEC_PER_SEC / 1000u);
    }
    return n;
}

/* pselect6(2): select with a timespec (not written back, as Linux's
 * pselect leaves it to the C library) and a signal mask, ignored. */
long sys_pselect6(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex,
                  const struct linux_timespec *ts, const void *sigmask)
{
    uint64_t deadline;
    long rc = poll_deadline(ts, &deadline);

    (void)sigmask;
    return rc ? rc : do_select(nfds, in, out, ex, deadline);
}
