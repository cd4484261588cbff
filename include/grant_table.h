/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1 (xen/grant_table.h): how a domain lets another
 * domain (a backend in dom0) map or copy one of its pages.
 *
 * The table is an array of grant entries shared with Xen; entry `ref` says
 * "domain D may access frame F (read-only or not)". A PV guest asks Xen for
 * the table's frames (GNTTABOP_setup_table returns machine frames) and maps
 * them itself. References 0-7 are reserved (GNTTAB_NR_RESERVED_ENTRIES); the
 * toolstack seeds 0 (console ring) and 1 (xenstore ring), which mote keeps.
 *
 * Functions returning int return >= 0 on success or a negative Xen errno
 * (xen/errno.h); failures are reported on the console. All may be called
 * from threads and event handlers (a spinlock guards the free list), except
 * gnttab_init.
 */
#ifndef GRANT_TABLE_H
#define GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen_interface.h>

/* Maps the table (GNTTABOP_query_size, GNTTABOP_setup_table). Called once at
 * boot; panics if Xen refuses, since no PV device can work without it. */
void gnttab_init(void);

/*
 * Grants `domid` access to machine frame `frame` (an mfn, since a PV guest's
 * grant frames are machine frames). Returns the reference, or -XEN_ENOSPC
 * when every reference is in use ("grant: all N references in use").
 */
int gnttab_grant_access(domid_t domid, xen_pfn_t frame, bool readonly);

/*
 * Revokes a grant and frees its reference. Refuses with -XEN_EBUSY, leaving
 * the grant in place, while the other domain still has the page mapped
 * (GTF_reading/GTF_writing): the caller must not reuse the page until it
 * has ended the access. -XEN_EINVAL for a reference that is not granted.
 */
int gnttab_end_access(grant_ref_t ref);

/* The entry's flags as Xen and the guest see them now (GTF_*), for tests. */
uint16_t gnttab_entry_flags(grant_ref_t ref);
/* A copy of entry `ref` (0 .. gnttab_nr_refs() - 1), for tests. */
grant_entry_v1_t gnttab_entry(grant_ref_t ref);
/* Number of entries, and of references free for gnttab_grant_access. */
unsigned int gnttab_nr_refs(void);
unsigned int gnttab_nr_free(void);

/*
 * Maps page `ref` that domain `domid` granted us (GNTTABOP_map_grant_ref,
 * GNTMAP_host_map) at a free slot of the foreign-map window. Returns its
 * address and fills *handle for gnttab_unmap, or NULL after reporting the
 * grant status (GNTST_*). Our own grants can be mapped too, by our own
 * numeric domid (DOMID_SELF does not name a granting domain).
 */
void *gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, grant_handle_t *handle);
/* Unmaps it (GNTTABOP_unmap_grant_ref); returns 0 or -XEN_EINVAL. */
int gnttab_unmap(void *va, grant_handle_t handle);

/* GNTTABOP_copy of `count` operations; returns 0 when every one succeeded,
 * else the first failing status (GNTST_*, negative), reported by name. */
int gnttab_copy(struct gnttab_copy *ops, unsigned int count);

/* "invalid grant reference" for GNTST_bad_gntref (grant_table.h GNTTABOP_error_msgs). */
const char *gnttab_status_name(int16_t status);

#endif
