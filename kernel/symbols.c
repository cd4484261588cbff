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

/* Generated table (scripts/ksyms.sh), sorted by address: each symbol's
 * start as an offset from _text, and the names back to back in the same
 * order. */
extern const uint32_t ksym_count;
extern const uint32_t ksym_offs[];
extern const char ksym_names[];

/* The kernel's text (linker.ld). */
extern const char _text[], _etext[];

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
    uint32_t lo = 0, hi = ksym_count;

    if (ksym_count == 0 || addr < (unsigned long)_text + ksym_offs[0] ||
        addr >= (unsigned long)_etext)
        return NULL;
    unsigned long rel = addr - (unsigned long)_text;
    /* Invariant: ksym_offs[lo] <= rel, and every index >= hi is above rel. */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ksym_offs[mid] <= rel)
            lo = mid;
        else
            hi = mid;
    }
    *offset = rel - ksym_offs[lo];
    /* Name lo follows lo NULs: a walk of a few KB, only when reporting. */
    const char *name = ksym_names;
    for (uint32_t i = 0; i < lo; i++)
        while (*name++)
            ;
    return name;
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
