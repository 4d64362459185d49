#!/usr/bin/env python3
"""Writes the fixture sources of hoithi-extract: flat ODT (.fodt) documents for
LibreOffice, Markdown for pandoc, plain text, and NAME.expected files (one
paragraph a line, Unicode NFC as the source had it).

Usage: make_fixtures.py HELP_TEXT_DIR OUT_DIR
HELP_TEXT_DIR is .../help/vi/text of Debian's libreoffice-help-vi (MPL-2.0).
The TCVN3 and VNI tables below are typed from the standards (TCVN 5712:1993
VN3; VNI Windows), independently of hoithi-text's decoder that the tests check.
"""
import glob
import html
import os
import re
import sys
import unicodedata
from xml.sax.saxutils import escape

TCVN3 = {
    'à': 0xB5, 'ả': 0xB6, 'ã': 0xB7, 'á': 0xB8, 'ạ': 0xB9,
    'ă': 0xA8, 'ằ': 0xBB, 'ẳ': 0xBC, 'ẵ': 0xBD, 'ắ': 0xBE, 'ặ': 0xC6,
    'â': 0xA9, 'ầ': 0xC7, 'ẩ': 0xC8, 'ẫ': 0xC9, 'ấ': 0xCA, 'ậ': 0xCB,
    'đ': 0xAE,
    'è': 0xCC, 'ẻ': 0xCE, 'ẽ': 0xCF, 'é': 0xD0, 'ẹ': 0xD1,
    'ê': 0xAA, 'ề': 0xD2, 'ể': 0xD3, 'ễ': 0xD4, 'ế': 0xD5, 'ệ': 0xD6,
    'ì': 0xD7, 'ỉ': 0xD8, 'ĩ': 0xDC, 'í': 0xDD, 'ị': 0xDE,
    'ò': 0xDF, 'ỏ': 0xE1, 'õ': 0xE2, 'ó': 0xE3, 'ọ': 0xE4,
    'ô': 0xAB, 'ồ': 0xE5, 'ổ': 0xE6, 'ỗ': 0xE7, 'ố': 0xE8, 'ộ': 0xE9,
    'ơ': 0xAC, 'ờ': 0xEA, 'ở': 0xEB, 'ỡ': 0xEC, 'ớ': 0xED, 'ợ': 0xEE,
    'ù': 0xEF, 'ủ': 0xF1, 'ũ': 0xF2, 'ú': 0xF3, 'ụ': 0xF4,
    'ư': 0xAD, 'ừ': 0xF5, 'ử': 0xF6, 'ữ': 0xF7, 'ứ': 0xF8, 'ự': 0xF9,
    'ỳ': 0xFA, 'ỷ': 0xFB, 'ỹ': 0xFC, 'ý': 0xFD, 'ỵ': 0xFE,
    'Ă': 0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6, 'Đ': 0xA7,
}

