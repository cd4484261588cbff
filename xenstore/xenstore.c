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
 */
#include <arch/barrier.h>
#include <events.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <suspend.h>
#include <thread.h>
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

static struct {
    bool in_use;
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

static void queue_watch_event(void)
{
    const char *path, *token;
    char *end;

    xenbus_stats.watch_events++;
    if (!xs_watch_event_parse(&rx, &path, &token)) {
        printk("xenbus: malformed watch event dropped\n");
        xenbus_stats.watch_events_dropped++;
        return;
    }
    /* Our tokens are "w<id>" (xenbus_watch). */
    unsigned long id = token[0] == 'w' ? strtoul(token + 1, &end, 10) : MAX_WATCHES;
    if (token[0] != 'w' || *end || id >= MAX_WATCHES || !watches[id].in_use) {
        xenbus_stats.watch_events_dropped++;
        return;
    }
    if (watches[id].overflowed)
        return;
    for (struct watch_event *e = watch_queue_head; e; e = e->next) {
        if (e->id == (int)id && !strcmp(e->path, path)) {
            xenbus_stats.watch_events_coalesced++;
            return;
        }
    }
    size_t len = strlen(path);
    struct watch_event *e = watch_queue_len < WATCH_QUEUE_MAX ? malloc(sizeof(*e) + len + 1) : NULL;
    if (!e) {
        watches[id].overflowed = true;
        return;
    }
    e->next = NULL;
    e->id = (int)id;
    memcpy(e->path, path, len + 1);
    *watch_queue_tail = e;
    watch_queue_tail = &e->next;
    if (++watch_queue_len > xenbus_stats.watch_queue_max)
        xenbus_stats.watch_queue_max = watch_queue_len;
}

/* Drops the queued events of a removed watch, so a watch that reuses its id
 * does not get them. */
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
    if (watch_queue_head)
        return true;
    for (int id = 0; id < MAX_WATCHES; id++) {
        if (watches[id].overflowed)
            return true;
    }
    return false;
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
            request.done = true;
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

/* A try-lock, not a wait: whoever holds it delivers what this caller would
 * have, and wakes it. Atomic, so it stays one pump on several vCPUs too. */
static void xs_pump(void)
{
    if (broken || __atomic_test_and_set(&pumping, __ATOMIC_ACQUIRE))
        return;
    xs_pump_locked();
    __atomic_clear(&pumping, __ATOMIC_RELEASE);
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
        else if (request.done)
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

int xenbus_watch(const char *path, xenbus_watch_cb callback, void *ctx)
{
    int id;
    char token[16];

    for (id = 0; id < MAX_WATCHES && watches[id].in_use; id++)
        ;
    if (id == MAX_WATCHES)
        return -XEN_ENOSPC;
    size_t len = strlen(path);
    if (len > XENSTORE_ABS_PATH_MAX)
        return -XEN_E2BIG;
    char *copy = malloc(len + 1);
    if (!copy)
        return -XEN_ENOMEM;
    memcpy(copy, path, len + 1);
    free(watches[id].path);
    watches[id].path = copy;
    snprintf(token, sizeof(token), "w%d", id);
    watches[id].in_use = true;
    watches[id].overflowed = false;
    watches[id].callback = callback;
    watches[id].ctx = ctx;

    /* Body: path NUL token NUL (xs_wire.h XS_WATCH_PATH, XS_WATCH_TOKEN). */
    struct xs_part parts[] = { PATH(path), PATH(token) };
    int rc = xs_done(xs_talk(XBT_NIL, XS_WATCH, parts, 2));
    if (rc < 0) {
        watches[id].in_use = false;
        return rc;
    }
    return id;
}

int xenbus_unwatch(int id)
{
    char token[16];

    if (id < 0 || id >= MAX_WATCHES || !watches[id].in_use)
        return -XEN_EINVAL;
    snprintf(token, sizeof(token), "w%d", id);
    /* Body: the path and token the watch was set with (xenstore.txt UNWATCH). */
    struct xs_part parts[] = { PATH(watches[id].path), PATH(token) };
    int rc = xs_done(xs_talk(XBT_NIL, XS_UNWATCH, parts, 2));
    watches[id].in_use = false;
    forget_watch_events(id);
    return rc;
}

/* Runs one watch's callback, unless it was removed after the event came. */
static bool run_watch_callback(int id, const char *path)
{
    if (!watches[id].in_use)
        return false;
    watches[id].callback(path, watches[id].ctx);
    return true;
}

int xenbus_dispatch_watches(void)
{
    int ran = 0;

    xs_pump();
    while (watch_work_pending()) {
        struct watch_event *e = watch_queue_head;
        if (e) {
            /* Dequeued before the callback runs: an event for the same path
             * arriving meanwhile is queued again, not coalesced into it. */
            watch_queue_head = e->next;
            if (!watch_queue_head)
                watch_queue_tail = &watch_queue_head;
            watch_queue_len--;
            ran += run_watch_callback(e->id, e->path);
            free(e);
            continue;
        }
        for (int id = 0; id < MAX_WATCHES; id++) {
            if (watches[id].overflowed) {
                watches[id].overflowed = false;
                ran += run_watch_callback(id, watches[id].path);
            }
        }
    }
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
        if (!watches[id].in_use)
            continue;
        char token[16];
        snprintf(token, sizeof(token), "w%d", id);
        struct xs_part parts[] = { PATH(watches[id].path), PATH(token) };
        int rc = xs_done(xs_talk(XBT_NIL, XS_WATCH, parts, 2));
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
