#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Network figures for `make bench` (bench/run.sh calls it; it also runs
# alone), in one boot of the domU test stack per run: dom0 pings
# bench/netbench (mote with lwIP) 200 times, runs `iperf -c` (iperf 2, 10 s)
# against its lwiperf server (into mote), then has it run lwiperf as a
# client for 10 s against `iperf -s` in dom0 (out of mote); then the same
# against a Linux PV domU, the test stack's own kernel booted with a tiny
# initramfs (dom0's own files, xen-netfront and an /init that runs
# `iperf -s`, and `iperf -c` to dom0 when dom0 knocks on port 5003), over
# the same kind of vif.
#
# Besides throughput, what each direction costs the guest: the guest's vCPU
# time (xl vcpu-list, as Xen accounts it) over the bytes its vif carried
# (dom0's vif counters), in ns per KiB, for mote and Linux alike. In real
# time it moves with the host's load; with NET_ICOUNT=SHIFT the whole
# machine runs under QEMU's -icount shift=SHIFT,sleep=off, where time is
# instructions (2^SHIFT ns each): throughput and cost are then virtual, and
# the cost is an instruction count that host load cannot move.
#
# NET_RUNS (default 2) boots it that many times; each ratio printed is the
# worst of the runs (issue 28: the host is noisy), each run's figures are
# printed too (net_run<N>_*).
#
# Prints BENCH lines: net_tcp_{mote,linux} in kbit/s (into the guest),
# net_tcp_ratio and net_tcp_in_ratio (mote / Linux, percent),
# net_tcp_out_{mote,linux} and net_tcp_out_ratio (out of the guest),
# net_cost_{in,out}_{mote,linux} in ns per KiB and net_cost_{in,out}_ratio
# (mote / Linux: below 100 is cheaper); net_rtt_{p50,p99}_{mote,linux} in
# µs and net_rtt_{p50,p99}_ratio (mote / Linux, percent: below 100 is
# faster).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
mkdir -p "$out"
make --no-print-directory APP=bench/netbench >/dev/null
make --no-print-directory domu-stack domu-helpers >/dev/null
stack=$(scripts/domu-stack.sh --path)
# The Linux guest: the stack's kernel and its netfront module, from the
# Debian tree the stack was built from.
rootfs=$(ls -d "${MOTE_CACHE:-$HOME/.cache/mote}"/domu-stack-*/rootfs | head -n1)
vmlinuz=$(ls "$rootfs"/boot/vmlinuz-* | head -n1)
netfront=$(find "$rootfs/lib/modules" -name 'xen-netfront.ko*' | head -n1)
[ -f "$vmlinuz" ] && [ -f "$netfront" ] || { echo "bench: no Linux kernel or xen-netfront in $rootfs" >&2; exit 1; }
case $netfront in
    *.xz) xz -dc "$netfront" > "$out/xen-netfront.ko" ;;
    *) cp "$netfront" "$out/xen-netfront.ko" ;;
esac
cp "$vmlinuz" "$out/vmlinuz"

