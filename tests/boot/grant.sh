# SPDX-License-Identifier: MIT
# Boot tests of the grant table (kernel/grant_table.c): a guest grants its
# own pages and maps them back as a backend would (tests/kernels/gnttest),
# as dom0 and as a domU built by the real toolstack, which seeds entries 0
# and 1.

GNTTEST=$TOP/build/gnttest.elf

grant_checks() {
    expect '^gnttest: PASS self_map$'
    expect '^gnttest: flags while mapped 0x19$'    # permit_access | reading | writing
    expect '^gnttest: PASS readonly$'
    expect '^gnttest: PASS copy$'
    expect '^gnttest: PASS exhaust$'
    expect '^grant: all 2040 grant references in use$'
    expect '^gnttest: 2040 references granted, then ENOSPC$'
    expect '^gnttest: 0 failed$'
    expect_not 'gnttest: FAIL'
}

test_boot_dom0_grant_table() {
    boot "$GNTTEST" all
    expect_rc 0
    expect '^mote: grant table: 4 frames \(2048 references, 2040 free\), max [0-9]+ frames$'
    expect '^gnttest: domid 0, 2048 references, 2040 free$'
    grant_checks
}

test_boot_domu_grant_table() {
    boot_domu "$GNTTEST" "wait_gone 60" all
    expect_rc 0
    expect_action 'mote has ended$'
    local save=$BOOT_LOG
    BOOT_LOG=$GUEST_LOG
    expect '^gnttest: PASS seeded$'
    # Mapped by xenconsoled and xenstored: permit_access | reading | writing.
    expect '^gnttest: entry 0 \{flags 0x19, domid 0, frame (0x[0-9a-f]+)\}, console mfn \1$'
    expect '^gnttest: entry 1 \{flags 0x19, domid 0, frame (0x[0-9a-f]+)\}, store mfn \1$'
    grant_checks
    expect '^mote: shutdown: poweroff$'
    BOOT_LOG=$save
}

# A real backend maps a mote grant: Linux's /dev/xen/gntdev in dom0
# (scripts/domu/gntdev-read) reads the string the guest put in the page.
test_boot_domu_grant_gntdev() {
    boot_domu "$GNTTEST" 'wait_key /local/domain/$DOMID/data/gnttest/ref 60
ref=$(xenstore-read /local/domain/$DOMID/data/gnttest/ref)
echo "reference $ref"
gntdev-read $DOMID $ref
xenstore-write /local/domain/$DOMID/data/gnttest/done 1
wait_gone 30' "share granted-by-mote"
    expect_rc 0
    expect_action 'reference ([89]|[1-9][0-9]+)$'
    expect_action 'gntdev-read: granted-by-mote$'
    expect_guest '^gnttest: granted "granted-by-mote" to dom0 as reference [0-9]+$'
    # dom0 unmapped before saying done, so the access ends at once.
    expect_guest '^gnttest: dom0 is done; end_access: ok$'
    expect_guest '^mote: shutdown: poweroff$'
}
