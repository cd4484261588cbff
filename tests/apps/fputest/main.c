/* SPDX-License-Identifier: MIT */
/*
 * fputest: floating point in threads and next to event handlers, through
 * the public API only. Usage: fputest threads|handler|handler-modes.
 *
 *   threads  two threads, each in its own SSE rounding mode (MXCSR) and each
 *            holding its own value in %xmm15, sum 1/3 in steps with sleeps and
 *            yields in between, so they switch in mid-calculation. Each
 *            result must equal the same sum done again without switches, and
 *            %xmm15 and MXCSR must come back as the thread left them.
 *   handler  a timer re-arming itself every 20 us runs its handler while
 *            the main thread computes, and while it spins with a value held
 *            in %xmm15: the result and the register are undisturbed.
 *   handler-modes  the main thread rounds up, flushes to zero and unmasks
 *            SSE divide-by-zero (and rounds x87 toward zero) while a timer
 *            handler divides by zero: the handler runs with the default
 *            control state (no #XM), and the thread gets its own back.
 */
#include <mote.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MXCSR_ROUND_DOWN (1u << 13)
#define MXCSR_ROUND_UP   (2u << 13)
#define MXCSR_FLAGS      0x3fu          /* sticky exception flags (inexact, ...) */
#define MXCSR_DEFAULT    0x1f80u        /* reset: all masked, round to nearest */
#define MXCSR_ZERO_MASK  (1u << 9)      /* divide-by-zero masked */
#define MXCSR_FTZ        (1u << 15)
#define FCW_DEFAULT      0x037fu        /* FNINIT */
#define FCW_ROUND_ZERO   (3u << 10)

