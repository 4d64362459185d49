#!/usr/bin/env bash
# The deadline rush of the contests issue (issue 4), against the real server.
#   bench/rush/run.sh            10,000 submissions of a ~200 KB DOCX over 60 s, on SQLite and
#                                PostgreSQL, plain and with SIGKILL halfway (release build)
#   bench/rush/run.sh --smoke    200 submissions over 10 s, SQLite, no kill (debug build; CI)
# Further arguments go to hoithi-rush, e.g. --repeat 2, --backend sqlite, --json out.json
# (see `hoithi-rush --help`). Exits non-zero when a receipt issued is missing or differs, an
# entry is half-written, or a submission got no receipt.
# PostgreSQL: a server on 127.0.0.1:5432 with user postgres (trust) and a database `test`,
# where a fresh database per run is created and dropped (started here if it is installed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode=full
if [[ "${1:-}" == "--smoke" ]]; then mode=smoke; shift; fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
if [[ "$mode" == smoke ]]; then
  cargo build --quiet -p hoithi -p hoithi-rush
  exec "$CARGO_TARGET_DIR/debug/hoithi-rush" --smoke "$@"
fi
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
cargo build --quiet --release -p hoithi -p hoithi-rush
exec "$CARGO_TARGET_DIR/release/hoithi-rush" "$@"
