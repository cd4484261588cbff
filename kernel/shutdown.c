/* SPDX-License-Identifier: MIT */
/*
 * Ending the domain: SCHEDOP_shutdown with a reason (xen/sched.h).
 *
 * For a domU the toolstack sees the reason and acts on it. For the initial
 * domain under QEMU (the test and `make run` setup) Xen would halt or reboot
 * the machine, and QEMU could not tell success from failure: a poweroff halts
 * the CPUs and QEMU never exits. So when the command line names QEMU's
 * isa-debug-exit device (mote.debug_exit=PORT, added by scripts/qemu-dom0),
 * mote first writes the shutdown reason to that port; QEMU then exits at once
 * with status (reason << 1) | 1, which scripts/qemu-dom0 turns back into the
 * reason. The port write is only done when asked for, so real hardware never
 * sees it.
 */
#include <arch/io.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <spinlock.h>
#include <xen_shared.h>

static const char *shutdown_reason_name(unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return "poweroff";
    case SHUTDOWN_reboot:   return "reboot";
    case SHUTDOWN_suspend:  return "suspend";
    case SHUTDOWN_crash:    return "crash";
    case SHUTDOWN_watchdog: return "watchdog";
    default:                return "unknown";
    }
}

static void qemu_debug_exit(unsigned int reason)
{
    unsigned long port = kernel_params.debug_exit_port;

    if (port == 0 || port > 0xffff || !xen_initial_domain())
        return;
    if (arch_ioport_enable())
        outb((uint16_t)port, (uint8_t)reason);
    /* Still here: no such device. Fall through to the hypercall. */
}

static struct shutdown_hook *hooks;
static bool hooks_ran;
static spinlock_t hooks_lock = SPINLOCK_INIT;

void shutdown_hook_add(struct shutdown_hook *hook)
{
    unsigned long flags = spin_lock_irqsave(&hooks_lock);

    hook->next = hooks;
    hooks = hook;
    spin_unlock_irqrestore(&hooks_lock, flags);
}

/* Only for a clean end, and only where hooks may block: a thread with event
 * delivery on (not a handler, not a panic, not before events_init). */
static void run_hooks(unsigned int reason)
{
    if ((reason != SHUTDOWN_poweroff && reason != SHUTDOWN_reboot) || !this_vcpu() ||
        local_irq_is_disabled())
        return;
    /* Once, whichever thread (or vCPU) gets here first. */
    if (__atomic_exchange_n(&hooks_ran, true, __ATOMIC_ACQ_REL))
        return;
    for (struct shutdown_hook *h = hooks; h; h = h->next)
        h->fn(reason);
}

void kernel_shutdown(unsigned int reason)
{
    struct sched_shutdown shutdown = { .reason = reason };

    run_hooks(reason);
    printk("mote: shutdown: %s\n", shutdown_reason_name(reason));
    qemu_debug_exit(reason);
    for (;;) {
        xen_call(sched_op, SCHEDOP_shutdown, &shutdown);
        /* Xen refused (it never should): do not run on. Crash instead. */
        shutdown.reason = SHUTDOWN_crash;
    }
}
