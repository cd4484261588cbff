/* SPDX-License-Identifier: MIT */
/*
 * The dom0 console back end: Xen's own console (xen.h, console_io).
 *
 * Output: CONSOLEIO_write prints straight to Xen's console (serial, VGA) for
 * the hardware domain; Xen's serial driver adds the "\r" before each "\n".
 * Input: Xen forwards serial input to dom0 ("*** Serial input to DOM0" at the
 * end of its boot) into a small buffer and raises VIRQ_CONSOLE ("Bytes
 * received on emergency console"); CONSOLEIO_read drains that buffer.
 */
#include <console.h>
#include <events.h>
#include <hypercall.h>
#include <xen_shared.h>
#include "backend.h"

static void dom0_poll_input(void)
{
    char chunk[128];
    size_t room;

    while ((room = console_input_room()) > 0) {
        unsigned int want = room < sizeof(chunk) ? (unsigned int)room : sizeof(chunk);
        long n = HYPERVISOR_console_io(CONSOLEIO_read, want, chunk);
        if (n <= 0) {
            if (n < 0)
                hypercall_report_failure("console_io(CONSOLEIO_read)", n);
            return;
        }
        console_input_push(chunk, (size_t)n);
    }
}

static void dom0_input_event(evtchn_port_t port, void *ctx)
{
    (void)port;
    (void)ctx;
    dom0_poll_input();
}

static void dom0_start_input(void)
{
    if (evtchn_bind_virq(VIRQ_CONSOLE, dom0_input_event, NULL) < 0)
        return;     /* reported by evtchn_bind_virq; output still works */
    /* Anything typed before the bind raised no event we saw. */
    unsigned long flags = local_irq_save();
    dom0_poll_input();
    local_irq_restore(flags);
}

const struct console_backend console_dom0_backend = {
    .name = "xen console_io",
    .write = console_emergency_write,
    .start_input = dom0_start_input,
    .poll_input = dom0_poll_input,
};
