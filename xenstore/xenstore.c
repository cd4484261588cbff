/* SPDX-License-Identifier: MIT */
/*
 * The xenstore client (xenstore/xenbus.h): requests and replies over the ring
 * page start_info->store_mfn, notified through start_info->store_evtchn
 * (xen.h struct start_info; io/xs_wire.h). The byte-level protocol is in
 * xs_proto.c; this file owns the ring, the one request in flight, the watch
 * table and the queue of watch events.
 *
 * Concurrency: the event handler only counts the backend's kicks and wakes
 * xs_waiters. The ring is read and written in thread context only, and any
 * thread may pump it. The pump can sleep (its reports go through printk,
 * and a domU's console waits for ring space), so it is guarded: a second
 * thread arriving while one pumps leaves the work to it, and the pump bumps
 * `progress` and wakes xs_waiters whenever it delivers something, so such a
 * thread is not left waiting for a kick that was already consumed. xs_lock
 * keeps one request in flight. A broken ring is final: `broken` is set
 * before anything is printed, and every waiter is woken to see it.
 *
 * Watches: watch_lock guards the watch table and the event queue, which the
 * pump (any thread), the dispatcher and xenbus_watch/unwatch (any thread,
 * any vCPU) change (Linux's watches_lock and watch_events_lock). Callbacks
 * run one at a time, under dispatch_lock (Linux's xenwatch_mutex), and
 * xenbus_unwatch waits for a callback of its watch running in another
 * thread, so its ctx is not in use once it returns.
 */
#include <arch/barrier.h>
#include <events.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <spinlock.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
#include <timer.h>
#include <xen_shared.h>
#include <xenbus.h>
#include "xs_proto.h"

#define MAX_WATCHES      16
/* Distinct events queued at most; past it a watch coalesces (see below). */
#define WATCH_QUEUE_MAX  256
#define MAX_TX_RETRIES   16

struct xenbus_stats xenbus_stats;

static struct xenstore_domain_interface *intf;
static evtchn_port_t store_port;
static volatile bool broken;         /* ring found corrupt: every call fails -EIO */
/* Bumped by the event handler (a kick) and by the pump (a reply or watch
 * event delivered, or the ring found broken); waiters sleep on xs_waiters
 * until it moves. */
static volatile unsigned long progress;
static struct waitqueue xs_waiters;
static bool pumping;                 /* a thread is inside xs_pump (atomic flag) */
static uint32_t next_req_id = 1;
static struct mutex xs_lock;         /* held from sending a request to copying its reply */

static struct xs_rx rx;              /* message being reassembled */

/* The request in flight and its reply. */
static struct {
    bool active, done;
    uint32_t type, req_id;
    int err;
    uint32_t len;
    char body[XENSTORE_PAYLOAD_MAX + 1];
} request;

/* A watch slot's life: FREE, SET by xenbus_watch, REMOVING while
 * xenbus_unwatch tells xenstored and waits for its callback (not yet
 * reusable: its path is in use), then FREE again. */
enum watch_state { WATCH_FREE, WATCH_SET, WATCH_REMOVING };

static struct {
    enum watch_state state;
    /* Events for this watch came when the queue was full (or memory ran
     * out): its callback runs once more with the watched path itself. */
    bool overflowed;
    /* As given to xenbus_watch, on the heap: a static array of paths of
     * the largest size (XENSTORE_ABS_PATH_MAX) took 48 KiB of every image.
     * Kept until the slot is reused, as a static path was, so a callback
     * given it (overflow) never reads freed memory. */
    char *path;
    xenbus_watch_cb callback;
    void *ctx;
} watches[MAX_WATCHES];

/*
 * Watch events waiting for the watch thread, oldest first. No event may be
 * lost (a missed control/shutdown would leave `xl shutdown` unanswered), so
 * the queue grows, and what it holds is bounded without dropping anything:
 * an event for a watch and path already queued is coalesced into that entry
 * (its callback re-reads the node and sees the newest value), and once
 * WATCH_QUEUE_MAX distinct events wait, further ones mark their watch
 * `overflowed` instead: its callback then runs with the watched path, which
 * xenstore.txt allows ("the path ... or a child of it"), and re-reads it all.
 */
struct watch_event {
    struct watch_event *next;
    int id;
    char path[];
};
static struct watch_event *watch_queue_head, **watch_queue_tail = &watch_queue_head;
static unsigned long watch_queue_len;
static spinlock_t watch_lock = SPINLOCK_INIT;   /* watches[], the queue, running_watch */

