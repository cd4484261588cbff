# SPDX-License-Identifier: MIT
# Boot tests for cooperative threads, wait queues and locks (kernel/thread.c,
# kernel/sync.c).

THREADTEST=$TOP/build/threadtest.elf

test_boot_dom0_threads_interleave() {
    boot "$THREADTEST" interleave
    expect_rc 0
    # Each yield lets the other thread run once; join returns the exit values.
    expect '^interleave: trace=ababab exits=ab$'
}

test_boot_dom0_threads_sleep_interleave() {
    boot_icount "$THREADTEST" sleepers
    expect_rc 0
    # a wakes at 100, 200, 300, 400 ms and b at 250 ms.
    expect '^sleepers: order=aabaa$'
}

test_boot_dom0_threads_woken_by_event_handler() {
    boot "$THREADTEST" event_wake
    expect_rc 0
    expect '^event_wake: waiter started, delivered=0$'
    expect '^waiter: woken with delivered=1$'
    expect '^event_wake: join returned 42$'
}

test_boot_dom0_threads_mutex_semaphore() {
    boot "$THREADTEST" locks
    expect_rc 0
    expect '^locks: counter=2000 items_left=0$'
}

test_boot_dom0_threads_stacks_freed() {
    boot "$THREADTEST" churn
    expect_rc 0
    expect '^churn: 2000 threads, sum=21000, free pages ([0-9]+) -> \1$'
}

# A PV guest has no separate exception stack (no IST), so the #PF from
# running into the guard page could not be delivered on the same stack: Xen
# crashed the domain itself, with nothing from mote (issue 27, defect 12).
# The stack check in every prologue now stops the thread before its guard
# page, and mote reports it (arch/x86_64/include/arch/stack_check.h).
test_boot_dom0_threads_stack_overflow_hits_guard() {
    boot "$THREADTEST" overflow
    expect_not '^overflow: still running'
    expect_not '^\(XEN\) Domain 0 \(vcpu#[0-9]+\) crashed'
    expect '^mote: fault: stack overflow in thread overflow$'
    expect '^mote: crash: stack overflow in thread overflow$'
    expect_rc 3
}

# Floating point in threads (tests/apps/fputest): each thread's SSE state
# (a value held in %xmm15, its MXCSR rounding mode) survives switches, and
# the sums each thread computes in its own rounding mode are exact.
test_boot_dom0_fpu_threads() {
    boot "$TOP/build/fputest.elf" threads
    expect_rc 0
    expect '^fputest: threads ok$'
    expect_not 'was 0x'
}

# An event handler that runs in the middle of floating-point work (a timer
# every 20 us) leaves the work's result and registers as they were.
test_boot_dom0_fpu_handler() {
    boot "$TOP/build/fputest.elf" handler
    expect_rc 0
    expect '^fputest: handler ok$'
}

# An event handler starts from the default FPU control state, not the
# interrupted thread's: the main thread rounds up, flushes to zero and
# unmasks divide-by-zero (MXCSR 0xdd80) and rounds x87 toward zero (FCW
# 0xf7f); a timer handler that divides by zero sees 0x1f80 and 0x37f (on
# hardware the thread's modes would be an #XM there; QEMU's TCG raises no
# SIMD exceptions, so the modes the handler reads are what is asserted),
# and the thread finds its own modes again.
test_boot_dom0_fpu_handler_modes() {
    boot "$TOP/build/fputest.elf" handler-modes
    expect_rc 0
    expect '^fputest: handler-modes: thread MXCSR 0xdd80 FCW 0xf7f; [0-9]+ handler runs saw MXCSR 0x1f80 FCW 0x37f; thread.s after them MXCSR 0xdd80 FCW 0xf7f$'
    expect '^fputest: handler-modes ok$'
    expect_not 'crash'
}
