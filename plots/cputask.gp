# cputask.gp: CPU time of the measured process per GiB moved, in ms, from
# perf's task clock (counted in ns inside the copy window).
#
# Data: data/cpu-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   block 2       x  class  ms_per_GiB  NaN  NaN  "text above the bar"  file
#                 class 0: the cell sees the data, 1: blind, 2: the file does not say

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

stats DATA index 2 using 2 nooutput
HAS_UNSTATED = (STATS_max >= 2)

set ylabel "CPU ms per GiB moved (task clock)"
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.7

plot for [i = 1:NFILES] DATA index 2 using 1:($7 == FILE_AT(i) ? $3 : NaN):(class_rgb($2)) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb variable notitle, \
     DATA index 2 using 1:3:6 with labels offset 0, 0.8 font ",9" notitle, \
     keyentry with boxes fs solid lc rgb SEES title "sees the data", \
     keyentry with boxes fs solid lc rgb BLIND title "blind (the kernel moves it)", \
     keyentry with boxes fs solid lc rgb OTHER title (HAS_UNSTATED ? "not stated" : ""), \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i)