{ cat scripts/mote.cfg; echo "vif = [ 'mac=00:16:3e:5e:00:01' ]"; } > "$out/net.cfg"
cat > "$out/linux-init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /xen-netfront.ko
ip link set eth0 up
ip addr add 192.0.2.3/24 dev eth0
iperf -s -f k >/dev/null 2>&1 &
echo "linux-domu: ready"
# Out of the guest, when dom0 knocks (as netbench's TRIGGER_PORT).
nc -l -p 5003 </dev/null >/dev/null
iperf -c 192.0.2.1 -t 10 -f k 2>&1 | sed -n "s/.* \([0-9.]*\) Kbits\/sec.*/linux-domu: out \1/p" | tail -n 1
exec sleep 100000
INIT
cat > "$out/linux.cfg" <<'CFG'
type = "pv"
name = "linux"
kernel = "/guest/vmlinuz"
ramdisk = "/tmp/linux.cpio"
memory = 192
vcpus = 1
extra = "console=hvc0 quiet rdinit=/init"
vif = [ 'mac=00:16:3e:5e:00:03' ]
on_crash = "destroy"
CFG
# dom0 side: ping and iperf against ADDR, printed with a prefix.
cat > "$out/net-action.sh" <<'ACTION'
# sample DOMAIN: the guest's vCPU time (ns) and its vif's counters, as
# "cpu_ns rx_bytes rx_frames tx_bytes tx_frames" seen from the guest
# (dom0's vif transmits what the guest receives).
sample() {
    _cpu=$(xl vcpu-list "$1" | awk 'NR > 1 { s += $6 } END { printf "%.0f", s * 1e9 }')
    _v=/sys/class/net/vif$(xl domid "$1").0/statistics
    echo "$_cpu $(cat $_v/tx_bytes) $(cat $_v/tx_packets) $(cat $_v/rx_bytes) $(cat $_v/rx_packets)"
}
# cost NAME DIR BEFORE AFTER: prints "NAME cost_DIR NS_PER_KIB FRAMES KIB".
cost() {
    echo "$3 $4" | awk -v n="$1" -v d="$2" '{
        cpu = $6 - $1
        if (d == "in") { b = $7 - $2; f = $8 - $3 } else { b = $9 - $4; f = $10 - $5 }
        if (b > 0) printf "%s cost_%s %d %d %d\n", n, d, cpu * 1024 / b, f, b / 1024 }'
}
# wait_line FILE PATTERN SECONDS
wait_line() {
    _tries=$(( $3 * 10 ))
    until grep -q "$2" "$1" 2>/dev/null; do
        _tries=$((_tries - 1)); [ $_tries -gt 0 ] || { echo "never saw \"$2\" in $1"; tail -n 20 "$1"; return 1; }
        sleep 0.1
    done
}
# measure NAME ADDR DOMAIN LOG OUT_PATTERN: ping, TCP in, TCP out.
measure() {
    ping -c 200 -i 0.02 "$2" | sed -n "s/.*time=\([0-9.]*\) ms/$1 rtt \1/p"
    s0=$(sample "$3")
    iperf -c "$2" -t 10 -f k | sed -n "s/.* \([0-9.]*\) Kbits\/sec.*/$1 tcp \1/p" | tail -n 1
    s1=$(sample "$3")
    cost "$1" in "$s0" "$s1"
    # busybox nc: the knock; the guest end closes, or does not (Linux's nc).
    timeout 5 nc "$2" 5003 < /dev/null || true
    wait_line "$4" "$5" 60
    s2=$(sample "$3")
    cost "$1" out "$s1" "$s2"
    sed -n "s/.*$5 \([0-9.]*\).*/$1 tcp_out \1/p" "$4" | tr -d '\r' | tail -n 1
}
iperf -s -f k > /tmp/iperf-s.out 2>&1 &
wait_log "netbench: lwiperf listening" 60
measure mote 192.0.2.2 "$GUEST_NAME" "/var/log/xen/console/guest-$GUEST_NAME.log" "BENCH net_tcp_out_mote_kbit"
sleep 1
xl shutdown -w "$GUEST_NAME"
# The Linux guest's initramfs: dom0's own files, then its /init and netfront.
mkdir -p /tmp/lx
cp /guest/linux-init /tmp/lx/init && chmod +x /tmp/lx/init
cp /guest/xen-netfront.ko /tmp/lx/
# Compressed, and without dom0's modules: dom0 has little memory to spare
# (xl itself was killed for want of it with an 18 MiB archive).
(cd / && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp -o -path ./guest \
    -o -path ./var/log -o -path ./lib/modules \) -prune -o -print | cpio -o -H newc 2>/dev/null | gzip -1) > /tmp/linux.cpio
(cd /tmp/lx && find . | cpio -o -H newc 2>/dev/null | gzip -1) >> /tmp/linux.cpio
rm -rf /tmp/lx
echo "linux initramfs: $(wc -c < /tmp/linux.cpio) bytes"
xl create /guest/linux.cfg
log=/var/log/xen/console/guest-linux.log
wait_line "$log" "linux-domu: ready" 120
sleep 1
measure linux 192.0.2.3 linux "$log" "linux-domu: out"
xl destroy linux
ACTION

