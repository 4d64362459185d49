#!/usr/bin/env bash
# Assignment benchmark: hoithi-judging against OR-Tools' SimpleMinCostFlow on the
# same seeded instance. Usage (from anywhere):
#   bench/judging/run.sh            full: 100,000 entries, 3,000 judges, release build
#   bench/judging/run.sh --smoke    small instance, debug build (for CI)
# Extra arguments after the mode go to the Rust example (e.g. --seed 2).
# Needs python3; installs ortools from PyPI with pip when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode=full
if [[ "${1:-}" == "--smoke" ]]; then mode=smoke; shift; fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-judging}"
out="$(mktemp -d /tmp/judging-bench.XXXXXX)"
trap 'rm -rf "$out"' EXIT
if ! python3 -c 'import ortools' 2>/dev/null; then
  python3 -m pip install --quiet ortools
fi
cd "$root"
if [[ "$mode" == smoke ]]; then
  cargo run --quiet -p hoithi-judging --example assign_bench -- --smoke --out "$out" "$@"
  # On the small instance OR-Tools also solves the explicit per-entry model.
  python3 "$here/ortools_assign.py" "$out" --model explicit
  python3 "$here/ortools_assign.py" "$out" --model classes
  python3 "$here/ortools_assign.py" "$out" --model relaxed
else
  cargo run --quiet --release -p hoithi-judging --example assign_bench -- --out "$out" "$@"
  python3 "$here/ortools_assign.py" "$out" --model classes
  python3 "$here/ortools_assign.py" "$out" --model relaxed
fi
