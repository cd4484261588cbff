# SPDX-License-Identifier: MIT
# Boot tests of the example applications under apps/.

test_boot_dom0_app_hello() {
    boot "$TOP/build/mote.elf" world
    expect_rc 0
    expect '^hello from mote$'
    expect '^argv\[1\] = "world"$'
}

test_boot_dom0_app_pingpong() {
    boot "$TOP/build/pingpong.elf" 5000
    expect_rc 0
    expect '^pingpong: 5000 rounds, ping received 5000, pong received 5000$'
}

test_boot_dom0_app_clock() {
    local start
    start=$(date -u +%s)
    boot "$TOP/build/clock.elf" 3
    expect_rc 0
    expect '^clock: 1 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$'
    expect '^clock: 3 '
    expect_not '^clock: 4 '
    # Consecutive lines one second apart, and the first within 5 s of the
    # host's clock when the boot started (QEMU's RTC follows the host).
    local t1 t3
    t1=$(date -u -d "$(sed -n 's/^clock: 1 \(.*\) UTC$/\1/p' "$BOOT_LOG")" +%s 2>/dev/null || echo 0)
    t3=$(date -u -d "$(sed -n 's/^clock: 3 \(.*\) UTC$/\1/p' "$BOOT_LOG")" +%s 2>/dev/null || echo 0)
    # Ticks 1 and 3 are 2 s apart; shown in whole seconds, and each a few
    # ms late, they read 1 to 3 s apart.
    [ $((t3 - t1)) -ge 1 ] && [ $((t3 - t1)) -le 3 ] \
        || fail "lines 1 and 3 are $((t3 - t1)) s apart, not 2"
    [ $((t1 - start)) -ge -5 ] && [ $((t1 - start)) -le 15 ] \
        || fail "first tick at $t1, test started at $start"
}

# A new user's first app, made the way docs/tour.md says: copy apps/hello,
# change it, build it with make APP=..., boot it. (Under build/ rather than
# apps/ so that an interrupted test leaves nothing in the source tree.)
test_boot_dom0_new_app_from_template() {
    local dir=build/test-apps/mine
    rm -rf "$TOP/$dir" && mkdir -p "$TOP/$dir"
    cp "$TOP/apps/hello/main.c" "$TOP/$dir/main.c"
    sed -i 's/hello from mote/my first mote app/' "$TOP/$dir/main.c"
    grep -q 'my first mote app' "$TOP/$dir/main.c" || fail "the template no longer prints 'hello from mote'"
    make -C "$TOP" --no-print-directory APP="$dir" > "$LOG_DIR/$CURRENT_TEST.build" 2>&1 \
        || { fail "make APP=$dir failed"; cat "$LOG_DIR/$CURRENT_TEST.build"; return; }
    boot "$TOP/build/mine.elf" one two
    expect_rc 0
    expect '^my first mote app$'
    expect '^argv\[2\] = "two"$'
}

# An ordinary C program (<mote.h> and the C library only): strtol with
# errno, qsort, printf %.3f, clock_gettime around nanosleep, exit(0).
test_boot_dom0_app_stats() {
    boot "$TOP/build/stats.elf" 3 1 4 1 5 9 2 6 x 99999999999999999999 -2
    expect_rc 0
    expect '^stats: skipping "x": Invalid argument$'
    expect '^stats: skipping "99999999999999999999": Numerical result out of range$'
    expect '^stats: n=9 min=-2 median=3.000 max=9 mean=3.222$'
    expect '^stats: slept [0-9]+\.[0-9]{3} ms for 50 ms$'
    local ms
    ms=$(sed -n 's/^stats: slept \([0-9]*\)\..*/\1/p' "$BOOT_LOG")
    # Never early; late by at most the boot tests' sleep slack (tests/boot/time.sh).
    [ "${ms:-0}" -ge 50 ] && [ "${ms:-0}" -le 200 ] || fail "slept ${ms:-?} ms for 50"
    expect '^stats: done$'
    expect '^mote: shutdown: poweroff$'
}

# exit() with a failure status crashes the domain, like returning it from main.
test_boot_dom0_app_stats_exit_failure() {
    boot "$TOP/build/stats.elf" x
    expect_rc 3
    expect '^stats: no numbers$'
    expect '^stats: done$'
    expect '^mote: exit\(1\)$'
}
