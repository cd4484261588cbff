/* SPDX-License-Identifier: MIT */
/*
 * The split-driver frontend framework: what every PV frontend (block,
 * network, ...) does with xenstore to find its device and connect to its
 * backend (io/xenbus.h, docs/misc/xenstore-paths: device/<type>/<id>).
 *
 * A device is the xenstore directory device/<type>/<id> in our home, which
 * the toolstack fills with `backend` (the backend's directory) and
 * `backend-id` (its domain). Both ends publish a `state` (enum xenbus_state)
 * and move through
 *
 *     Initialising -> InitWait -> Initialised -> Connected -> Closing -> Closed
 *
 * A driver describes its connection as a table of steps: "when the backend
 * is in one of these states, do this, then enter that state". The framework
 * runs the table (xenbus_frontend_connect), with a watch on the backend's
 * state and a deadline per step, and closes the device at shutdown.
 *
 * Everything read from the backend's side is untrusted: the backend path
 * must be the one the toolstack's convention gives for backend-id, states
 * and numbers are parsed strictly, and bad values are reported and counted.
 * Functions returning int return >= 0 or a negative Xen errno.
 */
#ifndef XENBUS_FRONTEND_H
#define XENBUS_FRONTEND_H

#include <stdbool.h>
#include <stdint.h>
#include <thread.h>
#include <xen_interface.h>
#include <xen/io/xenbus.h>
#include <xenbus.h>

struct xenbus_device {
    char nodename[48];          /* "device/vbd/51712", relative to our home */
    char otherend[96];          /* the backend's directory, absolute */
    domid_t otherend_id;        /* the backend's domain */
    const char *name;           /* the driver's name for it in messages ("xvda") */
    volatile int backend_state; /* last valid state read, XenbusStateUnknown if none */
    int state;                  /* ours, as last written */
    int watch_id;
    struct waitqueue state_changed;
    struct xenbus_device *next_open;   /* on the list closed at shutdown */
    /* Called at shutdown for an open device; it must end with
     * xenbus_frontend_close. NULL: xenbus_frontend_close alone. */
    void (*shutdown)(struct xenbus_device *dev);
    /* Called in the watch thread when the backend starts closing a
     * connected device (`xl block-detach`): the driver stops using it and
     * closes it (xenbus_frontend_close). NULL: nothing is done. */
    void (*backend_closing)(struct xenbus_device *dev);
    bool closing;
    unsigned long bad_states;   /* backend states that were not a XenbusState */
};

/* One step of a connection: wait until the backend's state is one of
 * `wait_for` (a mask of 1 << XenbusState*), run `action` (may be NULL), then
 * publish `enter` as our state. */
struct xenbus_step {
    unsigned int wait_for;
    int (*action)(struct xenbus_device *dev, void *ctx);
    enum xenbus_state enter;
};

#define XB_STATE(s) (1u << XenbusState##s)

/* How long a step waits for the backend (libxl itself waits 10 s for a
 * backend to reach InitWait). */
#define XENBUS_STEP_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)

/* The numeric ids under device/<type>, ascending, into ids[max]. Returns
 * how many (0 when the directory does not exist). */
int xenbus_frontend_ids(const char *type, unsigned int *ids, unsigned int max);

/* Reads and checks backend and backend-id of device/<type>/<id>, publishes
 * state Initialising and watches the backend's state. */
int xenbus_frontend_init(struct xenbus_device *dev, const char *type, unsigned int id,
                         const char *name);

/* In a new domain (after a restore): the toolstack made device/<type>/<id>
 * again for a new backend. Drops the old backend's watch and does
 * xenbus_frontend_init again (the driver sets its callbacks again). */
int xenbus_frontend_reinit(struct xenbus_device *dev, const char *type, unsigned int id);
/* Runs the steps in order. A step that times out or fails says which
 * device and which state it waited for, and the device is closed. */
int xenbus_frontend_connect(struct xenbus_device *dev, const struct xenbus_step *steps,
                            unsigned int nr_steps, void *ctx);

/* Writes our state (<nodename>/state). */
int xenbus_frontend_switch_state(struct xenbus_device *dev, enum xenbus_state state);

/* Closing, wait (bounded) for the backend to close, Closed; drops the
 * watch. Works from any thread, the watch thread included. */
int xenbus_frontend_close(struct xenbus_device *dev);

/* A number the backend published in its directory (key relative to it),
 * decimal, parsed strictly: -XEN_EINVAL (reported) if it is not a decimal
 * number below 2^64, the xenstore error (-XEN_ENOENT if absent) if it
 * cannot be read. */
int xenbus_backend_read_u64(struct xenbus_device *dev, const char *key, uint64_t *value);

/* "InitWait" for XenbusStateInitWait; "?" for anything else. */
const char *xenbus_state_name(int state);

#endif
