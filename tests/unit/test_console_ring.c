/* SPDX-License-Identifier: MIT */
/*
 * The PV console ring code (drivers/console/ring.c) against a model back end
 * on the host: streams arrive whole and in order through every wrap, "\n"
 * becomes "\r\n" without splitting, and hostile indices from the back end are
 * counted and survived without reading or writing outside the ring.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../../drivers/console/ring.h"

static struct xencons_interface *new_page(void)
{
    /* Exactly the structure, so ASan catches any access past it. */
    return calloc(1, sizeof(struct xencons_interface));
}

/* The back end: consumes up to n bytes of out[] into sink. */
static size_t backend_consume(struct xencons_interface *p, char *sink, size_t n)
{
    size_t k = 0;

    while (k < n && p->out_cons != p->out_prod)
        sink[k++] = p->out[MASK_XENCONS_IDX(p->out_cons++, p->out)];
    return k;
}

/* The back end: produces up to n bytes into in[], as much as fits. */
static size_t backend_produce(struct xencons_interface *p, const char *src, size_t n)
{
    size_t k = 0;

    while (k < n && p->in_prod - p->in_cons < sizeof(p->in))
        p->in[MASK_XENCONS_IDX(p->in_prod++, p->in)] = src[k++];
    return k;
}

/* 200 KiB through the ring in random pieces, from several starting indices
 * (including just below the 32-bit wrap), with and without CR insertion. */
static void stream_through(bool crlf, XENCONS_RING_IDX start)
{
    enum { LEN = 200 * 1024 };
    char *src = malloc(LEN), *sink = malloc(2 * LEN), *expect = malloc(2 * LEN);
    struct xencons_interface *p = new_page();
    struct xencons_ring r;
    size_t sent = 0, got = 0, nexpect = 0;

    srand(start ^ crlf);
    for (size_t i = 0; i < LEN; i++) {
        src[i] = (rand() % 10 == 0) ? '\n' : (char)(' ' + rand() % 95);
        if (crlf && src[i] == '\n')
            expect[nexpect++] = '\r';
        expect[nexpect++] = src[i];
    }
    p->out_prod = p->out_cons = start;
    xencons_ring_attach(&r, p, crlf);
    while (sent < LEN) {
        size_t want = 1 + (size_t)rand() % 3000;
        if (want > LEN - sent)
            want = LEN - sent;
        sent += xencons_ring_write(&r, src + sent, want);
        CHECK(p->out_prod - p->out_cons <= sizeof(p->out), "overfilled");
        got += backend_consume(p, sink + got, (size_t)rand() % 2500);
    }
    got += backend_consume(p, sink + got, SIZE_MAX);
    CHECK(got == nexpect && !memcmp(sink, expect, nexpect),
          "crlf %d start %#x: %zu bytes arrived, %zu expected", crlf, start, got, nexpect);
    CHECK(r.out_resets == 0 && r.in_resets == 0, "resets on an honest ring");
    free(src), free(sink), free(expect), free(p);
}

static void test_output_stream(void)
{
    stream_through(false, 0);
    stream_through(true, 0);
    stream_through(true, 0xfffff000u);
    stream_through(false, 0xffffffffu);
}

static void test_input_stream(void)
{
    enum { LEN = 100 * 1024 };
    char *src = malloc(LEN), *dst = malloc(LEN);
    struct xencons_interface *p = new_page();
    struct xencons_ring r;
    size_t sent = 0, got = 0;

    for (size_t i = 0; i < LEN; i++)
        src[i] = (char)(i * 7 + i / 1000);
    p->in_prod = p->in_cons = 0xfffffe00u;
    xencons_ring_attach(&r, p, true);
    while (got < LEN) {
        size_t offer = (size_t)rand() % 1500;
        sent += backend_produce(p, src + sent, offer < LEN - sent ? offer : LEN - sent);
        size_t want = 1 + (size_t)rand() % 700;
        if (want > LEN - got)
            want = LEN - got;
        size_t n = xencons_ring_read(&r, dst + got, want);
        CHECK(n <= want, "read %zu of %zu", n, want);
        got += n;
    }
    CHECK(!memcmp(src, dst, LEN), "input bytes differ");
    CHECK(p->in_cons == p->in_prod, "in_cons %#x in_prod %#x", p->in_cons, p->in_prod);
    free(src), free(dst), free(p);
}

