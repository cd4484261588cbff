# SPDX-License-Identifier: MIT
# Boot tests for event channels and the upcall loop (kernel/events.c,
# arch/x86_64/upcall.S), on loopback channels inside one domain.

EVTEST=$TOP/build/evtest.elf

test_boot_dom0_evtchn_loopback_pingpong() {
    boot "$EVTEST" pingpong 100000
    expect_rc 0
    expect '^pingpong: ports [0-9]+<->[0-9]+ rounds 100000 a=100000 b=100000$'
}

test_boot_dom0_evtchn_masked_port() {
    boot "$EVTEST" masked
    expect_rc 0
    expect '^masked: pending=1 handler_calls=0$'
    expect '^masked: after unmask handler_calls=1 pending=0$'
}

# A handler masking another port of the same word: that port's handler does
# not run in the same pass (before: the dispatcher used one pending & ~mask
# snapshot per word and ran it, b_calls_while_masked=1), and runs exactly
# once after the unmask.
test_boot_dom0_evtchn_mask_from_handler() {
    boot "$EVTEST" mask_in_handler
    expect_rc 0
    expect '^mask_in_handler: ports [0-9]+,[0-9]+ a_calls=1 b_calls_while_masked=0 b_pending=1$'
    expect '^mask_in_handler: after unmask b_calls=1$'
}

test_boot_dom0_evtchn_send_from_handler() {
    boot "$EVTEST" nested 1000
    expect_rc 0
    expect '^nested: rounds 1000 first=1000 second=1000 '
}

test_boot_dom0_evtchn_noisy_port_cannot_starve() {
    boot "$EVTEST" noisy
    expect_rc 0
    expect '^noisy: quiet=1 ran_after_loud=[0-2] loud=10000 loop_limit_hits=[0-9]+$'
}

test_boot_dom0_evtchn_idle_blocks_in_xen() {
    boot_icount "$EVTEST" idle
    expect_rc 0
    expect '^idle: blocks=[1-3] elapsed_ms=(4[89][0-9]|[5-9][0-9][0-9]) blocked_pct=(9[0-9]|100)$'
}

test_boot_dom0_evtchn_all_ports() {
    boot "$EVTEST" many_ports
    expect_rc 0
    expect '^many_ports: [0-9]+ pairs, highest port 409[45]$'
    expect '^many_ports: highest pair [0-9]+<->[0-9]+ delivered 1/1$'
}

# Every port call checks the port (before, mask, unmask, notify_local and
# clear_pending indexed past the bitmaps without a word).
test_boot_dom0_evtchn_bad_port_refused() {
    boot "$EVTEST" bad_port
    expect_rc 0
    local fn
    for fn in evtchn_mask evtchn_unmask evtchn_notify_local evtchn_clear_pending evtchn_bind; do
        expect "^mote: $fn: event channel port 4166 is beyond the 2-level ABI's 4096\$"
    done
    expect '^bad_port: bind rc=-22 shared_info_changed=0 loopback_after=1$'
}

test_boot_dom0_hypercall_failure_reported() {
    boot "$EVTEST" closed_port
    expect_rc 0
    expect '^mote: hypercall event_channel_op\(EVTCHNOP_send, &op\) failed: -EINVAL \(-22\)$'
}

test_boot_dom0_evtchn_poll() {
    boot_icount "$EVTEST" poll
    expect_rc 0
    # Already pending: returns at once, runs no handler.
    expect '^poll: pending port rc=0 waited_ms=[0-9] handler_calls=0$'
    # Nothing pending: blocked until the 300 ms timeout, and not woken early.
    expect '^poll: idle port rc=0 blocked_ms=(29[0-9]|[3-9][0-9][0-9]) woke_before_deadline=0$'
}
