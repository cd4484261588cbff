#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Network figures for `make bench` (bench/run.sh calls it; it also runs
# alone), in one boot of the domU test stack: dom0 pings bench/netbench
# (mote with lwIP) 200 times and runs `iperf -c` (iperf 2, 10 s) against its
# lwiperf server; then the same against a Linux PV domU, the test stack's
# own kernel booted with a tiny initramfs (dom0's own files, xen-netfront
# and an /init that runs `iperf -s`), over the same kind of vif. Real time
# only, like every domU figure.
#
# Prints BENCH lines: net_tcp_{mote,linux} in kbit/s and net_tcp_ratio
# (mote / Linux, percent); net_rtt_{p50,p99}_{mote,linux} in µs and
# net_rtt_{p50,p99}_ratio (mote / Linux, percent: below 100 is faster).
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
echo "linux-domu: ready"
exec iperf -s
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
measure() {   # measure NAME ADDR
    ping -c 200 -i 0.02 "$2" | sed -n "s/.*time=\([0-9.]*\) ms/$1 rtt \1/p"
    iperf -c "$2" -t 10 -f k | sed -n "s/.* \([0-9.]*\) Kbits\/sec.*/$1 tcp \1/p" | tail -n 1
}
wait_log "netbench: lwiperf listening" 60
measure mote 192.0.2.2
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
tries=600
until grep -q "linux-domu: ready" "$log" 2>/dev/null; do
    tries=$((tries - 1)); [ $tries -gt 0 ] || { echo "linux guest never ready"; tail -n 20 "$log"; exit 1; }
    sleep 0.1
done
sleep 1
measure linux 192.0.2.3
xl destroy linux
ACTION

echo "bench: booting netbench and a Linux domU, each pinged and iperf'ed from dom0" >&2
# xl needs more memory in dom0 to load a Linux kernel than the default gives.
GUEST_FILES="$out/vmlinuz $out/xen-netfront.ko $out/linux-init $out/linux.cfg" \
XEN_EXTRA="dom0_mem=512M" GUEST_EXTRA="mote.ip=192.0.2.2/24" TIMEOUT=400 \
    scripts/qemu-domu build/netbench.elf "$out/net.cfg" "$out/net-action.sh" \
    > "$out/net.log" 2>&1 < /dev/null || true
tr -d '\r' < "$out/net.log" > "$out/net.clean.log"
for who in mote linux; do
    if ! grep -q "^mote-domu: action: $who tcp " "$out/net.clean.log"; then
        echo "bench: the network benchmark did not finish ($who); log: $out/net.log" >&2
        exit 1
    fi
done
sed -n 's/^mote-domu: action: \([a-z]*\) rtt \(.*\)/\1 \2/p' "$out/net.clean.log" > "$out/net.rtt"
pct() {   # pct WHO P: the P-th percentile of WHO's round-trip times, in µs
    awk -v w="$1" '$1 == w { print $2 }' "$out/net.rtt" | sort -n |
        awk -v p="$2" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; printf "%d\n", v[i] * 1000 }'
}
awk -v m50="$(pct mote 50)" -v m99="$(pct mote 99)" -v l50="$(pct linux 50)" -v l99="$(pct linux 99)" '
    /^mote-domu: action: mote tcp /  { mt = int($NF) }
    /^mote-domu: action: linux tcp / { lt = int($NF) }
    END {
        printf "BENCH net_tcp_mote %d kbit/s\nBENCH net_tcp_linux %d kbit/s\n", mt, lt
        printf "BENCH net_tcp_ratio %d %%\n", 100 * mt / lt
        printf "BENCH net_rtt_p50_mote %d us\nBENCH net_rtt_p50_linux %d us\n", m50, l50
        printf "BENCH net_rtt_p50_ratio %d %%\n", 100 * m50 / l50
        printf "BENCH net_rtt_p99_mote %d us\nBENCH net_rtt_p99_linux %d us\n", m99, l99
        printf "BENCH net_rtt_p99_ratio %d %%\n", 100 * m99 / l99
    }' "$out/net.clean.log"
