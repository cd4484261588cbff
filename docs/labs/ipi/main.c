/* SPDX-License-Identifier: MIT */
/*
 * ipi: the program of lab ipi (docs/labs/ipi.md). Runs a rendezvous on
 * every vCPU with smp_call_all: each vCPU says it has arrived and waits,
 * events masked (a call runs in its IPI handler), until all have, or gives
 * up after 3 s. Then one line per vCPU: whether it met the others, and how
 * long it waited. Boot it with 2 vCPUs.
 */
#include <arch/atomic.h>
#include <clock.h>
#include <kernel.h>
#include <printk.h>
#include <smp.h>

#define GIVE_UP_NS (3 * 1000 * 1000 * 1000ULL)

static unsigned int arrived;
static bool met[MAX_CPUS];
static uint64_t waited_ns[MAX_CPUS];

static void meet(void *arg)
{
    unsigned int all = *(unsigned int *)arg, id = smp_cpu_id();
    uint64_t start = monotonic_ns();

    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < all &&
           monotonic_ns() - start < GIVE_UP_NS)
        cpu_relax();
    met[id] = __atomic_load_n(&arrived, __ATOMIC_SEQ_CST) >= all;
    waited_ns[id] = monotonic_ns() - start;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    unsigned int all = smp_cpu_count();

    printk("ipi: %u vCPUs, main on vCPU %u\n", all, smp_cpu_id());
    smp_call_all(meet, &all);
    for (unsigned int i = 0; i < MAX_CPUS; i++)
        if (smp_cpu_online(i))
            printk("ipi: vCPU %u %s after %llu ms\n", i, met[i] ? "met the others" : "gave up",
                   (unsigned long long)(waited_ns[i] / 1000000));
    return 0;
}
