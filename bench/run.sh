#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: mote's size and speed figures (what each one measures: bench/README.md).
#
# Boots bench/motebench as dom0 on Xen in QEMU three times: twice under
# `-icount shift=7,sleep=off`, where the guest's clocks follow executed
# instructions so the figures are virtual time and must repeat exactly (the
# two runs are compared), and once without icount for reference (real time,
# noisy). Writes bench/results.json and bench/latency.svg, prints the table
# and puts it into bench/README.md ("Latest figures").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
mkdir -p "$out"
# The RTC must follow virtual time from a fixed date too: Xen reads it at
# boot (waiting for its update edge), so a host-clock RTC would change the
# number of instructions executed from run to run.
ICOUNT="-icount shift=7,sleep=off -rtc base=2026-01-01T00:00:00,clock=vm"

say() { printf 'bench: %s\n' "$*" >&2; }

ensure_gnuplot() {
    command -v gnuplot >/dev/null 2>&1 && return 0
    say "installing gnuplot-nox with apt (for bench/latency.svg)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null \
        || { say "could not install gnuplot-nox; run: apt-get install gnuplot-nox"; exit 1; }
}

# boot_bench NAME QEMU_EXTRA: the BENCH/CDF lines of one run into $out/NAME.txt
boot_bench() {
    local name=$1 extra=$2 rc=0
    say "booting motebench ($name)"
    QEMU_EXTRA="$extra" TIMEOUT=300 scripts/qemu-dom0 build/motebench.elf \
        > "$out/$name.log" 2>&1 < /dev/null || rc=$?
    tr -d '\r' < "$out/$name.log" | grep -a -E '^(BENCH|CDF) ' > "$out/$name.txt" || true
    if [ $rc -ne 0 ] || ! grep -q '^BENCH done 1 flag$' "$out/$name.txt"; then
        say "motebench ($name) did not finish (status $rc); log: $out/$name.log"
        tail -n 20 "$out/$name.log" >&2
        exit 1
    fi
}

# Figures of a run as JSON members: "name": {"value": V, "unit": "U"}
json_figures() {
    grep '^BENCH ' "$1" | grep -v '^BENCH done ' |
        awk '{ printf "%s      \"%s\": {\"value\": %s, \"unit\": \"%s\"}", sep, $2, $3, $4; sep=",\n" }'
}

make --no-print-directory build/mote.elf >/dev/null
make --no-print-directory APP=bench/motebench >/dev/null
make --no-print-directory apps domu-stack >/dev/null
ensure_gnuplot

# --- Image size of the hello application (build/mote.elf).
file_bytes=$(stat -c %s build/mote.elf)
${CROSS_COMPILE:-}objcopy --strip-all build/mote.elf "$out/hello.stripped"
stripped_bytes=$(stat -c %s "$out/hello.stripped")
read -r text data bss _ < <(${CROSS_COMPILE:-}size build/mote.elf | tail -n 1)

# --- Speed.
boot_bench icount1 "$ICOUNT"
boot_bench icount2 "$ICOUNT"
repeatable=true
if ! cmp -s "$out/icount1.txt" "$out/icount2.txt"; then
    repeatable=false
    say "WARNING: the two icount runs differ:"
    diff "$out/icount1.txt" "$out/icount2.txt" >&2 || true
fi
boot_bench realtime ""

# --- Boot time against memory size, under icount: `motebench boot` (the
# boot figures only) as dom0 with 32M, 512M and 2G. Appended to the icount
# figures once the two full runs have been compared.
: > "$out/icount-mem.txt"
for mem in 32M 512M 2G; do
    say "booting motebench boot (icount, dom0_mem=$mem)"
    rc=0
    QEMU_EXTRA="$ICOUNT" DOM0_MEM=$mem QEMU_MEM=3072 TIMEOUT=300 \
        scripts/qemu-dom0 build/motebench.elf boot > "$out/icount-$mem.log" 2>&1 < /dev/null || rc=$?
    ns=$(tr -d '\r' < "$out/icount-$mem.log" | sed -n 's/^BENCH boot_to_main \([0-9]*\) ns$/\1/p')
    [ $rc = 0 ] && [ -n "$ns" ] || { say "motebench boot at $mem failed; log: $out/icount-$mem.log"; exit 1; }
    echo "BENCH boot_to_main_$mem $ns ns" >> "$out/icount-mem.txt"
done
cat "$out/icount-mem.txt" >> "$out/icount1.txt"

# --- Memory: the smallest dom0_mem, and the smallest domU memory=, that
# boot hello and run echo (a typed line echoed back). Xen refuses less than
# 4M for dom0; dom0 typing uses the boot tests' helper.
TOP=$top LOG_DIR=$out CURRENT_TEST=bench-echo
source tests/lib.sh
printf 'bench echo line\nquit\n' > "$out/echo-input.txt"
runs_hello_and_echo() {  # MIB
    DOM0_MEM=${1}M TIMEOUT=60 scripts/qemu-dom0 build/mote.elf > "$out/mem-$1.log" 2>&1 < /dev/null \
        || return 1
    DOM0_MEM=${1}M boot_with_input "$out/echo-input.txt" '^echo: ready' build/echo.elf >/dev/null
    [ "$BOOT_RC" = 0 ] && grep -q '^bench echo line' "$BOOT_LOG"
}
min_dom0_mib=""
for mib in 4 5 6 8 12 16; do
    if runs_hello_and_echo $mib; then min_dom0_mib=$mib; break; fi
