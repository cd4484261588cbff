/* SPDX-License-Identifier: MIT */
/*
 * gnttest: grant-table boot tests (tests/boot/grant.sh). argv[1] names the
 * scenario:
 *
 *   all        the in-guest checks below, one "gnttest: PASS name" or
 *              "gnttest: FAIL name: why" line each, then
 *              "gnttest: N failed"; returns 0 only when none failed
 *   share STR  (domU) grants dom0 read-only access to a page holding STR,
 *              publishes the reference in xenstore as data/gnttest/ref, waits
 *              until dom0 writes data/gnttest/done, then ends the access
 *
 * A domain may map its own grants (grant_table.h GNTTABOP_map_grant_ref, by
 * its numeric domid: DOMID_SELF names no granting domain), which lets one
 * guest play both sides: the granter and the backend that maps.
 */
#include <control.h>
#include <format.h>
#include <grant_table.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <stdlib.h>
#include <string.h>
#include <xenbus.h>
#include "../../fail_if.h"

static int failures;

static void run(const char *name, const char *(*test)(void))
{
    const char *why = test();

    if (why) {
        printk("gnttest: FAIL %s: %s\n", name, why);
        failures++;
    } else {
        printk("gnttest: PASS %s\n", name);
    }
}

static domid_t self_domid(void)
{
    return xen_initial_domain() ? 0 : (domid_t)control_wait();
}

/* libxl seeds entry 0 with the console ring and 1 with the xenstore ring,
 * both for dom0 (xc_dom_gnttab_seed; grant_table.h GNTTAB_RESERVED_*). */
static const char *test_seeded(void)
{
    grant_entry_v1_t c = gnttab_entry(GNTTAB_RESERVED_CONSOLE);
    grant_entry_v1_t s = gnttab_entry(GNTTAB_RESERVED_XENSTORE);

    printk("gnttest: entry 0 {flags %#x, domid %u, frame %#x}, console mfn %#lx\n", c.flags,
           c.domid, c.frame, (unsigned long)start_info->console.domU.mfn);
    printk("gnttest: entry 1 {flags %#x, domid %u, frame %#x}, store mfn %#lx\n", s.flags,
           s.domid, s.frame, (unsigned long)start_info->store_mfn);
    /* Xen adds GTF_reading|GTF_writing while xenconsoled and xenstored have
     * the rings mapped; the guest's part is permit_access, writable. */
    FAIL_IF((c.flags & (GTF_type_mask | GTF_readonly)) != GTF_permit_access || c.domid != 0 ||
            c.frame != start_info->console.domU.mfn, "entry 0 is not the console ring");
    FAIL_IF((s.flags & (GTF_type_mask | GTF_readonly)) != GTF_permit_access || s.domid != 0 ||
            s.frame != start_info->store_mfn, "entry 1 is not the xenstore ring");
    return NULL;
}

