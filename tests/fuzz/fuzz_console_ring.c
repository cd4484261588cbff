/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (libFuzzer) for the PV console ring code
 * (drivers/console/ring.c): the input is a script for a hostile back end that
 * sets out_cons and in_prod to anything, scribbles on our own indices and on
 * in[], and interleaves that with front-end writes and reads. Built with
 * ASan and UBSan (array bounds included), so any access outside the page's
 * arrays aborts; the checks below abort on a broken invariant.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../drivers/console/ring.h"

#define REQUIRE(cond)                                                       \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "invariant broken: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                        \
        }                                                                   \
    } while (0)

struct script {
    const uint8_t *p;
    size_t left;
};

static uint32_t take(struct script *s, unsigned bytes)
{
    uint32_t v = 0;

    while (bytes-- && s->left) {
        v = v << 8 | *s->p++;
        s->left--;
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script s = { data, size };
    struct xencons_interface *page = calloc(1, sizeof(*page));
    struct xencons_ring r;
    static char buf[4096], expect[8192];

    xencons_ring_attach(&r, page, take(&s, 1) & 1);
    while (s.left) {
        switch (take(&s, 1) % 8) {
        case 0:     /* the back end claims any out_cons */
            page->out_cons = take(&s, 4);
            break;
        case 1:     /* the back end claims any in_prod */
            page->in_prod = take(&s, 4);
            break;
        case 2: {   /* the back end writes bytes anywhere in in[] */
            uint32_t at = take(&s, 2);
            page->in[at % sizeof(page->in)] = (char)take(&s, 1);
            break;
        }
        case 3:     /* the back end scribbles on the indices that are ours */
            page->out_prod = take(&s, 4);
            page->in_cons = take(&s, 4);
            break;
        case 4: {   /* we write up to 4 KiB */
            size_t len = take(&s, 2) % sizeof(buf);
            for (size_t i = 0; i < len; i++)
                buf[i] = (i + len) % 7 == 0 ? '\n' : (char)('a' + i % 26);
            unsigned long resets = r.out_resets;
            XENCONS_RING_IDX before = r.out_prod;
            size_t taken = xencons_ring_write(&r, buf, len);
            REQUIRE(taken <= len);
            /* Our index on the page is only ever written, when it moves. */
            REQUIRE(!taken || page->out_prod == r.out_prod);
            REQUIRE(r.out_prod - page->out_cons <= XENCONS_OUT_SIZE);
            /* What landed in out[] is buf[0..taken) with CRs added. */
            size_t n = 0;
            for (size_t i = 0; i < taken; i++) {
                if (r.crlf && buf[i] == '\n')
                    expect[n++] = '\r';
                expect[n++] = buf[i];
            }
            /* A reset inside the call moved out_prod to out_cons first. */
            if (r.out_resets != resets)
                before = page->out_cons;
            REQUIRE(r.out_prod - before == n);
            for (size_t i = 0; i < n; i++)
                    REQUIRE(page->out[MASK_XENCONS_IDX(before + i, page->out)] == expect[i]);
            break;
        }
        case 5: {   /* we read up to 4 KiB */
            size_t len = take(&s, 2) % sizeof(buf);
            XENCONS_RING_IDX prod = page->in_prod, cons = r.in_cons;
            bool sane = prod - cons <= XENCONS_IN_SIZE;
            size_t n = xencons_ring_read(&r, buf, len);
            REQUIRE(n <= len && n <= XENCONS_IN_SIZE);
            REQUIRE(!n || page->in_cons == r.in_cons);
            if (sane)
                for (size_t i = 0; i < n; i++)
                    REQUIRE(buf[i] == page->in[MASK_XENCONS_IDX(cons + i, page->in)]);
            else
                REQUIRE(n == 0);
            break;
        }
        case 6:
            REQUIRE(xencons_ring_out_space(&r) <= XENCONS_OUT_SIZE);
            REQUIRE(xencons_ring_in_avail(&r) <= XENCONS_IN_SIZE);
            break;
        case 7:     /* an honest back end consumes some output */
            for (uint32_t k = take(&s, 2); k && page->out_cons != page->out_prod &&
                 page->out_prod - page->out_cons <= XENCONS_OUT_SIZE; k--)
                page->out_cons++;
            break;
        }
    }
    free(page);
    return 0;
}
