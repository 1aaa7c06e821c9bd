#!/usr/bin/env bash
# The report's files call each other in layers, never in a circle (issue 14):
# from the objects in libzccore.a, an edge A -> B for every symbol A uses that
# B defines (both harness/report/ files), and tsort must find no loop.
# Usage: report_layers.sh LIBZCCORE.a
set -euo pipefail
lib=$1
defs=$(nm -A --defined-only "$lib" 2>/dev/null | awk '$0 ~ /report_[a-z_]*\.c\.o:/ && $2 ~ /^[TDBR]$/ {
    split($1, p, ":"); print p[2], $3 }')
uses=$(nm -A -u "$lib" 2>/dev/null | awk '$0 ~ /report_[a-z_]*\.c\.o:/ { split($1, p, ":"); print p[2], $NF }')
edges=$(awk 'NR == FNR { def[$2] = $1; next } ($2 in def) && def[$2] != $1 { print $1, def[$2] }' \
    <(printf '%s\n' "$defs") <(printf '%s\n' "$uses") | sort -u)
n=$(printf '%s\n' "$edges" | grep -c . || true)
if ((n < 10)); then
    echo "report_layers: only $n edges between the report's objects in $lib: not the library expected" >&2
    exit 1
fi
# tsort says "input contains a loop" on stderr (and still exits 0 on some versions).
check() { tsort 2>&1 >/dev/null <<<"$1" | grep -i loop || true; }
if [[ -z $(check $'a.o b.o\nb.o a.o') ]]; then
    echo "report_layers: tsort does not report a loop here; cannot check" >&2
    exit 1
fi
loop=$(check "$edges")
if [[ -n $loop ]]; then
    echo "report_layers: the report's files call each other in a circle:" >&2
    echo "$loop" >&2
    printf '%s\n' "$edges" >&2
    exit 1
fi
echo "report_layers: $n edges, no circle"
