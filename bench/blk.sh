#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Block throughput for `make bench` (bench/run.sh calls it; it also runs
# alone): in one boot of the domU test stack, dom0 times its own dd of a RAM
# disk (/dev/ram0, brd, 64 MiB; O_DIRECT, 1 MiB blocks), then xl gives the
# same device to bench/blkbench, which writes and reads it through blkfront
# (256 KiB requests, 8 in flight). Real time only, like every domU figure.
#
# Prints BENCH lines: blk_{write,read}_{dom0,mote} in KiB/s and
# blk_{write,read}_ratio (mote / dom0, in percent).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
mkdir -p "$out"
make --no-print-directory APP=bench/blkbench >/dev/null
make --no-print-directory domu-stack domu-helpers >/dev/null

sed "s/^memory *=.*/memory  = 64/" scripts/mote.cfg > "$out/blk.cfg"
echo "disk = [ 'phy:/dev/ram0,xvda,w' ]" >> "$out/blk.cfg"
# coreutils dd's last line: "N bytes (..) copied, S s, R/s".
cat > "$out/blk-prepare.sh" <<'PREPARE'
dd if=/dev/zero of=/dev/ram0 bs=1M count=64 oflag=direct 2>/dev/null
/usr/bin/dd if=/dev/zero of=/dev/ram0 bs=1M count=64 oflag=direct 2>&1 | sed -n 's/.* copied, \([0-9.]*\) s,.*/dom0 write seconds \1/p'
/usr/bin/dd if=/dev/ram0 of=/dev/null bs=1M count=64 iflag=direct 2>&1 | sed -n 's/.* copied, \([0-9.]*\) s,.*/dom0 read seconds \1/p'
PREPARE
echo 'wait_gone 120' > "$out/blk-action.sh"

echo "bench: booting blkbench as a domU with a RAM disk" >&2
PREPARE="$out/blk-prepare.sh" GUEST_EXTRA=64 TIMEOUT=300 \
    scripts/qemu-domu build/blkbench.elf "$out/blk.cfg" "$out/blk-action.sh" \
    > "$out/blk.log" 2>&1 < /dev/null || true
tr -d '\r' < "$out/blk.log" > "$out/blk.clean.log"
if ! grep -q '^guest| BENCH done 1 flag' "$out/blk.clean.log" ||
   ! grep -q '^mote-domu: prepare: dom0 read seconds' "$out/blk.clean.log"; then
    echo "bench: the block benchmark did not finish; log: $out/blk.log" >&2
    exit 1
fi
awk '
    /^mote-domu: prepare: dom0 write seconds/ { dw = int(65536 / $NF) }
    /^mote-domu: prepare: dom0 read seconds/  { dr = int(65536 / $NF) }
    /^guest\| BENCH blk_write_mote/ { mw = $4 }
    /^guest\| BENCH blk_read_mote/  { mr = $4 }
    END {
        printf "BENCH blk_write_mote %d KiB/s\nBENCH blk_write_dom0 %d KiB/s\n", mw, dw
        printf "BENCH blk_write_ratio %d %%\n", 100 * mw / dw
        printf "BENCH blk_read_mote %d KiB/s\nBENCH blk_read_dom0 %d KiB/s\n", mr, dr
        printf "BENCH blk_read_ratio %d %%\n", 100 * mr / dr
    }' "$out/blk.clean.log"
