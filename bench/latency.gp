# Latency distributions of `make bench` (bench/run.sh passes outdir): the
# cumulative distribution of each series from the icount run, in microseconds.
set terminal svg size 800,480 dynamic font "sans,12"
set title "mote latency under Xen 4.17 in QEMU (-icount shift=7: virtual time)"
set xlabel "latency (µs, log scale)"
set ylabel "percentile"
set logscale x
set yrange [0:100]
set key bottom right
set grid
plot outdir."/cdf-evtchn_rtt.dat" using 2:1 with linespoints title "event channel round trip", \
     outdir."/cdf-timer_1ms_late.dat" using 2:1 with linespoints title "1 ms timer lateness", \
     outdir."/cdf-timer_10ms_late.dat" using 2:1 with linespoints title "10 ms timer lateness"
