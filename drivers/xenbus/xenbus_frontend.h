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
 * state and a deadline per step. It keeps every device on one list for its
 * whole life and calls the driver's hooks (struct xenbus_driver) for it:
 * close at shutdown or when the backend lets go, suspend and resume around
 * a save, one close at a time per device.
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

struct xenbus_device;

/*
 * What a driver does with its devices over their whole life; the framework
 * calls it for every device of the driver (xenbus_frontend_init put them on
 * its one list). Any hook but close may be NULL.
 */
struct xenbus_driver {
    const char *type;           /* "vbd": devices are device/<type>/<id> */
    /* Stops using the device, xenbus_frontend_close, gives back its ring
     * and pages. Called once per close (xenbus_device_close): at shutdown,
     * when the backend starts closing a connected device (`xl
     * block-detach`, in the watch thread), or when the driver is asked to. */
    void (*close)(struct xenbus_device *dev);
    /* Suspend hooks (lifecycle/suspend.h), in thread context: suspend
     * stops the device's work; resume carries on (new_domain false, xl
     * save -c) or connects to the new domain's backend. */
    void (*suspend)(struct xenbus_device *dev);
    void (*resume)(struct xenbus_device *dev, bool new_domain);
};

struct xenbus_device {
    const struct xenbus_driver *driver;
    unsigned int id;            /* <id> of device/<type>/<id> */
    char nodename[48];          /* "device/vbd/51712", relative to our home */
    char otherend[96];          /* the backend's directory, absolute */
    domid_t otherend_id;        /* the backend's domain */
    const char *name;           /* the driver's name for it in messages ("xvda") */
    volatile int backend_state; /* last valid state read, XenbusStateUnknown if none */
    int state;                  /* ours, as last written */
    int watch_id;
    struct waitqueue state_changed;
    unsigned long bad_states;   /* backend states that were not a XenbusState */
    /* Life (frontend.c): `open` from xenbus_frontend_init until
     * xenbus_frontend_close. One close at a time: the first caller of
     * xenbus_device_close claims it, a second waits until it is done
     * (`closed`). `generation` counts opens, so a waiter is not left
     * behind by a re-open. */
    bool open, close_claimed, closed;
    unsigned int generation;
    struct waitqueue close_done;
    struct xenbus_device *next; /* the framework's list of every device */
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

/* A device of `driver` with this id that is closed (its close done, or its
 * connection failed), claimed for a new open; NULL if there is none. A
 * driver opens it again rather than allocating another (`xl block-attach`
 * after a detach offers the same device again). */
struct xenbus_device *xenbus_frontend_reuse(const struct xenbus_driver *driver,
                                            unsigned int id);

/* Reads and checks backend and backend-id of device/<type>/<id>, publishes
 * state Initialising and watches the backend's state. The first time, puts
 * dev on the framework's list (for good: the driver never frees it). */
int xenbus_frontend_init(struct xenbus_device *dev, const struct xenbus_driver *driver,
                         unsigned int id, const char *name);

/* In a new domain (after a restore): the toolstack made device/<type>/<id>
 * again for a new backend. Drops the old backend's watch and does
 * xenbus_frontend_init again. */
int xenbus_frontend_reinit(struct xenbus_device *dev);
/* Runs the steps in order. A step that times out or fails says which
 * device and which state it waited for, and the device is closed. */
int xenbus_frontend_connect(struct xenbus_device *dev, const struct xenbus_step *steps,
                            unsigned int nr_steps, void *ctx);

/* Writes our state (<nodename>/state). */
int xenbus_frontend_switch_state(struct xenbus_device *dev, enum xenbus_state state);

/* Closing, wait (bounded) for the backend to close, Closed; drops the
 * watch. Works from any thread, the watch thread included. For the
 * driver's close hook; everyone else closes with xenbus_device_close. */
int xenbus_frontend_close(struct xenbus_device *dev);

/* Closes an open device through its driver's close hook, once: if a close
 * is under way already, waits until it is done (wait false: returns at
 * once; the watch thread must not wait for a close that waits for it). */
void xenbus_device_close(struct xenbus_device *dev, bool wait);

/* A number the backend published in its directory (key relative to it),
 * decimal, parsed strictly: -XEN_EINVAL (reported) if it is not a decimal
 * number below 2^64, the xenstore error (-XEN_ENOENT if absent) if it
 * cannot be read. */
int xenbus_backend_read_u64(struct xenbus_device *dev, const char *key, uint64_t *value);

/* "InitWait" for XenbusStateInitWait; "?" for anything else. */
const char *xenbus_state_name(int state);

#endif
