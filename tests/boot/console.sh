# SPDX-License-Identifier: MIT
# Boot tests for the console (drivers/console/) as dom0: input typed into the
# serial port reaches the application through Xen (VIRQ_CONSOLE,
# CONSOLEIO_read), and output arrives complete and in order.

ECHO=$TOP/build/echo.elf
CONTEST=$TOP/build/contest.elf

# The 1,000-character test line: digits every tenth place, so a lost or
# repeated chunk shows.
long_line() {
    awk 'BEGIN { for (i = 0; i < 1000; i++)
                     printf "%c", (i % 10) ? 65 + (i * 5) % 26 : 48 + (i / 10) % 10 }'
}

test_boot_dom0_console_echo_lines() {
    local input="$LOG_DIR/$CURRENT_TEST.input"
    { printf 'hello mote\n'; long_line; printf '\n'; printf 'crlf line\r\n'; printf 'quit\n'; } > "$input"
    boot_with_input "$input" '^echo: ready' "$ECHO"
    expect_rc 0
    expect '^echo: ready \(console xen console_io\)'
    expect '^hello mote$'
    expect '^crlf line$'
    local want got
    want=$(long_line)
    got=$(grep -c -Fx -- "$want" "$BOOT_LOG")
    [ "$got" = 1 ] || fail "the 1,000-character line came back $got times whole (want 1);" \
        "longest line in the log: $(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$BOOT_LOG")"
    expect '^mote: shutdown: poweroff$'
}

# A terminal ends lines with "\r" alone; Ctrl-D ends the program.
test_boot_dom0_console_echo_cr_and_ctrl_d() {
    local input="$LOG_DIR/$CURRENT_TEST.input"
    printf 'typed at a terminal\rsecond\r\004' > "$input"
    boot_with_input "$input" '^echo: ready' "$ECHO"
    expect_rc 0
    expect '^typed at a terminal$'
    expect '^second$'
}

# Input to a registered handler (event context) instead of console_read.
test_boot_dom0_console_input_handler() {
    local input="$LOG_DIR/$CURRENT_TEST.input" sum
    awk 'BEGIN { for (i = 0; i < 300; i++) printf "%c", 33 + (i * 11) % 90 }' > "$input"
    sum=$(od -An -v -tu1 "$input" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
    boot_with_input "$input" '^handler: ready' "$CONTEST" handler 300
    expect_rc 0
    expect "^handler: got bytes=300 sum=$sum$"
}

# Checks that the log holds flood lines 0 .. LINES-1 (contest's pattern),
# each whole, in order and nothing else, by checksum against the pattern
# recomputed here. Extra "\r"s are ignored: the domU ring adds one before
# "\n" and Xen's serial driver another.
check_flood_pattern() {  # check_flood_pattern LINES
    local lines=$1 want got received="$LOG_DIR/$CURRENT_TEST.received"
    want=$(awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++) { s = sprintf("P%06d ", i)
               for (j = 0; j < 56; j++) s = s sprintf("%c", 97 + (7 * i + j) % 26); print s } }' |
           tee "$LOG_DIR/$CURRENT_TEST.expected" | cksum)
    tr -d '\r' < "$BOOT_LOG" | grep -E '^P[0-9]{6} ' > "$received"
    got=$(cksum < "$received")
    if [ "$want" != "$got" ]; then
        fail "pattern checksum $got, expected $want ($(wc -l < "$received") of $lines lines); first difference:"
        diff "$LOG_DIR/$CURRENT_TEST.expected" "$received" | head -5
    fi
}

# 1 MiB (16384 lines of 64 bytes) through printk and CONSOLEIO_write.
test_boot_dom0_console_1MiB_complete_in_order() {
    local start end
    start=$(date +%s.%N)
    TIMEOUT=120 boot "$CONTEST" flood 16384
    end=$(date +%s.%N)
    expect_rc 0
    expect "^flood: done lines=16384 bytes=1048576$"
    check_flood_pattern 16384
    echo "  1 MiB of console output in $(echo "$end - $start" | bc) s, boot included"
}

# The domU ring back end, served by a fake xenconsoled inside the test kernel
# (see tests/kernels/contest) that empties the ring only every 10 ms: 128 KiB
# arrive whole and in order, and the writer blocked about once per 2 KiB
# ring-full (never spinning: each block waits for the next tick).
test_boot_dom0_console_ring_full_blocks_writer() {
    TIMEOUT=120 boot "$CONTEST" ring_flood 2048
    expect_rc 0
    expect '^ring: console on a loopback ring'
    expect '^flood: done lines=2048 bytes=131072'
    check_flood_pattern 2048
    local blocks
    blocks=$(tr -d '\r' < "$BOOT_LOG" | sed -n 's/^ring_flood: writer blocked \([0-9]*\) times.*/\1/p')
    [ -n "$blocks" ] && [ "$blocks" -ge 32 ] && [ "$blocks" -le 200 ] ||
        fail "writer blocked '${blocks}' times for 128 KiB through a 2 KiB ring (want 32..200)"
}

test_boot_dom0_console_ring_input() {
    boot "$CONTEST" ring_input
    expect_rc 0
    tr -d '\r' < "$BOOT_LOG" | grep -q '^ring_input: read typed into the ring$' ||
        fail "the line typed into in[] was not read back"
}

# Impossible indices from the back end are reported, and the ring carries on.
test_boot_dom0_console_ring_hostile_indices() {
    boot "$CONTEST" ring_hostile
    expect_rc 0
    sed -i 's/\r*$//' "$BOOT_LOG"
    expect '^mote: console: back end gave indices outside the ring \(out_cons 0 times, in_prod 1 times\); ring resynchronised$'
    expect '^mote: console: back end gave indices outside the ring \(out_cons 1 times, in_prod 1 times\); ring resynchronised$'
    expect '^ring_hostile: then read still works$'
}

# A panic gets out through CONSOLEIO_write although the ring's back end has
# stopped (the 1920 bytes queued before it never appear).
test_boot_dom0_console_ring_wedged_panic_gets_out() {
    boot "$CONTEST" ring_wedged
    expect_rc 3
    expect '^mote: PANIC: ring wedged, out_prod - out_cons = 1920$'
    expect_not '^wwwwwwww'
}

# With mote.printk_time=1, lines printed once the clock runs start with
# "[seconds.micros] "; the banner, printed before events, has none. The
# parameter is taken at the first step of the boot, so the boot's own lines
# from time_init on have the prefix too, not only those from main on.
test_boot_dom0_console_printk_timestamps() {
    boot "$TOP/build/selftest.elf" exit 0 mote.printk_time=1
    expect_rc 0
    expect '^\[ *[0-9]+\.[0-9]{6}\]   time         [0-9]{4}-'
    expect '^\[ *[0-9]+\.[0-9]{6}\] mote: shutdown: poweroff$'
    expect '^mote 0\.1 on Xen'
    expect_not 'unknown kernel parameter mote.printk_time'
}