# one_run N: boots the stack once; its figures as "BENCH net_run<N>_..." lines
# into $out/net.run<N>.txt.
one_run() {
    local n=$1 log=$out/net.run$1.log qemu_extra="" timeout=400
    if [ -n "${NET_ICOUNT:-}" ]; then
        qemu_extra="-icount shift=$NET_ICOUNT,sleep=off"
        timeout=1500
    fi
    echo "bench: run $n: booting netbench and a Linux domU, each pinged and iperf'ed from dom0${qemu_extra:+ ($qemu_extra)}" >&2
    # xl needs more memory in dom0 to load a Linux kernel than the default gives.
    GUEST_FILES="$out/vmlinuz $out/xen-netfront.ko $out/linux-init $out/linux.cfg" \
    XEN_EXTRA="dom0_mem=512M" GUEST_EXTRA="mote.ip=192.0.2.2/24" TIMEOUT=$timeout \
    QEMU_EXTRA="$qemu_extra" \
        scripts/qemu-domu build/netbench.elf "$out/net.cfg" "$out/net-action.sh" \
        > "$log" 2>&1 < /dev/null || true
    tr -d '\r' < "$log" | sed -n 's/^mote-domu: action: //p' > "$out/net.run$n.action"
    for who in mote linux; do
        for what in tcp tcp_out cost_in cost_out; do
            if ! grep -q "^$who $what " "$out/net.run$n.action"; then
                echo "bench: the network benchmark did not finish ($who $what); log: $log" >&2
                exit 1
            fi
        done
    done
    pct() {   # pct WHO P: the P-th percentile of WHO's round-trip times, in µs
        awk -v w="$1" '$1 == w && $2 == "rtt" { print $3 }' "$out/net.run$n.action" | sort -n |
            awk -v p="$2" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; printf "%d\n", v[i] * 1000 }'
    }
    awk -v n="$n" -v m50="$(pct mote 50)" -v m99="$(pct mote 99)" -v l50="$(pct linux 50)" \
        -v l99="$(pct linux 99)" '
        $2 == "tcp" || $2 == "tcp_out" || $2 == "cost_in" || $2 == "cost_out" { v[$1 " " $2] = int($3) }
        function fig(k, w, what, unit) { printf "BENCH net_run%d_%s_%s %d %s\n", n, k, w, v[w " " what], unit }
        function ratio(k, what) { printf "BENCH net_run%d_%s_ratio %d %%\n", n, k, 100 * v["mote " what] / v["linux " what] }
        END {
            split("tcp:tcp:kbit/s tcp_out:tcp_out:kbit/s cost_in:cost_in:ns/KiB cost_out:cost_out:ns/KiB", ks, " ")
            for (i = 1; i <= 4; i++) {
                split(ks[i], f, ":")
                fig(f[1], "mote", f[2], f[3]); fig(f[1], "linux", f[2], f[3]); ratio(f[1], f[2])
            }
            printf "BENCH net_run%d_rtt_p50_mote %d us\nBENCH net_run%d_rtt_p50_linux %d us\n", n, m50, n, l50
            printf "BENCH net_run%d_rtt_p50_ratio %d %%\n", n, 100 * m50 / l50
            printf "BENCH net_run%d_rtt_p99_mote %d us\nBENCH net_run%d_rtt_p99_linux %d us\n", n, m99, n, l99
            printf "BENCH net_run%d_rtt_p99_ratio %d %%\n", n, 100 * m99 / l99
        }' "$out/net.run$n.action" > "$out/net.run$n.txt"
    # The frames each direction took (GSO makes them fewer and larger).
    awk -v n="$n" '$2 ~ /^cost_/ { printf "BENCH net_run%d_frames_%s_%s %d frames\n", n, substr($2, 6), $1, $4 }' \
        "$out/net.run$n.action" >> "$out/net.run$n.txt"
}

runs=${NET_RUNS:-2}
for n in $(seq "$runs"); do
    one_run "$n"
done
cat "$out"/net.run[0-9]*.txt > "$out/net.runs.txt"
# The figures: the last run's values, and each ratio the worst of the runs
# (lowest throughput ratio; highest cost and round-trip ratio).
awk -v last="$runs" '
    $1 != "BENCH" { next }
    { print }
    {
        k = $2; sub(/^net_run[0-9]+_/, "", k); r = $2; sub(/^net_run/, "", r); r = int(r)
        if (k ~ /_ratio$/) {
            if (!(k in w))
                w[k] = $3
            else if ((k ~ /^tcp/) ? ($3 < w[k]) : ($3 > w[k]))
                w[k] = $3
        } else if (r == last) { v[k] = $3; u[k] = $4 }
    }
    END {
        for (k in v) printf "BENCH net_%s %s %s\n", k, v[k], u[k]
        for (k in w) printf "BENCH net_%s %s %%\n", k, w[k]
        printf "BENCH net_tcp_in_ratio %s %%\n", w["tcp_ratio"]
    }' "$out/net.runs.txt" | sort -k2,2 -s | awk '!seen[$2]++'
