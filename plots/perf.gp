# perf.gp: perf_event counters of the measured process per GiB moved, one
# bar per counter side by side in each cell's slot, on a log scale (task
# clock in ns sits next to page faults). Counters the machine could not
# count are absent; NOTE names them.
#
# Data: data/perf-WORKLOAD.dat
#   blocks 0, 1     the bar layout (bars.gp)
#   blocks 2..N+1   one per counter. First line: its name. Rows:
#                   x  value_per_GiB  NaN  NaN  ""   (x already offset within the slot)
# EXTRA: N, the number of counters.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "bars.gp"

N = EXTRA + 0
set logscale y
set format y "%.0s%c"   # 1k, 10k, 1M
set ylabel "count per GiB moved (log scale)"
set boxwidth 0.8 / N absolute

plot for [s=2:N+1] DATA index s using 1:2 with boxes lc rgb colour(s - 1) title columnheader(1)
