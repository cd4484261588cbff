/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1 (include/grant_table.h; the protocol is the comment
 * block at the top of xen/grant_table.h).
 *
 * The table: GNTTABOP_setup_table for DOMID_SELF returns the machine frames
 * of the shared table; a PV guest maps them itself (XENMAPSPACE_grant_table
 * is for translated guests only). Each v1 entry is {flags, domid, frame}.
 *
 * Granting (grant_table.h, "Introducing a valid entry into the grant
 * table"): write domid and frame, a write barrier, then flags, so Xen never
 * sees GTF_permit_access with a stale frame. Revoking ("Invalidating an
 * unused GTF_permit_access entry"): clear flags only if GTF_reading and
 * GTF_writing are clear, in one compare-and-exchange, since Xen sets those
 * bits on the other CPU when the backend maps the page.
 *
 * Free references are a singly linked list through free_next[], under
 * table_lock; references below GNTTAB_NR_RESERVED_ENTRIES never enter it.
 */
#include <arch/barrier.h>
#include <grant_table.h>
#include <hypercall.h>
#include <kernel.h>
#include <mm.h>
#include <printk.h>
#include <suspend.h>
#include <spinlock.h>
#include <stddef.h>

/* 4 frames: 2048 references, enough for two block devices with every
 * request slot in flight (2 x 32 x 11) and a network device. */
#define WANT_FRAMES   4
#define PER_FRAME     (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAX_REFS      (WANT_FRAMES * PER_FRAME)
/* The list's links are 16 bits (MAX_REFS is far below the markers): 4 KiB
 * of .bss for the 2,048 references instead of 8 KiB. */
#define REF_END       0xffffu          /* end of the free list */
#define REF_GRANTED   0xfffeu          /* free_next[] of a reference in use */
#define REF_ENDING    0xfffdu          /* ... being ended by gnttab_end_access */
_Static_assert(MAX_REFS < REF_ENDING, "grant references must fit the 16-bit free list");

static grant_entry_v1_t *frames[WANT_FRAMES];
static unsigned int nr_refs, nr_free;
static grant_ref_t free_head = REF_END;
static uint16_t free_next[MAX_REFS];
static spinlock_t table_lock = SPINLOCK_INIT;

static const char *const status_names[] = GNTTABOP_error_msgs;

const char *gnttab_status_name(int16_t status)
{
    int i = -status;

    if (i < 0 || (unsigned)i >= ARRAY_SIZE(status_names))
        return "unknown grant status";
    return status_names[i];
}

static grant_entry_v1_t *entry(grant_ref_t ref)
{
    return &frames[ref / PER_FRAME][ref % PER_FRAME];
}

static unsigned int nr_frames;

/* Asks Xen for the table's n frames and maps them. */
static void map_frames(unsigned int n)
{
    xen_pfn_t mfns[WANT_FRAMES];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = n };
    set_xen_guest_handle(st.frame_list, mfns);
    if (xen_call(grant_table_op, GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay)
        panic("grant: GNTTABOP_setup_table(%u frames) failed: %s", n,
              gnttab_status_name(st.status));
    /* The frames belong to us (Xen shares them with the domain), so they
     * are mapped as our own: FD = DOMID_SELF. */
    for (unsigned int i = 0; i < n; i++) {
        frames[i] = map_foreign_page(mfns[i], DOMID_SELF);
        if (!frames[i])
            panic("grant: cannot map grant-table frame %u (mfn %#lx)", i, mfns[i]);
    }
    nr_frames = n;
}

/* Suspend: the frames are Xen's, not in our P2M, so the save would refuse
 * our mappings of them. After it, the same domain maps them again; a new
 * domain gets an empty table, and each driver grants its pages anew. */
static void gnttab_suspend(void)
{
    for (unsigned int i = 0; i < nr_frames; i++)
        unmap_foreign_page(frames[i]);
}

static void gnttab_resume(bool new_domain)
{
    (void)new_domain;
    map_frames(nr_frames);
}

static struct suspend_hook gnttab_suspend_hook = {
    .name = "grant table", .suspend_masked = gnttab_suspend, .resume_masked = gnttab_resume,
};

void gnttab_init(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    if (xen_call(grant_table_op, GNTTABOP_query_size, &q, 1) || q.status != GNTST_okay)
        panic("grant: GNTTABOP_query_size failed: %s", gnttab_status_name(q.status));
    unsigned int n = q.max_nr_frames < WANT_FRAMES ? q.max_nr_frames : WANT_FRAMES;
    map_frames(n);
    suspend_hook_add(&gnttab_suspend_hook);
    nr_refs = n * PER_FRAME;
    for (grant_ref_t ref = nr_refs; ref-- > GNTTAB_NR_RESERVED_ENTRIES;) {
        free_next[ref] = free_head;
        free_head = ref;
        nr_free++;
    }
    printk("mote: grant table: %u frames (%u references, %u free), max %u frames\n", n,
           nr_refs, nr_free, q.max_nr_frames);
}

int gnttab_grant_access(domid_t domid, xen_pfn_t frame, bool readonly)
{
    /* A v1 entry's frame is 32 bits (grant_entry_v1_t). */
    if (frame > UINT32_MAX) {
        printk("grant: frame %#lx does not fit a v1 grant entry\n", (unsigned long)frame);
        return -XEN_EINVAL;
    }
    unsigned long flags = spin_lock_irqsave(&table_lock);
    grant_ref_t ref = free_head;

    if (ref == REF_END) {
        spin_unlock_irqrestore(&table_lock, flags);
        printk("grant: all %u grant references in use\n", nr_refs - GNTTAB_NR_RESERVED_ENTRIES);
        return -XEN_ENOSPC;
    }
    free_head = free_next[ref];
    free_next[ref] = REF_GRANTED;
    nr_free--;
    spin_unlock_irqrestore(&table_lock, flags);

    grant_entry_v1_t *e = entry(ref);
    e->domid = domid;
    e->frame = (uint32_t)frame;
    xen_wmb();   /* domid and frame before the flags that make them valid */
    WRITE_ONCE(e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)));
    return (int)ref;
}

