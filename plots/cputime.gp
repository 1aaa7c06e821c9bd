# cputime.gp: CPU time of the measured process per GiB moved from getrusage,
# user and system stacked, in milliseconds. Used only when the file has no
# perf task clock (cputask.gp): getrusage counts in scheduler ticks, so it is
# coarse, and NOTE says so.
#
# Data: data/cpu-WORKLOAD.dat
#   blocks 0, 1   the bar layout (strategy_bars.gp)
#   block 2       first line: the two stack titles. Rows:
#                 x  user_ms_per_GiB  sys_ms_per_GiB  total_ms_per_GiB  "text above the bar"  file
# The stack is drawn as the total bar with the user part over it.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "strategy_bars.gp"

set ylabel "CPU ms per GiB moved (getrusage)"
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.7

plot for [i = 1:NFILES] DATA index 2 using 1:($6 == FILE_AT(i) ? $4 : NaN) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb colour(5) notitle, \
     for [i = 1:NFILES] DATA index 2 using 1:($6 == FILE_AT(i) ? $2 : NaN) \
         with boxes fs pattern FILL(FILE_AT(i)) border rgb "#404040" lc rgb colour(1) notitle, \
     DATA index 2 using 1:4:5 with labels offset 0, 0.8 font ",9" notitle, \
     keyentry with boxes fs solid lc rgb colour(1) title "user", \
     keyentry with boxes fs solid lc rgb colour(5) title "sys", \
     for [i = 1:NKEYFILES] keyentry with boxes fs pattern FILL(FILE_AT(i)) lc rgb "#505050" title FILE_NAME(i)
