#!/usr/bin/env bash
# The test suite, as README's test line runs it (after ci/setup.sh).
# Usage: bash ci/test.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ctest --test-dir "${1:-$here/build}" --output-on-failure
