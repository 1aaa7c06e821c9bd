#!/usr/bin/env bash
# The quick profile on the running kernel, into one result file in OUT_DIR
# (default results/ci), for CI to keep as an artifact and as the next
# baseline. Extra arguments go to `zcbench all` after --profile quick (so
# --size, --reps and --warmup override it).
# Usage: bash ci/bench-quick.sh [--bin ZCBENCH] [--out-dir DIR] [zcbench all options ...]
# Exit: zcbench's (0, 1 for a failed cell, 2 for bad usage).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/zcbench
out=$here/results/ci
while [[ $# -gt 0 ]]; do
  case $1 in
  --bin) bin=$2; shift 2 ;;
  --out-dir) out=$2; shift 2 ;;
  *) break ;;
  esac
done
[[ -x $bin ]] || { echo "bench-quick: $bin is not built (run bash ci/setup.sh)" >&2; exit 2; }
mkdir -p "$out"
# One result file per run: an older one would be mistaken for this one.
rm -f "$out"/zcbench-*.json
"$bin" all --profile quick --out-dir "$out" "$@"
