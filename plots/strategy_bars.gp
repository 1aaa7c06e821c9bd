# strategy_bars.gp: the x axis of the workload bar figures. Loaded after
# common.gp.
#
# The data file's first two blocks (blocks are separated by two blank lines):
#   block 0   x_centre "strategy"   one row per strategy: the x tics, in the
#                                   order of the verdicts (or of throughput)
#   block 1   file "label"          one row per result file with a bar here
# Every row of the blocks after them ends with its file's number. With one
# file all bars are solid; with several each file has its own fill pattern
# (FILL(n)), named in the key by FILE_KEY, so a strategy's bars sit side by
# side. Colour always means the same: orange sees the data, blue is blind.

stats DATA index 0 using 1 nooutput
NGROUPS = STATS_records
array TIC_X[NGROUPS]
array TIC_LABEL[NGROUPS]
stats DATA index 0 using (TIC_X[int($0) + 1] = $1, TIC_LABEL[int($0) + 1] = strcol(2), 0) nooutput

stats DATA index 1 using 1 nooutput
NFILES = STATS_records
array FILE_NO[NFILES]
array FILE_LABEL[NFILES]
stats DATA index 1 using (FILE_NO[int($0) + 1] = $1, FILE_LABEL[int($0) + 1] = strcol(2), 0) nooutput

# The bars' extent, from the first series block.
stats DATA index 2 using 1 nooutput
XMIN = STATS_min
XMAX = STATS_max
set xrange [XMIN - 0.7 : XMAX + 0.7]

set xtics () scale 0 nomirror
do for [i = 1:NGROUPS] {
    set xtics add (TIC_LABEL[i] TIC_X[i])
}
# Tilt the labels when the longest would not fit in its group's width
# (up to about 8 px per character at this font; the plot is W less ~150 px wide).
LONGEST = 0
do for [i = 1:NGROUPS] {
    if (strlen(TIC_LABEL[i]) > LONGEST) { LONGEST = strlen(TIC_LABEL[i]) }
}
GROUP_PX = (W - 150.0) / NGROUPS
if (LONGEST * 8 > GROUP_PX) {
    set xtics rotate by 30 right
}

# Fill per file: 3 is solid, 4 on hatched.
FILL(n) = (n <= 1) ? 3 : n + 2
class_rgb(c) = (c == 0) ? 0xe07b26 : (c == 1) ? 0x2b6cb0 : 0x8c8c8c
# The key names the patterns only when there are several files.
NKEYFILES = (NFILES > 1) ? NFILES : 0
# Guarded lookups: gnuplot evaluates a plot's options even for a loop that
# runs no times (for [i = 2:1]).
FILE_AT(i) = (i >= 1 && i <= NFILES) ? FILE_NO[i] : 0
FILE_NAME(i) = (i >= 1 && i <= NFILES) ? FILE_LABEL[i] : ""
# Clustered figures draw the first file's bars with the series titles, then
# every other file's with one flat loop over k = series x file (a nested
# loop whose inner range is empty still runs once in gnuplot 5.4):
# series SERIES_OF(k) (from 0), file FILE_OF(k) (from 2), for k in
# [0, NSERIES * (NFILES - 1) - 1].
M_FILES = (NFILES > 1) ? NFILES - 1 : 1
SERIES_OF(k) = int(k / M_FILES)
FILE_OF(k) = 2 + k % M_FILES