static const char *test_self_map(void)
{
    char *page = alloc_page();
    grant_handle_t h;

    FAIL_IF(!page, "no page");
    memset(page, 0, PAGE_SIZE);
    int ref = gnttab_grant_access(self_domid(), virt_to_mfn(page), false);
    FAIL_IF(ref < GNTTAB_NR_RESERVED_ENTRIES, "grant_access returned %d", ref);
    FAIL_IF(gnttab_entry_flags(ref) != GTF_permit_access, "flags %#x after grant",
            gnttab_entry_flags(ref));
    char *map = gnttab_map(self_domid(), ref, false, &h);
    FAIL_IF(!map, "map of own grant %d failed", ref);
    FAIL_IF(map == page, "mapped at the same address");

    strlcpy(page, "written through the page", 64);
    FAIL_IF(strcmp(map, "written through the page"), "mapping reads \"%.30s\"", map);
    strlcpy(map + 2048, "written through the mapping", 64);
    FAIL_IF(strcmp(page + 2048, "written through the mapping"), "page reads \"%.30s\"",
            page + 2048);

    uint16_t flags = gnttab_entry_flags(ref);
    printk("gnttest: flags while mapped %#x\n", flags);
    FAIL_IF(!(flags & GTF_writing), "GTF_writing not set while mapped (flags %#x)", flags);
    int rc = gnttab_end_access(ref);
    FAIL_IF(rc != -XEN_EBUSY, "end_access while mapped returned %d, not -EBUSY", rc);
    FAIL_IF(gnttab_entry_flags(ref) != flags, "the refused end_access changed the flags");

    FAIL_IF(gnttab_unmap(map, h), "unmap failed");
    flags = gnttab_entry_flags(ref);
    FAIL_IF(flags & (GTF_reading | GTF_writing), "flags %#x after unmap", flags);
    rc = gnttab_end_access(ref);
    FAIL_IF(rc != 0, "end_access after unmap returned %d", rc);
    FAIL_IF(gnttab_entry_flags(ref) != 0, "flags %#x after end_access", gnttab_entry_flags(ref));
    rc = gnttab_end_access(ref);
    FAIL_IF(rc != -XEN_EINVAL, "second end_access returned %d, not -EINVAL", rc);
    free_page(page);
    return NULL;
}

/* A read-only grant maps read-only (GTF_reading) and refuses a writable map. */
static const char *test_readonly(void)
{
    char *page = alloc_page();
    grant_handle_t h;

    FAIL_IF(!page, "no page");
    strlcpy(page, "read-only", 16);
    int ref = gnttab_grant_access(self_domid(), virt_to_mfn(page), true);
    FAIL_IF(ref < 0, "grant_access returned %d", ref);
    FAIL_IF(gnttab_map(self_domid(), ref, false, &h), "a writable map of a read-only grant worked");
    char *map = gnttab_map(self_domid(), ref, true, &h);
    FAIL_IF(!map, "read-only map failed");
    FAIL_IF(strcmp(map, "read-only"), "mapping reads \"%.16s\"", map);
    uint16_t flags = gnttab_entry_flags(ref);
    FAIL_IF((flags & (GTF_reading | GTF_writing)) != GTF_reading, "flags %#x while mapped", flags);
    FAIL_IF(gnttab_end_access(ref) != -XEN_EBUSY, "end_access while mapped did not refuse");
    FAIL_IF(gnttab_unmap(map, h), "unmap failed");
    FAIL_IF(gnttab_end_access(ref), "end_access after unmap failed");
    free_page(page);
    return NULL;
}

/* GNTTABOP_copy from a granted page (by reference) into a local frame. */
static const char *test_copy(void)
{
    char *src = alloc_page(), *dst = alloc_page();

    FAIL_IF(!src || !dst, "no page");
    memset(dst, 0, PAGE_SIZE);
    strlcpy(src + 100, "copied by Xen", 32);
    int ref = gnttab_grant_access(self_domid(), virt_to_mfn(src), true);
    FAIL_IF(ref < 0, "grant_access returned %d", ref);
    struct gnttab_copy op = {
        .source = { .u.ref = (grant_ref_t)ref, .domid = self_domid(), .offset = 100 },
        .dest = { .u.gmfn = virt_to_mfn(dst), .domid = DOMID_SELF, .offset = 200 },
        .len = 32,
        .flags = GNTCOPY_source_gref,
    };
    int rc = gnttab_copy(&op, 1);
    FAIL_IF(rc, "copy failed: %s", gnttab_status_name((int16_t)rc));
    FAIL_IF(strcmp(dst + 200, "copied by Xen"), "destination reads \"%.32s\"", dst + 200);
    FAIL_IF(gnttab_end_access(ref), "end_access failed");
    free_page(src);
    free_page(dst);
    return NULL;
}

/* Every free reference granted: the next one is a clear error, the seeded
 * entries are untouched, and all of them can be ended and granted again. */
