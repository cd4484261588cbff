/* SPDX-License-Identifier: MIT */
/*
 * grant: the program of lab grant (docs/labs/grant.md). Plays a granter
 * and a slow backend in one domain (dom0 may map its own grants, by its
 * numeric domid 0; grant_table.h GNTTABOP_map_grant_ref): grants page A
 * and ends that grant, grants page B, then maps A's old reference, as a
 * backend that still held that number would, and says what it reads.
 */
#include <grant_table.h>
#include <kernel.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>

#define SELF 0      /* dom0's domid */

static int grant_page(const char *text)
{
    char *page = alloc_page();

    if (!page)
        panic("grant: no page");
    strlcpy(page, text, PAGE_SIZE);
    return gnttab_grant_access(SELF, virt_to_mfn(page), true);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int a = grant_page("alpha");
    int rc = gnttab_end_access((grant_ref_t)a);
    printk("grant: page A (\"alpha\") granted as reference %d, access ended: %d\n", a, rc);
    int b = grant_page("bravo");
    printk("grant: page B (\"bravo\") granted as reference %d\n", b);

    grant_handle_t h;
    const char *map = gnttab_map(SELF, (grant_ref_t)a, true, &h);
    if (!map) {
        printk("grant: a backend mapping reference %d is refused\n", a);
        return 0;
    }
    printk("grant: a backend mapping reference %d reads \"%.15s\"\n", a, map);
    gnttab_unmap((void *)map, h);
    return 0;
}
