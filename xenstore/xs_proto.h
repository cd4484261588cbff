/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol over the shared ring, as pure functions
 * (io/xs_wire.h): copying bytes in and out of the two rings with the indices
 * checked, reassembling reply messages, and decoding error replies and watch
 * events. No hypercalls and no kernel state, so the host fuzz target
 * (tests/fuzz/fuzz_xs_reply.c) and unit tests compile this file as it is.
 *
 * Everything the backend (xenstored) writes is untrusted: indices, lengths,
 * types and strings are checked before they are used.
 */
#ifndef XS_PROTO_H
#define XS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

/* Protocol errors (negative, disjoint from Xen errno values used elsewhere). */
#define XS_PROTO_BAD_INDEX  (-1000)  /* prod - cons > XENSTORE_RING_SIZE */
#define XS_PROTO_TOO_LONG   (-1001)  /* header len > XENSTORE_PAYLOAD_MAX */

/* A reply being reassembled from the response ring. */
struct xs_rx {
    struct xsd_sockmsg hdr;
    uint32_t got;                          /* header + body bytes taken so far */
    int error;                             /* the first protocol error, sticky; 0 if none */
    char body[XENSTORE_PAYLOAD_MAX + 1];   /* body, always NUL-terminated after it */
};

/* Prepares `rx` for a new connection: no message, no error. */
void xs_rx_init(struct xs_rx *rx);

/* Empties `rx` for the next message, after a complete one. A protocol error
 * stays: the stream cannot be resynchronised (see xs_rx_take). */
void xs_rx_reset(struct xs_rx *rx);

/*
 * Takes bytes of at most one message from the response ring `ring`
 * (XENSTORE_RING_SIZE bytes) between *cons and prod, advancing *cons.
 * Returns 1 when rx holds a complete message (reset it before the next),
 * 0 when the ring ran dry first, XS_PROTO_BAD_INDEX if prod - cons exceeds
 * the ring size, XS_PROTO_TOO_LONG if the header's len exceeds
 * XENSTORE_PAYLOAD_MAX (xs_wire.h: "Violating this is very bad").
 * After an error the ring cannot be trusted again (the message boundary is
 * lost), so errors are sticky: every later call returns the same error and
 * takes nothing, whatever the indices, until xs_rx_init. The caller reads
 * prod once, then issues a read barrier before calling (the bytes must not be
 * read before prod).
 */
int xs_rx_take(struct xs_rx *rx, const char *ring, uint32_t *cons, uint32_t prod);

/*
 * Copies up to `len` bytes of `data` into the request ring at *prod, as far
 * as the space the indices leave allows, advancing *prod. Returns the bytes
 * copied (0 when full) or XS_PROTO_BAD_INDEX. The caller publishes *prod
 * after a write barrier.
 */
int xs_tx_put(char *ring, uint32_t cons, uint32_t *prod, const void *data, size_t len);

/*
 * The negative Xen errno for an XS_ERROR body (the error's name, e.g.
 * "ENOENT", per xs_wire.h xsd_errors), or -XEN_EIO for a name not in that
 * table. `len` is the body length; the name may or may not include its NUL.
 */
int xs_error_code(const char *body, uint32_t len);

/*
 * How a complete message relates to the outstanding request (`type`,
 * `req_id`): XS_MATCH_REPLY (its reply), XS_MATCH_ERROR (its error reply;
 * *err set), XS_MATCH_WATCH (a watch event), XS_MATCH_STRAY (anything else:
 * another id, a type that is not the request's, an unknown type).
 */
enum xs_match { XS_MATCH_REPLY, XS_MATCH_ERROR, XS_MATCH_WATCH, XS_MATCH_STRAY };
enum xs_match xs_classify(const struct xs_rx *rx, uint32_t type, uint32_t req_id, int *err);

/*
 * Splits an XS_WATCH_EVENT body ("path\0token\0", xs_wire.h XS_WATCH_PATH and
 * XS_WATCH_TOKEN) into its strings. Returns false if the body does not hold
 * two NUL-terminated strings within its length.
 */
bool xs_watch_event_parse(const struct xs_rx *rx, const char **path, const char **token);

/*
 * Counts the NUL-terminated names of an XS_DIRECTORY reply body; -1 if the
 * last name is not terminated within `len`.
 */
int xs_directory_count(const char *body, uint32_t len);

/*
 * What the server says of the ring page's health (io/xs_wire.h, and
 * docs/misc/xenstore-ring.txt in Xen's tree): the `error` field means
 * something only when the server sets XENSTORE_SERVER_FEATURE_ERROR in
 * `server_features`; a non-zero error means the server has stopped
 * processing the ring. Returns NULL while the ring is usable, else a
 * description for the report.
 */
const char *xs_ring_error(uint32_t server_features, uint32_t error);

#endif
