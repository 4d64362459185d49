#!/usr/bin/env bash
# Runs every fuzz target for SECS seconds (default 60) on a seeded corpus.
# Needs cargo-fuzz; works on stable through RUSTC_BOOTSTRAP=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-60}"
cd "$here"
bash seed-corpus.sh
RUSTC_BOOTSTRAP=1 cargo fuzz build -O
for t in docx odt pdf rtf html txt any; do
  echo "== $t ($secs s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -3
done
