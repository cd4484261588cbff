/* SPDX-License-Identifier: MIT */
/*
 * The balloon (lifecycle/balloon.c): `xl mem-set` resizes the domain through
 * memory/target; pages go back to Xen and come back from it.
 */
#ifndef BALLOON_H
#define BALLOON_H

struct balloon_stats {
    unsigned long current_pages;    /* pages the domain holds */
    unsigned long target_pages;     /* the last target asked for */
    unsigned long given_back;       /* pfns whose frames are Xen's now */
};
extern struct balloon_stats balloon_stats;

/* Watches memory/target (needs xenbus). Returns 0 or a negative Xen errno. */
int balloon_init(void);

/* Gives pages back or takes them back until the domain holds target_pages,
 * or says why it cannot. From thread context. */
void balloon_set_target(unsigned long target_pages);

#endif
