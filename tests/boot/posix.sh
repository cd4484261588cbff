# SPDX-License-Identifier: MIT
# Programs on musl and the Linux system call layer (posix/, mk/musl.mk):
# tests/apps/posix, an ordinary POSIX program, and a program built by
# scripts/mote-cc alone.

test_boot_dom0_posix_program() {
    boot "$TOP/build/posix.elf"
    expect_rc 0
    expect '^posix: hello from mote, argc 1$'
    local check
    for check in malloc string doubles clock_gettime nanosleep nanosleep_einval mmap mmap_einval \
                 isatty dup fcntl uname getpid fork unimplemented pthread pthread_cond_timedwait; do
        expect "^posix: $check ok\$"
    done
    expect '^posix: doubles 3.142 1e-05 1.234568e\+04 0.10000000000000001$'
    expect '^posix: written to a dup of stdout$'
    expect '^posix: 0 failures$'
    expect '^posix: atexit ran$'
    expect_not 'FAILED'
    # The one call the program makes that mote lacks, reported once for
    # its two calls; no other call is reported.
    [ "$(grep -c '^mote: syscall: acct (163) not implemented$' "$BOOT_LOG")" = 1 ] \
        || fail "acct's report is not there exactly once"
    [ "$(grep -c '^mote: syscall: ' "$BOOT_LOG")" = 1 ] || fail "other calls reported as missing"
}

# exit(n) ends the domain as main's return does, after stdio's flush.
test_boot_dom0_posix_exit_status() {
    boot "$TOP/build/posix.elf" exit 3
    expect_rc 3
    expect '^posix: exiting with 3mote: exit\(3\)$'
}

test_boot_dom0_posix_abort() {
    boot "$TOP/build/posix.elf" abort
    expect_rc 3
    expect '^posix: aborting$'
    expect '^mote: killed by signal 6 \(SIGABRT\)$'
    expect '^    #[0-9]+ +[0-9a-f]+ abort\+0x'
}

# scripts/mote-cc compiles two files (-c) and links them with -lm and the
# other libraries musl keeps in libc, into an image that boots.
test_boot_dom0_posix_mote_cc() {
    local dir="$LOG_DIR/$CURRENT_TEST.build"
    mkdir -p "$dir"
    "$TOP/scripts/mote-cc" -O2 -Wall -c "$TOP/tests/mote-cc/tiny.c" -o "$dir/tiny.o" \
        && "$TOP/scripts/mote-cc" -c "$TOP/tests/mote-cc/greeting.c" -o "$dir/greeting.o" \
        && "$TOP/scripts/mote-cc" -o "$dir/tiny.elf" "$dir/tiny.o" "$dir/greeting.o" \
               -lm -lpthread -lrt -ldl \
        || { fail "mote-cc failed"; return; }
    boot "$dir/tiny.elf" one two
    expect_rc 0
    expect '^tiny: hello from mote-cc on mote, sqrt\(2\) = 1.414214, argc 3, last "two"$'
}

# The application boundary holds for mote-cc's programs too: a call of a
# kernel function <mote.h> does not declare fails the link, saying why.
test_boot_dom0_posix_mote_cc_boundary() {
    local dir="$LOG_DIR/$CURRENT_TEST.build"
    mkdir -p "$dir"
    printf 'void mm_init(void);\nint main(void) { mm_init(); return 0; }\n' > "$dir/bad.c"
    "$TOP/scripts/mote-cc" -c "$dir/bad.c" -o "$dir/bad.o" || { fail "mote-cc -c failed"; return; }
    if "$TOP/scripts/mote-cc" -o "$dir/bad.elf" "$dir/bad.o" > "$dir/link.out" 2>&1; then
        fail "a call of mm_init linked"
    fi
    grep -q "uses 'mm_init', which is not part of mote's public API" "$dir/link.out" \
        || fail "no boundary error: $(cat "$dir/link.out")"
}

# pthreads on two vCPUs: clone's threads may run on either, futex waits and
# wakes cross them.
test_boot_dom0_posix_pthreads_two_vcpus() {
    VCPUS=2 TIMEOUT=${TIMEOUT:-180} boot "$TOP/build/posix.elf"
    expect_rc 0
    expect '^posix: pthread ok$'
    expect '^posix: pthread_cond_timedwait ok$'
    expect '^posix: 0 failures$'
}
