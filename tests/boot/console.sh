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

# 1 MiB (16384 lines of 64 bytes) through printk: every line, in order,
# byte for byte, compared by checksum with the pattern recomputed here.
test_boot_dom0_console_1MiB_complete_in_order() {
    local lines=16384 start end want got
    start=$(date +%s.%N)
    TIMEOUT=120 boot "$CONTEST" flood $lines
    end=$(date +%s.%N)
    expect_rc 0
    expect "^flood: done lines=$lines bytes=1048576$"
    want=$(awk -v n=$lines 'BEGIN { for (i = 0; i < n; i++) { s = sprintf("P%06d ", i)
               for (j = 0; j < 56; j++) s = s sprintf("%c", 97 + (7 * i + j) % 26); print s } }' |
           tee "$LOG_DIR/$CURRENT_TEST.expected" | cksum)
    grep -E '^P[0-9]{6} ' "$BOOT_LOG" > "$LOG_DIR/$CURRENT_TEST.received"
    got=$(cksum < "$LOG_DIR/$CURRENT_TEST.received")
    if [ "$want" != "$got" ]; then
        fail "pattern checksum $got, expected $want ($(wc -l < "$LOG_DIR/$CURRENT_TEST.received") of $lines lines); first difference:"
        diff "$LOG_DIR/$CURRENT_TEST.expected" "$LOG_DIR/$CURRENT_TEST.received" | head -5
    fi
    echo "  1 MiB of console output in $(echo "$end - $start" | bc 2>/dev/null || echo "?") s, boot included"
}
