/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol over the shared ring (io/xs_wire.h), as pure
 * functions: ring copies with index checks, reply reassembly, error and watch
 * event decoding. See xs_proto.h for the contracts; the host fuzz target
 * compiles this file unchanged.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

/*
 * xs_wire.h defines its xsd_errors table (error name -> errno) only when
 * EINVAL is defined; give it Xen's errno values (xen/errno.h), which is what
 * mote returns everywhere.
 */
#define EINVAL    XEN_EINVAL
#define EACCES    XEN_EACCES
#define EEXIST    XEN_EEXIST
#define EISDIR    XEN_EISDIR
#define ENOENT    XEN_ENOENT
#define ENOMEM    XEN_ENOMEM
#define ENOSPC    XEN_ENOSPC
#define EIO       XEN_EIO
#define ENOTEMPTY XEN_ENOTEMPTY
#define ENOSYS    XEN_ENOSYS
#define EROFS     XEN_EROFS
#define EBUSY     XEN_EBUSY
#define EAGAIN    XEN_EAGAIN
#define EISCONN   XEN_EISCONN
#define E2BIG     XEN_E2BIG
#define EPERM     XEN_EPERM

#include "xs_proto.h"

#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

void xs_rx_init(struct xs_rx *rx)
{
    rx->error = 0;
    xs_rx_reset(rx);
}

void xs_rx_reset(struct xs_rx *rx)
{
    rx->got = 0;
    rx->hdr.len = 0;
    rx->body[0] = '\0';
}

/* Records the first protocol error; every later xs_rx_take returns it. */
static int rx_fail(struct xs_rx *rx, int error)
{
    rx->error = error;
    return error;
}

/* Copies n bytes out of a ring starting at free-running index idx. */
static void ring_copy_out(void *dst, const char *ring, uint32_t idx, uint32_t n)
{
    uint32_t off = MASK_XENSTORE_IDX(idx);
    uint32_t first = XENSTORE_RING_SIZE - off;

    if (first > n)
        first = n;
    memcpy(dst, ring + off, first);
    memcpy((char *)dst + first, ring, n - first);
}

int xs_rx_take(struct xs_rx *rx, const char *ring, uint32_t *cons, uint32_t prod)
{
    /* Indices are free-running (xs_wire.h XENSTORE_RING_IDX, masked on use),
     * so unsigned wrap-around gives the fill; more than the ring is a lie. */
    uint32_t avail = prod - *cons;

    if (rx->error)
        return rx->error;
    if (avail > XENSTORE_RING_SIZE)
        return rx_fail(rx, XS_PROTO_BAD_INDEX);

    if (rx->got < HDR_SIZE) {
        uint32_t n = HDR_SIZE - rx->got;
        if (n > avail)
            n = avail;
        ring_copy_out((char *)&rx->hdr + rx->got, ring, *cons, n);
        rx->got += n;
        *cons += n;
        avail -= n;
        if (rx->got < HDR_SIZE)
            return 0;
    }
    /* The length is checked before a single body byte is stored, on every
     * call that continues a body too: rx must never index past body[]. */
    if (rx->hdr.len > XENSTORE_PAYLOAD_MAX)
        return rx_fail(rx, XS_PROTO_TOO_LONG);

    uint32_t body_got = rx->got - HDR_SIZE;
    uint32_t n = rx->hdr.len - body_got;
    if (n > avail)
        n = avail;
    ring_copy_out(rx->body + body_got, ring, *cons, n);
    rx->got += n;
    *cons += n;
    if (rx->got - HDR_SIZE < rx->hdr.len)
        return 0;
    rx->body[rx->hdr.len] = '\0';
    return 1;
}

int xs_tx_put(char *ring, uint32_t cons, uint32_t *prod, const void *data, size_t len)
{
    uint32_t used = *prod - cons;

    if (used > XENSTORE_RING_SIZE)
        return XS_PROTO_BAD_INDEX;

    uint32_t space = XENSTORE_RING_SIZE - used;
    uint32_t n = len < space ? (uint32_t)len : space;
    uint32_t off = MASK_XENSTORE_IDX(*prod);
    uint32_t first = XENSTORE_RING_SIZE - off;

    if (first > n)
        first = n;
    memcpy(ring + off, data, first);
    memcpy(ring, (const char *)data + first, n - first);
    *prod += n;
    return (int)n;
}

int xs_error_code(const char *body, uint32_t len)
{
    /* The name is the body up to its NUL or its end, whichever comes first. */
    size_t name_len = strnlen(body, len);

    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        const char *name = xsd_errors[i].errstring;
        if (strlen(name) == name_len && !memcmp(name, body, name_len))
            return -xsd_errors[i].errnum;
    }
    return -XEN_EIO;
}

enum xs_match xs_classify(const struct xs_rx *rx, uint32_t type, uint32_t req_id, int *err)
{
    /* Watch events are unsolicited: their req_id means nothing (xenstore.txt). */
    if (rx->hdr.type == XS_WATCH_EVENT)
        return XS_MATCH_WATCH;
    if (rx->hdr.req_id != req_id)
        return XS_MATCH_STRAY;
    if (rx->hdr.type == XS_ERROR) {
        *err = xs_error_code(rx->body, rx->hdr.len);
        return XS_MATCH_ERROR;
    }
    /* A reply carries the request's type (xs_wire.h: the daemon echoes it). */
    return rx->hdr.type == type ? XS_MATCH_REPLY : XS_MATCH_STRAY;
}

bool xs_watch_event_parse(const struct xs_rx *rx, const char **path, const char **token)
{
    uint32_t len = rx->hdr.len;
    size_t path_len = strnlen(rx->body, len);

    if (path_len >= len)
        return false;
    size_t token_len = strnlen(rx->body + path_len + 1, len - path_len - 1);
    if (path_len + 1 + token_len >= len)
        return false;
    *path = rx->body;
    *token = rx->body + path_len + 1;
    return true;
}

int xs_directory_count(const char *body, uint32_t len)
{
    int count = 0;
    uint32_t i = 0;

    while (i < len) {
        size_t n = strnlen(body + i, len - i);
        if (i + n >= len)
            return -1;
        i += (uint32_t)n + 1;
        count++;
    }
    return count;
}

const char *xs_ring_error(uint32_t server_features, uint32_t error)
{
    if (!(server_features & XENSTORE_SERVER_FEATURE_ERROR))
        return NULL;
    switch (error) {
    case XENSTORE_ERROR_NONE:    return NULL;
    case XENSTORE_ERROR_COMM:    return "xenstored reports a communication problem on the ring";
    case XENSTORE_ERROR_RINGIDX: return "xenstored reports an invalid ring index from us";
    case XENSTORE_ERROR_PROTO:   return "xenstored reports a protocol violation from us";
    default:                     return "xenstored reports an unknown ring error";
    }
}
