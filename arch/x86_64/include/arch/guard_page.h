/* SPDX-License-Identifier: MIT */
/*
 * Unmapping a direct-map page as a stack guard, and mapping it back before
 * the page returns to the allocator (arch/x86_64/guard_page.c).
 */
#ifndef ARCH_GUARD_PAGE_H
#define ARCH_GUARD_PAGE_H

void arch_guard_page(void *va);
void arch_unguard_page(void *va);

#endif
