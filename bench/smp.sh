#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several-vCPU figures for `make bench` (bench/run.sh calls it; it also runs
# alone). Real time only: QEMU's multi-threaded TCG (-smp N) runs each
# emulated CPU in its own host thread, and icount, which the virtual-time
# figures need, works only with single-threaded TCG.
#
#   smp_ipi_rtt_idle   IPI round trip vCPU 0 -> 1 -> 0, vCPU 1 blocked in Xen
#                      between pings (includes Xen waking it); 10,000 rounds
#   smp_ipi_rtt_busy   the same with vCPU 1 running a thread (event delivery
#                      to a running vCPU)
#   smp_parallel_1, smp_parallel_2
#                      2 threads of CPU-bound work (tests/kernels/smptest
#                      parallel) on dom0 with 1 and with 2 vCPUs
#   smp_speedup        smp_parallel_1 / smp_parallel_2, in percent (200 = 2x)
#   smp_yield_1, smp_yield_2
#                      ns per thread_yield of 4 unpinned threads yielding
#                      20,000 times each (smptest sched), on 1 and 2 vCPUs:
#                      with 2 the vCPUs contend for the one run-queue lock
#   smp_pingpong_1, smp_pingpong_2
#                      ns per round trip of a token handed between two
#                      threads through two semaphores, unpinned
#   smp_pingpong_cross the same with the threads pinned to vCPUs 0 and 1:
#                      every hand-over wakes the other vCPU
#
# On the 2-core host shared with other work, read them as orders of magnitude.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make --no-print-directory APP=tests/kernels/smptest >/dev/null
elf=build/smptest.elf

run() {   # VCPUS ARGS... -> the guest's output
    VCPUS=$1 TIMEOUT=600 scripts/qemu-dom0 "$elf" "${@:2}" 2>&1 | tr -d '\r'
}

rtt() {   # VCPUS MODE -> ns per round trip
    run "$1" "$2" 10000 | sed -n 's/^ipi: .* \([0-9]*\) ns per round trip$/\1/p'
}

par() {   # VCPUS -> microseconds
    run "$1" parallel | sed -n 's/^parallel: .*: \([0-9]*\) us .*/\1/p'
}

sched() {   # OUTPUT WHAT -> ns
    case $2 in
    yield) sed -n 's/^sched: yield: .*: \([0-9]*\) ns per yield.*/\1/p' <<< "$1" ;;
    pp)    sed -n 's/^sched: pingpong: .*unpinned: \([0-9]*\) ns per round trip.*/\1/p' <<< "$1" ;;
    cross) sed -n 's/^sched: pingpong: .*pinned to 0 and 1: \([0-9]*\) ns per.*/\1/p' <<< "$1" ;;
    esac
}

echo "bench: IPI round trips and parallel speedup (dom0, QEMU -smp 1 and 2)" >&2
s1=$(run 1 sched)
s2=$(run 2 sched)
y1=$(sched "$s1" yield); y2=$(sched "$s2" yield)
pp1=$(sched "$s1" pp); pp2=$(sched "$s2" pp); cross=$(sched "$s2" cross)
[ -n "$y1" ] && [ -n "$y2" ] && [ -n "$pp1" ] && [ -n "$pp2" ] && [ -n "$cross" ] ||
    { echo "bench/smp.sh: the sched run gave no figure" >&2; exit 1; }
idle=$(rtt 2 ipi)
busy=$(rtt 2 ipi-busy)
p1=$(par 1)
p2=$(par 2)
[ -n "$idle" ] && [ -n "$busy" ] && [ -n "$p1" ] && [ -n "$p2" ] ||
    { echo "bench/smp.sh: a run gave no figure" >&2; exit 1; }
echo "BENCH smp_ipi_rtt_idle $idle ns"
echo "BENCH smp_ipi_rtt_busy $busy ns"
echo "BENCH smp_parallel_1 $p1 us"
echo "BENCH smp_parallel_2 $p2 us"
echo "BENCH smp_speedup $(( p1 * 100 / p2 )) percent"
echo "BENCH smp_yield_1 $y1 ns"
echo "BENCH smp_yield_2 $y2 ns"
echo "BENCH smp_pingpong_1 $pp1 ns"
echo "BENCH smp_pingpong_2 $pp2 ns"
echo "BENCH smp_pingpong_cross $cross ns"
