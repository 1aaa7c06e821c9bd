#!/usr/bin/env bash
# The feature matrix of several result files (one per kernel), as markdown:
# per strategy and kernel, how many cells ran, were skipped (with the
# reasons) or failed, and which path they took when it is not the same on
# every kernel (a fallback, zero-copy sends copied or not); then every cell
# whose status, path or reason differs between the kernels. From each
# cell's status, path and reason only: nothing is timed.
# Usage: ci/kernels-features.sh RESULT.json...   (markdown on stdout)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/results-args.sh"
zc_results_args kernels-features 1 "ci/kernels-features.sh RESULT.json..." "$@"

# One array of all files: [{label, cells: {key: {strategy, workload, status, text}}}].
# A cell's key is strategy, workload and its parameters; its text is its
# path when ok (counts in it replaced by N, so "all 8 sends copied" and
# "all 12 sends copied" read alike), else the status and the reason.
jq -s '
  [ .[] | {
      label: (.host.kernel_release + (if .vm.accel then " (" + .vm.accel + ")" else "" end)),
      cells: ([.results[] | {
          key: "\(.strategy) \(.workload) \(.params | tojson)",
          value: {strategy, workload, status,
                  text: (if .status == "ok" then (.path // "ok" | gsub("[0-9]+"; "N"))
                         else "\(.status): \(.reason // "no reason")" end)}
        }] | from_entries)
    } ]' "$@" >"${TMPDIR:-/tmp}/kernels-features.$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/kernels-features.$$.json"' EXIT
all=${TMPDIR:-/tmp}/kernels-features.$$.json

jq -r '
  def esc: gsub("\\|"; "\\|") | gsub("[\u0000-\u001f]"; " ");
  . as $files
  | ([.[].cells | to_entries[] | .value.strategy] | unique) as $strategies
  | ([.[].cells | keys[]] | unique) as $keys
  | "## Feature matrix: what runs on each kernel",
    "",
    "Per strategy: cells that ran (ok), were skipped or failed, from each cell'"'"'s status, path and reason; a path named only where the kernels differ.",
    "",
    "| strategy | " + ([$files[].label | esc] | join(" | ")) + " |",
    "| --- |" + ([$files[] | " --- |"] | join("")),
    ( $strategies[] as $s
      | ([$files[] | [.cells[] | select(.strategy == $s and .status == "ok") | .text] | unique | select(length > 0)]
         | unique | length > 1)
        as $paths_differ
      | "| \($s) | "
        + ([ $files[] | [.cells[] | select(.strategy == $s)] as $c
             | if ($c | length) == 0 then "-"
               else
                 ([$c[] | select(.status == "ok")] | length) as $ok
                 | ([$c[] | select(.status == "skipped")] | length) as $sk
                 | ([$c[] | select(.status == "failed")] | length) as $fa
                 | ([$c[] | select(.status == "skipped") | .text | sub("^skipped: "; "")] | unique) as $why
                 | ([$c[] | select(.status == "ok") | .text] | unique) as $paths
                 | "ok \($ok)"
                   + (if $sk > 0 then ", skipped \($sk) (\($why | join("; ")))" else "" end)
                   + (if $fa > 0 then ", **FAILED \($fa)**" else "" end)
                   + (if $paths_differ and ($paths | length) > 0 then " [" + ($paths | join("; ")) + "]" else "" end)
               end | esc ] | join(" | "))
        + " |" ),
    "",
    ( [ $keys[] as $k
        | [$files[] | .cells[$k]] as $row
        | select(([$row[] | if . == null then "absent" else .text end] | unique | length) > 1)
        | "| \($row | map(select(. != null))[0] | "\(.strategy)/\(.workload)") | "
          + ([$row[] | if . == null then "absent" else .text end | esc] | join(" | ")) + " |" ] as $diff
      | if ($diff | length) == 0 then
          "Every cell has the same status and path on every kernel."
        else
          "Cells whose status or path differs between kernels:",
          "",
          "| cell | " + ([$files[].label | esc] | join(" | ")) + " |",
          "| --- |" + ([$files[] | " --- |"] | join("")),
          $diff[]
        end )
' "$all"
