/* SPDX-License-Identifier: MIT */
/*
 * The split-driver frontend framework (include/xenbus_frontend.h): finding
 * devices under device/<type>, the XenbusState handshake of io/xenbus.h run
 * as a table of steps, and closing every open device at shutdown.
 *
 * Waiting for the backend: a watch on <backend>/state wakes the waiter, and
 * the waiter re-reads the state itself at least every 100 ms as well. The
 * re-read makes the wait independent of the watch thread, which matters at
 * shutdown: `xl shutdown` runs kernel_shutdown from a watch callback, in the
 * watch thread, which then cannot deliver watch events to itself.
 */
#include <clock.h>
#include <format.h>
#include <hypercall.h>
#include <kernel.h>
#include <printk.h>
#include <string.h>
#include <timer.h>
#include <xenbus_frontend.h>

#define POLL_NS         (100ull * 1000 * 1000)
#define CLOSE_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)

static struct xenbus_device *open_devices;
static struct mutex open_lock;
static struct shutdown_hook close_hook;

const char *xenbus_state_name(int state)
{
    static const char *const names[] = {
        "Unknown", "Initialising", "InitWait", "Initialised", "Connected",
        "Closing", "Closed", "Reconfiguring", "Reconfigured",
    };

    return state >= 0 && (unsigned)state < ARRAY_SIZE(names) ? names[state] : "?";
}

