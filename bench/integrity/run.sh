#!/usr/bin/env bash
# Benchmark of hoithi-integrity against peers on one generated corpus.
#   bench/integrity/run.sh [--smoke] [--no-peers] [--real] [ESSAYS] [REFS] [SEED]
# --smoke: 150 essays, our tool only, on both corpora (checks the pipeline end to end;
#          seconds).
# --no-peers: our tool only (for corpora where the peers would take hours).
# --real: the corpus of entries as they come (`integrity-bench gen-real`: shared
#         citations, reference lists, links, document numbers, quoted passages and
#         headings, legacy sentences inside paragraphs) instead of `gen`'s.
# Prints medians of 3 scans per thread count beside the bare tokenizer pass (best of 3).
# Needs: apt (Debian Vietnamese packages, via crates/integrity/scripts/fetch-corpus.sh),
# iconv (glibc), /usr/bin/time; for peers: pip install datasketch copydetect.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
smoke=0; peers=1; gen=gen
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; peers=0; shift ;;
    --no-peers) peers=0; shift ;;
    --real) gen=gen-real; shift ;;
    *) break ;;
  esac
done
if [ $smoke = 1 ] && [ $gen = gen ] && [ -z "${HOITHI_SMOKE_ONE:-}" ]; then
  # The smoke run checks both corpora.
  HOITHI_SMOKE_ONE=1 "$0" --smoke
  HOITHI_SMOKE_ONE=1 exec "$0" --smoke --real
fi
essays="${1:-2000}"; refs="${2:-200}"; seed="${3:-42}"
if [ $smoke = 1 ]; then essays=150; refs=15; fi
target="$root/target-integrity"
corpus="$target/vi-corpus"
out="$target/bench-$gen-$essays-$seed"
"$root/crates/integrity/scripts/fetch-corpus.sh" "$corpus"
if [ -n "${HOITHI_BENCH_BIN:-}" ]; then
  # CI's one debug build (the smoke run checks results, not speed).
  bin="$HOITHI_BENCH_BIN/integrity-bench"
else
  CARGO_TARGET_DIR="$target" cargo build --release -q -p hoithi-integrity --bin integrity-bench
  bin="$target/release/integrity-bench"
fi
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "== generate"
"$bin" "$gen" "$corpus/x" "$out" "$essays" "$refs" "$seed"
# Peak memory and CPU seconds (user + system) from /usr/bin/time -v: the machine is
# shared, so CPU time is the fairer speed figure when it is busy.
if [ -x /usr/bin/time ]; then timev() { /usr/bin/time -v "$@"; }; else
  echo "(no /usr/bin/time: apt-get install time for peak memory)"; timev() { "$@"; }; fi
peak() { [ -s "$1" ] || return 0; awk '/User time/{u=$4} /System time/{s=$4} /Maximum resident/{m=$6} END{printf "peak_MB=%.0f cpu_s=%.2f\n", m/1024, u+s}' "$1"; }
runs=3; [ $smoke = 1 ] && runs=1
field() { sed -n "s|^| |; s|.* $1=\([0-9.]*\).*|\1|p"; }
median() { sort -n | awk '{v[NR]=$1} END{if (NR) print v[int((NR+1)/2)]}'; }
for t in 1 2; do
  : >"$out/scan-$t.log"
  for r in $(seq $runs); do
    echo "== scan threads=$t run=$r"
    timev "$bin" scan "$out" "$t" 2>"$out/time-scan-$t.txt" | tee -a "$out/scan-$t.log"
    peak "$out/time-scan-$t.txt" | tee -a "$out/scan-$t.log"
  done
  echo "== bare tokenizer floor threads=$t"
  "$bin" floor "$out/entries.jsonl" "$t" | tee "$out/floor-$t.log"
  s_mb=$(grep '^scan' "$out/scan-$t.log" | field 'MB/s' | median)
  s_cpu=$(grep '^scan' "$out/scan-$t.log" | field 'MB/cpu_s' | median)
  s_peak=$(grep '^peak' "$out/scan-$t.log" | field peak_MB | median)
  f_mb=$(field 'MB/s' <"$out/floor-$t.log")
  f_cpu=$(field 'MB/cpu_s' <"$out/floor-$t.log")
  echo "== threads=$t: scan median ${s_mb} MB/s (${s_cpu} MB per CPU-s, peak ${s_peak:-?} MB) vs bare tokenizer ${f_mb} MB/s (${f_cpu} MB per CPU-s):" \
    "$(awk -v a="$s_mb" -v b="$f_mb" -v c="$s_cpu" -v d="$f_cpu" 'BEGIN{printf "%.2fx wall, %.2fx CPU", a/b, c/d}')"
done
echo "== quality (ours)"
"$bin" eval "$out" "$out/pairs-t2.jsonl" | tee "$out/eval-ours.txt"
if [ $smoke = 1 ]; then
  # Pair precision 1 on both generated corpora (shared citations, links, numbers and
  # quotes included), every verbatim/NFD/tone/legacy copy of 15+ prose syllables found.
  grep -q "pair_precision=1.0000" "$out/eval-ours.txt" || { echo "smoke: precision below 1"; exit 1; }
  awk '/^recall kind=(Verbatim|Nfd|Tone|Tcvn3|Vni|Tcvn3Inline|VniInline|Whole) syllables=(15-39|>=40)/{split($NF, a, "="); if (a[2] + 0 < 1) bad = 1} END{exit bad}' "$out/eval-ours.txt" \
    || { echo "smoke: a copy of 15+ prose syllables was missed"; exit 1; }
  awk '/^PAN/{split($NF, a, "="); if (a[2] + 0 < 0.9) bad = 1} END{exit bad}' "$out/eval-ours.txt" \
    || { echo "smoke: plagdet below 0.9"; exit 1; }
  echo "== index (smoke)"
  "$bin" index "$corpus/x" "$out/entries.jsonl" 300 50
  exit 0
fi
if [ $peers = 0 ]; then
  echo "peers not run (--no-peers)"
elif python3 -c "import datasketch, copydetect" 2>/dev/null; then
  for thr in 0.5 0.1; do
    echo "== peer datasketch threshold=$thr"
    timev python3 "$root/bench/integrity/peers.py" datasketch "$out" "$out/pairs-datasketch-$thr.jsonl" "$thr" 2>"$out/time-ds.txt"
    peak "$out/time-ds.txt"
    "$bin" eval "$out" "$out/pairs-datasketch-$thr.jsonl" --doc-level
  done
  echo "== peer copydetect"
  timev python3 "$root/bench/integrity/peers.py" copydetect "$out" "$out/pairs-copydetect.jsonl" 2>"$out/time-cd.txt"
  peak "$out/time-cd.txt"
  "$bin" eval "$out" "$out/pairs-copydetect.jsonl" --doc-level
else
  echo "peers skipped: pip install datasketch copydetect"
fi
