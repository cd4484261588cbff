# SPDX-License-Identifier: MIT
# Boot tests for memory (issue 7): the boot line's totals at several sizes,
# the page allocator and heap under load, the foreign-map window, and the
# protections (W^X, NX, NULL, the stack guard page) ending the domain.

MOTE=$TOP/build/mote.elf
MMTEST=$TOP/build/mmtest.elf

# mm_totals DOM0_MEM PAGES: the boot line's figures add up. What the kernel
# keeps (arch/x86_64/mm.c): the boot mapping's pfns in use, page tables for
# the direct map (one L1 per 512 pages, one L2 per 512 L1s, one L3) and the
# foreign-map window (3), less the L1s of 2 MiB ranges the boot mapping
# uses wholly (the direct map links those), plus a fresh L1 for the boot
# mapping's range that is partly in use, and one byte per page of
# allocator metadata. At
# boot the direct map holds only the first pages (those tables' own end,
# rounded up to 2 MiB); the free count includes the rest, less the tables
# that will map it, and the page-table count is what exists at boot.
mm_totals() {
    DOM0_MEM=$1 boot "$MOTE"
    expect_rc 0
    local line=$(grep -E '^mote: memory: [0-9]+ pages total' "$BOOT_LOG")
    local line2=$(grep -E '^mote: memory: boot mapping' "$BOOT_LOG")
    local re='^mote: memory: ([0-9]+) pages total, ([0-9]+) free, kernel image ([0-9]+) KiB, ([0-9]+) page-table pages$'
    [[ $line =~ $re ]] || { fail "no memory line: '$line'"; return; }
    local total=${BASH_REMATCH[1]} free=${BASH_REMATCH[2]} image=${BASH_REMATCH[3]} pt=${BASH_REMATCH[4]}
    [[ $line2 =~ \(([0-9]+)\ in\ use\) ]] || { fail "no boot mapping line: '$line2'"; return; }
    local in_use=${BASH_REMATCH[1]}
    [[ $line2 =~ \(([0-9]+)\ pages\ mapped\ at\ boot, ]] || { fail "no boot direct map in: '$line2'"; return; }
    local mapped=${BASH_REMATCH[1]}
    local frames=$(sed -nE 's/^  pt_base .*\(([0-9]+) frames\)$/\1/p' "$BOOT_LOG")
    # 2 MiB ranges wholly in use by the boot mapping share its L1 tables.
    # The range partly in use gets a fresh L1 of its own, and so does the
    # boot mapping's first range (the image's code) when wholly in use.
    [[ $line2 =~ boot\ mapping\ ([0-9]+)\ pages ]] || { fail "no boot mapping size: '$line2'"; return; }
    local boot_map=${BASH_REMATCH[1]}
    local shared=$(( in_use / 512 )) partial=$(( in_use % 512 && in_use < boot_map ? 1 : 0 ))
    local code=$(( shared ? 1 : 0 ))
    local tables=$(( (total + 511) / 512 - shared + partial + code + (total + 262143) / 262144 + 1 + 3 ))
    local boot_tables=$(( (mapped + 511) / 512 - shared + partial + code + (mapped + 262143) / 262144 + 1 + 3 ))
    local meta=$(( (total + 4095) / 4096 ))
    echo "  total $total free $free image ${image}KiB pt $pt (boot $frames + ours $boot_tables of $tables) in use $in_use meta $meta mapped at boot $mapped"
    [ "$total" = "$2" ] || fail "total $total pages, expected $2"
    [ "$mapped" -ge $(( in_use + meta + boot_tables )) ] && [ "$mapped" -lt $(( in_use + meta + boot_tables + 512 )) ] ||
        [ "$mapped" = "$total" ] || fail "$mapped pages mapped at boot, expected the 2 MiB step holding pfn $(( in_use + meta + boot_tables - 1 ))"
    [ "$pt" = $(( frames + boot_tables )) ] || fail "page-table pages $pt, expected $frames + $boot_tables"
    [ "$free" = $(( total - in_use - tables - meta )) ] ||
        fail "free $free, expected $total - $in_use - $tables - $meta = $(( total - in_use - tables - meta ))"
    # The reserved line accounts for every page the allocator does not get.
    local line3=$(grep -E '^mote: memory: reserved' "$BOOT_LOG")
    local re3="^mote: memory: reserved ([0-9]+) pages: kernel image ([0-9]+), Xen's start-of-day data ([0-9]+) \\(.*\\), allocator metadata ([0-9]+), our page tables ([0-9]+) \\(\\+([0-9]+) as the direct map grows\\)$"
    [[ $line3 =~ $re3 ]] || { fail "no reserved line: '$line3'"; return; }
    local r=("${BASH_REMATCH[@]}")
    [ "${r[1]}" = $(( total - free )) ] || fail "reserved ${r[1]}, expected $total - $free"
    [ $(( r[2] + r[3] )) = "$in_use" ] || fail "image ${r[2]} + Xen's ${r[3]} is not the $in_use in use"
    [ "${r[4]}" = "$meta" ] || fail "metadata ${r[4]}, expected $meta"
    [ "${r[5]}" = "$boot_tables" ] || fail "our page tables ${r[5]}, expected $boot_tables"
    [ $(( r[2] + r[3] + r[4] + r[5] + r[6] )) = "${r[1]}" ] || fail "the reserved parts do not add up to ${r[1]}"
    # The image is _text.._end (linker.ld), as the ELF's symbols say.
    local text=$(${CROSS_COMPILE:-}nm "$MOTE" | awk '$3 == "_text" { print $1 }')
    local end=$(${CROSS_COMPILE:-}nm "$MOTE" | awk '$3 == "_end" { print $1 }')
    [ "$image" = $(( (0x$end - 0x$text) / 1024 )) ] ||
        fail "kernel image ${image} KiB, the ELF's _text.._end is $(( (0x$end - 0x$text) / 1024 )) KiB"
}

test_boot_dom0_mm_totals_4M()   { mm_totals 4M 1024; }
test_boot_dom0_mm_totals_32M()  { mm_totals 32M 8192; }
test_boot_dom0_mm_totals_512M() { QEMU_MEM=1024 mm_totals 512M 131072; }
test_boot_dom0_mm_totals_2G()   { QEMU_MEM=3072 mm_totals 2G 524288; }

# Every free page taken, patterned, verified, freed; twice, same count.
mm_all_pages() {
    boot "$MMTEST" pages
    expect_rc 0
    local free=$(sed -nE 's/^mmtest: ([0-9]+) pages free at main, [0-9]+ after boot$/\1/p' "$BOOT_LOG")
    local boot=$(sed -nE 's/^mote: memory: [0-9]+ pages total, ([0-9]+) free.*/\1/p' "$BOOT_LOG")
    expect "^mmtest: $free pages free at main, $boot after boot$"
    # What boot takes after the allocator starts (idle threads, per-vCPU
    # data) is small: a leak there would show up as a large gap.
    [ -n "$free" ] && [ -n "$boot" ] && [ $((boot - free)) -le 64 ] ||
        fail "boot took $((boot - free)) pages between the allocator's start and main"
    expect "^mmtest: pass 1: $free free before, $free pages taken, 0 bad, $free free after$"
    expect "^mmtest: pass 2: $free free before, $free pages taken, 0 bad, $free free after$"
    expect '^mmtest: pages ok$'
}
test_boot_dom0_mm_all_pages_32M()  { DOM0_MEM=32M mm_all_pages; }
test_boot_dom0_mm_all_pages_512M() { DOM0_MEM=512M QEMU_MEM=1024 mm_all_pages; }

test_boot_dom0_mm_heap_random() {
    boot "$MMTEST" heap
    expect_rc 0
    expect '^mmtest: heap: [0-9]+ free, [0-9]+ realloc, [0-9]+ malloc, [0-9]+ calloc, [0-9]+ aligned_alloc, 0 NULL'
    # The kernel's own blocks (each vCPU's idle thread) are the "before".
    expect '^mmtest: heap: after freeing all: ([0-9]+) bytes in use \(\1 before\), ([0-9]+) pages free \(\2 before\)$'
    expect '^mmtest: heap ok$'
}

# Event handlers may allocate: a timer handler mallocs and frees every 20 us
# while the thread runs the random heap test; no block of either side is
# corrupted, the heap stays consistent and nothing leaks.
test_boot_dom0_mm_heap_from_handler() {
    boot "$MMTEST" heap_handler
    expect_rc 0
    expect '^mmtest: heap_handler: [0-9]{4,} allocations in a timer handler during 100000 thread operations$'
    expect '^mmtest: heap_handler ok$'
}

test_boot_dom0_mm_heap_fragmentation() {
    boot "$MMTEST" frag
    expect_rc 0
    expect '^mmtest: frag: [0-9]+ bytes of holes after the checkerboard; at the end ([0-9]+) bytes in use \(\1 before\), ([0-9]+) pages free \(\2 before\)$'
    expect '^mmtest: frag ok$'
}

test_boot_dom0_mm_oom() {
    boot "$MMTEST" oom
    expect_rc 3
    expect '^mmtest: oom: NULL returned'
    expect '^mote: PANIC: out of memory: malloc\(1099511627776\) failed, [0-9]+ pages free$'
    expect_not 'malloc_or_panic returned'
}

test_boot_dom0_mm_foreign_map() {
    boot "$MMTEST" foreign
    expect_rc 0
    expect '^mmtest: foreign: shared info at 0xffffc9[0-9a-f]+, tsc_to_system_mul [1-9]'
    expect '^mote: map_foreign_page\(mfn 0x[0-9a-f]+, domain 32752\) refused$'
    expect '^mmtest: foreign ok$'
}

# expect_page_fault SCENARIO_LINE CODE: the domain stopped on a #PF with error
# code CODE (bit 0 present, 1 write, 4 instruction fetch) at the address the
# scenario printed, and never went on. The report is mote's own when trap
# handlers are installed, else Xen's "Unhandled: vec 14" crash report.
expect_page_fault() {
    local addr=$(sed -nE "s/^mmtest: $1 at (0x[0-9a-f]+|\(nil\))$/\1/p" "$BOOT_LOG")
    [ "$addr" = "(nil)" ] && addr=0x0
    [ -n "$addr" ] || { fail "the scenario did not say where it faults"; return; }
    expect_not 'continued after the fault'
    [ "$BOOT_RC" != 0 ] || fail "the domain powered off after the fault"
    if grep -q '^mote: fault: ' "$BOOT_LOG"; then
        expect "^mote: fault: #PF page fault \\(vector 14\\), error code 0x$2\$"
        expect "^  address $addr: "
    else
        expect "Unhandled: vec 14, #PF\\[$(printf %04d "$2")\\]"
        local hex=$(printf '%016x' "$addr")
        [ "$addr" = 0x0 ] && hex=0000000000000000
        expect "Pagetable walk from $hex:"
    fi
}

# The L1 entry Xen's report shows for the faulting page (empty with mote's).
fault_l1e() {
    sed -nE 's/^\(XEN\)  L1\[0x[0-9a-f]+\] = ([0-9a-f]{16}) .*/\1/p' "$BOOT_LOG" | head -n 1
}

# Read-only: the entry has no RW bit (mote's report says "read-only").
expect_readonly_page() {
    local e=$(fault_l1e)
    if [ -n "$e" ]; then
        (( (0x$e & 2) == 0 )) || fail "L1 entry $e is writable"
    else
        expect 'write to a read-only page'
    fi
}

expect_nx_page() {
    local e=$(fault_l1e)
    if [ -n "$e" ]; then
        (( (0x$e >> 63) & 1 )) || fail "L1 entry $e is executable"
    else
        expect 'instruction fetch'
    fi
}

test_boot_dom0_mm_write_text_faults() {
    boot "$MMTEST" write_text
    expect_page_fault 'writing to .text' 3
    expect_readonly_page
}

test_boot_dom0_mm_write_text_alias_faults() {
    boot "$MMTEST" write_text_alias
    expect_page_fault 'writing to .text through the direct map' 3
    expect_readonly_page
}

test_boot_dom0_mm_write_rodata_faults() {
    boot "$MMTEST" write_rodata
    expect_page_fault 'writing to .rodata' 3
    expect_readonly_page
}

test_boot_dom0_mm_exec_heap_faults() {
    boot "$MMTEST" exec_heap
    expect_page_fault 'calling into the heap' 11
    expect_nx_page
}

test_boot_dom0_mm_exec_stack_faults() {
    boot "$MMTEST" exec_stack
    expect_page_fault 'calling into the stack' 11
    expect_nx_page
}

test_boot_dom0_mm_null_faults() {
    boot "$MMTEST" null
    expect_page_fault 'reading address 0' 0
}

# Overflowing main's stack stops before its guard page (boot_stack_guard,
# head.S): the stack check reports it (Xen could not deliver the guard
# page's #PF on the overflowed stack, and crashed the domain itself).
test_boot_dom0_mm_stack_overflow_stops() {
    boot "$MMTEST" stack_overflow
    expect '^mmtest: depth 4, stack at'
    expect_not 'continued after the fault'
    expect_not 'Pagetable walk from'
    expect '^mote: crash: stack overflow in thread main$'
    expect_rc 3
}

# On a CPU without NX (QEMU -cpu ...,-nx), Xen refuses page-table entries
# with bit 63 set: mote checks CPUID, says so, and maps without it (before:
# "mote: PANIC: mm: mmu_update did 11 of 512 writes; refused").
test_boot_dom0_mm_cpu_without_nx() {
    QEMU_CPU=max,-smap,-nx boot "$MOTE"
    expect_rc 0
    expect '^mote: memory: this CPU has no NX \(CPUID 0x80000001 EDX bit 20\): data and stacks stay executable$'
    expect '^hello from mote$'
}
