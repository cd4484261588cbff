/* SPDX-License-Identifier: MIT */
/*
 * mote application API: one-shot timers and sleeping. Deadlines are
 * absolute nanoseconds on the monotonic_ns() timeline (<mote/time.h>).
 */
#ifndef MOTE_TIMER_H
#define MOTE_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* The timer queue's links (lib/timer_heap.c). Kernel-private: applications
 * only allocate struct timer and use the functions below. */
struct timerq_node {
    struct timerq_node *parent, *left, *right;
    uint64_t key;       /* the deadline */
    uint64_t seq;       /* insertion order, to break ties */
    bool queued;
};

struct timer;
/* Runs as an event handler (docs/api.md: short, no waiting, no FP). */
typedef void (*timer_fn)(struct timer *t, void *ctx);

struct timer {
    struct timerq_node node;  /* first: the queue links timers through it */
    timer_fn fn;
    void *ctx;
    unsigned int cpu;         /* the vCPU whose queue it is on: the one that armed it */
};

/* Prepares `t` to call fn(t, ctx); it starts not armed. */
void timer_init(struct timer *t, timer_fn fn, void *ctx);
/* Arms `t` for `deadline_ns`, moving it if already armed. A deadline in the
 * past fires at once. */
void timer_arm(struct timer *t, uint64_t deadline_ns);
/* Disarms `t`; returns whether it was armed. Harmless on a timer that has
 * fired or was never armed. From a thread it returns with `t` neither armed
 * nor running on any vCPU, even if its function arms it again; from an
 * event handler it only disarms (it cannot wait for another handler). */
bool timer_cancel(struct timer *t);
/* Whether `t` is armed and has not fired yet. */
bool timer_armed(const struct timer *t);

/* Puts the calling thread to sleep until monotonic_ns() >= deadline_ns /
 * for at least ns; other threads run, the vCPU blocks when none can. */
void sleep_until(uint64_t deadline_ns);
void sleep_ns(uint64_t ns);

#endif
