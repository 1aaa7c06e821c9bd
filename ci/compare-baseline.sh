#!/usr/bin/env bash
# The CI regression gate: the newest result file in NEW_DIR against the
# newest in BASELINE_DIR, with `zcbench compare --fail-on-regression`.
# Timing is only comparable on the same CPU: when the two files name
# different host.cpu_model (CI runners vary) or either ran under emulation,
# the gate compares counts only (syscalls, context switches, bytes per GiB)
# and says so. The report (markdown) goes to REPORT and, on GitHub Actions,
# to the job summary.
# Usage: bash ci/compare-baseline.sh [--bin ZCBENCH] [--report FILE] BASELINE_DIR NEW_DIR
# Environment: ZC_GATE_THRESHOLD (default: compare's, 10%), ZC_GATE_ALPHA (default 0.05),
#   ZC_GATE_METRICS (comma-separated; overrides the choice above).
# Exit: 0 no regression (or no baseline yet), 1 regression, 2 bad input.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/zcbench
report=""
while [[ $# -gt 0 ]]; do
  case $1 in
  --bin) bin=$2; shift 2 ;;
  --report) report=$2; shift 2 ;;
  -*) echo "compare-baseline: unknown option '$1'" >&2; exit 2 ;;
  *) break ;;
  esac
done
if [[ $# -ne 2 ]]; then
  echo "usage: ci/compare-baseline.sh [--bin ZCBENCH] [--report FILE] BASELINE_DIR NEW_DIR" >&2
  exit 2
fi
base_dir=$1 new_dir=$2
newest() { ls -t "$1"/zcbench-*.json 2>/dev/null | head -n 1 || true; }
new=$(newest "$new_dir")
if [[ -z $new ]]; then
  echo "compare-baseline: no result file (zcbench-*.json) in $new_dir" >&2
  exit 2
fi
base=$(newest "$base_dir")
if [[ -z $base ]]; then
  echo "compare-baseline: no previous baseline in $base_dir: nothing to compare; $new becomes the baseline"
  exit 0
fi
command -v jq >/dev/null || { echo "compare-baseline: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }

metrics=()
if [[ -n ${ZC_GATE_METRICS:-} ]]; then
  metrics=(--metric "$ZC_GATE_METRICS")
else
  cpu_base=$(jq -r '.host.cpu_model // "unknown"' "$base")
  cpu_new=$(jq -r '.host.cpu_model // "unknown"' "$new")
  if [[ $cpu_base != "$cpu_new" ]]; then
    echo "compare-baseline: the CPU differs (baseline: $cpu_base; now: $cpu_new): timing is not comparable, the gate compares counts only"
    metrics=(--metric "syscalls_per_gib,context_switches_per_gib,bytes_to_user_per_gib,bytes_from_user_per_gib,bytes_in_kernel_per_gib")
  fi
fi
args=("$base" "$new" --threshold "${ZC_GATE_THRESHOLD:-10%}" --alpha "${ZC_GATE_ALPHA:-0.05}" "${metrics[@]}")
set +e
"$bin" compare "${args[@]}" --format text --fail-on-regression
rc=$?
set -e
if [[ -n $report || -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  md=$("$bin" compare "${args[@]}" --format markdown 2>/dev/null || true)
  [[ -n $report ]] && printf '%s\n' "$md" >"$report"
  [[ -n ${GITHUB_STEP_SUMMARY:-} ]] && printf '%s\n' "$md" >>"$GITHUB_STEP_SUMMARY"
fi
case $rc in
0) echo "compare-baseline: no regression against $base" ;;
1) echo "compare-baseline: regression against $base" >&2 ;;
*) echo "compare-baseline: zcbench compare failed ($rc)" >&2 ;;
esac
exit "$rc"
