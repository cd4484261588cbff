# Boot tests of mote as a domU under the real xl toolstack (Linux dom0 from
# scripts/domu-stack.sh, booted by scripts/qemu-domu): xl create from the
# repo's scripts/mote.cfg, the xenstore client, and the toolstack's shutdown,
# reboot and destroy. The dom0 side asserts through xl and xenstore-read; the
# guest reports its xenstore results into xenstore as well as its console.

XSTEST=$TOP/build/xstest.elf

# The guest's xenstore client is up once it has advertised feature-poweroff
# (kernel/control.c writes it, then sets the control/shutdown watch).
WAIT_GUEST='wait_key /local/domain/$DOMID/control/feature-poweroff 30
echo "feature-poweroff=$(xenstore-read /local/domain/$DOMID/control/feature-poweroff)"
echo "feature-reboot=$(xenstore-read /local/domain/$DOMID/control/feature-reboot)"'

test_boot_domu_create_list() {
    boot_domu "$XSTEST" "$WAIT_GUEST
xl list | grep \"^\$GUEST_NAME \"
xl destroy \"\$GUEST_NAME\"" idle
    expect_rc 0
    expect '^mote-domu: \| mote +[1-9][0-9]* +32 +1 '
    expect_action 'mote +[1-9][0-9]* +32 +1 +[-rb]+ '
    # Written by the guest's xenstore client: it found its home and can write.
    expect_action 'feature-poweroff=1$'
    expect_action 'feature-reboot=1$'
}

test_boot_domu_shutdown_poweroff() {
    boot_domu "$XSTEST" "$WAIT_GUEST
# Bounded: a guest ignoring the request would make xl wait forever.
timed timeout 30 xl shutdown -w \"\$GUEST_NAME\"
echo \"after: \$(xl list | grep -c \"^\$GUEST_NAME \" || true) domains named \$GUEST_NAME\"" idle
    expect_rc 0
    expect_action "Domain [0-9]+ has been shut down, reason code 0$"
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 0 0x0$'
    expect_action 'after: 0 domains named mote$'
    # "Within a few seconds" of the request, on an emulated CPU.
    local took
    took=$(sed -n 's/^mote-domu: action: took \([0-9]*\) s: timeout 30 xl shutdown.*/\1/p' "$BOOT_LOG")
    [ -n "$took" ] && [ "$took" -le 10 ] || fail "xl shutdown -w took '${took:-?}' s (limit 10)"
}

test_boot_domu_reboot() {
    # on_reboot is xl's default, "restart": the domain comes back with a new id.
    boot_domu "$XSTEST" "$WAIT_GUEST
old=\$DOMID
xl reboot \"\$GUEST_NAME\"
tries=0
until [ \"\$(xl domid \"\$GUEST_NAME\" 2>/dev/null)\" != \"\" ] && [ \"\$(xl domid \"\$GUEST_NAME\")\" != \"\$old\" ]; do
    tries=\$((tries + 1)); [ \$tries -lt 100 ] || { echo 'no restarted domain'; exit 1; }
    sleep 0.1
done
echo \"restarted as domid \$(xl domid \"\$GUEST_NAME\") (was \$old)\"
xl destroy \"\$GUEST_NAME\"" idle
    expect_rc 0
    expect '^mote-domu: xl-log\| Domain [0-9]+ has shut down, reason code 1 0x1$'
    expect '^mote-domu: xl-log\| Action for shutdown reason code 1 is restart$'
    expect_action 'restarted as domid [0-9]+ \(was [0-9]+\)$'
}

test_boot_domu_destroy() {
    boot_domu "$XSTEST" "$WAIT_GUEST
xl destroy \"\$GUEST_NAME\"
if xl list | grep \"^\$GUEST_NAME \"; then echo 'still listed'; exit 1; fi
echo destroyed" idle
    expect_rc 0
    expect_action 'destroyed$'
}

test_boot_domu_xenstore() {
    boot_domu "$XSTEST" 'wait_key /local/domain/$DOMID/data/xstest/watching 60
xenstore-write /local/domain/$DOMID/data/xstest/poke "from dom0"
wait_key /local/domain/$DOMID/data/xstest/done 60
for t in write_read missing_key directory_rm large_value transaction watch; do
    echo "result $t: $(xenstore-read /local/domain/$DOMID/data/xstest/result/$t 2>&1)"
done
xl destroy "$GUEST_NAME"' xenstore
    expect_rc 0
    local t
    for t in write_read missing_key directory_rm large_value transaction watch; do
        expect_action "result $t: pass$"
    done
}
