# sweep.gp: throughput against the bytes asked for per call (log x), one
# line per strategy and parameter set (and result file when there are
# several), with the confidence interval of the median.
#
# Data: data/sweep-WORKLOAD.dat
#   block 0       chunk_bytes "label"        the x tics (4K, 64K, 1M ...)
#   blocks 1..N   one per line. First line: its title. Rows:
#                 chunk_bytes  median_GBps  ci_low_GBps  ci_high_GBps
# EXTRA: N, the number of lines.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"

N = EXTRA + 0
set logscale x 2
if (strlen(NOTE) == 0) {
    set xlabel "bytes asked for per call (log scale)"
}
set ylabel GBPS
set yrange [0:*]
set offsets graph 0.03, graph 0.03, graph 0.05, 0
set xtics scale 1

# The x tics: the chunk sizes of block 0, read into arrays.
stats DATA index 0 using 1 nooutput
NTICS = STATS_records
array TIC_X[NTICS]
array TIC_LABEL[NTICS]
stats DATA index 0 using (TIC_X[int($0) + 1] = $1, TIC_LABEL[int($0) + 1] = strcol(2), 0) nooutput
set xtics ()
do for [i = 1:NTICS] {
    set xtics add (TIC_LABEL[i] TIC_X[i])
}

plot for [s=1:N] DATA index s using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 lc rgb colour(s) title columnheader(1)
