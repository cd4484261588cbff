/* SPDX-License-Identifier: MIT */
/*
 * Symbol lookup: address to "function+offset", by binary search in the table
 * scripts/ksyms.sh generates from the image's own `nm -n` output (see the
 * Makefile's two-pass link). Used from fault handlers, so it only reads
 * constant data and never faults on any address it is asked about.
 */
#include <format.h>
#include <stdint.h>
#include <symbols.h>

/* Generated table (scripts/ksyms.sh), sorted by address. */
extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_names[];

/* End of the kernel's text (linker.ld). */
extern const char _etext[];

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
    uint64_t lo = 0, hi = ksym_count;

    if (ksym_count == 0 || addr < ksym_addrs[0] || addr >= (unsigned long)_etext)
        return NULL;
    /* Invariant: ksym_addrs[lo] <= addr, and every index >= hi is above addr. */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksym_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - ksym_addrs[lo];
    return ksym_names + ksym_name_offs[lo];
}

char *symbol_format(char *buf, size_t size, unsigned long addr)
{
    unsigned long offset;
    const char *name = symbol_lookup(addr, &offset);

    if (name)
        snprintf(buf, size, "%s+0x%lx", name, offset);
    else
        snprintf(buf, size, "0x%lx", addr);
    return buf;
}
