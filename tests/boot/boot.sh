# SPDX-License-Identifier: MIT
# Boot tests for the foundation: the banner's start_info values at several
# memory sizes, the command line reaching main, and how the domain ends.

MOTE=$TOP/build/mote.elf
SELFTEST=$TOP/build/selftest.elf

# nr_pages must equal dom0_mem in 4 KiB pages.
banner_at() {  # banner_at DOM0_MEM PAGES
    DOM0_MEM=$1 boot "$MOTE"
    expect_rc 0
    expect '^mote 0\.1 on Xen 4\.17'
    expect "^  nr_pages     $2 \\("
    expect '^  flags        0x[0-9a-f]+ \(privileged, initial domain'
    expect '^  shared_info  maddr 0x[0-9a-f]+$'
    expect '^  console      dom0: console_io hypercall'
    expect '^  pt_base      0xffffffff8[0-9a-f]+ \([1-9][0-9]* frames\)'
    expect '^  mfn_list     0xffffffff8[0-9a-f]+'
    expect '^hello from mote$'
    expect '^mote: shutdown: poweroff$'
}

test_boot_dom0_banner_4M()   { banner_at 4M 1024; }
test_boot_dom0_banner_32M()  { banner_at 32M 8192; }
test_boot_dom0_banner_512M() { QEMU_MEM=1024 banner_at 512M 131072; }

test_boot_dom0_cmdline() {
    boot "$MOTE" alpha beta=2 '"two words"' 'x,y'
    expect_rc 0
    expect '^  cmdline      "mote.debug_exit=0xf4 alpha beta=2 "two words" x,y"$'
    expect '^argv\[1\] = "alpha"$'
    expect '^argv\[2\] = "beta=2"$'
    expect '^argv\[3\] = "two words"$'
    expect '^argv\[4\] = "x,y"$'
    # Kernel parameters are taken out of the application's argv.
    expect_not '^argv\[5\]'
}

# Every word reaches main: 150 words (before, argv held 63 and the rest were
# dropped without a word), and a line longer than Xen's 1023-byte limit,
# which Xen cuts: mote says so, and the app gets every word that arrived.
test_boot_dom0_cmdline_150_words() {
    boot "$MOTE" $(seq -f 'w%03g' 1 150)
    expect_rc 0
    expect '^argv\[1\] = "w001"$'
    expect '^argv\[150\] = "w150"$'
    expect_not '^argv\[151\]'
    expect_not 'cut off'
}

test_boot_dom0_cmdline_at_xen_limit() {
    # "mote.debug_exit=0xf4" (qemu-dom0 puts it first) and 520 " x": 1060
    # bytes, cut by Xen at 1023, just after the 501st x.
    boot "$MOTE" $(yes x | head -n 520)
    expect_rc 0
    expect "^mote: the command line is 1023 bytes, Xen's limit: anything after \"\.\.\.(x ){8}\" was cut off$"
    expect '^argv\[501\] = "x"$'
    expect_not '^argv\[502\]'
}

test_boot_dom0_exit_poweroff() {
    boot "$SELFTEST" exit 0
    expect_rc 0
    expect '^mote: shutdown: poweroff$'
}

test_boot_dom0_exit_code_crashes() {
    boot "$SELFTEST" exit 7
    expect_rc 3
    expect '^mote: main returned 7$'
    expect '^mote: shutdown: crash$'
}

test_boot_dom0_reboot() {
    boot "$SELFTEST" reboot
    expect_rc 1
    expect '^mote: shutdown: reboot$'
}

test_boot_dom0_panic() {
    boot "$SELFTEST" panic
    expect_rc 3
    expect '^mote: PANIC: selftest panic$'
}

test_boot_dom0_unknown_kernel_param() {
    boot "$SELFTEST" exit 0 mote.nonsense=1
    expect_rc 0
    expect '^mote: unknown kernel parameter mote.nonsense=1, ignored$'
}

# CROSS_COMPILE is honoured: a build with the prefix (Debian's own name for
# the host's x86-64 tools, so it runs here) calls only prefixed tools, and
# the image it makes boots.
test_boot_dom0_cross_compile_prefix() {
    local build=build/cross prefix=x86_64-linux-gnu- out="$LOG_DIR/$CURRENT_TEST.build"
    command -v ${prefix}gcc >/dev/null || { fail "${prefix}gcc is not installed"; return; }
    rm -rf "$TOP/$build"
    make -C "$TOP" --no-print-directory BUILD=$build CROSS_COMPILE=$prefix V=1 "$build/mote.elf" \
        > "$out" 2>&1 || { fail "make CROSS_COMPILE=$prefix failed"; tail -n 20 "$out"; return; }
    grep -q "^${prefix}gcc " "$out" || fail "no ${prefix}gcc command in the build log"
    grep -q "^${prefix}ld " "$out" || fail "no ${prefix}ld command in the build log"
    if grep -Eq '(^|[ =])(gcc|cc|ld|nm|objcopy) ' "$out"; then
        fail "a tool ran without the prefix:"
        grep -E '(^|[ =])(gcc|cc|ld|nm|objcopy) ' "$out" | head -n 3
    fi
    boot "$TOP/$build/mote.elf"
    expect_rc 0
    expect '^hello from mote$'
}
