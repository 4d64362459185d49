#!/usr/bin/env bash
# Times peer extractors on the large fixtures (median of 5 runs, process start
# included): pandoc for DOCX/ODT/HTML/RTF, pdftotext (poppler) for PDF.
# Usage: bench-peers.sh [FIXTURE_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${HOITHI_FIXTURES:-$here/../../../target-fixtures/extract}}"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() { # prints seconds of the median run
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}
echo "| peer | file | size KiB | median s | MB/s |"
echo "|---|---|---|---|---|"
for f in large-lo.docx large-lo.odt large-lo.html large-lo.rtf; do
  size=$(stat -c %s "$dir/$f")
  t=$(time_cmd pandoc -t plain "$dir/$f")
  printf '| pandoc %s | %s | %.1f | %.3f | %.2f |\n' "$(pandoc --version | head -1 | cut -d' ' -f2)" "$f" "$(echo "$size/1024" | bc -l)" "$t" "$(echo "$size/1000000/$t" | bc -l)"
done
for f in large-lo.pdf; do
  size=$(stat -c %s "$dir/$f")
  t=$(time_cmd pdftotext "$dir/$f" -)
  printf '| pdftotext %s | %s | %.1f | %.3f | %.2f |\n' "$(pdftotext -v 2>&1 | head -1 | cut -d' ' -f3)" "$f" "$(echo "$size/1024" | bc -l)" "$t" "$(echo "$size/1000000/$t" | bc -l)"
done
