# bars.gp: the x axis of the shutdown figures (shutdown.gp), whose groups are
# result files (the workload figures use strategy_bars.gp). Loaded after
# common.gp.
#
# The data file's first two blocks (blocks are separated by two blank lines):
#   block 0   x_centre "kernel release"   one row per result file: labels on the top axis
#   block 1   x "cell"                    one row per bar: labels under the bars
# Bars sit at x = 1, 2, 3, ... grouped by result file, a gap between files.
# The labels are read into arrays and become tics; nothing here is plotted.

stats DATA index 0 using 1 nooutput
NGROUPS = STATS_records
array GROUP_X[NGROUPS]
array GROUP_LABEL[NGROUPS]
stats DATA index 0 using (GROUP_X[int($0) + 1] = $1, GROUP_LABEL[int($0) + 1] = strcol(2), 0) nooutput

stats DATA index 1 using 1 nooutput
NBARS = STATS_records
set xrange [STATS_min - 0.7 : STATS_max + 0.7]
array BAR_X[NBARS]
array BAR_LABEL[NBARS]
stats DATA index 1 using (BAR_X[int($0) + 1] = $1, BAR_LABEL[int($0) + 1] = strcol(2), 0) nooutput

set xtics () scale 0
do for [i = 1:NBARS] {
    set xtics add (BAR_LABEL[i] BAR_X[i])
}
if (NBARS > 5) {
    set xtics rotate by 25 right
}
set link x2
set x2tics () scale 0 font ",11" textcolor rgb "#303030"
do for [i = 1:NGROUPS] {
    set x2tics add (GROUP_LABEL[i] GROUP_X[i])
}

# Bars coloured by whether the cell sees the data (class column: 0 sees it,
# 1 blind, 2 the file does not say), for `lc rgb variable`.
class_rgb(c) = (c == 0) ? 0xe07b26 : (c == 1) ? 0x2b6cb0 : 0x8c8c8c