static struct mutex dispatch_lock;     /* held by the thread running callbacks */
static struct thread *dispatcher;      /* that thread, while it holds dispatch_lock */
static int running_watch = -1;         /* whose callback runs now */
static struct waitqueue callback_finished;

static void wake_waiters(void)
{
    progress++;
    waitqueue_wake_all(&xs_waiters);
}

static void store_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    wake_waiters();
}

static unsigned long callbacks_run;
static struct waitqueue callbacks_done;

/* Ends the connection for good. The flag is set before the report, which
 * may sleep in the console: any thread that runs meanwhile sees it. */
static void mark_broken(const char *why)
{
    if (broken)
        return;
    broken = true;
    wake_waiters();
    waitqueue_wake_all(&callbacks_done);
    printk("xenbus: %s; xenstore connection disabled\n", why);
}

/* With watch_lock held: queues event e (path, for watch id), or coalesces
 * it or marks the watch overflowed; returns whether e was used. */
static bool enqueue_watch_event(unsigned long id, const char *path, struct watch_event *e)
{
    if (id >= MAX_WATCHES || watches[id].state != WATCH_SET) {
        xenbus_stats.watch_events_dropped++;
        return false;
    }
    if (watches[id].overflowed)
        return false;
    for (struct watch_event *q = watch_queue_head; q; q = q->next) {
        if (q->id == (int)id && !strcmp(q->path, path)) {
            xenbus_stats.watch_events_coalesced++;
            return false;
        }
    }
    if (!e || watch_queue_len >= WATCH_QUEUE_MAX) {
        watches[id].overflowed = true;
        return false;
    }
    *watch_queue_tail = e;
    watch_queue_tail = &e->next;
    if (++watch_queue_len > xenbus_stats.watch_queue_max)
        xenbus_stats.watch_queue_max = watch_queue_len;
    return true;
}

static void queue_watch_event(void)
{
    const char *path, *token;
    char *end = NULL;

    xenbus_stats.watch_events++;
    if (!xs_watch_event_parse(&rx, &path, &token)) {
        printk("xenbus: malformed watch event dropped\n");
        xenbus_stats.watch_events_dropped++;
        return;
    }
    /* Our tokens are "w<id>" (xenbus_watch). */
    unsigned long id = token[0] == 'w' ? strtoul(token + 1, &end, 10) : MAX_WATCHES;
    if (token[0] != 'w' || *end)
        id = MAX_WATCHES;
    /* Allocated before the lock is taken (malloc takes its own). */
    size_t len = strlen(path);
    struct watch_event *e = malloc(sizeof(*e) + len + 1);
    if (e) {
        e->next = NULL;
        e->id = (int)id;
        memcpy(e->path, path, len + 1);
    }
    unsigned long flags = spin_lock_irqsave(&watch_lock);
    bool queued = enqueue_watch_event(id, path, e);
    spin_unlock_irqrestore(&watch_lock, flags);
    if (!queued)
        free(e);
}

/* With watch_lock held: drops the queued events of a removed watch, so a
 * watch that reuses its id does not get them. */
static void forget_watch_events(int id)
{
    struct watch_event **link = &watch_queue_head;

    while (*link) {
        struct watch_event *e = *link;
        if (e->id != id) {
            link = &e->next;
            continue;
        }
        *link = e->next;
        watch_queue_len--;
        free(e);
    }
    watch_queue_tail = link;
    watches[id].overflowed = false;
}

/* Whether a watch callback is owed: a queued event or an overflowed watch. */
static bool watch_work_pending(void)
{
    bool pending = false;
    unsigned long flags = spin_lock_irqsave(&watch_lock);

    pending = watch_queue_head != NULL;
    for (int id = 0; id < MAX_WATCHES && !pending; id++)
        pending = watches[id].overflowed;
    spin_unlock_irqrestore(&watch_lock, flags);
    return pending;
}

/* Takes every complete message off the response ring. Called only through
 * xs_pump, which keeps it to one thread at a time. */
