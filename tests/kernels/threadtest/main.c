/* SPDX-License-Identifier: MIT */
/*
 * threadtest: boot tests of threads, wait queues and locks
 * (tests/boot/threads.sh). argv[1] names the scenario.
 */
#include <clock.h>
#include <events.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>
#include <thread.h>
#include <timer.h>

/* Interleaving: two threads yield in turn; the trace shows the order. */
static char trace[64];
static int trace_len;

static int yielder(void *arg)
{
    char c = (char)(long)arg;
    for (int i = 0; i < 3; i++) {
        trace[trace_len++] = c;
        thread_yield();
    }
    return c;
}

static int interleave(void)
{
    struct thread *a = thread_create("a", yielder, (void *)'a');
    struct thread *b = thread_create("b", yielder, (void *)'b');
    int ra = thread_join(a), rb = thread_join(b);
    trace[trace_len] = '\0';
    printk("interleave: trace=%s exits=%c%c\n", trace, ra, rb);
    return strcmp(trace, "ababab") || ra != 'a' || rb != 'b';
}

/* A thread waiting on a wait queue is woken by an event handler. */
static struct waitqueue wq;
static volatile int delivered;

static void wake_handler(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    delivered++;
    waitqueue_wake_all(&wq);
}

static int waiter(void *arg)
{
    (void)arg;
    wait_event(&wq, delivered > 0);
    printk("waiter: woken with delivered=%d\n", delivered);
    return 42;
}

static int event_wake(void)
{
    int a = evtchn_alloc_unbound(DOMID_SELF, wake_handler, NULL);
    int b = evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a, NULL, NULL);
    delivered = 0;                  /* bind_interdomain's initial notification */
    struct thread *t = thread_create("waiter", waiter, NULL);
    thread_yield();                 /* let it start waiting */
    printk("event_wake: waiter started, delivered=%d\n", delivered);
    evtchn_send((evtchn_port_t)b);
    int value = thread_join(t);
    printk("event_wake: join returned %d\n", value);
    return value != 42;
}

/* Mutex and semaphore: producers/consumers with a counter under a mutex. */
static struct mutex lock;
static struct semaphore items;
static long counter;

static int producer(void *arg)
{
    for (int i = 0; i < 1000; i++) {
        mutex_lock(&lock);
        long v = counter;
        thread_yield();             /* another thread runs while we hold the lock */
        counter = v + 1;
        mutex_unlock(&lock);
        semaphore_up(&items);
    }
    return (int)(long)arg;
}

static int locks(void)
{
    struct thread *p1 = thread_create("p1", producer, (void *)1);
    struct thread *p2 = thread_create("p2", producer, (void *)2);
    for (int i = 0; i < 2000; i++)
        semaphore_down(&items);
    thread_join(p1);
    thread_join(p2);
    printk("locks: counter=%ld items_left=%lu\n", counter, items.count);
    return counter != 2000 || items.count != 0;
}

/* Many threads, created and joined: stacks come back to the allocator. */
static int add_one(void *arg)
{
    return (int)(long)arg + 1;
}

static int churn(void)
{
    unsigned long free_before = free_page_count();
    long sum = 0;

    for (int round = 0; round < 100; round++) {
        struct thread *t[20];
        for (int i = 0; i < 20; i++)
            t[i] = thread_create("churn", add_one, (void *)(long)i);
        for (int i = 0; i < 20; i++)
            sum += thread_join(t[i]);
    }
    printk("churn: 2000 threads, sum=%ld, free pages %lu -> %lu\n", sum, free_before,
           free_page_count());
    return sum != 100 * 210 || free_page_count() != free_before;
}

/* Overflowing a thread's stack hits its guard page and stops the domain. */
static volatile int keep_going = 1;

static int __attribute__((noinline)) recurse(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    /* keep_going is always 1; it only hides the endless recursion from GCC. */
    return keep_going ? recurse(depth + 1) + pad[0] : 0;
}

static int overflow_thread(void *arg)
{
    (void)arg;
    return recurse(0);
}

static int overflow(void)
{
    struct thread *t = thread_create("overflow", overflow_thread, NULL);
    thread_join(t);
    printk("overflow: still running after the overflow\n");
    return 1;
}

/* Two threads sleeping for different periods wake in deadline order:
 * a at 100, 200, 300, 400 ms; b at 250 ms. */
static int sleeper(void *arg)
{
    const char *spec = arg;             /* letter, period in 100 ms, count */
    uint64_t start = monotonic_ns();

    for (int i = 1; i <= spec[2] - '0'; i++) {
        sleep_until(start + (uint64_t)i * (spec[1] - '0') * 50 * NSEC_PER_MSEC);
        trace[trace_len++] = spec[0];
    }
    return 0;
}

static int sleepers(void)
{
    trace_len = 0;
    struct thread *a = thread_create("a", sleeper, "a24");
    struct thread *b = thread_create("b", sleeper, "b51");
    thread_join(a);
    thread_join(b);
    trace[trace_len] = '\0';
    printk("sleepers: order=%s\n", trace);
    return strcmp(trace, "aabaa") != 0;
}

int main(int argc, char **argv)
{
    const char *s = argc > 1 ? argv[1] : "";

    if (!strcmp(s, "interleave")) return interleave();
    if (!strcmp(s, "event_wake")) return event_wake();
    if (!strcmp(s, "locks")) return locks();
    if (!strcmp(s, "churn")) return churn();
    if (!strcmp(s, "sleepers")) return sleepers();
    if (!strcmp(s, "overflow")) return overflow();
    printk("threadtest: unknown scenario '%s'\n", s);
    return 2;
}
