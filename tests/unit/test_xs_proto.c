/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the xenstore wire protocol functions
 * (xenstore/xs_proto.c): reassembly across the ring's wrap point and
 * across partial writes, the index and length checks, error-name mapping,
 * reply matching and watch-event decoding. The fuzz target
 * (tests/fuzz/fuzz_xs_reply.c) covers hostile input; these pin the behaviour.
 */
#include "check.h"
#include <stdint.h>
#include <xen/errno.h>
#include "../../xenstore/xs_proto.h"

static char ring[XENSTORE_RING_SIZE];
static struct xs_rx rx;

/* Writes a message (header + body) into `ring` at *prod. */
static void put_msg(uint32_t *prod, uint32_t type, uint32_t req_id, const void *body, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = 0, .len = len };
    for (uint32_t i = 0; i < sizeof(h); i++, (*prod)++)
        ring[MASK_XENSTORE_IDX(*prod)] = ((char *)&h)[i];
    for (uint32_t i = 0; i < len; i++, (*prod)++)
        ring[MASK_XENSTORE_IDX(*prod)] = ((const char *)body)[i];
}

static void reply_across_wrap(void)
{
    /* Start 6 bytes before the end: the header itself wraps. */
    uint32_t cons = XENSTORE_RING_SIZE * 3 - 6, prod = cons;
    put_msg(&prod, XS_READ, 7, "hello", 5);
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == 1, "message not complete");
    CHECK(cons == prod, "cons %u prod %u", cons, prod);
    CHECK(rx.hdr.len == 5 && !strcmp(rx.body, "hello"), "body %s", rx.body);
    int err = 0;
    CHECK(xs_classify(&rx, XS_READ, 7, &err) == XS_MATCH_REPLY, "not a reply");
    CHECK(xs_classify(&rx, XS_READ, 8, &err) == XS_MATCH_STRAY, "wrong id matched");
    CHECK(xs_classify(&rx, XS_WRITE, 7, &err) == XS_MATCH_STRAY, "wrong type matched");
}

static void reply_in_pieces(void)
{
    uint32_t cons = 0, prod = 0, visible;
    put_msg(&prod, XS_DIRECTORY, 1, "a\0bc\0", 5);
    xs_rx_init(&rx);
    /* The backend publishes one byte at a time. */
    for (visible = 1; visible < prod; visible++)
        CHECK(xs_rx_take(&rx, ring, &cons, visible) == 0, "complete at %u bytes", visible);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == 1, "not complete at the end");
    CHECK(xs_directory_count(rx.body, rx.hdr.len) == 2, "count");
    CHECK(xs_directory_count("a\0b", 3) == -1, "unterminated name accepted");
}

static void stops_at_message_boundary(void)
{
    uint32_t cons = 0, prod = 0;
    put_msg(&prod, XS_WRITE, 1, "OK", 3);
    put_msg(&prod, XS_WRITE, 2, "OK", 3);
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == 1 && rx.hdr.req_id == 1, "first");
    CHECK(cons == 16 + 3, "took %u bytes", cons);
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == 1 && rx.hdr.req_id == 2, "second");
}

static void bad_index_and_length(void)
{
    uint32_t cons = 100, prod;
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, cons + XENSTORE_RING_SIZE + 1) == XS_PROTO_BAD_INDEX, "index");
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, cons - 1) == XS_PROTO_BAD_INDEX, "backwards index");
    CHECK(cons == 100, "consumed on a bad index");
    xs_rx_init(&rx);
    prod = cons;
    put_msg(&prod, XS_READ, 1, "", 0);
    /* Patch the header's len to one over the maximum. */
    uint32_t len = XENSTORE_PAYLOAD_MAX + 1;
    for (int i = 0; i < 4; i++)
        ring[MASK_XENSTORE_IDX(cons + 12 + i)] = ((char *)&len)[i];
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == XS_PROTO_TOO_LONG, "too long accepted");

    char req[XENSTORE_RING_SIZE];
    uint32_t req_prod = 10;
    CHECK(xs_tx_put(req, 11, &req_prod, "x", 1) == XS_PROTO_BAD_INDEX, "request index");
    req_prod = 0;
    static char big[2000];
    CHECK(xs_tx_put(req, 0, &req_prod, big, sizeof(big)) == XENSTORE_RING_SIZE, "fills the ring");
    CHECK(xs_tx_put(req, 0, &req_prod, big, 1) == 0, "wrote into a full ring");
}

/*
 * A protocol error is sticky. The driver's pump may be entered again after
 * one (another thread, while the first prints the error), and then must
 * neither take bytes nor resume the oversized body: before, the body path
 * appended ring data past rx.body (ASan: global-buffer-overflow by the fifth
 * full ring).
 */