# VNI: tone marks after the vowel; letter marks combined with tones.
VNI_TONE = {'\u0301': 'ù', '\u0300': 'ø', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï'}
VNI_CIRC = {None: 'â', '\u0301': 'á', '\u0300': 'à', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä'}
VNI_BREVE = {None: 'ê', '\u0301': 'é', '\u0300': 'è', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë'}
VNI_I = {'\u0300': 'ì', '\u0309': 'æ', '\u0303': 'ó', '\u0301': 'í', '\u0323': 'ò'}


def tcvn3(text, caps=False):
    out = []
    for c in text:
        if caps and c.isupper() and not c.isascii():
            c = c.lower()
        if c.isascii():
            out.append(c)
        elif c in TCVN3:
            out.append(chr(TCVN3[c]))
        else:
            return None
    return ''.join(out)


def vni_char(c):
    if c.isascii():
        return c
    upper = c.isupper()
    low = c.lower()
    d = unicodedata.normalize('NFD', low)
    base, marks = d[0], d[1:]
    tone = next((m for m in marks if m in VNI_TONE), None)
    letter = next((m for m in marks if m in ('\u0302', '\u0306', '\u031b')), None)
    if low == 'đ':
        s = 'ñ'
    elif base == 'i' and tone and not letter:
        s = VNI_I[tone]
    elif base == 'y' and tone == '\u0323' and not letter:
        s = 'î'
    elif letter == '\u031b':  # horn: ơ ư are single characters
        s = ('ô' if base == 'o' else 'ö') + (VNI_TONE[tone] if tone else '')
    elif letter == '\u0302':
        s = base + VNI_CIRC[tone]
    elif letter == '\u0306':
        s = base + VNI_BREVE[tone]
    elif tone and base in 'aeiouy':
        s = base + VNI_TONE[tone]
    else:
        return None
    return s.upper() if upper else s


def vni(text):
    out = []
    for c in text:
        v = vni_char(c)
        if v is None:
            return None
        out.append(v)
    return ''.join(out)


VIET = set('ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđăâêôơư')


def paragraphs(help_dir):
    seen = set()
    for f in sorted(glob.glob(os.path.join(help_dir, 'swriter/guide/*.html'))
                    + glob.glob(os.path.join(help_dir, 'shared/guide/*.html'))):
        s = open(f, encoding='utf-8').read()
        for p in re.findall(r'<p[^>]*>(.*?)</p>', s, re.S):
            t = html.unescape(re.sub(r'<[^>]+>', '', p))
            t = unicodedata.normalize('NFC', ' '.join(t.split()))
            if not (60 <= len(t) <= 400) or t in seen:
                continue
            if sum(c in VIET for c in t.lower()) < 8:
                continue
            if any(ord(c) > 0x2000 for c in t):
                continue
            seen.add(t)
            yield t


FODT_HEAD = '''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><meta:initial-creator>Nguyễn Văn Tác Giả</meta:initial-creator><dc:creator>Nguyễn Văn Tác Giả</dc:creator><dc:title>Bài dự thi</dc:title></office:meta>
 <office:font-face-decls>
  <style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'"/>
  <style:font-face style:name=".VnTime" svg:font-family="'.VnTime'"/>
  <style:font-face style:name=".VnTimeH" svg:font-family="'.VnTimeH'"/>
  <style:font-face style:name="VNI-Times" svg:font-family="'VNI-Times'"/>
 </office:font-face-decls>
 <office:automatic-styles>
  <style:style style:name="U" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties style:font-name="Times New Roman" fo:font-size="12pt"/></style:style>
  <style:style style:name="T3" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties style:font-name=".VnTime" fo:font-size="12pt"/></style:style>
  <style:style style:name="T3H" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties style:font-name=".VnTimeH" fo:font-size="14pt"/></style:style>
  <style:style style:name="V" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties style:font-name="VNI-Times" fo:font-size="12pt"/></style:style>
  <style:style style:name="SU" style:family="text"><style:text-properties style:font-name="Times New Roman"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
'''
FODT_TAIL = ' </office:text></office:body>\n</office:document>\n'


def para(style, text, span=None):
    body = escape(text)
    if span:
        body += '<text:span text:style-name="SU">' + escape(span) + '</text:span>'
    return f'  <text:p text:style-name="{style}">{body}</text:p>\n'


def write(path, text, encoding='utf-8'):
    with open(path, 'w', encoding=encoding, newline='\n') as f:
        f.write(text)


def main():
    help_dir, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    ps = list(paragraphs(help_dir))
    if len(ps) < 80:
        sys.exit(f'only {len(ps)} paragraphs found in {help_dir}')
    unicode_ps = ps[:30]
    rest = ps[30:]
    t3 = [p for p in rest if tcvn3(p) is not None][:12]
    rest = [p for p in rest if p not in t3]
    vn = [p for p in rest if vni(p) is not None][:12]

    # Unicode document.
    write(f'{out}/unicode.fodt', FODT_HEAD + ''.join(para('U', p) for p in unicode_ps) + FODT_TAIL)
    write(f'{out}/unicode.md', '\n\n'.join(p.replace('*', r'\*').replace('_', r'\_') for p in unicode_ps) + '\n')
    write(f'{out}/unicode.txt', '\n'.join(unicode_ps) + '\n')
    write(f'{out}/unicode.expected', '\n'.join(unicode_ps) + '\n')

    # A long document (~100 pages) for speed measurements.
    big = [p for _ in range(40) for p in unicode_ps]
    write(f'{out}/large.fodt', FODT_HEAD + ''.join(para('U', p) for p in big) + FODT_TAIL)
    write(f'{out}/large.expected', '\n'.join(big) + '\n')
    write(f'{out}/large.md', '\n\n'.join(p.replace('*', r'\*').replace('_', r'\_') for p in big) + '\n')

    # TCVN3: a capitals heading in .VnTimeH, body in .VnTime, one Unicode
    # paragraph, and one .VnTime paragraph ending with a Unicode span.
    heading = 'HƯỚNG DẪN SỬ DỤNG TRÌNH SOẠN THẢO VĂN BẢN'
    body = [para('T3H', tcvn3(heading, caps=True))]
    expected = [heading]
    for i, p in enumerate(t3):
        if i == 4:
            body.append(para('U', unicode_ps[0]))
            expected.append(unicode_ps[0])
        if i == 6:
            body.append(para('T3', tcvn3(p), span=' (Việt Nam)'))
            expected.append(p + ' (Việt Nam)')
        else:
            body.append(para('T3', tcvn3(p)))
            expected.append(p)
    write(f'{out}/tcvn3.fodt', FODT_HEAD + ''.join(body) + FODT_TAIL)
    write(f'{out}/tcvn3.expected', '\n'.join(expected) + '\n')
    # Legacy plain text: TCVN3 bytes, one paragraph a line.
    write(f'{out}/tcvn3.txt', '\n'.join(tcvn3(p) for p in t3) + '\n', encoding='latin-1')
    write(f'{out}/tcvn3.txt.expected', '\n'.join(t3) + '\n')

    # PDF variants. LibreOffice does not draw U+00AD (TCVN3's "ư") in PDF, so
    # these use paragraphs without it. tcvn3pdf is printed with fonts really
    # named .VnTime/.VnTimeH (renamed DejaVu, see make-fixtures.sh); tcvn3sub
    # where they are missing, so the PDF names a substitute font.
    no_u = [p for p in ps[30:] if tcvn3(p) is not None and '\xad' not in tcvn3(p)][:8]
    pdf_heading = 'TRÌNH SOẠN THẢO VĂN BẢN'
    body = [para('T3H', tcvn3(pdf_heading, caps=True))] + [para('T3', tcvn3(p)) for p in no_u[:4]]
    body += [para('U', unicode_ps[2])] + [para('T3', tcvn3(p)) for p in no_u[4:]]
    write(f'{out}/tcvn3pdf.fodt', FODT_HEAD + ''.join(body) + FODT_TAIL)
    write(f'{out}/tcvn3pdf.expected', '\n'.join([pdf_heading] + no_u[:4] + [unicode_ps[2]] + no_u[4:]) + '\n')
    body = [para('T3', tcvn3(p)) for p in no_u]
    write(f'{out}/tcvn3sub.fodt', FODT_HEAD + ''.join(body) + FODT_TAIL)
    write(f'{out}/tcvn3sub.expected', '\n'.join(no_u) + '\n')

    # VNI.
    body, expected = [], []
    for i, p in enumerate(vn):
        if i == 3:
            body.append(para('U', unicode_ps[1]))
            expected.append(unicode_ps[1])
        body.append(para('V', vni(p)))
        expected.append(p)
    write(f'{out}/vni.fodt', FODT_HEAD + ''.join(body) + FODT_TAIL)
    write(f'{out}/vni.expected', '\n'.join(expected) + '\n')
    print(f'{len(unicode_ps)} unicode, {len(t3)} tcvn3, {len(vn)} vni paragraphs')


if __name__ == '__main__':
    main()
