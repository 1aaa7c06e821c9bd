# wholeprocess.gp: in-process against whole-process throughput per cell.
# In-process: the median of the copy windows zcbench timed itself, with the
# confidence interval of the median. Whole process: the bytes of one run over
# the median wall time of the whole `zcbench run` process as hyperfine timed
# it, with error bars from its fastest and slowest run.
#
# Data: data/wholeprocess-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   blocks 2-3    in-process, whole process. First line: the title. Rows:
#                 x  GBps  low_GBps  high_GBps  "text above the bar"  file
#                 (x already offset within the cell's slot)

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

set ylabel GBPS
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.4 absolute

# The other files' bars, as a macro that is empty with one file (gnuplot
# 5.4 runs a plot loop such as for [k = 0:-1] once, and warns).
OTHERS = (NFILES < 2) ? "" : sprintf(", for [k = 0:%d] DATA index (2 + SERIES_OF(k)) \
    using 1:(column(6) == FILE_AT(FILE_OF(k)) ? column(2) : NaN) with boxes fs pattern FILL(FILE_AT(FILE_OF(k))) \
    border rgb '#404040' lc rgb colour(1 + SERIES_OF(k)) notitle", 2 * (NFILES - 1) - 1)
# The first file's bars carry the series titles (each block's first line).
plot for [s = 2:3] DATA index s using 1:($6 == FILE_AT(1) ? $2 : NaN) \
         with boxes fs pattern FILL(FILE_AT(1)) border rgb "#404040" lc rgb colour(s - 1) title columnheader(1), \
     for [s = 2:3] DATA index s using 1:3:(0):($4 - $3) with vectors heads size screen 0.006, 90 lc rgb "#202020" notitle, \
     for [s = 2:3] DATA index s using 1:(valid(4) ? $4 : $2):5 with labels offset 0, 0.8 font ",8" notitle, \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i) \
     @OTHERS
