#!/usr/bin/env bash
# Keep the newest result file of NEW_DIR as the baseline the next CI run
# compares with (CI caches BASELINE_DIR).
# Usage: bash ci/save-baseline.sh NEW_DIR BASELINE_DIR
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: ci/save-baseline.sh NEW_DIR BASELINE_DIR" >&2
  exit 2
fi
new=$(ls -t "$1"/zcbench-*.json 2>/dev/null | head -n 1 || true)
[[ -n $new ]] || { echo "save-baseline: no result file (zcbench-*.json) in $1" >&2; exit 2; }
mkdir -p "$2"
rm -f "$2"/zcbench-*.json
cp "$new" "$2/"
echo "save-baseline: $2/$(basename "$new")"