int gnttab_end_access(grant_ref_t ref)
{
    /* Claimed under the lock (REF_ENDING), so two callers ending the same
     * reference cannot both pass and put it on the free list twice. */
    unsigned long flags = spin_lock_irqsave(&table_lock);
    if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= nr_refs || free_next[ref] != REF_GRANTED) {
        spin_unlock_irqrestore(&table_lock, flags);
        printk("grant: end_access(%u): not a granted reference\n", ref);
        return -XEN_EINVAL;
    }
    free_next[ref] = REF_ENDING;
    spin_unlock_irqrestore(&table_lock, flags);

    grant_entry_v1_t *e = entry(ref);
    uint16_t old = READ_ONCE(e->flags);
    bool busy = false;
    do {
        if (old & (GTF_reading | GTF_writing)) {
            busy = true;
            break;
        }
    } while (!__atomic_compare_exchange_n(&e->flags, &old, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));

    flags = spin_lock_irqsave(&table_lock);
    if (busy) {
        free_next[ref] = REF_GRANTED;       /* still the caller's, still granted */
    } else {
        free_next[ref] = free_head;
        free_head = ref;
        nr_free++;
    }
    spin_unlock_irqrestore(&table_lock, flags);
    return busy ? -XEN_EBUSY : 0;
}

uint16_t gnttab_entry_flags(grant_ref_t ref)
{
    return ref < nr_refs ? READ_ONCE(entry(ref)->flags) : 0;
}

grant_entry_v1_t gnttab_entry(grant_ref_t ref)
{
    grant_entry_v1_t none = { 0 };

    return ref < nr_refs ? *entry(ref) : none;
}

unsigned int gnttab_nr_refs(void)
{
    return nr_refs;
}

unsigned int gnttab_nr_free(void)
{
    return nr_free;
}

void *gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, grant_handle_t *handle)
{
    void *va = foreign_slot_reserve();

    if (!va)
        return NULL;
    struct gnttab_map_grant_ref op = {
        .host_addr = (unsigned long)va,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = domid,
    };
    /* The hypercall succeeds as a batch; each operation has its own status. */
    if (xen_call(grant_table_op, GNTTABOP_map_grant_ref, &op, 1) || op.status != GNTST_okay) {
        printk("grant: map of domain %u's reference %u failed: %s\n", domid, ref,
               gnttab_status_name(op.status));
        foreign_slot_release(va);
        return NULL;
    }
    *handle = op.handle;
    return va;
}

int gnttab_unmap(void *va, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = (unsigned long)va, .handle = handle };

    if (xen_call(grant_table_op, GNTTABOP_unmap_grant_ref, &op, 1) || op.status != GNTST_okay) {
        printk("grant: unmap of %p (handle %u) failed: %s\n", va, handle,
               gnttab_status_name(op.status));
        return -XEN_EINVAL;
    }
    /* grant_table.h: after the unmap no stale TLB entry remains. */
    foreign_slot_release(va);
    return 0;
}

int gnttab_copy(struct gnttab_copy *ops, unsigned int count)
{
    if (xen_call(grant_table_op, GNTTABOP_copy, ops, count))
        return GNTST_general_error;
    for (unsigned int i = 0; i < count; i++) {
        if (ops[i].status != GNTST_okay) {
            printk("grant: copy %u of %u failed: %s\n", i + 1, count,
                   gnttab_status_name(ops[i].status));
            return ops[i].status;
        }
    }
    return 0;
}
