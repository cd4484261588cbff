/* SPDX-License-Identifier: MIT */
/*
 * epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait.
 * An epoll instance is a descriptor (a struct file) holding its interest
 * list: descriptors, the events wanted and the program's data word. A wait
 * asks each one's file for its readiness (posix/file.h) and sleeps as poll
 * does (poll_wait, posix/poll.c), so it works on every kind that has a poll
 * operation; a kind without one (a regular file) is refused with -EPERM,
 * as Linux refuses it.
 *
 * Delivery is level-triggered. EPOLLET is accepted and delivered as level
 * too: a program written for edge triggering reads until EAGAIN, so it
 * sees the same data, with at most extra wake-ups. EPOLLONESHOT disables
 * an entry once it has reported, until EPOLL_CTL_MOD.
 *
 * An entry names a descriptor and the file it had when added; when the
 * descriptor is closed or now names another file the entry reports
 * nothing, and epoll_ctl can remove it (Linux drops it at the file's last
 * close). The list is guarded by the instance's spinlock, taken inside the
 * wait queues' lock by a wait's scan and alone by epoll_ctl, which
 * allocates and frees outside it.
 */
#include <errno.h>
#include <file.h>
#include <spinlock.h>
#include <stdbool.h>
#include <stdlib.h>
#include <syscall.h>

#define LINUX_EPOLL_CTL_ADD 1
#define LINUX_EPOLL_CTL_DEL 2
#define LINUX_EPOLL_CTL_MOD 3
#define LINUX_EPOLLEXCLUSIVE (1u << 28)
#define LINUX_EPOLLWAKEUP    (1u << 29)
#define LINUX_EPOLLONESHOT   (1u << 30)
#define LINUX_EPOLLET        (1u << 31)
#define LINUX_EP_MAX_EVENTS  (0x7fffffff / sizeof(struct linux_epoll_event))

struct epoll_entry {
    struct epoll_entry *next;
    int fd;
    struct file *file;
    uint32_t events;
    uint64_t data;
    bool disabled;              /* EPOLLONESHOT, reported */
};

struct epoll {
    spinlock_t lock;
    struct epoll_entry *entries;
};

static const struct file_ops epoll_ops;

/* The events e reports now (0 for a descriptor closed since). */
static uint32_t entry_ready(const struct epoll_entry *e)
{
    const uint32_t always = LINUX_POLLERR | LINUX_POLLHUP;

    if (e->disabled || fd_get(e->fd) != e->file)
        return 0;
    return file_poll(e->file) & (e->events | always);
}

struct epoll_wait_ctx {
    struct epoll *ep;
    struct linux_epoll_event *out;
    int max;
};

/* Up to ctx->max ready entries into ctx->out; how many. */
static long scan_epoll(void *arg)
{
    struct epoll_wait_ctx *ctx = arg;
    long n = 0;
    unsigned long flags = spin_lock_irqsave(&ctx->ep->lock);

    for (struct epoll_entry *e = ctx->ep->entries; e && n < ctx->max; e = e->next) {
        uint32_t ready = entry_ready(e);
        if (!ready)
            continue;
        if (ctx->out) {
            ctx->out[n].events = ready;
            ctx->out[n].data = e->data;
            e->disabled = e->events & LINUX_EPOLLONESHOT;
        }
        n++;
    }
    spin_unlock_irqrestore(&ctx->ep->lock, flags);
    return n;
}

/* An epoll descriptor is readable when one of its entries is ready. */
static unsigned int epoll_poll(struct file *f)
{
    struct epoll_wait_ctx ctx = { .ep = f->priv, .max = 1 };

    return scan_epoll(&ctx) ? LINUX_POLLIN | LINUX_POLLRDNORM : 0;
}

static void epoll_release(struct file *f)
{
    struct epoll *ep = f->priv;

    while (ep->entries) {
        struct epoll_entry *e = ep->entries;
        ep->entries = e->next;
        free(e);
    }
    free(ep);
    free(f);
}

static const struct file_ops epoll_ops = {
    .poll = epoll_poll,
    .release = epoll_release,
};

/* epoll_create1(2): a new instance; flags may be EPOLL_CLOEXEC (O_CLOEXEC).
 * -EINVAL for other flags, -ENOMEM, -EMFILE. */
long sys_epoll_create1(int flags)
{
    if (flags & ~LINUX_O_CLOEXEC)
        return -EINVAL;
    struct file *f = calloc(1, sizeof(*f));
    struct epoll *ep = calloc(1, sizeof(*ep));
    long fd = f && ep ? fd_install(f) : -ENOMEM;
    if (fd < 0) {
        free(f);
        free(ep);
        return fd;
    }
    ep->lock = (spinlock_t)SPINLOCK_INIT;
    f->ops = &epoll_ops;
    f->status_flags = LINUX_O_RDWR;
    f->priv = ep;
    if (flags & LINUX_O_CLOEXEC)
        sys_fcntl((int)fd, LINUX_F_SETFD, LINUX_FD_CLOEXEC);
    return fd;
}

