/* SPDX-License-Identifier: MIT */
/*
 * What the whole kernel shares: the start_info page Xen handed us, the
 * application entry point, and how the domain ends.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdbool.h>
#include <xen_interface.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Adds 1 to a statistics counter that several vCPUs bump (event_stats,
 * sched_stats, timer_stats, ...): a locked add, since a plain ++ is a load
 * and a store, and two vCPUs doing it at once both store n+1. Relaxed: a
 * counter orders nothing else. Readers just read the field. */
#define stat_inc(counter) __atomic_fetch_add(&(counter), 1, __ATOMIC_RELAXED)

/* start_info, xen_initial_domain, kernel_shutdown, main: the API. */
#include <mote/kernel.h>

/* The application: argv is the guest command line split on spaces, with the
 * kernel's own mote.* parameters removed. */
int main(int argc, char **argv);
/* Runs the functions registered with atexit (libc/exit.c), last first: C
 * runs them when main returns as well as at exit(). */
void libc_run_atexit(void);

/*
 * Work to do before a clean shutdown (poweroff or reboot, not a crash): a
 * PV frontend closes its device so the backend in dom0 tears down cleanly.
 * Hooks run in thread context, newest first, once; they may block (bounded).
 * The hook structure must stay valid forever.
 */
struct shutdown_hook {
    void (*fn)(unsigned int reason);
    struct shutdown_hook *next;
};
void shutdown_hook_add(struct shutdown_hook *hook);

/* The same page as start_info, writable: only suspend uses it, to turn the
 * ring mfns into pfns for the save and back (lifecycle/suspend.c). */
extern start_info_t *start_info_writable;

/* TSC at the first instruction of _start and just before main() runs. */
extern uint64_t boot_entry_tsc, boot_main_tsc;

/* Kernel parameters from the command line (mote.NAME=VALUE; kernel/params.c),
 * set at the first step of start_kernel. */
struct kernel_params {
    /* Network addresses (mote.ip, mote.gw; <mote/net.h>), NULL if not given. */
    const char *ip, *gw;
    /* I/O port of QEMU's isa-debug-exit device, 0 for none (mote.debug_exit). */
    unsigned long debug_exit_port;
    /* Prefix printk lines with the time once the clock runs (mote.printk_time=1). */
    bool printk_time;
};
extern struct kernel_params kernel_params;

/* Sets kernel_params from the command line's mote.* words, before anything
 * else runs: no heap, no printing. */
void kernel_params_parse(const char *cmdline);
/* Prints, once the console runs, each mote.* word kernel_params_parse could
 * not use (unknown, or a bad value), as ignored. */
void kernel_params_report(const char *cmdline);
/* Whether an argv word is the kernel's (mote.*), not the application's. */
bool is_kernel_param(const char *word);

#endif