done
[ -n "$min_dom0_mib" ] || { say "hello and echo did not run with dom0_mem up to 16M"; exit 1; }

# domU: a Linux dom0 runs xl (scripts/qemu-domu, real time only: that dom0
# is far too slow under icount). Echo's line is typed into the guest's pty,
# as in tests/boot/domu.sh.
domu_cfg() {  # MIB -> config path
    sed "s/^memory *=.*/memory  = $1/" scripts/mote.cfg > "$out/domu-$1.cfg"
    echo "$out/domu-$1.cfg"
}
cat > "$out/domu-echo.sh" <<'ACTION'
wait_log '^echo: ready'
tty=$(xenstore-read /local/domain/$DOMID/console/tty)
printf 'bench echo line\r' > "$tty"
wait_log '^bench echo line'
printf 'quit\r' > "$tty"
wait_gone 30
ACTION
runs_hello_and_echo_domu() {  # MIB
    say "booting hello and echo as a domU with memory=$1"
    RUN_SECONDS=30 TIMEOUT=180 scripts/qemu-domu build/mote.elf "$(domu_cfg $1)" \
        > "$out/domu-mem-$1.log" 2>&1 < /dev/null || true
    grep -q '^guest| hello from mote' "$out/domu-mem-$1.log" &&
        grep -q '^guest| mote: shutdown: poweroff' "$out/domu-mem-$1.log" || return 1
    TIMEOUT=180 scripts/qemu-domu build/echo.elf "$out/domu-$1.cfg" "$out/domu-echo.sh" \
        > "$out/domu-echo-$1.log" 2>&1 < /dev/null || return 1
    grep -q '^guest| bench echo line' "$out/domu-echo-$1.log" &&
        grep -q '^guest| mote: shutdown: poweroff' "$out/domu-echo-$1.log"
}
min_domu_mib=""
for mib in 1 2 3 4 6 8; do
    if runs_hello_and_echo_domu $mib; then min_domu_mib=$mib; break; fi
done
[ -n "$min_domu_mib" ] || { say "hello and echo did not run as a domU with up to 8 MiB"; exit 1; }

say "booting motebench as a domU (console through the ring to xenconsoled)"
RUN_SECONDS=300 TIMEOUT=420 scripts/qemu-domu build/motebench.elf "$(domu_cfg 64)" \
    > "$out/domu.log" 2>&1 < /dev/null || true
tr -d '\r' < "$out/domu.log" | sed -n 's/^guest| \(BENCH console_domU .*\)$/\1/p' > "$out/domu.txt"
# As a domU, boot includes the ring console and xenstore set-up.
tr -d '\r' < "$out/domu.log" | sed -n 's/^guest| BENCH boot_to_main \([0-9]*\) ns$/BENCH boot_to_main_domU \1 ns/p' >> "$out/domu.txt"
# Pages the allocator got in the smallest domU hello ran in.
tr -d '\r' < "$out/domu-mem-$min_domu_mib.log" |
    sed -n "s/^guest| mote: memory: \([0-9]*\) pages total, \([0-9]*\) free, .*/BENCH domU_${min_domu_mib}M_free_pages \2 pages/p" >> "$out/domu.txt"
grep -q '^BENCH console_domU [0-9]' "$out/domu.txt" \
    || { say "motebench as a domU gave no console figure; log: $out/domu.log"; exit 1; }
cat "$out/domu.txt" >> "$out/realtime.txt"

# --- Block throughput through blkfront next to dom0's own dd of the same
# RAM disk, in the same run (bench/blk.sh; real time only).
bench/blk.sh > "$out/blk.txt" || { say "the block benchmark failed"; exit 1; }
cat "$out/blk.txt" >> "$out/realtime.txt"

# --- Several vCPUs: IPI round trips and the speedup of a parallel app on
# QEMU -smp 2 over -smp 1 (bench/smp.sh; real time only).
bench/smp.sh > "$out/smp.txt" || { say "the SMP benchmark failed"; exit 1; }
cat "$out/smp.txt" >> "$out/realtime.txt"

# --- Network: TCP throughput (iperf 2 in dom0 to lwiperf in mote) and ping
# round trips, next to a Linux PV domU's in the same run (bench/net.sh).
bench/net.sh > "$out/net.txt" || { say "the network benchmark failed"; exit 1; }
cat "$out/net.txt" >> "$out/realtime.txt"
# The same under -icount shift=4 (one run): throughput and the guests'
# vCPU cost per KiB in virtual time, which host load cannot move; these
# are the figures to judge a change of the network path by (issue 28).
NET_ICOUNT=4 NET_RUNS=1 bench/net.sh > "$out/net-icount.txt" ||
    { say "the network benchmark under icount failed"; exit 1; }