/* epoll_create(2): size is a hint, but must be > 0 (-EINVAL). */
long sys_epoll_create(int size)
{
    return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}

/* The instance at epfd, or NULL with *err -EBADF / -EINVAL. */
static struct epoll *epoll_of(int epfd, long *err)
{
    struct file *f = fd_get(epfd);

    *err = f ? -EINVAL : -EBADF;
    return f && f->ops == &epoll_ops ? f->priv : NULL;
}

/* The entry for (fd, f) in ep; lock held. */
static struct epoll_entry **find_entry(struct epoll *ep, int fd, struct file *f)
{
    struct epoll_entry **p = &ep->entries;

    while (*p && ((*p)->fd != fd || (*p)->file != f))
        p = &(*p)->next;
    return p;
}

/* The change op makes for entry slot *p (new: a fresh entry for ADD);
 * the entry to free, if any. Lock held. */
static long apply_ctl(struct epoll_entry **p, int op, const struct linux_epoll_event *ev,
                      struct epoll_entry *new, struct epoll_entry **unused)
{
    *unused = new;
    if (op == LINUX_EPOLL_CTL_ADD) {
        if (*p)
            return -EEXIST;
        new->events = ev->events;
        new->data = ev->data;
        *p = new;
        *unused = NULL;
        return 0;
    }
    if (!*p)
        return -ENOENT;
    if (op == LINUX_EPOLL_CTL_DEL) {
        *unused = *p;
        *p = (*p)->next;
        return 0;
    }
    (*p)->events = ev->events;
    (*p)->data = ev->data;
    (*p)->disabled = false;
    return 0;
}

static long ctl_check(int epfd, int op, int fd, const struct linux_epoll_event *ev,
                      struct file **f)
{
    if (op < LINUX_EPOLL_CTL_ADD || op > LINUX_EPOLL_CTL_MOD)
        return -EINVAL;
    *f = fd_get(fd);
    if (!*f)
        return -EBADF;
    if (fd == epfd)
        return -EINVAL;
    if (!(*f)->ops->poll)
        return -EPERM;
    if (op != LINUX_EPOLL_CTL_DEL && !ev)
        return -EFAULT;
    return 0;
}

/* epoll_ctl(2): EPOLL_CTL_ADD, _MOD, _DEL of fd; 0, or -EBADF, -EINVAL
 * (not an epoll descriptor, fd is epfd, unknown op), -EPERM (fd's kind
 * cannot be polled: a regular file), -EEXIST (ADD twice), -ENOENT (MOD or
 * DEL of an fd not there), -ENOMEM. */
long sys_epoll_ctl(int epfd, int op, int fd, const struct linux_epoll_event *ev)
{
    long rc;
    struct epoll *ep = epoll_of(epfd, &rc);
    struct file *f;

    if (!ep)
        return rc;
    rc = ctl_check(epfd, op, fd, ev, &f);
    if (rc)
        return rc;
    struct epoll_entry *new = NULL, *unused;
    if (op == LINUX_EPOLL_CTL_ADD && !(new = calloc(1, sizeof(*new))))
        return -ENOMEM;
    if (new) {
        new->fd = fd;
        new->file = f;
    }
    unsigned long flags = spin_lock_irqsave(&ep->lock);
    rc = apply_ctl(find_entry(ep, fd, f), op, ev, new, &unused);
    spin_unlock_irqrestore(&ep->lock, flags);
    free(unused);
    return rc;
}

/* epoll_pwait(2): epoll_wait with a signal mask, ignored (mote delivers
 * no signals). */
long sys_epoll_pwait(int epfd, struct linux_epoll_event *events, int maxevents, int timeout_ms,
                     const uint64_t *sigmask, size_t sigsetsize)
{
    long rc;
    struct epoll *ep = epoll_of(epfd, &rc);
    struct epoll_wait_ctx ctx = { .ep = ep, .out = events, .max = maxevents };

    (void)sigmask;
    (void)sigsetsize;
    if (!ep)
        return rc;
    if (maxevents <= 0 || (size_t)maxevents > LINUX_EP_MAX_EVENTS)
        return -EINVAL;
    if (!events)
        return -EFAULT;
    return poll_wait(scan_epoll, &ctx, poll_deadline_ms(timeout_ms));
}

/* epoll_wait(2): up to maxevents ready entries, waiting up to timeout_ms
 * (-1: forever); how many, 0 on timeout; -EBADF, -EINVAL. */
long sys_epoll_wait(int epfd, struct linux_epoll_event *events, int maxevents, int timeout_ms)
{
    return sys_epoll_pwait(epfd, events, maxevents, timeout_ms, NULL, 0);
}
