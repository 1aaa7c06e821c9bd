# throughput.gp: throughput by strategy for one workload, fastest first (or
# in the verdicts' order), one bar per result file, with the confidence
# interval of the median as error bars.
#
# Data: data/throughput-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   block 2       x  class  median_GBps  ci_low_GBps  ci_high_GBps  "text above the bar"  file
#                 class 0: the cell sees the data, 1: blind, 2: the file does not say
# The text is the median and, with one file holding a calibration, its share
# of the machine's memcpy ceiling.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

# The legend names grey only when some cell's file did not say.
stats DATA index 2 using 2 nooutput
HAS_UNSTATED = (STATS_max >= 2)

set ylabel GBPS
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.7

# Bars, error bars from the interval's low to its high end, the text above.
plot for [i = 1:NFILES] DATA index 2 using 1:($7 == FILE_AT(i) ? $3 : NaN):(class_rgb($2)) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb variable notitle, \
     DATA index 2 using 1:4:(0):($5 - $4) with vectors heads size screen 0.006, 90 lc rgb "#202020" notitle, \
     DATA index 2 using 1:(valid(5) ? $5 : $3):6 with labels offset 0, 0.8 font ",9" notitle, \
     keyentry with boxes fs solid lc rgb SEES title "sees the data", \
     keyentry with boxes fs solid lc rgb BLIND title "blind (the kernel moves it)", \
     keyentry with boxes fs solid lc rgb OTHER title (HAS_UNSTATED ? "not stated" : ""), \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i)
