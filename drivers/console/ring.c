/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring: copying into out[] and out of in[] of a
 * struct xencons_interface (xen/io/console.h) with the index checks and
 * barriers the protocol needs. See ring.h for the trust model.
 *
 * Barriers follow the producer/consumer rules of xen/io/ring.h
 * (RING_PUSH_REQUESTS: "xen_wmb(); back sees requests before updated producer
 * index"; consumers read the producer index, then xen_rmb() before the data)
 * and what Linux's hvc_xen.c does with the same page.
 */
#include <arch/barrier.h>
#include "ring.h"

/* Reads the back end's out_cons and checks it against our out_prod: the
 * back end cannot have consumed more than we produced, nor be more than a
 * ring behind. On a bad value, resynchronise: treat the ring as empty at the
 * back end's index. Returns the bytes in flight (0 .. XENCONS_OUT_SIZE). */
static XENCONS_RING_IDX out_in_flight(struct xencons_ring *r)
{
    XENCONS_RING_IDX cons = READ_ONCE(r->intf->out_cons);
    XENCONS_RING_IDX used = r->out_prod - cons;

    if (used > XENCONS_OUT_SIZE) {
        r->out_resets++;
        r->out_prod = cons;
        WRITE_ONCE(r->intf->out_prod, cons);
        used = 0;
    }
    return used;
}

/* Same for in[]: the back end's in_prod may be at most a ring ahead of our
 * in_cons. On a bad value, discard what it claims: skip to its index. */
static XENCONS_RING_IDX in_filled(struct xencons_ring *r)
{
    XENCONS_RING_IDX prod = READ_ONCE(r->intf->in_prod);
    XENCONS_RING_IDX avail = prod - r->in_cons;

    if (avail > XENCONS_IN_SIZE) {
        r->in_resets++;
        r->in_cons = prod;
        WRITE_ONCE(r->intf->in_cons, prod);
        avail = 0;
    }
    return avail;
}

void xencons_ring_attach(struct xencons_ring *r, struct xencons_interface *intf, bool crlf)
{
    r->intf = intf;
    r->crlf = crlf;
    r->out_resets = r->in_resets = 0;
    r->out_prod = READ_ONCE(intf->out_prod);
    r->in_cons = READ_ONCE(intf->in_cons);
    /* Check the adopted indices now, so a bad page is reported at attach. */
    out_in_flight(r);
    in_filled(r);
}

size_t xencons_ring_out_space(struct xencons_ring *r)
{
    return XENCONS_OUT_SIZE - out_in_flight(r);
}

size_t xencons_ring_in_avail(struct xencons_ring *r)
{
    return in_filled(r);
}

size_t xencons_ring_write(struct xencons_ring *r, const char *buf, size_t len)
{
    struct xencons_interface *intf = r->intf;
    size_t space = XENCONS_OUT_SIZE - out_in_flight(r);
    XENCONS_RING_IDX prod = r->out_prod;
    size_t taken = 0;

    /* The slots we are about to fill were freed by the back end's out_cons
     * update: finish reading out_cons before overwriting them (hvc_xen.c:
     * "mb(); update queue values before going on"). */
    xen_mb();
    while (taken < len) {
        char c = buf[taken];
        bool add_cr = r->crlf && c == '\n';
        if (space < (add_cr ? 2u : 1u))
            break;
        if (add_cr) {
            intf->out[MASK_XENCONS_IDX(prod++, intf->out)] = '\r';
            space--;
        }
        intf->out[MASK_XENCONS_IDX(prod++, intf->out)] = c;
        space--;
        taken++;
    }
    if (prod != r->out_prod) {
        /* io/ring.h: the back end must see the bytes before the index. */
        xen_wmb();
        r->out_prod = prod;
        WRITE_ONCE(intf->out_prod, prod);
    }
    return taken;
}

size_t xencons_ring_read(struct xencons_ring *r, char *buf, size_t len)
{
    struct xencons_interface *intf = r->intf;
    size_t avail = in_filled(r);
    XENCONS_RING_IDX cons = r->in_cons;
    size_t n = avail < len ? avail : len;

    /* io/ring.h: read the producer index before the bytes it covers. */
    xen_rmb();
    for (size_t i = 0; i < n; i++)
        buf[i] = intf->in[MASK_XENCONS_IDX(cons++, intf->in)];
    if (n) {
        /* Finish reading the bytes before giving their slots back
         * (hvc_xen.c: "mb(); read ring before consuming"). */
        xen_mb();
        r->in_cons = cons;
        WRITE_ONCE(intf->in_cons, cons);
    }
    return n;
}
