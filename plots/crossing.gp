# crossing.gp: bytes the data-moving syscalls copied per GiB delivered, by
# direction: into user memory, out of it, and inside the kernel. Three bars
# side by side per cell. Cells without the figure (io_uring: no syscall
# return value reports its bytes) are not drawn; NOTE names them and why.
#
# Data: data/crossing-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   blocks 2-4    to user, from user, in kernel. First line: the title. Rows:
#                 x  GiB_per_GiB  NaN  NaN  "text above the bar"  file
#                 (x already offset within the cell's slot)

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

set ylabel "GiB copied per GiB moved"
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.8 / 3 absolute

# The other files' bars, as a macro that is empty with one file (gnuplot
# 5.4 runs a plot loop such as for [k = 0:-1] once, and warns).
OTHERS = (NFILES < 2) ? "" : sprintf(", for [k = 0:%d] DATA index (2 + SERIES_OF(k)) \
    using 1:(column(6) == FILE_AT(FILE_OF(k)) ? column(2) : NaN) with boxes fs pattern FILL(FILE_AT(FILE_OF(k))) \
    border rgb '#404040' lc rgb colour(1 + SERIES_OF(k)) notitle", 3 * (NFILES - 1) - 1)
# The first file's bars carry the series titles (each block's first line).
plot for [s = 2:4] DATA index s using 1:($6 == FILE_AT(1) ? $2 : NaN) \
         with boxes fs pattern FILL(FILE_AT(1)) border rgb "#404040" lc rgb colour(s - 1) title columnheader(1), \
     for [s = 2:4] DATA index s using 1:2:5 with labels offset 0, 0.7 font ",8" notitle, \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i) \
     @OTHERS