/* Decimal, 1-20 digits, no sign, no trailing bytes, below 2^64. */
static bool parse_u64(const char *s, uint64_t *value)
{
    uint64_t v = 0;
    size_t n = 0;

    for (; s[n]; n++) {
        if (s[n] < '0' || s[n] > '9' || n == 20)
            return false;
        unsigned d = (unsigned)(s[n] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *value = v;
    return n > 0;
}

int xenbus_backend_read_u64(struct xenbus_device *dev, const char *key, uint64_t *value)
{
    char path[160], buf[32];

    snprintf(path, sizeof(path), "%s/%s", dev->otherend, key);
    int rc = xenbus_read(XBT_NIL, path, buf, sizeof(buf));
    if (rc == -XEN_E2BIG)
        strlcpy(buf, "(too long)", sizeof(buf));
    else if (rc < 0)
        return rc;
    if (rc < 0 || !parse_u64(buf, value)) {
        printk("xenbus: %s (%s): backend's %s is \"%s\", not a number; refused\n",
               dev->nodename, dev->name, key, buf);
        return -XEN_EINVAL;
    }
    return 0;
}

/* Reads the backend's state now; keeps the old one if it is not valid. */
static int refresh_backend_state(struct xenbus_device *dev)
{
    uint64_t s;
    int rc = xenbus_backend_read_u64(dev, "state", &s);

    /* Missing or unreadable (not there yet, or not ours to read): no state. */
    if (rc < 0 && rc != -XEN_EINVAL)
        dev->backend_state = XenbusStateUnknown;
    else if (rc == 0 && s <= XenbusStateReconfigured)
        dev->backend_state = (int)s;
    else if (dev->bad_states++ == 0)
        printk("xenbus: %s (%s): backend state is not a XenbusState; ignored\n",
               dev->nodename, dev->name);
    return dev->backend_state;
}

static void backend_state_watch(const char *path, void *ctx)
{
    struct xenbus_device *dev = ctx;

    (void)path;
    int s = refresh_backend_state(dev);
    waitqueue_wake_all(&dev->state_changed);
    /* io/xenbus.h: Closing is the backend asking us to let go (an unplug). */
    if (dev->state == XenbusStateConnected && !dev->closing && dev->backend_closing &&
        (s == XenbusStateClosing || s == XenbusStateClosed)) {
        dev->closing = true;
        printk("xenbus: %s (%s): the backend is closing the device\n", dev->nodename, dev->name);
        dev->backend_closing(dev);
    }
}

struct poll_timer {
    struct timer timer;
    struct xenbus_device *dev;
    volatile bool fired;
};

static void poll_timer_fired(struct timer *t, void *ctx)
{
    struct poll_timer *pt = ctx;

    (void)t;
    pt->fired = true;
    waitqueue_wake_all(&pt->dev->state_changed);
}

/* Waits until the backend's state is in `mask`; returns it, or
 * -XEN_ETIMEDOUT at the deadline. */
static int wait_backend(struct xenbus_device *dev, unsigned int mask, uint64_t timeout_ns)
{
    uint64_t deadline = monotonic_ns() + timeout_ns;

    for (;;) {
        int s = refresh_backend_state(dev);
        if (mask & (1u << s))
            return s;
        uint64_t now = monotonic_ns();
        if (now >= deadline)
            return -XEN_ETIMEDOUT;
        struct poll_timer pt = { .dev = dev };
        timer_init(&pt.timer, poll_timer_fired, &pt);
        timer_arm(&pt.timer, now + POLL_NS < deadline ? now + POLL_NS : deadline);
        wait_event(&dev->state_changed, pt.fired || dev->backend_state != s);
        timer_cancel(&pt.timer);
    }
}

int xenbus_frontend_switch_state(struct xenbus_device *dev, enum xenbus_state state)
{
    char path[64], value[4];

    snprintf(path, sizeof(path), "%s/state", dev->nodename);
    snprintf(value, sizeof(value), "%d", (int)state);
    int rc = xenbus_write(XBT_NIL, path, value);
    if (rc < 0) {
        printk("xenbus: %s (%s): cannot write state %s: %s\n", dev->nodename, dev->name,
               xenbus_state_name(state), xen_errno_name(rc));
        return rc;
    }
    dev->state = state;
    return 0;
}

int xenbus_frontend_ids(const char *type, unsigned int *ids, unsigned int max)
{
    char path[32], names[512];
    unsigned int n = 0;

    snprintf(path, sizeof(path), "device/%s", type);
    int count = xenbus_directory(XBT_NIL, path, names, sizeof(names));
    if (count == -XEN_ENOENT)
        return 0;
    if (count < 0)
        return count;
    const char *p = names;
    for (int i = 0; i < count; i++, p += strlen(p) + 1) {
        uint64_t id;
        if (!parse_u64(p, &id) || id > UINT32_MAX) {
            printk("xenbus: device/%s/%s: not a device number; skipped\n", type, p);
            continue;
        }
        if (n == max) {
            printk("xenbus: more than %u devices under device/%s; the rest are skipped\n", max,
                   type);
            break;
        }
        /* Insertion sort: there are a handful. */
        unsigned int j = n++;
        for (; j > 0 && ids[j - 1] > id; j--)
            ids[j] = ids[j - 1];
        ids[j] = (unsigned int)id;
    }
    return (int)n;
}

static void close_all_at_shutdown(unsigned int reason)
{
    (void)reason;
    while (open_devices) {
        struct xenbus_device *dev = open_devices;
        if (dev->shutdown)
            dev->shutdown(dev);
        else
            xenbus_frontend_close(dev);
        /* Whatever happened, do not try it twice. */
        if (open_devices == dev)
            open_devices = dev->next_open;
    }
}

int xenbus_frontend_init(struct xenbus_device *dev, const char *type, unsigned int id,
                         const char *name)
{
    char path[80], buf[32], prefix[48];
    uint64_t backend_id;

    memset(dev, 0, sizeof(*dev));
    dev->name = name;
    dev->watch_id = -1;
    snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%u", type, id);

    snprintf(path, sizeof(path), "%s/backend-id", dev->nodename);
    int rc = xenbus_read(XBT_NIL, path, buf, sizeof(buf));
    if (rc < 0 || !parse_u64(buf, &backend_id) || backend_id >= DOMID_FIRST_RESERVED) {
        printk("xenbus: %s (%s): no valid backend-id (%s)\n", dev->nodename, name,
               rc < 0 ? xen_errno_name(rc) : buf);
        return rc < 0 ? rc : -XEN_EINVAL;
    }
    dev->otherend_id = (domid_t)backend_id;
    snprintf(path, sizeof(path), "%s/backend", dev->nodename);
    rc = xenbus_read(XBT_NIL, path, dev->otherend, sizeof(dev->otherend));
    /* The toolstack puts the backend under its domain's home
     * (xenstore-paths: /local/domain/$BACKEND/backend/$TYPE/...); any other
     * path would have us watch and trust nodes the backend does not own. */
    snprintf(prefix, sizeof(prefix), "/local/domain/%u/backend/%s/", dev->otherend_id, type);
    if (rc < 0 || strncmp(dev->otherend, prefix, strlen(prefix)) || strstr(dev->otherend, "..")) {
        printk("xenbus: %s (%s): backend path \"%s\" is not under %s; refused\n", dev->nodename,
               name, rc < 0 ? xen_errno_name(rc) : dev->otherend, prefix);
        return rc < 0 ? rc : -XEN_EINVAL;
    }

    rc = xenbus_frontend_switch_state(dev, XenbusStateInitialising);
    if (rc < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/state", dev->otherend);
    dev->watch_id = xenbus_watch(path, backend_state_watch, dev);
    if (dev->watch_id < 0)
        printk("xenbus: %s (%s): cannot watch %s (%s); polling it instead\n", dev->nodename,
               name, path, xen_errno_name(dev->watch_id));

    mutex_lock(&open_lock);
    if (!close_hook.fn) {
        close_hook.fn = close_all_at_shutdown;
        shutdown_hook_add(&close_hook);
    }
    dev->next_open = open_devices;
    open_devices = dev;
    mutex_unlock(&open_lock);
    return 0;
}

static void forget_open(struct xenbus_device *dev)
{
    mutex_lock(&open_lock);
    for (struct xenbus_device **p = &open_devices; *p; p = &(*p)->next_open) {
        if (*p == dev) {
            *p = dev->next_open;
            break;
        }
    }
    mutex_unlock(&open_lock);
}

int xenbus_frontend_reinit(struct xenbus_device *dev, const char *type, unsigned int id)
{
    const char *name = dev->name;

    /* Set again by xenbus_resume, on the old backend's path. */
    if (dev->watch_id >= 0)
        xenbus_unwatch(dev->watch_id);
    forget_open(dev);
    return xenbus_frontend_init(dev, type, id, name);
}

int xenbus_frontend_connect(struct xenbus_device *dev, const struct xenbus_step *steps,
                            unsigned int nr_steps, void *ctx)
{
    const unsigned int closed = XB_STATE(Closing) | XB_STATE(Closed);

    for (unsigned int i = 0; i < nr_steps; i++) {
        const struct xenbus_step *step = &steps[i];
        const char *want = xenbus_state_name(__builtin_ctz(step->wait_for));
        int err = -XEN_EIO;
        int s = wait_backend(dev, step->wait_for | closed, XENBUS_STEP_TIMEOUT_NS);

        if (s == -XEN_ETIMEDOUT && dev->backend_state == XenbusStateUnknown) {
            printk("xenbus: %s (%s): backend %s never appeared (no state after %llu s)\n",
                   dev->nodename, dev->name, dev->otherend, XENBUS_STEP_TIMEOUT_NS / 1000000000);
            err = s;
        } else if (s == -XEN_ETIMEDOUT) {
            printk("xenbus: %s (%s): backend did not reach %s within %llu s (it is %s)\n",
                   dev->nodename, dev->name, want, XENBUS_STEP_TIMEOUT_NS / 1000000000,
                   xenbus_state_name(dev->backend_state));
            err = s;
        } else if (!(step->wait_for & (1u << s))) {
            printk("xenbus: %s (%s): backend went %s while we waited for %s\n", dev->nodename,
                   dev->name, xenbus_state_name(s), want);
        } else if (step->action && (err = step->action(dev, ctx)) < 0) {
            /* The action said what failed. */
        } else if ((err = xenbus_frontend_switch_state(dev, step->enter)) == 0) {
            continue;
        }
        xenbus_frontend_close(dev);
        return err;
    }
    return 0;
}

int xenbus_frontend_close(struct xenbus_device *dev)
{
    int rc = 0;

    if (dev->state != XenbusStateClosed) {
        /* io/xenbus.h: Closing asks the backend to let go of the device;
         * once it is Closing or Closed (or gone) we are Closed. */
        xenbus_frontend_switch_state(dev, XenbusStateClosing);
        int s = wait_backend(dev, XB_STATE(Closing) | XB_STATE(Closed) | XB_STATE(Unknown),
                             CLOSE_TIMEOUT_NS);
        xenbus_frontend_switch_state(dev, XenbusStateClosed);
        if (s >= 0)
            s = wait_backend(dev, XB_STATE(Closed) | XB_STATE(Unknown), CLOSE_TIMEOUT_NS);
        if (s < 0) {
            printk("xenbus: %s (%s): backend did not close within %llu s (it is %s)\n",
                   dev->nodename, dev->name, CLOSE_TIMEOUT_NS / 1000000000,
                   xenbus_state_name(dev->backend_state));
            rc = -XEN_ETIMEDOUT;
        }
    }
    if (dev->watch_id >= 0) {
        xenbus_unwatch(dev->watch_id);
        dev->watch_id = -1;
    }
    forget_open(dev);
    return rc;
}
