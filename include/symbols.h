/* SPDX-License-Identifier: MIT */
/*
 * Kernel symbol names for fault reports and backtraces: the table of text
 * symbols built into every image by the two-pass link (scripts/ksyms.sh).
 */
#ifndef SYMBOLS_H
#define SYMBOLS_H

#include <stddef.h>

/*
 * The function containing `addr`: its name, with *offset set to addr minus
 * its start. NULL if addr is not in the kernel's text.
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset);

/* Writes "name+0xoff" (or "0x<addr>" outside the text) into buf; returns buf. */
char *symbol_format(char *buf, size_t size, unsigned long addr);

#endif
