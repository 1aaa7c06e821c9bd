# Sourced by the ci/ scripts that read result files with jq (kernels-features.sh,
# kernels-kwork.sh): the checks they make before reading anything.
# zc_results_args NAME MIN USAGE FILE...: one line on stderr and exit 2 unless
# there are at least MIN files, jq is installed and each file is a zcbench
# result file (its schema "zcbench/N").
zc_results_args() {
  local name=$1 min=$2 usage=$3 f
  shift 3
  if [[ $# -lt $min ]]; then
    echo "usage: $usage" >&2
    exit 2
  fi
  command -v jq >/dev/null || { echo "$name: jq is missing (ci/setup.sh installs it)" >&2; exit 2; }
  for f in "$@"; do
    jq -e '.schema | startswith("zcbench/")' "$f" >/dev/null 2>&1 ||
      { echo "$name: $f is not a zcbench result file" >&2; exit 2; }
  done
}
