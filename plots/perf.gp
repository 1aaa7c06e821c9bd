# perf.gp: perf_event counts of the measured process per GiB moved, one bar
# per counter side by side in each cell's slot, on a log scale of counts
# (the task clock, in ns, is the CPU figure: one unit per axis). The axis
# starts at the decade below the smallest count so every bar shows.
# Counters the machine could not count, or 0 everywhere, are named in NOTE.
#
# Data: data/perf-WORKLOAD.dat
#   blocks 0, 1     the bar layout (strategy_bars.gp)
#   blocks 2..N+1   one per counter. First line: its name. Rows:
#                   x  count_per_GiB  NaN  NaN  ""  file   (x already offset within the slot)
# EXTRA: N, the number of counters.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

N = EXTRA + 0
LO = 1e300
HI = 0
do for [s = 2:N + 1] {
    stats DATA index s using 2 nooutput
    if (STATS_min < LO) { LO = STATS_min }
    if (STATS_max > HI) { HI = STATS_max }
}
set logscale y
set yrange [10 ** (floor(log10(LO)) - 1) : 10 ** (log10(HI) + 0.25)]
set format y "%.0s%c"   # 1k, 10k, 1M
set ylabel "events per GiB moved (log scale)"
set boxwidth 0.8 / N absolute

# The other files' bars, as a macro that is empty with one file (gnuplot
# 5.4 runs a plot loop such as for [k = 0:-1] once, and warns).
OTHERS = (NFILES < 2) ? "" : sprintf(", for [k = 0:%d] DATA index (2 + SERIES_OF(k)) \
    using 1:(column(6) == FILE_AT(FILE_OF(k)) ? column(2) : NaN) with boxes fs pattern FILL(FILE_AT(FILE_OF(k))) \
    border rgb '#404040' lc rgb colour(1 + SERIES_OF(k)) notitle", N * (NFILES - 1) - 1)
# The first file's bars carry the series titles (each block's first line).
plot for [s = 2:N + 1] DATA index s using 1:($6 == FILE_AT(1) ? $2 : NaN) \
         with boxes fs pattern FILL(FILE_AT(1)) border rgb "#404040" lc rgb colour(s - 1) title columnheader(1), \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i) \
     @OTHERS
