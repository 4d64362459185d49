#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the fixtures (scripts/make-fixtures.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fx="${HOITHI_FIXTURES:-$here/../../../target-fixtures/extract}"
[[ -d "$fx" ]] || { echo "no fixtures in $fx: run scripts/make-fixtures.sh first"; exit 0; }
for t in docx odt pdf rtf html txt any; do mkdir -p "$here/corpus/$t"; done
for f in "$fx"/*.docx; do b=$(basename "$f"); { printf '\x02'; unzip -p "$f" word/document.xml; } > "$here/corpus/docx/$b.doc"; { printf '\x00'; unzip -p "$f" word/styles.xml; } > "$here/corpus/docx/$b.sty"; done
for f in "$fx"/*.odt; do b=$(basename "$f"); { printf '\x01'; unzip -p "$f" content.xml; } > "$here/corpus/odt/$b.c"; { printf '\x00'; unzip -p "$f" styles.xml; } > "$here/corpus/odt/$b.s"; done
for t in pdf rtf html txt; do cp "$fx"/*."$t" "$here/corpus/$t/" 2>/dev/null || true; done
cp "$fx"/*.docx "$fx"/*.odt "$fx"/*.rtf "$here/corpus/any/"
