/* SPDX-License-Identifier: MIT */
/*
 * Xen ELF notes: how Xen's domain builder (libelf) recognises and loads mote.
 * Each note is documented in xen/elfnote.h; the builder reads them from the
 * PT_NOTE segment, so they live in their own allocated section.
 */
#include <arch/layout.h>
#include <xen/elfnote.h>
#include <xen/features.h>

/* One ELF note with name "Xen" (ELF spec: namesz, descsz, type, padded name, padded desc). */
.macro xen_note type:req, desc:vararg
        .pushsection .note.Xen, "a", @note
        .balign 4
        .long   2f - 1f
        .long   4f - 3f
        .long   \type
1:      .asciz  "Xen"
2:      .balign 4
3:      \desc
4:      .balign 4
        .popsection
.endm

        xen_note XEN_ELFNOTE_GUEST_OS,      .asciz "mote"
        xen_note XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1"
        xen_note XEN_ELFNOTE_XEN_VERSION,   .asciz "xen-3.0"
        xen_note XEN_ELFNOTE_LOADER,        .asciz "generic"
        /* The image is linked at VIRT_BASE with LMA == VMA, so the ELF physical
         * addresses are virtual ones: PADDR_OFFSET == VIRT_BASE makes the
         * builder's virt_offset (VIRT_BASE - PADDR_OFFSET) zero. */
        xen_note XEN_ELFNOTE_VIRT_BASE,     .quad VIRT_BASE
        xen_note XEN_ELFNOTE_PADDR_OFFSET,  .quad VIRT_BASE
        xen_note XEN_ELFNOTE_ENTRY,         .quad _start
        xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
        /* No feature is required ('!'): mote write-protects its own page
         * tables and uses the PV MMU. */
        xen_note XEN_ELFNOTE_FEATURES,      .asciz ""
        /* features.h: XENFEAT_dom0 MUST be set to be booted as dom0 when this
         * note is used. */
        xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