grep -v '^BENCH net_run' "$out/net-icount.txt" | sed 's/^BENCH net_/BENCH net_icount_/' >> "$out/icount1.txt"

xen_version=$(awk '/Xen version/ && !v { for (i = 1; i < NF; i++) if ($i == "version") v = $(i + 1) } END { print v }' "$out/icount1.log")
qemu_version=$(qemu-system-x86_64 --version | awk 'NR == 1 { print $4 }')

cat > bench/results.json <<JSON
{
  "about": "make bench (bench/run.sh); what each figure measures: bench/README.md",
  "xen": "$xen_version",
  "qemu": "$qemu_version",
  "image": {
    "app": "hello (build/mote.elf)",
    "file_bytes": $file_bytes,
    "stripped_bytes": $stripped_bytes,
    "text_bytes": $text,
    "data_bytes": $data,
    "bss_bytes": $bss
  },
  "memory": {
    "min_dom0_mem_mib_hello_and_echo": $min_dom0_mib,
    "min_domu_memory_mib_hello_and_echo": $min_domu_mib
  },
  "icount": {
    "qemu_options": "$ICOUNT",
    "time": "virtual (instruction-driven)",
    "repeatable": $repeatable,
    "figures": {
$(json_figures "$out/icount1.txt")
    }
  },
  "realtime": {
    "qemu_options": "",
    "time": "host real time under TCG, noisy",
    "figures": {
$(json_figures "$out/realtime.txt")
    }
  }
}
JSON

# --- Plot: latency CDFs of the icount run.
for series in evtchn_rtt timer_1ms_late timer_10ms_late; do
    awk -v s="$series" '$1 == "CDF" && $2 == s { print $3, $4 / 1000 }' "$out/icount1.txt" \
        > "$out/cdf-$series.dat"
done
gnuplot -e "outdir='$out'" bench/latency.gp > bench/latency.svg

# --- The table (from the JSON's sources), printed and put into bench/README.md.
value() { awk -v k="$2" '$1 == "BENCH" && $2 == k { print $3 }' "$out/$1.txt"; }
unit()  { awk -v k="$2" '$1 == "BENCH" && $2 == k { print $4 }' "$out/$1.txt"; }
{
    echo "| figure | icount (virtual time) | real time (reference) | unit |"
    echo "| --- | ---: | ---: | --- |"
    for k in $(awk '$1 == "BENCH" && $2 != "done" { print $2 }' "$out/icount1.txt"); do
        echo "| $k | $(value icount1 "$k") | $(value realtime "$k") | $(unit icount1 "$k") |"
    done
    echo "| console_domU (ring to xenconsoled) | | $(value realtime console_domU) | bytes/s |"
    echo "| boot_to_main_domU (memory=64) | | $(value realtime boot_to_main_domU) | ns |"
    echo "| domU_${min_domu_mib}M_free_pages (of $((min_domu_mib * 256))) | | $(value realtime domU_${min_domu_mib}M_free_pages) | pages |"
    for k in blk_write_mote blk_write_dom0 blk_write_ratio blk_read_mote blk_read_dom0 blk_read_ratio \
             smp_ipi_rtt_idle smp_ipi_rtt_busy smp_parallel_1 smp_parallel_2 smp_speedup \
             net_tcp_mote net_tcp_linux net_tcp_ratio net_tcp_in_ratio net_tcp_out_mote \
             net_tcp_out_linux net_tcp_out_ratio net_cost_in_mote net_cost_in_linux \
             net_cost_in_ratio net_cost_out_mote net_cost_out_linux net_cost_out_ratio \
             net_rtt_p50_mote net_rtt_p50_linux \
             net_rtt_p50_ratio net_rtt_p99_mote net_rtt_p99_linux net_rtt_p99_ratio; do
        echo "| $k | | $(value realtime "$k") | $(unit realtime "$k") |"
    done
    echo "| image file / stripped | $file_bytes / $stripped_bytes | | bytes |"
    echo "| image text / data / bss | $text / $data / $bss | | bytes |"
    echo "| smallest dom0_mem running hello and echo | $min_dom0_mib | | MiB |"
    echo "| smallest domU memory= running hello and echo | $min_domu_mib | | MiB |"
    echo
    echo "icount runs repeatable: $repeatable. Xen $xen_version, QEMU $qemu_version."
} > "$out/table.md"
cat "$out/table.md"

awk -v table="$out/table.md" '
    /<!-- bench:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- bench:end -->/   { skip = 0 }
    !skip { print }
' bench/README.md > "$out/bench-README.md" && mv "$out/bench-README.md" bench/README.md
# --- What each directory costs in hello's image, into bench/README.md.
bench/sizes.sh build/mote.elf.map > "$out/sizes.md"
awk -v table="$out/sizes.md" '
    /<!-- sizes:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /<!-- sizes:end -->/   { skip = 0 }
    !skip { print }
' bench/README.md > "$out/bench-README.md" && mv "$out/bench-README.md" bench/README.md
say "wrote bench/results.json, bench/latency.svg and bench/README.md's tables"