static void error_is_sticky(void)
{
    uint32_t cons = 0, prod = 0;
    uint32_t huge = XENSTORE_PAYLOAD_MAX * 4;

    xs_rx_init(&rx);
    put_msg(&prod, XS_READ, 1, "", 0);
    for (int i = 0; i < 4; i++)
        ring[MASK_XENSTORE_IDX(12 + i)] = ((char *)&huge)[i];
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == XS_PROTO_TOO_LONG, "too long accepted");
    for (int round = 0; round < 8; round++) {
        uint32_t before = cons;
        prod = cons + XENSTORE_RING_SIZE;   /* a full ring of "body" */
        memset(ring, 'x', sizeof(ring));
        CHECK(xs_rx_take(&rx, ring, &cons, prod) == XS_PROTO_TOO_LONG,
              "call %d after the error did not fail", round);
        CHECK(cons == before, "call %d took %u bytes after the error", round, cons - before);
    }
    /* A later good index does not clear a bad-index error either. */
    xs_rx_init(&rx);
    cons = 0;
    CHECK(xs_rx_take(&rx, ring, &cons, XENSTORE_RING_SIZE + 1) == XS_PROTO_BAD_INDEX, "index");
    prod = 0;
    put_msg(&prod, XS_WRITE, 2, "OK", 3);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == XS_PROTO_BAD_INDEX, "recovered after a bad index");
    CHECK(cons == 0, "took bytes after a bad index");
    /* xs_rx_reset (between messages) keeps the error; xs_rx_init clears it. */
    xs_rx_reset(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == XS_PROTO_BAD_INDEX, "reset cleared the error");
    xs_rx_init(&rx);
    CHECK(xs_rx_take(&rx, ring, &cons, prod) == 1 && rx.hdr.req_id == 2, "init did not clear it");
}

static void error_names(void)
{
    CHECK(xs_error_code("ENOENT", 7) == -XEN_ENOENT, "ENOENT with NUL");
    CHECK(xs_error_code("ENOENT", 6) == -XEN_ENOENT, "ENOENT without NUL");
    CHECK(xs_error_code("EAGAIN", 7) == -XEN_EAGAIN, "EAGAIN");
    CHECK(xs_error_code("EPERM", 6) == -XEN_EPERM, "EPERM (last in xsd_errors)");
    CHECK(xs_error_code("ENOENTX", 8) == -XEN_EIO, "prefix matched");
    CHECK(xs_error_code("ENO", 3) == -XEN_EIO, "truncated name matched");
    CHECK(xs_error_code("", 0) == -XEN_EIO, "empty");

    uint32_t cons = 0, prod = 0;
    put_msg(&prod, XS_ERROR, 5, "ENOENT", 7);
    xs_rx_init(&rx);
    xs_rx_take(&rx, ring, &cons, prod);
    int err = 0;
    CHECK(xs_classify(&rx, XS_READ, 5, &err) == XS_MATCH_ERROR && err == -XEN_ENOENT, "err %d", err);
}

static void ring_error_field(void)
{
    CHECK(!xs_ring_error(0, XENSTORE_ERROR_PROTO), "error field read without the feature bit");
    CHECK(!xs_ring_error(XENSTORE_SERVER_FEATURE_ERROR, XENSTORE_ERROR_NONE), "no error");
    CHECK(xs_ring_error(XENSTORE_SERVER_FEATURE_ERROR, XENSTORE_ERROR_COMM), "COMM");
    CHECK(xs_ring_error(XENSTORE_SERVER_FEATURE_ERROR, XENSTORE_ERROR_RINGIDX), "RINGIDX");
    CHECK(xs_ring_error(XENSTORE_SERVER_FEATURE_ERROR, XENSTORE_ERROR_PROTO), "PROTO");
    CHECK(xs_ring_error(XENSTORE_SERVER_FEATURE_ERROR | XENSTORE_SERVER_FEATURE_RECONNECTION, 77),
          "unknown error value");
}

static void watch_events(void)
{
    const char *path, *token;
    uint32_t cons = 0, prod = 0;
    put_msg(&prod, XS_WATCH_EVENT, 0, "/a/b\0w3\0", 8);
    xs_rx_init(&rx);
    xs_rx_take(&rx, ring, &cons, prod);
    int err;
    CHECK(xs_classify(&rx, XS_READ, 9, &err) == XS_MATCH_WATCH, "not a watch event");
    CHECK(xs_watch_event_parse(&rx, &path, &token), "parse");
    CHECK(!strcmp(path, "/a/b") && !strcmp(token, "w3"), "%s %s", path, token);

    put_msg(&prod, XS_WATCH_EVENT, 0, "/a/b\0w3", 7);   /* token unterminated */
    xs_rx_init(&rx);
    xs_rx_take(&rx, ring, &cons, prod);
    CHECK(!xs_watch_event_parse(&rx, &path, &token), "unterminated token accepted");
    put_msg(&prod, XS_WATCH_EVENT, 0, "/a/b", 4);        /* no token at all */
    xs_rx_init(&rx);
    xs_rx_take(&rx, ring, &cons, prod);
    CHECK(!xs_watch_event_parse(&rx, &path, &token), "missing token accepted");
}

int main(void)
{
    RUN("xs_proto", reply_across_wrap);
    RUN("xs_proto", reply_in_pieces);
    RUN("xs_proto", stops_at_message_boundary);
    RUN("xs_proto", bad_index_and_length);
    RUN("xs_proto", error_is_sticky);
    RUN("xs_proto", error_names);
    RUN("xs_proto", watch_events);
    RUN("xs_proto", ring_error_field);
    return check_tests_failed != 0;
}