static unsigned int get_mxcsr(void)
{
    unsigned int v;
    asm volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void set_mxcsr(unsigned int v)
{
    asm volatile("ldmxcsr %0" : : "m"(v));
}

/* 1/3 added `steps` times; the rounding mode decides every step. */
static double third_sum(int steps, double start)
{
    volatile double third_num = 1.0, third_den = 3.0;   /* not folded at compile time */
    double s = start;

    for (int i = 0; i < steps; i++)
        s += third_num / third_den;
    return s;
}

/*
 * Calls fn() with `value` in %xmm15 and returns what %xmm15 holds after it.
 * The ABI lets a callee clobber every XMM register, and a C compiler never
 * keeps one live across a call; here the callees (kernel code, which never
 * touches them, and any thread switched to meanwhile, which does) are
 * exactly what is tested.
 */
static uint64_t hold_xmm15_across(void (*fn)(void), uint64_t value)
{
    uint64_t out;

    asm volatile("movq %[in], %%xmm15\n\t"
                 "mov %%rsp, %%rbx\n\t"
                 "and $-16, %%rsp\n\t"          /* the ABI's alignment at the call */
                 "call *%[fn]\n\t"
                 "mov %%rbx, %%rsp\n\t"
                 "movq %%xmm15, %[out]"
                 : [out] "=r"(out)
                 : [in] "r"(value), [fn] "r"(fn)
                 : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
                   "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
                   "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
                   "memory", "cc");
    return out;
}

static void short_sleep(void)
{
    sleep_ns(200 * NSEC_PER_USEC);
}

struct worker {
    const char *name;
    unsigned int mxcsr;
    uint64_t pattern;
    double sum;
    int failures;
};

static int work(void *arg)
{
    struct worker *w = arg;
    double s = 0;

    set_mxcsr(w->mxcsr);
    for (int round = 0; round < 40; round++) {
        s = third_sum(1000, s);
        uint64_t back = hold_xmm15_across(round % 2 ? short_sleep : thread_yield,
                                          w->pattern + (uint64_t)round);
        if (back != w->pattern + (uint64_t)round) {
            printf("fputest: %s: %%xmm15 was %#lx, now %#lx\n", w->name,
                   (unsigned long)(w->pattern + (uint64_t)round), (unsigned long)back);
            w->failures++;
        }
        if ((get_mxcsr() & ~MXCSR_FLAGS) != w->mxcsr) {
            printf("fputest: %s: MXCSR was %#x, now %#x\n", w->name, w->mxcsr,
                   get_mxcsr() & ~MXCSR_FLAGS);
            w->failures++;
        }
    }
    w->sum = s;
    return 0;
}

static int test_threads(void)
{
    struct worker up = { "up", 0x1f80 | MXCSR_ROUND_UP, 0x1111222233330000ull, 0, 0 };
    struct worker down = { "down", 0x1f80 | MXCSR_ROUND_DOWN, 0x4444555566660000ull, 0, 0 };
    struct thread *a = thread_create("up", work, &up);
    struct thread *b = thread_create("down", work, &down);

    if (!a || !b)
        return 1;
    thread_join(a);
    thread_join(b);

    /* The same sums again, without any switch in between. */
    unsigned int saved = get_mxcsr();
    double expect_up, expect_down;
    set_mxcsr(up.mxcsr);
    expect_up = third_sum(40000, 0);
    set_mxcsr(down.mxcsr);
    expect_down = third_sum(40000, 0);
    set_mxcsr(saved);

    printf("fputest: up %.17g (expected %.17g), down %.17g (expected %.17g)\n", up.sum,
           expect_up, down.sum, expect_down);
    bool ok = up.sum == expect_up && down.sum == expect_down && up.sum != down.sum &&
              !up.failures && !down.failures;
    printf("fputest: threads %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

static struct timer ticker;
static volatile unsigned long ticks;

/*
 * A handler that does floating point itself and clobbers SSE registers
 * outright, and calls the C library's clock_gettime (built with SSE): the
 * upcall saves the interrupted thread's registers around it, so the work
 * it interrupts still comes out exact.
 */
static volatile double handler_result;

static void tick(struct timer *t, void *ctx)
{
    struct timespec ts;
    double x = (double)ticks;

    (void)ctx;
    for (int i = 0; i < 8; i++)
        x = x * 1.5 + 0.25;
    handler_result = x;
    clock_gettime(CLOCK_REALTIME, &ts);
    asm volatile ("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpcmpeqd %%xmm15, %%xmm15"
                  ::: "xmm0", "xmm1", "xmm15");
    ticks++;
    timer_arm(t, monotonic_ns() + 20 * NSEC_PER_USEC);
}

static void spin_for_ticks(void)
{
    unsigned long until = ticks + 50;

    while (ticks < until)
        ;
}

static int test_handler(void)
{
    double quiet = third_sum(2000000, 0);

    timer_init(&ticker, tick, NULL);
    timer_arm(&ticker, monotonic_ns());
    unsigned long before = ticks;
    double busy = third_sum(2000000, 0);
    uint64_t back = hold_xmm15_across(spin_for_ticks, 0x7777888899990000ull);
    unsigned long during = ticks - before;
    timer_cancel(&ticker);

    printf("fputest: %lu handler runs during the work; sum %.17g (expected %.17g), "
           "%%xmm15 %#lx\n", during, busy, quiet, (unsigned long)back);
    bool ok = during >= 50 && busy == quiet && back == 0x7777888899990000ull;
    printf("fputest: handler %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

static unsigned int get_fcw(void)
{
    unsigned short v;
    asm volatile("fnstcw %0" : "=m"(v));
    return v;
}

static void set_fcw(unsigned int v)
{
    unsigned short cw = (unsigned short)v;
    asm volatile("fldcw %0" : : "m"(cw));
}

/* What the handler found, the first time it found other than the default. */
static volatile unsigned int seen_mxcsr = MXCSR_DEFAULT, seen_fcw = FCW_DEFAULT;
static volatile unsigned long mode_ticks;

static void modes_tick(struct timer *t, void *ctx)
{
    volatile double zero = 0.0;

    (void)ctx;
    unsigned int mxcsr = get_mxcsr() & ~MXCSR_FLAGS, fcw = get_fcw();
    if (mxcsr != MXCSR_DEFAULT && seen_mxcsr == MXCSR_DEFAULT)
        seen_mxcsr = mxcsr;
    if (fcw != FCW_DEFAULT && seen_fcw == FCW_DEFAULT)
        seen_fcw = fcw;
    /* Infinity with the default MXCSR; #XM with the thread's. */
    handler_result = 1.0 / zero;
    mode_ticks++;
    timer_arm(t, monotonic_ns() + 20 * NSEC_PER_USEC);
}

static int test_handler_modes(void)
{
    const unsigned int mxcsr = (MXCSR_DEFAULT & ~MXCSR_ZERO_MASK) | MXCSR_ROUND_UP | MXCSR_FTZ;
    const unsigned int fcw = FCW_DEFAULT | FCW_ROUND_ZERO;
    unsigned int saved_mxcsr = get_mxcsr(), saved_fcw = get_fcw();

    timer_init(&ticker, modes_tick, NULL);
    timer_arm(&ticker, monotonic_ns());
    set_mxcsr(mxcsr);
    set_fcw(fcw);
    unsigned long until = mode_ticks + 50;
    while (mode_ticks < until)
        ;
    unsigned int back_mxcsr = get_mxcsr() & ~MXCSR_FLAGS, back_fcw = get_fcw();
    set_mxcsr(saved_mxcsr);
    set_fcw(saved_fcw);
    timer_cancel(&ticker);

    printf("fputest: handler-modes: thread MXCSR %#x FCW %#x; %lu handler runs saw MXCSR %#x "
           "FCW %#x; thread's after them MXCSR %#x FCW %#x\n", mxcsr, fcw, mode_ticks,
           seen_mxcsr, seen_fcw, back_mxcsr, back_fcw);
    bool ok = seen_mxcsr == MXCSR_DEFAULT && seen_fcw == FCW_DEFAULT && back_mxcsr == mxcsr &&
              back_fcw == fcw;
    printf("fputest: handler-modes %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "threads"))
        return test_threads();
    if (argc > 1 && !strcmp(argv[1], "handler"))
        return test_handler();
    if (argc > 1 && !strcmp(argv[1], "handler-modes"))
        return test_handler_modes();
    printf("usage: fputest threads|handler|handler-modes\n");
    return 2;
}
