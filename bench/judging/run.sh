#!/usr/bin/env bash
# Assignment benchmark: hoithi-judging against OR-Tools' SimpleMinCostFlow on the
# same seeded instances. Usage (from anywhere):
#   bench/judging/run.sh            full: 100,000 entries, 3,000 judges, release build,
#                                   the default instance and the adversarial shapes
#   bench/judging/run.sh --smoke    small instances, debug build (for CI): the default
#                                   and one adversarial shape
# Extra arguments after the mode go to the Rust example for every shape (e.g. --seed 2).
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
# Shapes of issue 15: a few "magnet" judges of huge capacity who are the only experts of
# the most popular genre, high and zero costs, skewed units, tight total capacity.
shapes=(
  "default|"
  "magnets-cost-10000|--magnets 3 --non-expert-cost 10000"
  "magnets-cost-1000|--magnets 3 --non-expert-cost 1000"
  "cost-10000|--non-expert-cost 10000"
  "zero-costs|--non-expert-cost 0 --load-step 0"
  "units-skewed|--unit-skew 0.5"
  "capacity-tight|--capacity-scale 0.7"
  "magnets-skewed-tight|--magnets 3 --non-expert-cost 10000 --load-step 3 --unit-skew 0.5 --capacity-scale 0.7"
)
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
if [[ "$mode" == smoke ]]; then
  # CI passes the folder of its one debug build (HOITHI_BENCH_BIN) so nothing is rebuilt.
  if [[ -n "${HOITHI_BENCH_BIN:-}" ]]; then
    bin="$HOITHI_BENCH_BIN/examples/assign_bench"
  else
    cargo build --quiet -p hoithi-judging --example assign_bench
    bin="$CARGO_TARGET_DIR/debug/examples/assign_bench"
  fi
  for shape in "default|" "magnets-skewed-tight|--magnets 3 --non-expert-cost 10000 --load-step 3 --unit-skew 0.5 --capacity-scale 0.7"; do
    name="${shape%%|*}"; args="${shape#*|}"
    echo "== shape $name (smoke)"
    # shellcheck disable=SC2086
    "$bin" --smoke $args --out "$out/$name" "$@"
    # On the small instance OR-Tools also solves the explicit per-entry model.
    python3 "$here/ortools_assign.py" "$out/$name" --model explicit
    python3 "$here/ortools_assign.py" "$out/$name" --model classes
  done
  python3 "$here/ortools_assign.py" "$out/default" --model relaxed
else
  cargo build --quiet --release -p hoithi-judging --example assign_bench
  bin="$CARGO_TARGET_DIR/release/examples/assign_bench"
  for shape in "${shapes[@]}"; do
    name="${shape%%|*}"; args="${shape#*|}"
    echo "== shape $name: $args (load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    "$bin" $args --out "$out/$name" "$@"
    python3 "$here/ortools_assign.py" "$out/$name" --model classes
    rm -rf "${out:?}/$name"
  done
fi
