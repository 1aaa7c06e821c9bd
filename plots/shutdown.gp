# shutdown.gp: the shutdown benchmark (zcbench run --shutdown-after DUR), two
# figures from one data file, chosen by EXTRA:
#
#   "time log" or "time linear"   per strategy, the median time from sending
#       SIGTERM to reaping the subject (bars), the slowest run (whisker), the
#       checkpoint and, where a run was killed, the kill bound (dashed lines).
#       A red bar had a run killed: it stands at the kill time, labelled.
#   "bytes MiB" or "bytes KiB"    per strategy, three bars side by side: bytes
#       in flight at the signal, drained after it, and stranded (taken from
#       the source, never delivered), medians with whiskers to the largest.
#
# Data: data/shutdown-WORKLOAD.dat
#   blocks 0, 1   the bar layout (bars.gp); a group is one result file, named
#                 by its settings (checkpoint, or no deadlines)
#   block 2       x_lo  x_hi  checkpoint_ms  kill_bound_ms   one row per group
#                 (NaN where the line is not drawn)
#   block 3       x  state  exit_median_ms  exit_max_ms  stop_median_ms  stop_max_ms
#                 text_y_ms  "text"  "killed text"  "max text"
#                 state: 0 every signalled run exited by itself, 1 some run was
#                 killed, 2 no run was signalled
#   block 4       x  in_flight_median  in_flight_max  drained_median  drained_max
#                 stranded_median  stranded_max  "in flight"  "drained"  "stranded"  "note"
#                 (in the unit EXTRA names; the note says why a cell has no bars)

DATA = ARG1; OUT = ARG2; W = ARG3 + 0; H = ARG4 + 0; TITLE = ARG5; NOTE = ARG6; EXTRA = ARG7
load "common.gp"
load "bars.gp"

MODE = word(EXTRA, 1)
STOPPED    = "#3b9c4a"
KILLED     = "#c0392b"
CHECKPOINT = "#7a5cc2"
state_rgb(s) = (s == 1) ? 0xc0392b : 0x3b9c4a

# The times above the bars sit in a white box, so a dashed line does not
# cross them.
set style textbox opaque noborder margins 1, 1
has_text(col) = strlen(strcol(col)) > 0

# Optional parts of the plots: a dashed line, a label or a note whose column
# has no value at all would only make gnuplot warn, so each is added (as a
# macro, at the end of its plot command) only when it has one. Macros in an
# if-block are expanded when the block is read, so these are set before it.
stats DATA index 2 using (valid(3)) nooutput
CHECKPOINT_LINES = (STATS_sum == 0) ? "" : \
    ", DATA index 2 using 1:3:($2 - $1):(0) with vectors nohead dt 2 lw 1.5 lc rgb CHECKPOINT notitle, \
       keyentry with lines dt 2 lw 1.5 lc rgb CHECKPOINT title 'checkpoint'"
stats DATA index 2 using (valid(4)) nooutput
KILLED_PARTS = (STATS_sum == 0) ? "" : \
    ", DATA index 2 using 1:4:($2 - $1):(0) with vectors nohead dt 2 lw 1.5 lc rgb KILLED notitle, \
       DATA index 3 using 1:(has_text(9) ? $7 : NaN):9 with labels offset 0, 1.9 font ',9' \
           textcolor rgb KILLED notitle, \
       keyentry with boxes lc rgb KILLED title 'killed at the kill bound', \
       keyentry with lines dt 2 lw 1.5 lc rgb KILLED title 'kill bound'"
stats DATA index 3 using (has_text(10)) nooutput
MAX_TEXT = (STATS_sum == 0) ? "" : \
    ", DATA index 3 using 1:(has_text(10) ? $4 : NaN):10 with labels offset 0, 0.7 font ',8' \
           textcolor rgb '#505050' notitle"
stats DATA index 4 using (has_text(11)) nooutput
NOTES = (STATS_sum == 0) ? "" : \
    ", DATA index 4 using 1:(has_text(11) ? 0 : NaN):11 with labels offset 0, 1 font ',9' \
         textcolor rgb KILLED notitle"

if (MODE eq "time") {
    if (word(EXTRA, 2) eq "log") {
        # From the decade below a third of the shortest median, so that its
        # bar stays visible, up to just above the tallest, not the next decade.
        stats DATA index 3 using 3 nooutput
        set yrange [10 ** floor(log10(STATS_min / 3)):*] noextend
        set logscale y
        set format y "%g"
        set ylabel "ms from SIGTERM to exit (log scale)"
    } else {
        set yrange [0:*]
        set ylabel "ms from SIGTERM to exit"
    }
    set offsets 0, 0, graph 0.14, 0
    set boxwidth 0.6

    # Bars at the median, the median just above; a whisker up to the slowest
    # run, labelled where it reaches well above the median; "killed k/n"
    # above a bar whose runs were killed. The dashed lines span their group;
    # the group's label on top gives their values.
    plot DATA index 3 using 1:3:(state_rgb($2)) with boxes lc rgb variable notitle, \
         DATA index 3 using 1:3:(0):($4 - $3) with vectors head size screen 0.008, 90 lw 1.2 lc rgb "#202020" notitle, \
         DATA index 3 using 1:7:8 with labels boxed offset 0, 0.8 font ",9" notitle, \
         keyentry with boxes lc rgb STOPPED title "stopped and exited by itself", \
         keyentry with vectors head size screen 0.008, 90 lc rgb "#202020" title "slowest run" \
         @MAX_TEXT @CHECKPOINT_LINES @KILLED_PARTS
} else {
    UNIT = word(EXTRA, 2)
    set ylabel sprintf("%s per run", UNIT)
    set yrange [0:1<*]   # at least 0-1 when every cell has nothing to draw
    set offsets 0, 0, graph 0.1, 0
    D = 0.8 / 3          # three bars share a cell's slot
    set boxwidth D absolute

    # Bars at the medians, whiskers up to the largest, the median above;
    # killed cells have no bars, a note at the bottom says so.
    plot DATA index 4 using ($1 - D):2 with boxes lc rgb "#7a5cc2" title "in flight at the signal", \
         DATA index 4 using 1:4 with boxes lc rgb "#3b9c4a" title "drained after the signal", \
         DATA index 4 using ($1 + D):6 with boxes lc rgb "#b83b5e" title "stranded", \
         DATA index 4 using ($1 - D):2:(0):($3 - $2) with vectors head size screen 0.006, 90 lc rgb "#202020" notitle, \
         DATA index 4 using 1:4:(0):($5 - $4) with vectors head size screen 0.006, 90 lc rgb "#202020" notitle, \
         DATA index 4 using ($1 + D):6:(0):($7 - $6) with vectors head size screen 0.006, 90 lc rgb "#202020" notitle, \
         DATA index 4 using ($1 - D):(valid(3) ? $3 : $2):8 with labels offset 0, 0.7 font ",8" notitle, \
         DATA index 4 using 1:(valid(5) ? $5 : $4):9 with labels offset 0, 0.7 font ",8" notitle, \
         DATA index 4 using ($1 + D):(valid(7) ? $7 : $6):10 with labels offset 0, 0.7 font ",8" notitle \
         @NOTES
}
