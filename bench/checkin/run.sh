#!/usr/bin/env bash
# The check-in rush of the courses issue (issue 11), against the real server.
#   bench/checkin/run.sh           2,000 delegates over 600 s, 200 phones, SQLite and PostgreSQL,
#                                  plain and with SIGKILL half way (release build)
#   bench/checkin/run.sh --smoke   300 delegates over 12 s, 50 phones, SQLite, SIGKILL (debug; CI)
# Further arguments go to hoithi-checkin-bench (--repeat 3, --backend sqlite, --json out.json,
# --seconds 120 …; see --help). Exits non-zero when a check-in is lost, doubled or unanswered.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode=full
if [[ "${1:-}" == "--smoke" ]]; then mode=smoke; shift; fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
if [[ "$mode" == smoke ]]; then
  # CI passes the folder of its one debug build (HOITHI_BENCH_BIN) so nothing is rebuilt.
  if [[ -z "${HOITHI_BENCH_BIN:-}" ]]; then
    cargo build --quiet -p hoithi -p hoithi-checkin-bench
    HOITHI_BENCH_BIN="$CARGO_TARGET_DIR/debug"
  fi
  exec "$HOITHI_BENCH_BIN/hoithi-checkin-bench" --smoke "$@"
fi
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
cargo build --quiet --release -p hoithi -p hoithi-checkin-bench
exec "$CARGO_TARGET_DIR/release/hoithi-checkin-bench" "$@"
