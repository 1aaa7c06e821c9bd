#!/usr/bin/env bash
# The figure of a kernel matrix: `zcbench compare --format json` of several
# result files, drawn as one heat map per metric (rows: cells, columns:
# kernels in file order, colour: the change of the median against the first
# file, clipped to +-50%; blue is better, red is worse, whichever way the
# metric points; R marks a regression, I an improvement, grey a cell that
# could not be compared).
# Usage: ci/kernels-plot.sh COMPARE.json PREFIX   -> PREFIX.svg and PREFIX.png
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: ci/kernels-plot.sh COMPARE.json PREFIX" >&2
  exit 2
fi
cmp=$1 prefix=$2
command -v gnuplot >/dev/null || { echo "kernels-plot: gnuplot is missing (ci/setup.sh installs it)" >&2; exit 2; }
command -v jq >/dev/null || { echo "kernels-plot: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }
jq -e '.schema | IN("zcbench-compare/1", "zcbench-compare/2")' "$cmp" >/dev/null 2>&1 ||
  { echo "kernels-plot: $cmp is not the JSON of zcbench compare" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nfiles=$(jq '.files | length' "$cmp")
ncells=$(jq '.cells | length' "$cmp")
mapfile -t metrics < <(jq -r '.metrics[].name' "$cmp")
((${#metrics[@]})) || { echo "kernels-plot: no metric was compared" >&2; exit 1; }

# One data file per metric: column, row, signed "badness" in percent
# (positive = worse), the mark.
for m in "${metrics[@]}"; do
  jq -r --arg m "$m" '
    (.metrics[] | select(.name == $m) | .better) as $better
    | .cells | to_entries[] | .key as $row | .value as $c
    | $c.metrics[$m].vs_first | to_entries[]
    | .key as $col | .value as $j
    | if $col == 0 then
        (if $c.metrics[$m].values[0] != null then "\($col) \($row) 0 \"\"" else "\($col) \($row) NaN \"\"" end)
      elif ($j == null) or ($j.verdict == "not_comparable") or ($j.change == null and ($j.from_zero | not)) then
        "\($col) \($row) NaN \"\""
      else
        (if $j.from_zero then 50 else ($j.change * 100) end) as $pct
        | (if $better == "higher" then -$pct else $pct end) as $bad
        | ([$bad, 50] | min | [., -50] | max) as $clip
        | "\($col) \($row) \($clip) \"\(if $j.verdict == "regression" then "R"
                                        elif $j.verdict == "improvement" then "I" else "" end)\""
      end' "$cmp" >"$tmp/$m.dat"
done
jq -r '.cells | to_entries[] | "\(.key) \"\(.value.label)\""' "$cmp" >"$tmp/rows.dat"
jq -r '.files | to_entries[] | "\(.key) \"\(.value.label)\""' "$cmp" >"$tmp/cols.dat"

ytics=$(awk '{ i=$1; $1=""; sub(/^ /, ""); printf "%s%s %s", (NR>1?", ":""), $0, i }' "$tmp/rows.dat")
xtics=$(awk '{ i=$1; $1=""; sub(/^ /, ""); printf "%s%s %s", (NR>1?", ":""), $0, i }' "$tmp/cols.dat")
nm=${#metrics[@]}
label_w=$(jq '[.cells[].label | length] | max // 10' "$cmp")
# Pixels: the cell labels on the left, one panel per metric, a colour box.
left=$((label_w * 6 + 30)) panel=$((nfiles * 56 + 10)) gap=24 cbox=110 top=80 bottom=130
((panel >= 180)) || panel=180 # room for the longest metric name
width=$((left + nm * (panel + gap) + cbox))
((width >= 1000)) || width=1000
height=$((top + ncells * 16 + bottom))
frac() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }

cat >"$tmp/plot.gp" <<EOF
set termoption noenhanced
set palette defined (-50 "#2166ac", -10 "#d1e5f0", 0 "#f7f7f7", 10 "#fddbc7", 50 "#b2182b")
set cbrange [-50:50]
set cbtics ("-50 (better)" -50, "0" 0, "+50 (worse)" 50) font ",9"
set yrange [$ncells-0.5:-0.5]
set xrange [-0.5:$nfiles-0.5]
set xtics rotate by 40 right ($xtics) font ",9"
set tics nomirror scale 0
set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb "#bdbdbd" fillstyle solid noborder
set tmargin at screen $(frac $((height - top)) "$height")
set bmargin at screen $(frac "$bottom" "$height")
unset key
set multiplot title "zcbench across kernels: change of the median against the first column, percent\nR regression, I improvement, grey: not compared" font ",11"
EOF
i=0
for m in "${metrics[@]}"; do
  l=$((left + i * (panel + gap)))
  {
    echo "set lmargin at screen $(frac "$l" "$width")"
    echo "set rmargin at screen $(frac $((l + panel)) "$width")"
    if ((i == 0)); then
      echo "set ytics ($ytics) font \",9\""
    else
      echo "unset ytics"
    fi
    if ((i == nm - 1)); then
      echo "set colorbox user origin screen $(frac $((l + panel + 20)) "$width"),$(frac "$bottom" "$height") size screen $(frac 14 "$width"),$(frac $((ncells * 16)) "$height")"
    else
      echo "unset colorbox"
    fi
    echo "set title \"$m\" font \",10\""
    echo "plot '$tmp/$m.dat' using 1:2:3 with image, '' using 1:2:4 with labels font \",9\""
  } >>"$tmp/plot.gp"
  i=$((i + 1))
done
echo "unset multiplot" >>"$tmp/plot.gp"

gnuplot -e "set terminal svg size $width,$height dynamic background '#ffffff'; set output '$prefix.svg'" "$tmp/plot.gp"
gnuplot -e "set terminal pngcairo size $width,$height; set output '$prefix.png'" "$tmp/plot.gp" 2>/dev/null ||
  gnuplot -e "set terminal png size $width,$height; set output '$prefix.png'" "$tmp/plot.gp"
echo "kernels-plot: $prefix.svg, $prefix.png" >&2
