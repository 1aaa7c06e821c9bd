# ctxsw.gp: context switches of the measured process per GiB moved,
# voluntary (it blocked) and involuntary (it was preempted) stacked.
#
# Data: data/ctxsw-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   block 2       first line: the two stack titles. Rows:
#                 x  voluntary_per_GiB  involuntary_per_GiB  total_per_GiB  "text above the bar"  file
# The stack is drawn as the total bar with the voluntary part over it.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

set ylabel "context switches per GiB moved"
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.7

plot for [i = 1:NFILES] DATA index 2 using 1:($6 == FILE_AT(i) ? $4 : NaN) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb colour(4) notitle, \
     for [i = 1:NFILES] DATA index 2 using 1:($6 == FILE_AT(i) ? $2 : NaN) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb colour(1) notitle, \
     DATA index 2 using 1:4:5 with labels offset 0, 0.8 font ",9" notitle, \
     keyentry with boxes fs solid lc rgb colour(1) title "voluntary", \
     keyentry with boxes fs solid lc rgb colour(4) title "involuntary", \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i)
