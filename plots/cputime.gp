# cputime.gp: CPU time of the measured process per GiB moved, user and
# system stacked, in milliseconds.
#
# Data: data/cpu-WORKLOAD.dat
#   blocks 0, 1   the bar layout (bars.gp)
#   block 2       first line: the two stack titles. Rows:
#                 x  user_ms_per_GiB  sys_ms_per_GiB  total_ms_per_GiB  "text above the bar"
# The stack is drawn as the total bar with the user part over it.

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "bars.gp"

set ylabel "CPU ms per GiB moved"
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set boxwidth 0.7

plot DATA index 2 using 1:4 with boxes lc rgb "#c9a227" title columnheader(2), \
     DATA index 2 using 1:2 with boxes lc rgb "#3b9c4a" title columnheader(1), \
     DATA index 2 using 1:4:5 with labels offset 0, 0.8 font ",9" notitle
