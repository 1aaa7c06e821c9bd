# common.gp: what every zcbench report figure shares. Each figure script loads
# it first; gnuplot finds it through GNUPLOT_LIB, which `zcbench report` (and
# data/render.sh in a report) set to the folder holding the scripts.
#
# Every figure script is called the same way:
#
#   gnuplot -c SCRIPT DATA OUT WIDTH HEIGHT TITLE NOTE EXTRA
#
#   DATA           the data file `zcbench report` extracted (data/NAME.dat)
#   OUT            the image to write; .svg gives SVG, anything else PNG
#   WIDTH HEIGHT   its size in pixels
#   TITLE          drawn at the top
#   NOTE           drawn in red at the bottom, e.g. what was not measured ("" for none)
#   EXTRA          a number some scripts need (how many series), else ""
#
# The arguments arrive as strings (ARG1 ...); none is evaluated as gnuplot
# code. `load` clears ARG1..., so each script first keeps them as
#   DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
# and only then loads this file.

if (strlen(OUT) > 4 && OUT[strlen(OUT)-3:] eq ".svg") {
    set terminal svg size W, H font "sans,10" fontscale 1.3 background rgb "white"
} else {
    set terminal pngcairo size W, H font "sans,10" background rgb "white"
}
set output OUT
set encoding utf8
# Labels come from result files: show them as written (no _ subscripts).
set termoption noenhanced
set title TITLE font ",13"
set datafile missing "NaN"

# Looks
set style fill solid 0.85 border rgb "#404040"
set border 3 lc rgb "#404040"
set grid ytics lc rgb "#d9d9d9" lw 1
set tics nomirror
set key outside bottom center horizontal Left reverse noautotitle samplen 2 width 2 height 1

# Colours: orange for strategies whose data passes through user memory (they
# could inspect it), blue for blind ones the kernel moves on its own, grey
# where the result file does not say: in every figure, and for nothing else.
# Series that are not strategies (stack parts, counters, directions) take
# PALETTE in order, which holds neither orange nor blue.
SEES  = "#e07b26"
BLIND = "#2b6cb0"
OTHER = "#8c8c8c"
PALETTE = "#3b9c4a #7a5cc2 #2aa3a3 #b83b5e #c9a227 #6b6b6b #5a8f29 #a0522d #d16ba5 #4d4d4d"
colour(i) = word(PALETTE, (int(i) - 1) % 10 + 1)
# Units on axes: 10⁹ written as it reads (the labels are not "enhanced" text).
GBPS = "GB/s (10⁹ bytes/s)"

# The note goes where the x label would: under the tic labels, above the key.
if (strlen(NOTE) > 0) {
    set xlabel NOTE textcolor rgb "#a01010" font ",10"
}
