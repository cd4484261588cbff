/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring (xen/io/console.h, struct xencons_interface) as pure
 * functions on the shared page: no hypercalls, no events, no printing, so the
 * host tests and the fuzz target run exactly this code against hostile
 * indices.
 *
 * We are the front end: the only producer of out[] and the only consumer of
 * in[]. We keep our own copies of out_prod and in_cons and only ever write
 * them to the page, never read them back, so the back end (or a corrupted
 * page) cannot move our side of the ring. Its indices, out_cons and in_prod,
 * are read once per call and checked: XENCONS_RING_IDX arithmetic wraps, and
 * prod - cons must never exceed the ring size (io/console.h rings are powers
 * of two, indexed with MASK_XENCONS_IDX). An index that breaks this is
 * counted in out_resets / in_resets and the ring is resynchronised to the back
 * end's index (nothing is read or written out of bounds); the caller reports
 * it.
 */
#ifndef CONSOLE_RING_H
#define CONSOLE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen_interface.h>
#include <xen/io/console.h>

#define XENCONS_OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define XENCONS_IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

/* A '\n' written with crlf set takes two slots; waiting for this much space
 * guarantees xencons_ring_write makes progress. */
#define XENCONS_WRITE_MIN_SPACE 2

struct xencons_ring {
    struct xencons_interface *intf;
    XENCONS_RING_IDX out_prod;  /* ours; mirrored to intf->out_prod */
    XENCONS_RING_IDX in_cons;   /* ours; mirrored to intf->in_cons */
    bool crlf;                  /* write "\n" as "\r\n" */
    unsigned long out_resets;   /* bad out_cons seen */
    unsigned long in_resets;    /* bad in_prod seen */
};

/* Starts using the page; adopts its current indices (a fresh page from the
 * domain builder has all four at 0), resetting them if they are inconsistent. */
void xencons_ring_attach(struct xencons_ring *r, struct xencons_interface *intf, bool crlf);

/* Free bytes in out[] (0 .. XENCONS_OUT_SIZE). */
size_t xencons_ring_out_space(struct xencons_ring *r);

/* Unread bytes in in[] (0 .. XENCONS_IN_SIZE). */
size_t xencons_ring_in_avail(struct xencons_ring *r);

/*
 * Copies as much of buf as fits into out[] and publishes it (out_prod).
 * Returns how many bytes of buf were taken; a "\n" is taken whole or not at
 * all. The caller notifies the back end when this is non-zero.
 */
size_t xencons_ring_write(struct xencons_ring *r, const char *buf, size_t len);

/*
 * Takes up to len bytes from in[] and publishes the new in_cons. Returns the
 * count. The caller notifies the back end when this is non-zero (it may be
 * waiting for room to write more input).
 */
size_t xencons_ring_read(struct xencons_ring *r, char *buf, size_t len);

#endif
