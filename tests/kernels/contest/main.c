/* SPDX-License-Identifier: MIT */
/*
 * contest: the console boot tests' kernel. argv[1] names the scenario.
 *
 *   flood LINES   LINES lines of 64 bytes with a known pattern through printk
 *                 (16384 lines = 1 MiB): line i is "P%06u " and 56 letters,
 *                 letter j being 'a' + (7i + j) % 26. The test recomputes it.
 *   handler N     registers an input handler and waits until it has seen N
 *                 bytes, then prints how many it got and their sum.
 *
 * The ring scenarios move the console onto a xencons ring page inside this
 * domain, with a loopback event channel, and play xenconsoled themselves:
 * the fake back end empties out[] onto console_emergency_write (so the test
 * sees it in the serial log) only on a 10 ms timer tick
 * (include/timer.h), so a writer that fills the ring must block until then.
 *   ring_flood LINES  the flood above through the ring; then how often the
 *                     writer blocked
 *   ring_input        the back end types a line into in[]; console_read
 *                     gets it
 *   ring_hostile      the back end claims impossible in_prod and out_cons;
 *                     the console reports it and carries on
 *   ring_wedged       the back end stops; a panic still gets out
 */
#include <console.h>
#include <clock.h>
#include <events.h>
#include <timer.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <xen_shared.h>
#include <arch/barrier.h>

static void flood(unsigned long lines)
{
    char text[57];

    for (unsigned long i = 0; i < lines; i++) {
        for (unsigned j = 0; j < 56; j++)
            text[j] = (char)('a' + (7 * i + j) % 26);
        text[56] = '\0';
        printk("P%06lu %s\n", i, text);
    }
    printk("flood: done lines=%lu bytes=%lu\n", lines, lines * 64);
}

struct input_count {
    unsigned long bytes;
    unsigned long sum;
};

static void count_input(const char *buf, size_t len, void *ctx)
{
    struct input_count *c = ctx;

    for (size_t i = 0; i < len; i++)
        c->sum += (unsigned char)buf[i];
    c->bytes += len;
}

static void handler(unsigned long want)
{
    static struct input_count count;

    console_set_input_handler(count_input, &count);
    printk("handler: ready for %lu bytes\n", want);
    wait_until(count.bytes >= want);
    console_set_input_handler(NULL, NULL);
    printk("handler: got bytes=%lu sum=%lu\n", count.bytes, count.sum);
}

static char fake_page[4096] __attribute__((aligned(4096)));
static struct xencons_interface *const fake = (struct xencons_interface *)fake_page;
static evtchn_port_t front, back;
static bool wedged;
static unsigned long ticks_consumed;

/* xenconsoled's side of io/console.h: read out_prod, barrier, copy, barrier,
 * publish out_cons, notify. */
static void fake_consume(void)
{
    XENCONS_RING_IDX cons = fake->out_cons, prod = READ_ONCE(fake->out_prod);
    char chunk[sizeof(fake->out)];
    size_t n = 0;

    if (wedged)
        return;
    xen_rmb();
    while (cons != prod && n < sizeof(chunk))
        chunk[n++] = fake->out[MASK_XENCONS_IDX(cons++, fake->out)];
    if (!n)
        return;
    console_emergency_write(chunk, n);
    xen_mb();
    WRITE_ONCE(fake->out_cons, cons);
    ticks_consumed++;
    evtchn_send(back);
}

static struct timer fake_timer;

static void fake_tick(struct timer *t, void *ctx)
{
    (void)ctx;
    fake_consume();
    timer_arm(t, monotonic_ns() + 10 * NSEC_PER_MSEC);
}

static void fake_notified(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
}

