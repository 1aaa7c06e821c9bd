# not_measured.gp: a figure that only says what was not measured and why,
# so a report shows the gap instead of hiding it.
#
# Data: data/NAME.dat, one row per line of text: x y "text" (y counts down
# from the first line).

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"

unset border
unset tics
unset grid
unset key
set xrange [-1:1]
set yrange [-3:3]

plot DATA using 1:2:3 with labels font ",12" textcolor rgb "#a01010"