static void test_full_ring(void)
{
    struct xencons_interface *p = new_page();
    struct xencons_ring r;
    char buf[3000];

    memset(buf, 'x', sizeof(buf));
    xencons_ring_attach(&r, p, true);
    CHECK(xencons_ring_write(&r, buf, sizeof(buf)) == sizeof(p->out), "fill");
    CHECK(xencons_ring_out_space(&r) == 0, "space left when full");
    CHECK(xencons_ring_write(&r, buf, sizeof(buf)) == 0, "wrote into a full ring");
    p->out_cons += 1;
    /* One free slot: "\n" needs two and must not be split into a lone "\r". */
    CHECK(xencons_ring_write(&r, "\n", 1) == 0, "split a newline");
    CHECK(xencons_ring_write(&r, "a\n", 2) == 1, "took the byte before the newline");
    p->out_cons += 2;
    CHECK(xencons_ring_write(&r, "\n", 1) == 1, "newline with two slots");
    CHECK(p->out[MASK_XENCONS_IDX(p->out_prod - 2, p->out)] == '\r' &&
          p->out[MASK_XENCONS_IDX(p->out_prod - 1, p->out)] == '\n', "not \\r\\n");
    free(p);
}

static void test_hostile_out_cons(void)
{
    struct xencons_interface *p = new_page();
    struct xencons_ring r;
    char buf[100];

    memset(buf, 'y', sizeof(buf));
    xencons_ring_attach(&r, p, false);
    xencons_ring_write(&r, buf, sizeof(buf));
    p->out_cons = 5000;                     /* consumed more than we produced */
    CHECK(xencons_ring_out_space(&r) == sizeof(p->out), "space after bad out_cons");
    CHECK(r.out_resets == 1, "out_resets %lu", r.out_resets);
    CHECK(p->out_prod == 5000, "not resynchronised: out_prod %u", p->out_prod);
    CHECK(xencons_ring_write(&r, buf, sizeof(buf)) == sizeof(buf), "write after reset");
    p->out_cons = p->out_prod - 3000;       /* more than a ring behind */
    CHECK(xencons_ring_write(&r, buf, 10) == 10, "write after second reset");
    CHECK(r.out_resets == 2, "out_resets %lu", r.out_resets);
    free(p);
}

static void test_hostile_in_prod(void)
{
    struct xencons_interface *p = new_page();
    struct xencons_ring r;
    char buf[2048];

    xencons_ring_attach(&r, p, false);
    p->in_prod = 1025;                      /* more than in[] holds */
    CHECK(xencons_ring_read(&r, buf, sizeof(buf)) == 0, "read from a bad in_prod");
    CHECK(r.in_resets == 1 && p->in_cons == 1025, "resets %lu in_cons %u", r.in_resets,
          p->in_cons);
    p->in_prod = 1025 + 1024;               /* exactly full is legal */
    CHECK(xencons_ring_read(&r, buf, sizeof(buf)) == 1024, "full in ring");
    p->in_prod = 0;                         /* behind our in_cons */
    CHECK(xencons_ring_in_avail(&r) == 0 && r.in_resets == 2, "backwards in_prod");
    free(p);
}

static void test_attach_garbage(void)
{
    struct xencons_interface *p = new_page();
    struct xencons_ring r;

    p->out_prod = 0x12345678, p->out_cons = 0x9abcdef0;
    p->in_prod = 0xdeadbeef, p->in_cons = 0x0badf00d;
    xencons_ring_attach(&r, p, true);
    CHECK(r.out_resets == 1 && r.in_resets == 1, "resets %lu %lu", r.out_resets, r.in_resets);
    CHECK(xencons_ring_out_space(&r) == sizeof(p->out), "out not empty after reset");
    CHECK(xencons_ring_in_avail(&r) == 0, "in not empty after reset");
    free(p);
}

int main(void)
{
    RUN("console_ring", test_output_stream);
    RUN("console_ring", test_input_stream);
    RUN("console_ring", test_full_ring);
    RUN("console_ring", test_hostile_out_cons);
    RUN("console_ring", test_hostile_in_prod);
    RUN("console_ring", test_attach_garbage);
    return check_tests_failed != 0;
}