static void ring_setup(void)
{
    int f = evtchn_alloc_unbound(DOMID_SELF, fake_notified, NULL);
    int b = f < 0 ? f : evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)f, fake_notified, NULL);
    if (b < 0)
        panic("ring: cannot set up the loopback back end");
    front = (evtchn_port_t)f;
    back = (evtchn_port_t)b;
    timer_init(&fake_timer, fake_tick, NULL);
    timer_arm(&fake_timer, monotonic_ns() + 10 * NSEC_PER_MSEC);
    console_use_ring(fake, front);
    printk("ring: console on a loopback ring, ports %u<->%u\n", front, back);
}

/* Waits for the back end to take everything (before shutdown prints). */
static void ring_drain(void)
{
    wait_until(READ_ONCE(fake->out_cons) == READ_ONCE(fake->out_prod));
}

static int ring_flood(unsigned long lines)
{
    ring_setup();
    unsigned long blocks0 = event_stats.blocks;
    flood(lines);
    unsigned long blocks = event_stats.blocks - blocks0;
    ring_drain();
    printk("ring_flood: writer blocked %lu times, back end ran %lu times\n", blocks,
           ticks_consumed);
    ring_drain();
    return 0;
}

/* The back end's side of in[]: what fits, then publish in_prod, notify. */
static void fake_type(const char *s)
{
    XENCONS_RING_IDX prod = fake->in_prod;

    while (*s && prod - READ_ONCE(fake->in_cons) < sizeof(fake->in))
        fake->in[MASK_XENCONS_IDX(prod++, fake->in)] = *s++;
    xen_wmb();
    WRITE_ONCE(fake->in_prod, prod);
    evtchn_send(back);
}

static int ring_input(void)
{
    char line[128];
    size_t used = 0;

    ring_setup();
    fake_type("typed into the ring\n");
    while (used < sizeof(line) - 1) {
        size_t n = console_read(line + used, sizeof(line) - 1 - used);
        used += n;
        if (memchr(line, '\n', used))
            break;
    }
    line[used] = '\0';
    printk("ring_input: read %s", line);
    ring_drain();
    return 0;
}

static int ring_hostile(void)
{
    ring_setup();
    unsigned long flags = local_irq_save();
    WRITE_ONCE(fake->in_prod, fake->in_cons + 5000);    /* more than in[] holds */
    local_irq_restore(flags);
    evtchn_send(back);
    printk("ring_hostile: after a bad in_prod\n");
    ring_drain();
    flags = local_irq_save();
    WRITE_ONCE(fake->out_cons, fake->out_prod + 100);   /* consumed unwritten bytes */
    local_irq_restore(flags);
    printk("ring_hostile: after a bad out_cons\n");
    ring_drain();
    fake_type("still works\n");
    char buf[32] = "";
    size_t n = console_read(buf, sizeof(buf) - 1);
    buf[n] = '\0';
    printk("ring_hostile: then read %s", buf);
    ring_drain();
    return 0;
}

static int ring_wedged(void)
{
    char fill[64];

    ring_setup();
    ring_drain();
    wedged = true;
    memset(fill, 'w', sizeof(fill) - 1);
    fill[sizeof(fill) - 1] = '\0';
    /* 1920 bytes: fits without blocking, and is never consumed. */
    for (int i = 0; i < 30; i++)
        printk("%.62s\n", fill);
    panic("ring wedged, out_prod - out_cons = %u", fake->out_prod - fake->out_cons);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "ring_flood"))
        return ring_flood(strtoul(argv[2], NULL, 0));
    if (argc == 2 && !strcmp(argv[1], "ring_input"))
        return ring_input();
    if (argc == 2 && !strcmp(argv[1], "ring_hostile"))
        return ring_hostile();
    if (argc == 2 && !strcmp(argv[1], "ring_wedged"))
        return ring_wedged();
    if (argc == 3 && !strcmp(argv[1], "flood")) {
        flood(strtoul(argv[2], NULL, 0));
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "handler")) {
        handler(strtoul(argv[2], NULL, 0));
        return 0;
    }
    printk("contest: unknown scenario\n");
    return 2;
}
