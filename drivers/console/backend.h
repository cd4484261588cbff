/* SPDX-License-Identifier: MIT */
/*
 * What the console layer (console.c) and its back ends (dom0.c, domu.c)
 * share. Not a kernel interface: drivers and apps use drivers/console/console.h.
 */
#ifndef CONSOLE_BACKEND_H
#define CONSOLE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <console.h>

struct console_backend {
    const char *name;
    /* Every byte, in order; may block once events are up. */
    void (*write)(const char *buf, size_t len);
    /* Never blocks; may drop (panic path). NULL: console_emergency_write. */
    void (*write_emergency)(const char *buf, size_t len);
    /* After events_init: bind the input event. NULL: no input. */
    void (*start_input)(void);
    /* Moves input the back end holds into the queue while there is room.
     * Called with event delivery masked. */
    void (*poll_input)(void);
};

extern const struct console_backend console_dom0_backend;
extern const struct console_backend console_domu_backend;

/* domU, at console_init: the ring through Xen's boot mapping; false when it
 * is not there (then console_io until the remap). */
bool console_domu_attach(void);
/* domU, after mm_init: the ring through map_foreign_page; false (reported)
 * when it cannot be mapped. */
bool console_domu_remap(void);
/* Points the ring back end at `page`, notified through `port`. */
void console_domu_use(struct xencons_interface *page, evtchn_port_t port);

/* For back ends, in event context or with delivery masked: how many input
 * bytes console_input_push can take now, and handing them over. */
size_t console_input_room(void);
void console_input_push(const char *buf, size_t len);

/* Set by console_events_init: blocking waits are possible. */
extern bool console_events_up;

#endif