static void xs_pump_locked(void)
{
    const char *ring_error = xs_ring_error(intf->server_features,
                                           *(volatile uint32_t *)&intf->error);
    if (ring_error) {
        mark_broken(ring_error);
        return;
    }
    for (;;) {
        uint32_t cons = intf->rsp_cons;
        uint32_t prod = *(volatile uint32_t *)&intf->rsp_prod;
        rmb();   /* the bytes are read after prod (xs_wire.h ring protocol) */
        int r = xs_rx_take(&rx, intf->rsp, &cons, prod);
        if (r < 0) {
            mark_broken(r == XS_PROTO_BAD_INDEX ? "response ring index out of range"
                                                : "reply longer than XENSTORE_PAYLOAD_MAX");
            return;
        }
        if (cons != intf->rsp_cons) {
            mb();    /* finish reading the bytes before handing the space back */
            intf->rsp_cons = cons;
            /* The daemon may be waiting for room to write more (Linux xb_read). */
            evtchn_send(store_port);
        }
        if (r == 0)
            return;

        int err = 0;
        switch (xs_classify(&rx, request.type, request.active ? request.req_id : 0, &err)) {
        case XS_MATCH_WATCH:
            queue_watch_event();
            break;
        case XS_MATCH_ERROR:
        case XS_MATCH_REPLY:
            if (!request.active) {
                xenbus_stats.stray_replies++;
                break;
            }
            request.err = err;
            request.len = rx.hdr.len;
            memcpy(request.body, rx.body, rx.hdr.len + 1);
            /* Release: the waiter that sees done (acquire) sees the body. */
            __atomic_store_n(&request.done, true, __ATOMIC_RELEASE);
            break;
        case XS_MATCH_STRAY:
            xenbus_stats.stray_replies++;
            printk("xenbus: dropped a reply (type %u, req_id %u) matching no request\n",
                   rx.hdr.type, rx.hdr.req_id);
            break;
        }
        xs_rx_reset(&rx);
        /* A thread waiting for this reply or event may have found the pump
         * busy and gone to sleep: it must look again. */
        wake_waiters();
    }
}

/* Whether the daemon has written bytes the pump has not taken. */
static bool ring_has_unread(void)
{
    return __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE) != intf->rsp_cons;
}

/* Test builds (tests/boot/domu.sh) have xenbus_dispatch_watches hold the
 * pump this long (ns) after its last look at the ring, widening the window
 * the re-check below closes. */
#ifndef XENBUS_TEST_DISPATCH_HOLD_NS
#define XENBUS_TEST_DISPATCH_HOLD_NS 0
#endif

/*
 * A try-lock, not a wait: whoever holds it delivers what this caller would
 * have, and wakes it. Atomic, so it stays one pump on several vCPUs too.
 * A message may land after the holder's last look and before it lets go,
 * while the thread it is for finds the pump busy and goes to sleep: if that
 * thread is the watch thread, nobody else would ever pump for it. So the
 * holder looks again after letting go (the fence orders the release before
 * the read of rsp_prod: either it sees the message, or the other thread's
 * test-and-set, which comes after the message, finds the pump free).
 */
static void xs_pump_holding(uint64_t test_hold_ns)
{
    do {
        if (broken || __atomic_test_and_set(&pumping, __ATOMIC_ACQUIRE))
            return;
        xs_pump_locked();
        if (test_hold_ns)
            sleep_ns(test_hold_ns);
        __atomic_clear(&pumping, __ATOMIC_SEQ_CST);
        mb();
    } while (!broken && ring_has_unread());
}

static void xs_pump(void)
{
    xs_pump_holding(0);
}

/*
 * Waits for progress after `seen` (the count read before the caller last
 * looked at the ring), so a kick or a delivery that came meanwhile is not
 * lost. A counter, not a flag: several threads may wait, and one's pump may
 * take a message another waits for (which it then finds in `request` or the
 * queue). A broken ring ends every wait.
 */
static void wait_for_progress(unsigned long seen)
{
    wait_event(&xs_waiters, progress != seen || broken);
}

/* Copies len bytes into the request ring, waiting for room as needed. */
static int xs_send_bytes(const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        uint32_t cons = *(volatile uint32_t *)&intf->req_cons;
        uint32_t prod = intf->req_prod;
        mb();    /* read cons before writing over the space it frees */
        int n = xs_tx_put(intf->req, cons, &prod, p, len);
        if (n < 0) {
            mark_broken("request ring index out of range");
            return -XEN_EIO;
        }
        wmb();   /* the bytes are visible before the producer index */
        intf->req_prod = prod;
        evtchn_send(store_port);
        p += n;
        len -= (size_t)n;
        if (len) {
            unsigned long seen = progress;
            xs_pump();
            if (broken)
                return -XEN_EIO;
            wait_for_progress(seen);
        }
    }
    return 0;
}

struct xs_part {
    const void *data;
    size_t len;
};

/*
 * One request/reply round trip. The reply body (NUL-terminated) is left in
 * request.body with its length in request.len.
 */