static const char *test_exhaust(void)
{
    static int refs[4096];
    grant_entry_v1_t e0 = gnttab_entry(0), e1 = gnttab_entry(1);
    unsigned int free_before = gnttab_nr_free(), n = 0;
    char *page = alloc_page();
    int rc;

    FAIL_IF(!page || free_before > ARRAY_SIZE(refs), "setup: page %p, %u free", page, free_before);
    while ((rc = gnttab_grant_access(0, virt_to_mfn(page), true)) >= 0) {
        FAIL_IF(n == free_before, "more grants than free references");
        FAIL_IF(rc < GNTTAB_NR_RESERVED_ENTRIES, "reserved reference %d handed out", rc);
        refs[n++] = rc;
    }
    printk("gnttest: %u references granted, then %s\n", n, xen_errno_name(rc));
    FAIL_IF(rc != -XEN_ENOSPC, "exhaustion returned %d, not -ENOSPC", rc);
    FAIL_IF(n != free_before, "granted %u of %u free", n, free_before);
    FAIL_IF(gnttab_nr_free() != 0, "%u free after exhaustion", gnttab_nr_free());
    grant_entry_v1_t a0 = gnttab_entry(0), a1 = gnttab_entry(1);
    FAIL_IF(memcmp(&a0, &e0, sizeof(a0)) || memcmp(&a1, &e1, sizeof(a1)),
            "entries 0/1 changed");
    for (unsigned int i = 0; i < n; i++) {
        FAIL_IF(gnttab_entry_flags(refs[i]) != (GTF_permit_access | GTF_readonly),
                "reference %d has flags %#x", refs[i], gnttab_entry_flags(refs[i]));
        FAIL_IF(gnttab_end_access(refs[i]), "end_access(%d) failed", refs[i]);
    }
    FAIL_IF(gnttab_nr_free() != free_before, "%u free after ending all, was %u",
            gnttab_nr_free(), free_before);
    rc = gnttab_grant_access(0, virt_to_mfn(page), true);
    FAIL_IF(rc < 0, "grant after refill returned %d", rc);
    gnttab_end_access(rc);
    free_page(page);
    return NULL;
}

static int all(void)
{
    printk("gnttest: domid %u, %u references, %u free\n", self_domid(), gnttab_nr_refs(),
           gnttab_nr_free());
    if (!xen_initial_domain())
        run("seeded", test_seeded);
    run("self_map", test_self_map);
    run("readonly", test_readonly);
    run("copy", test_copy);
    run("exhaust", test_exhaust);
    printk("gnttest: %d failed\n", failures);
    return failures ? 1 : 0;
}

static volatile bool done;

static void done_written(const char *path, void *ctx)
{
    char buf[8];

    (void)path;
    (void)ctx;
    if (xenbus_read(XBT_NIL, "data/gnttest/done", buf, sizeof(buf)) > 0)
        done = true;
}

/* The dom0 side (a gntdev helper) maps the reference and prints the string. */
static int share(const char *text)
{
    char *page = alloc_page();
    char value[16];

    if (!page || xen_initial_domain())
        return 2;
    memset(page, 0, PAGE_SIZE);
    strlcpy(page, text, PAGE_SIZE);
    int ref = gnttab_grant_access(0, virt_to_mfn(page), true);
    if (ref < 0)
        return 3;
    xenbus_watch("data/gnttest/done", done_written, NULL);
    snprintf(value, sizeof(value), "%d", ref);
    xenbus_write(XBT_NIL, "data/gnttest/ref", value);
    printk("gnttest: granted \"%s\" to dom0 as reference %d\n", text, ref);
    while (!done)
        xenbus_wait_for_watches();
    int rc = gnttab_end_access(ref);
    printk("gnttest: dom0 is done; end_access: %s\n", rc ? xen_errno_name(rc) : "ok");
    return rc ? 4 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "all"))
        return all();
    if (argc >= 3 && !strcmp(argv[1], "share"))
        return share(argv[2]);
    printk("usage: gnttest all | share STRING\n");
    return 2;
}
