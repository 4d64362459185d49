#!/usr/bin/env bash
# Builds the document fixtures of hoithi-extract's tests with real office
# programs: LibreOffice (headless) and pandoc convert source texts into DOCX,
# ODT, PDF, RTF and HTML, including Word files whose runs use the legacy fonts
# .VnTime/.VnTimeH (TCVN3 bytes) and VNI-Times (VNI bytes).
# The Vietnamese text is real: paragraphs of Debian's libreoffice-help-vi (MPL-2.0).
# Output: $HOITHI_FIXTURES or <repo>/target-fixtures/extract (not committed).
# Each fixture NAME.EXT has NAME.expected beside it: one expected paragraph a line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${HOITHI_FIXTURES:-$repo/target-fixtures/extract}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui fonts-dejavu-core)
command -v pandoc >/dev/null || need+=(pandoc)
command -v iconv >/dev/null || need+=(libc-bin)
command -v qpdf >/dev/null || need+=(qpdf)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

python3 -c 'import fontTools' 2>/dev/null || python3 -m pip install -q fonttools

# Real Vietnamese text.
(cd "$work" && apt-get download libreoffice-help-vi >/dev/null 2>&1 && dpkg-deb -x libreoffice-help-vi_*.deb help)
help_dir="$work/help/usr/share/libreoffice/help/vi/text"

python3 "$here/make_fixtures.py" "$help_dir" "$work/src"

cd "$work/src"
mkdir -p "$work/conv"
for src in unicode tcvn3 vni large; do
  for pair in "docx:MS Word 2007 XML:docx" "odt:writer8:odt" "pdf:writer_pdf_Export:pdf" \
              "rtf:Rich Text Format:rtf" "html:HTML (StarWriter):html"; do
    IFS=: read -r ext filter _ <<<"$pair"
    soffice --headless --norestore --convert-to "$ext:$filter" --outdir "$work/conv" "$src.fodt" >/dev/null 2>&1
    mv "$work/conv/$src.$ext" "$out/$src-lo.$ext"
  done
  cp "$src.expected" "$out/$src-lo.expected"
done

# PDFs printed with fonts really named .VnTime, .VnTimeH and VNI-Times (DejaVu
# Serif renamed with fontTools, seen only by this run's fontconfig), so that
# the PDF names them as a Word PDF of a legacy document does.
python3 - "$work/fonts" <<'PY'
import sys, os
from fontTools.ttLib import TTFont
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for family in ['.VnTime', '.VnTimeH', 'VNI-Times']:
    f = TTFont('/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf')
    for rec in f['name'].names:
        if rec.nameID in (1, 4, 16):
            rec.string = family
        elif rec.nameID == 6:
            rec.string = family.lstrip('.')
    f.save(os.path.join(out, family.lstrip('.') + '.ttf'))
PY
cat > "$work/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>$work/fonts</dir><cachedir>$work/fc-cache</cachedir></fontconfig>
CONF
FONTCONFIG_FILE="$work/fonts.conf" soffice -env:UserInstallation="file://$work/lo-profile" --headless --norestore \
  --convert-to pdf:writer_pdf_Export --outdir "$work/conv" tcvn3pdf.fodt vni.fodt >/dev/null 2>&1
mv "$work/conv/tcvn3pdf.pdf" "$out/tcvn3-font.pdf"; cp tcvn3pdf.expected "$out/tcvn3-font.expected"
mv "$work/conv/vni.pdf" "$out/vni-font.pdf"; cp vni.expected "$out/vni-font.expected"
soffice --headless --norestore --convert-to pdf:writer_pdf_Export --outdir "$work/conv" tcvn3sub.fodt >/dev/null 2>&1
mv "$work/conv/tcvn3sub.pdf" "$out/tcvn3-sub.pdf"; cp tcvn3sub.expected "$out/tcvn3-sub.expected"
rm -f "$out/tcvn3-lo.pdf"

# Encrypted PDFs: owner password only (opens without a password), and a user password.
qpdf --encrypt "" owner-secret 256 -- "$out/unicode-lo.pdf" "$out/unicode-ownerpw.pdf"
cp unicode.expected "$out/unicode-ownerpw.expected"
qpdf --encrypt user-secret owner-secret 256 -- "$out/unicode-lo.pdf" "$out/locked-userpw.pdf"

# pandoc, a second producer of DOCX/ODT/HTML/RTF.
for ext in docx odt html rtf; do
  pandoc -s --metadata title=x -f markdown -t "$ext" -o "$out/unicode-pandoc.$ext" unicode.md
done
# pandoc adds the title as a first paragraph.
{ echo x; cat unicode.expected; } > "$out/unicode-pandoc.expected"

# Plain text in several encodings.
cp unicode.txt "$out/text-utf8.txt"
pandoc -f markdown -t plain -o "$out/large.txt" large.md; cp large.expected "$out/large.expected"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE unicode.txt; } > "$out/text-utf16le.txt"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE unicode.txt; } > "$out/text-utf16be.txt"
iconv -f UTF-8 -t CP1258 unicode.txt > "$out/text-cp1258.txt"
cp tcvn3.txt "$out/text-tcvn3.txt"
for t in utf8 utf16le utf16be cp1258; do cp unicode.expected "$out/text-$t.expected"; done
cp tcvn3.txt.expected "$out/text-tcvn3.expected"

echo "fixtures in $out:"
ls "$out"
