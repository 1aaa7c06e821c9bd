#!/usr/bin/env bash
# Kernel-side work per GiB across kernels, as markdown: for each cell and
# each event of the kernel-work probes (counters.kwork: page and slab
# allocations, faults, softirqs, packets, TCP send calls...), the median per
# GiB over the measured runs and the runs' range, per kernel. Only the rows
# where the kernels differ beyond run-to-run spread are shown: the range of
# the kernel with the highest median lies wholly above the range of the one
# with the lowest, and the medians differ by more than 25% and 1024.
# Event counts, not times: they keep their meaning under emulation.
# Usage: ci/kernels-kwork.sh RESULT.json...   (markdown on stdout)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/results-args.sh"
zc_results_args kernels-kwork 2 "ci/kernels-kwork.sh RESULT.json RESULT.json..." "$@"

jq -rs '
  def esc: gsub("\\|"; "\\|") | gsub("[\u0000-\u001f]"; " ");
  def med: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                  else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def k: if . == null then "-" elif . >= 10000 then "\(. / 1000 | round)k"
         elif . >= 1000 then "\(. / 100 | round / 10)k" else "\(. | round)" end;
  # Per file: {label, cells: {key: {label, ev: {event: [per-GiB values of the measured runs]}}}}
  [ .[] | {
      label: .host.kernel_release,
      cells: ([.results[] | select(.status == "ok") | {
          key: "\(.strategy)/\(.workload) \(.params | tojson)",
          value: {label: "\(.strategy)/\(.workload)",
                  ev: ([.runs[] | select(.warmup | not) | select(.counters.kwork | type == "object") | . as $r
                        | $r.counters.kwork | to_entries[] | {key, v: (.value * 1073741824 / $r.bytes)}]
                       | group_by(.key) | map({key: .[0].key, value: map(.v)}) | from_entries)}
        }] | from_entries)
    } ] as $files
  | ([$files[].cells | keys[]] | unique) as $keys
  | [ $keys[] as $key
      | ([$files[].cells[$key].ev // {} | keys[]] | unique)[] as $ev
      | [$files[] | .cells[$key].ev[$ev] // []] as $vals
      | select(all($vals[]; length > 0))
      | [$vals[] | med] as $m
      | select(($m | max) > 1.25 * ($m | min) and ($m | max) - ($m | min) >= 1024)
      | ($m | index($m | max)) as $hi | ($m | index($m | min)) as $lo
      | select(($vals[$hi] | min) > ($vals[$lo] | max))
      | "| \([$files[] | .cells[$key].label | select(. != null)][0] | esc) | \($ev) | "
        + ([$vals[] | "\(med | k) [\(min | k)-\(max | k)]"] | join(" | ")) + " |" ] as $rows
  | "## Kernel-side work per GiB",
    "",
    "Events counted by the kernel-work probes in the subject'"'"'s context (probes/kwork.bpf.c), per GiB: the median over the measured runs [their range]. Shown where the kernels differ beyond run-to-run spread: the runs of the kernel with the highest median all above those of the one with the lowest, medians more than 25% and 1024 apart.",
    "",
    (if ($rows | length) == 0 then "No event differs between these kernels beyond run-to-run spread."
     else
       "| cell | event | " + ([$files[].label | esc] | join(" | ")) + " |",
       "| --- | --- |" + ([$files[] | " ---: |"] | join("")),
       $rows[]
     end)
' "$@"
