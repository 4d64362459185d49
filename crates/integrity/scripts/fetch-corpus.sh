#!/usr/bin/env bash
# Fetch real Vietnamese text (Debian packages, not committed) for the benchmark generator
# and for tests that use it. Usage: fetch-corpus.sh [DIR]  (default: target-integrity/vi-corpus)
set -euo pipefail
here="$(cd "$(dirname "$0")/../../.." && pwd)"
dir="${1:-$here/target-integrity/vi-corpus}"
if [ -d "$dir/x/usr/share" ]; then
  echo "corpus already in $dir"
  exit 0
fi
mkdir -p "$dir/deb"
dir="$(cd "$dir" && pwd)"  # absolute: the script changes directory below
cd "$dir/deb"
if ! ls ./*.deb >/dev/null 2>&1; then
  apt-get update -qq || true
  apt-get download libreoffice-help-vi manpages-vi maint-guide-vi
fi
for f in ./*.deb; do dpkg-deb -x "$f" "$dir/x"; done
find "$dir/x" -type f -name '*.gz' -exec gunzip -f {} +
echo "corpus extracted to $dir/x"