static int xs_talk_locked(xenbus_transaction_t t, uint32_t type, const struct xs_part *parts,
                          unsigned nparts)
{
    size_t total = 0;

    if (!intf)
        return -XEN_ENODEV;
    if (broken)
        return -XEN_EIO;
    for (unsigned i = 0; i < nparts; i++)
        total += parts[i].len;
    /* xs_wire.h: XENSTORE_PAYLOAD_MAX, "Violating this is very bad". */
    if (total > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;

    struct xsd_sockmsg hdr = {
        .type = type, .req_id = next_req_id++, .tx_id = t, .len = (uint32_t)total,
    };
    request.active = true;
    request.done = false;
    request.type = type;
    request.req_id = hdr.req_id;
    xenbus_stats.requests++;

    int rc = xs_send_bytes(&hdr, sizeof(hdr));
    for (unsigned i = 0; rc == 0 && i < nparts; i++)
        rc = xs_send_bytes(parts[i].data, parts[i].len);
    while (rc == 0) {
        unsigned long seen = progress;
        xs_pump();
        if (broken)
            rc = -XEN_EIO;
        else if (__atomic_load_n(&request.done, __ATOMIC_ACQUIRE))
            break;
        else
            wait_for_progress(seen);
    }
    request.active = false;
    return rc ? rc : request.err;
}

/*
 * A round trip with the lock held until the caller has copied the reply out
 * of request.body: callers unlock with xs_done().
 */
static int xs_talk(xenbus_transaction_t t, uint32_t type, const struct xs_part *parts,
                   unsigned nparts)
{
    mutex_lock(&xs_lock);
    return xs_talk_locked(t, type, parts, nparts);
}

static int xs_done(int rc)
{
    mutex_unlock(&xs_lock);
    return rc;
}

#define PATH(p) { (p), strlen(p) + 1 }

int xenbus_read(xenbus_transaction_t t, const char *path, char *buf, size_t size)
{
    struct xs_part parts[] = { PATH(path) };
    int rc = xs_talk(t, XS_READ, parts, 1);

    if (rc < 0)
        return xs_done(rc);
    if (request.len >= size)
        return xs_done(-XEN_E2BIG);
    memcpy(buf, request.body, request.len + 1);
    return xs_done((int)request.len);
}

int xenbus_write(xenbus_transaction_t t, const char *path, const char *value)
{
    /* Body: path NUL value, the value without a terminator (xenstore.txt WRITE). */
    struct xs_part parts[] = { PATH(path), { value, strlen(value) } };

    return xs_done(xs_talk(t, XS_WRITE, parts, 2));
}

int xenbus_directory(xenbus_transaction_t t, const char *path, char *buf, size_t size)
{
    struct xs_part parts[] = { PATH(path) };
    int rc = xs_talk(t, XS_DIRECTORY, parts, 1);

    if (rc < 0)
        return xs_done(rc);
    int count = xs_directory_count(request.body, request.len);
    if (count < 0) {
        printk("xenbus: malformed directory reply for %s\n", path);
        return xs_done(-XEN_EIO);
    }
    if (request.len > size)
        return xs_done(-XEN_E2BIG);
    memcpy(buf, request.body, request.len);
    return xs_done(count);
}

int xenbus_rm(xenbus_transaction_t t, const char *path)
{
    struct xs_part parts[] = { PATH(path) };

    return xs_done(xs_talk(t, XS_RM, parts, 1));
}

int xenbus_transaction_start(xenbus_transaction_t *t)
{
    /* The body is an empty string (xenstore.txt TRANSACTION_START). */
    struct xs_part parts[] = { PATH("") };
    int rc = xs_talk(XBT_NIL, XS_TRANSACTION_START, parts, 1);
    char *end;

    if (rc < 0)
        return xs_done(rc);
    /* The reply is the new transaction id in decimal. */
    unsigned long id = strtoul(request.body, &end, 10);
    if (*end || end == request.body || id == 0 || id > UINT32_MAX) {
        printk("xenbus: bad transaction id \"%s\"\n", request.body);
        return xs_done(-XEN_EIO);
    }
    *t = (xenbus_transaction_t)id;
    return xs_done(0);
}

int xenbus_transaction_end(xenbus_transaction_t t, bool abort)
{
    /* "T" commits, "F" aborts (xenstore.txt TRANSACTION_END). */
    struct xs_part parts[] = { PATH(abort ? "F" : "T") };

    return xs_done(xs_talk(t, XS_TRANSACTION_END, parts, 1));
}

int xenbus_transaction(int (*body)(xenbus_transaction_t t, void *ctx), void *ctx)
{
    for (int attempt = 0; attempt < MAX_TX_RETRIES; attempt++) {
        xenbus_transaction_t t;
        int rc = xenbus_transaction_start(&t);
        if (rc < 0)
            return rc;
        rc = body(t, ctx);
        if (rc) {
            xenbus_transaction_end(t, true);
            return rc;
        }
        rc = xenbus_transaction_end(t, false);
        /* EAGAIN: a conflicting write won; redo it all (xenstore.txt). */
        if (rc != -XEN_EAGAIN)
            return rc;
    }
    return -XEN_EAGAIN;
}

/* With watch_lock held: a free slot for a new watch, or -1. */
static int free_watch_slot(void)
{
    for (int id = 0; id < MAX_WATCHES; id++)
        if (watches[id].state == WATCH_FREE)
            return id;
    return -1;
}

static int send_watch(uint32_t type, int id)
{
    char token[16];

    snprintf(token, sizeof(token), "w%d", id);
    /* Body: path NUL token NUL (xs_wire.h XS_WATCH_PATH, XS_WATCH_TOKEN);
     * UNWATCH takes the path and token the watch was set with. */
    struct xs_part parts[] = { PATH(watches[id].path), PATH(token) };
    return xs_done(xs_talk(XBT_NIL, type, parts, 2));
}

static void set_watch_state(int id, enum watch_state state)
{
    unsigned long flags = spin_lock_irqsave(&watch_lock);
    watches[id].state = state;
    forget_watch_events(id);
    spin_unlock_irqrestore(&watch_lock, flags);
}

int xenbus_watch(const char *path, xenbus_watch_cb callback, void *ctx)
{
    size_t len = strlen(path);

    if (len > XENSTORE_ABS_PATH_MAX)
        return -XEN_E2BIG;
    char *copy = malloc(len + 1), *old = NULL;
    if (!copy)
        return -XEN_ENOMEM;
    memcpy(copy, path, len + 1);
    /* Taken under the lock: two threads never get the same slot. */
    unsigned long flags = spin_lock_irqsave(&watch_lock);
    int id = free_watch_slot();
    if (id >= 0) {
        old = watches[id].path;
        watches[id].path = copy;
        watches[id].state = WATCH_SET;
        watches[id].overflowed = false;
        watches[id].callback = callback;
        watches[id].ctx = ctx;
    }
    spin_unlock_irqrestore(&watch_lock, flags);
    free(id >= 0 ? old : copy);
    if (id < 0)
        return -XEN_ENOSPC;

    int rc = send_watch(XS_WATCH, id);
    if (rc < 0) {
        set_watch_state(id, WATCH_FREE);
        return rc;
    }
    return id;
}

int xenbus_unwatch(int id)
{
    if (id < 0 || id >= MAX_WATCHES)
        return -XEN_EINVAL;
    unsigned long flags = spin_lock_irqsave(&watch_lock);
    bool set = watches[id].state == WATCH_SET;
    if (set) {
        watches[id].state = WATCH_REMOVING;
        forget_watch_events(id);
    }
    spin_unlock_irqrestore(&watch_lock, flags);
    if (!set)
        return -XEN_EINVAL;
    int rc = send_watch(XS_UNWATCH, id);
    /* A callback of this watch running in another thread ends first; one
     * running in this thread is our caller, and waiting would be forever. */
    if (dispatcher != thread_self())
        wait_event(&callback_finished, running_watch != id);
    set_watch_state(id, WATCH_FREE);
    return rc;
}

/* A callback owed, taken off the queue (or an overflowed watch's). */
struct owed_callback {
    int id;
    xenbus_watch_cb callback;      /* NULL: the watch was removed since */
    void *ctx;
    const char *path;
    struct watch_event *event;     /* to free after the callback */
};

/* With watch_lock held: takes the next callback owed; false if none. */
static bool take_owed_callback(struct owed_callback *oc)
{
    struct watch_event *e = watch_queue_head;

    oc->event = e;
    if (e) {
        /* Dequeued before the callback runs: an event for the same path
         * arriving meanwhile is queued again, not coalesced into it. */
        watch_queue_head = e->next;
        if (!watch_queue_head)
            watch_queue_tail = &watch_queue_head;
        watch_queue_len--;
        oc->id = e->id;
        oc->path = e->path;
    } else {
        for (oc->id = 0; oc->id < MAX_WATCHES && !watches[oc->id].overflowed; oc->id++)
            ;
        if (oc->id == MAX_WATCHES)
            return false;
        watches[oc->id].overflowed = false;
        oc->path = watches[oc->id].path;
    }
    bool set = watches[oc->id].state == WATCH_SET;
    oc->callback = set ? watches[oc->id].callback : NULL;
    oc->ctx = watches[oc->id].ctx;
    if (set)
        running_watch = oc->id;
    return true;
}

/* Runs the owed callbacks in this thread, which holds dispatch_lock. */
static int run_owed_callbacks(void)
{
    struct owed_callback oc;
    int ran = 0;

    for (;;) {
        unsigned long flags = spin_lock_irqsave(&watch_lock);
        bool owed = take_owed_callback(&oc);
        spin_unlock_irqrestore(&watch_lock, flags);
        if (!owed)
            return ran;
        if (oc.callback) {
            oc.callback(oc.path, oc.ctx);
            ran++;
            flags = spin_lock_irqsave(&watch_lock);
            running_watch = -1;
            spin_unlock_irqrestore(&watch_lock, flags);
            waitqueue_wake_all(&callback_finished);
        }
        free(oc.event);
    }
}

int xenbus_dispatch_watches(void)
{
    xs_pump_holding(XENBUS_TEST_DISPATCH_HOLD_NS);
    mutex_lock(&dispatch_lock);
    dispatcher = thread_self();
    int ran = run_owed_callbacks();
    dispatcher = NULL;
    mutex_unlock(&dispatch_lock);
    if (ran) {
        callbacks_run += (unsigned long)ran;
        waitqueue_wake_all(&callbacks_done);
    }
    return ran;
}

/*
 * The watch thread: the one consumer of watch events, so callbacks run
 * whatever the application is doing (xl shutdown works for an app that
 * never thinks of xenstore), in thread context where they may talk to
 * xenstore themselves.
 */
static int watch_thread(void *arg)
{
    (void)arg;
    while (!broken) {
        unsigned long seen = progress;
        xs_pump();
        if (watch_work_pending())
            xenbus_dispatch_watches();
        else
            wait_for_progress(seen);
    }
    printk("xenbus: ring broken, watch thread stops\n");
    return 0;
}

void xenbus_wait_for_watches(void)
{
    unsigned long seen = callbacks_run;

    wait_event(&callbacks_done, callbacks_run != seen || broken);
}

bool xenbus_available(void)
{
    return intf && !broken;
}

/*
 * Suspend (lifecycle/suspend.h): holding xs_lock from before the suspend to
 * after it keeps xenstore idle, no request half-sent or half-answered. A
 * new domain has a new store event channel, and the new xenstored knows
 * none of our watches: set each again, with its old token.
 */
static void xenbus_suspend(void)
{
    mutex_lock(&xs_lock);
}

static void xenbus_resume_masked(bool new_domain)
{
    if (!new_domain)
        return;
    store_port = start_info->store_evtchn;
    evtchn_bind_existing(store_port, store_event, NULL);
}

static void xenbus_resume(bool new_domain)
{
    mutex_unlock(&xs_lock);
    if (!new_domain)
        return;
    for (int id = 0; id < MAX_WATCHES; id++) {
        if (watches[id].state != WATCH_SET)
            continue;
        int rc = send_watch(XS_WATCH, id);
        if (rc < 0)
            printk("xenbus: cannot set the watch on %s again: %d\n", watches[id].path, rc);
    }
}

static struct suspend_hook xenbus_suspend_hook = {
    .name = "xenbus", .suspend = xenbus_suspend, .resume_masked = xenbus_resume_masked,
    .resume = xenbus_resume,
};

int xenbus_init(void)
{
    if (xen_initial_domain() || !start_info->store_mfn)
        return -XEN_ENODEV;
    /* The ring is one of our own pages, named by its mfn (xen.h start_info
     * store_mfn): map it as DOMID_SELF. */
    intf = map_foreign_page(start_info->store_mfn, DOMID_SELF);
    if (!intf)
        return -XEN_EIO;
    xs_rx_init(&rx);
    store_port = start_info->store_evtchn;
    int rc = evtchn_bind_existing(store_port, store_event, NULL);
    if (rc < 0) {
        intf = NULL;
        return rc;
    }
    suspend_hook_add(&xenbus_suspend_hook);
    if (!thread_create("xenbus-watches", watch_thread, NULL))
        panic("no memory for the xenbus watch thread");
    return 0;
}
