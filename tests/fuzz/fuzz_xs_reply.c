/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target for the xenstore reply parser (xenstore/xs_proto.c): the
 * input plays a hostile xenstored writing the response ring. It moves the
 * producer index anywhere (bad indices), writes any bytes (bad lengths,
 * unknown types, wrong request ids, unterminated strings), and the guest side
 * reassembles, classifies and decodes whatever comes out, as the driver does.
 * Built with libFuzzer (clang -fsanitize=fuzzer,address,undefined) when
 * available, else driven by tests/fuzz/driver.c under ASan and UBSan.
 * Any out-of-bounds access, undefined behaviour or broken invariant aborts.
 *
 * Input: a sequence of commands, each one byte followed by its operands:
 *   0: write N (next byte) bytes of input into the ring at prod
 *   1: set prod to the next 4 input bytes (possibly nonsense)
 *   2: set the expected request (type byte, req_id byte)
 *   3: consume: run the parser over what the ring holds
 *   4: request side: put N bytes into the request ring with arbitrary cons
 *   5: write a plausible header (type byte, req_id byte, 2-byte len up to a
 *      little over XENSTORE_PAYLOAD_MAX) so bodies and boundaries get reached
 *   6: fill the free part of the ring with one byte value, then consume, as
 *      many times as the next byte says: long bodies arrive in many pieces
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../xenstore/xs_proto.h"

static struct xs_rx rx;

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

static void check_message(uint32_t type, uint32_t req_id)
{
    const char *path, *token;
    int err = 0;

    REQUIRE(rx.hdr.len <= XENSTORE_PAYLOAD_MAX);
    REQUIRE(rx.body[rx.hdr.len] == '\0');

    /* Decode from an exact-size heap copy, so ASan sees any read past len. */
    char *exact = malloc(rx.hdr.len ? rx.hdr.len : 1);
    REQUIRE(exact);
    memcpy(exact, rx.body, rx.hdr.len);
    int code = xs_error_code(exact, rx.hdr.len);
    REQUIRE(code < 0);
    int count = xs_directory_count(exact, rx.hdr.len);
    REQUIRE(count >= -1 && count <= (int)rx.hdr.len);
    free(exact);

    switch (xs_classify(&rx, type, req_id, &err)) {
    case XS_MATCH_ERROR:
        REQUIRE(err < 0);
        REQUIRE(rx.hdr.type == XS_ERROR && rx.hdr.req_id == req_id);
        break;
    case XS_MATCH_REPLY:
        REQUIRE(rx.hdr.type == type && rx.hdr.req_id == req_id);
        break;
    case XS_MATCH_WATCH:
        if (xs_watch_event_parse(&rx, &path, &token)) {
            REQUIRE(path == rx.body);
            REQUIRE(strlen(path) + 1 + strlen(token) + 1 <= rx.hdr.len);
        }
        break;
    case XS_MATCH_STRAY:
        REQUIRE(rx.hdr.req_id != req_id || rx.hdr.type != type || rx.hdr.type >= XS_TYPE_COUNT);
        break;
    }
}

/*
 * Runs the parser over what the ring holds, as the driver's pump does. After
 * a protocol error the driver stops using the ring, but the pump may be
 * entered again (a second thread, or the watch thread while the first prints
 * the error): so keep feeding, and every later call must fail the same way
 * and take nothing.
 */
static void consume(const char *rsp, uint32_t *cons, uint32_t prod, uint32_t type,
                    uint32_t req_id, int *error)
{
    for (int rounds = 0; rounds < 64; rounds++) {
        uint32_t before = *cons;
        int r = xs_rx_take(&rx, rsp, cons, prod);
        if (*error) {
            REQUIRE(r == *error && *cons == before);
            break;
        }
        if (r < 0) {
            REQUIRE(r == XS_PROTO_BAD_INDEX || r == XS_PROTO_TOO_LONG);
            *error = r;
            continue;
        }
        REQUIRE(*cons - before <= XENSTORE_RING_SIZE);
        REQUIRE(prod - *cons <= XENSTORE_RING_SIZE);
        if (r == 0)
            break;
        check_message(type, req_id);
        xs_rx_reset(&rx);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char rsp[XENSTORE_RING_SIZE], req[XENSTORE_RING_SIZE];
    uint32_t cons = 0, prod = 0, req_prod = 0;
    uint32_t type = XS_READ, req_id = 1;
    int error = 0;
    size_t i = 0;

    xs_rx_init(&rx);
    while (i < size) {
        uint8_t cmd = data[i++];
        switch (cmd % 7) {
        case 0: {
            size_t n = i < size ? data[i++] : 0;
            if (n > size - i)
                n = size - i;
            for (size_t k = 0; k < n; k++)
                rsp[MASK_XENSTORE_IDX(prod + k)] = (char)data[i + k];
            prod += (uint32_t)n;
            i += n;
            break;
        }
        case 1:
            if (size - i >= 4) {
                memcpy(&prod, data + i, 4);
                i += 4;
            }
            break;
        case 2:
            if (size - i >= 2) {
                type = data[i];
                req_id = data[i + 1];
                i += 2;
            }
            break;
        case 3:
            consume(rsp, &cons, prod, type, req_id, &error);
            break;
        case 4:
            if (size - i >= 5) {
                uint32_t req_cons;
                memcpy(&req_cons, data + i, 4);
                size_t n = data[i + 4] * 8u;
                i += 5;
                char chunk[255 * 8];
                memset(chunk, 'r', n);
                uint32_t before = req_prod;
                int r = xs_tx_put(req, req_cons, &req_prod, chunk, n);
                if (r >= 0) {
                    REQUIRE((size_t)r <= n && req_prod - before == (uint32_t)r);
                    REQUIRE(req_prod - req_cons <= XENSTORE_RING_SIZE);
                } else {
                    REQUIRE(req_prod == before);
                    req_prod = req_cons;   /* resynchronise, as a reset would */
                }
            }
            break;
        case 5:
            if (size - i >= 4) {
                struct xsd_sockmsg h = {
                    .type = data[i] % (XS_TYPE_COUNT + 2),
                    .req_id = data[i + 1],
                    .len = (uint32_t)(data[i + 2] | data[i + 3] << 8) % (XENSTORE_PAYLOAD_MAX + 16),
                };
                i += 4;
                for (size_t k = 0; k < sizeof(h); k++)
                    rsp[MASK_XENSTORE_IDX(prod + k)] = ((char *)&h)[k];
                prod += sizeof(h);
            }
            break;
        case 6:
            if (size - i >= 2) {
                uint8_t fill = data[i], rounds = data[i + 1];
                i += 2;
                for (unsigned r = 0; r < rounds; r++) {
                    /* After an error the guest no longer moves cons: fill
                     * as a backend ignoring that would, and keep feeding. */
                    if (prod - cons > XENSTORE_RING_SIZE)
                        break;
                    uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
                    if (error && !space)
                        space = XENSTORE_RING_SIZE, cons = prod;
                    for (uint32_t k = 0; k < space; k++)
                        rsp[MASK_XENSTORE_IDX(prod + k)] = (char)fill;
                    prod += space;
                    consume(rsp, &cons, prod, type, req_id, &error);
                }
            }
            break;
        }
    }
    return 0;
}
