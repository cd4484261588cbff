/* SPDX-License-Identifier: MIT */
/*
 * The console layer: routes output to the back end chosen at boot (dom0.c or
 * domu.c) and queues input for console_read.
 *
 * Until console_init() runs, and for the emergency path, output goes through
 * the console_io hypercall, which needs no setup at all.
 */
#include <console.h>
#include <events.h>
#include <hypercall.h>
#include <kernel.h>
#include <spinlock.h>
#include <thread.h>
#include <xen_shared.h>
#include "backend.h"

void console_emergency_write(const char *buf, size_t len)
{
    /* CONSOLEIO_write takes an unsigned int count; chunk to be safe. */
    while (len) {
        unsigned int n = len > 4096 ? 4096 : (unsigned int)len;
        HYPERVISOR_console_io(CONSOLEIO_write, n, buf);
        buf += n;
        len -= n;
    }
}

static const struct console_backend *backend = &console_dom0_backend;
static bool emergency;
bool console_events_up;

void console_init(void)
{
    if (xen_initial_domain())
        backend = &console_dom0_backend;
    else if (console_domu_attach())
        backend = &console_domu_backend;
}

void console_events_init(void)
{
    /* mm is up by now: give a domU's ring its proper mapping (or its first,
     * if it was not in the boot mapping). */
    if (!xen_initial_domain() && console_domu_remap())
        backend = &console_domu_backend;
    console_events_up = true;
    if (backend->start_input)
        backend->start_input();
}

void console_use_ring(struct xencons_interface *page, evtchn_port_t port)
{
    console_domu_use(page, port);
    backend = &console_domu_backend;
    if (console_events_up)
        backend->start_input();
}

/* One thread's write at a time: a write that waits for ring space sleeps,
 * and another thread's line must not land inside it. Writers are served in
 * the order they came (tickets), so a thread printing in a loop cannot
 * starve another one (an unfair lock let it retake the console at once).
 * Writes with events masked (handlers, spinlock holders) cannot sleep here
 * and go straight through, as does a report printed from inside a write;
 * they are short. */
static unsigned long writer_next, writer_serving;
static struct waitqueue writer_wait;
static struct thread *writer_owner;

static void writer_lock(void)
{
    unsigned long flags = waitqueue_lock();
    unsigned long ticket = writer_next++;

    while (writer_serving != ticket)
        waitqueue_sleep(&writer_wait);
    writer_owner = thread_self();
    waitqueue_unlock(flags);
}

static void writer_unlock(void)
{
    unsigned long flags = waitqueue_lock();

    writer_owner = NULL;
    writer_serving++;
    waitqueue_wake_all(&writer_wait);
    waitqueue_unlock(flags);
}

void console_write(const char *buf, size_t len)
{
    if (!emergency && console_events_up && !local_irq_is_disabled() &&
        writer_owner != thread_self()) {
        writer_lock();
        backend->write(buf, len);
        writer_unlock();
    } else if (!emergency)
        backend->write(buf, len);
    else if (backend->write_emergency)
        backend->write_emergency(buf, len);
    else
        console_emergency_write(buf, len);
}

void console_emergency_mode(void)
{
    emergency = true;
}

const char *console_backend_name(void)
{
    return backend->name;
}

/*
 * Input queue: bytes the back end delivered and no one has read yet. Filled
 * in event context (or by console_read's poll), emptied by console_read;
 * input_lock below keeps the two apart, on one vCPU or several.
 */
#define INPUT_QUEUE_SIZE 4096u      /* a power of two: indices wrap freely */
static char input_queue[INPUT_QUEUE_SIZE];
static unsigned int input_prod, input_cons;
/* The back end pushes from its event handler on the vCPU its port is bound
 * to, or from console_read's poll on the reader's; readers may run on any
 * vCPU. The lock keeps the indices and bytes consistent between them. */
static spinlock_t input_lock = SPINLOCK_INIT;
static console_input_fn input_handler;
static void *input_handler_ctx;

size_t console_input_room(void)
{
    if (input_handler)
        return INPUT_QUEUE_SIZE;
    return INPUT_QUEUE_SIZE - (input_prod - input_cons);
}

void console_input_push(const char *buf, size_t len)
{
    if (input_handler) {
        input_handler(buf, len, input_handler_ctx);
        return;
    }
    /* Back ends push at most console_input_room(); never overwrite. */
    unsigned long flags = spin_lock_irqsave(&input_lock);
    for (size_t i = 0; i < len && input_prod - input_cons < INPUT_QUEUE_SIZE; i++)
        input_queue[input_prod++ % INPUT_QUEUE_SIZE] = buf[i];
    spin_unlock_irqrestore(&input_lock, flags);
}

void console_set_input_handler(console_input_fn fn, void *ctx)
{
    unsigned long flags = console_events_up ? local_irq_save() : 0;

    input_handler_ctx = ctx;
    input_handler = fn;
    if (console_events_up)
        local_irq_restore(flags);
}

bool console_input_ready(void)
{
    return __atomic_load_n(&input_prod, __ATOMIC_RELAXED) !=
           __atomic_load_n(&input_cons, __ATOMIC_RELAXED);
}

size_t console_read(char *buf, size_t len)
{
    if (!len || !console_events_up)
        return 0;
    wait_until(input_prod != input_cons);

    unsigned long flags = spin_lock_irqsave(&input_lock);
    size_t n = 0;
    while (n < len && input_cons != input_prod)
        buf[n++] = input_queue[input_cons++ % INPUT_QUEUE_SIZE];
    spin_unlock_irqrestore(&input_lock, flags);
    /* Input left with the back end while the queue was full raises no new
     * event: fetch it now that there is room (the push takes the lock). */
    if (backend->poll_input) {
        flags = local_irq_save();
        backend->poll_input();
        local_irq_restore(flags);
    }
    return n;
}
