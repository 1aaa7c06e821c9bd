# syscalls.gp: syscalls per GiB moved, per cell, on a log scale (a read/write
# loop with small chunks makes hundreds of thousands; sendfile about a
# thousand). The axis starts a decade below the smallest value's decade, so every
# bar shows; a zero cannot be drawn and the note names it.
#
# Data: data/syscalls-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   block 2       x  class  syscalls_per_GiB  NaN  NaN  "text above the bar"  file
#                 class 0: the cell sees the data, 1: blind, 2: the file does not say

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

stats DATA index 2 using 2 nooutput
HAS_UNSTATED = (STATS_max >= 2)
stats DATA index 2 using 3 nooutput
set logscale y
set yrange [10 ** (floor(log10(STATS_min)) - 1) : 10 ** (log10(STATS_max) + 0.25)]
set format y "%.0s%c"   # 1k, 10k, 1M
set ylabel "syscalls per GiB moved (log scale)"
set boxwidth 0.7

plot for [i = 1:NFILES] DATA index 2 using 1:($7 == FILE_AT(i) ? $3 : NaN):(class_rgb($2)) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb variable notitle, \
     DATA index 2 using 1:3:6 with labels offset 0, 0.8 font ",9" notitle, \
     keyentry with boxes fs solid lc rgb SEES title "sees the data", \
     keyentry with boxes fs solid lc rgb BLIND title "blind (the kernel moves it)", \
     keyentry with boxes fs solid lc rgb OTHER title (HAS_UNSTATED ? "not stated" : ""), \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i)
