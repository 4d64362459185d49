//! Legacy Vietnamese encodings stored as Latin-1 look-alike characters.
//!
//! Old Word files and PDFs typed with TCVN3 (ABC) or VNI fonts hold code points
//! U+0080..U+00FF whose glyphs in those fonts are Vietnamese letters. `decode`
//! turns such text into Unicode; `encode` is its inverse (for tests and fixtures).

use crate::chars::{self, Vowel};
use crate::spell;
use std::sync::LazyLock;

/// A legacy Vietnamese encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Legacy {
    /// TCVN 5712:1993 VN3 ("ABC"), fonts `.VnTime`, `.VnArial`, ...
    Tcvn3,
    /// TCVN3 capitals fonts (`.VnTimeH`, `.VnArialH`): same code points, every glyph upper case.
    Tcvn3Caps,
    /// VNI Windows, fonts `VNI-Times`, `VNI-Helve`, ...: base letter followed by mark bytes.
    Vni,
    /// VIQR (RFC 1456) ASCII notation, `Vie^.t Nam`. Never detected by content.
    Viqr,
}

/// TCVN3 code point -> Unicode letter. Lower case letters plus the seven
/// untoned capitals; toned capitals exist only in the `...H` fonts.
const TCVN3: &[(u8, char)] = &[
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

/// VNI mark characters that follow a base vowel: (lower, upper, letter mark, tone).
/// Letter mark: 0 none, 1 circumflex, 2 breve.
const VNI_MARKS: [(char, char, u8, u8); 17] = [
    ('ø', 'Ø', 0, 1),
    ('û', 'Û', 0, 2),
    ('õ', 'Õ', 0, 3),
    ('ù', 'Ù', 0, 4),
    ('ï', 'Ï', 0, 5),
    ('â', 'Â', 1, 0),
    ('à', 'À', 1, 1),
    ('å', 'Å', 1, 2),
    ('ã', 'Ã', 1, 3),
    ('á', 'Á', 1, 4),
    ('ä', 'Ä', 1, 5),
    ('ê', 'Ê', 2, 0),
    ('è', 'È', 2, 1),
    ('ú', 'Ú', 2, 2),
    ('ü', 'Ü', 2, 3),
    ('é', 'É', 2, 4),
    ('ë', 'Ë', 2, 5),
];

/// VNI characters that stand alone for a whole letter: (lower, upper, letter).
const VNI_SINGLE: [(char, char, char); 9] = [
    ('ô', 'Ô', 'ơ'),
    ('ö', 'Ö', 'ư'),
    ('ñ', 'Ñ', 'đ'),
    ('ì', 'Ì', 'ì'),
    ('æ', 'Æ', 'ỉ'),
    ('ó', 'Ó', 'ĩ'),
    ('í', 'Í', 'í'),
    ('ò', 'Ò', 'ị'),
    ('î', 'Î', 'ỵ'),
];

struct Maps {
    tcvn3_decode: [char; 256],
    /// Unicode letter -> TCVN3 character, for `encode`.
    tcvn3_encode: std::collections::HashMap<char, char>,
}

static MAPS: LazyLock<Maps> = LazyLock::new(|| {
    let mut tcvn3_decode = ['\0'; 256];
    let mut tcvn3_encode = std::collections::HashMap::new();
    for &(b, c) in TCVN3.iter() {
        tcvn3_decode[usize::from(b)] = c;
        tcvn3_encode.insert(c, char::from(b));
    }
    Maps {
        tcvn3_decode,
        tcvn3_encode,
    }
});

/// Maps a font name to the legacy encoding its glyphs imply.
///
/// Accepts DOCX `w:rFonts` names and PDF base font names, with or without the
/// `ABCDEF+` subset tag and style suffixes (`,Bold`, `-Italic`).
pub fn from_font_name(font: &str) -> Option<Legacy> {
    let mut name = font.trim();
    // PDF subset tag: six upper-case ASCII letters and '+'.
    if let Some((tag, rest)) = name.split_once('+')
        && tag.len() == 6
        && tag.bytes().all(|b| b.is_ascii_uppercase())
    {
        name = rest;
    }
    let name = name.split(',').next().unwrap_or(name).trim();
    let family = strip_style(name);
    let lower = family.to_ascii_lowercase();
    let caps = family.ends_with('H');
    if let Some(rest) = lower.strip_prefix(".vn") {
        if rest.is_empty() {
            return None;
        }
        return Some(if caps {
            Legacy::Tcvn3Caps
        } else {
            Legacy::Tcvn3
        });
    }
    if let Some(rest) = lower.strip_prefix("vni") {
        let orig_next = family.get(3..).and_then(|s| s.chars().next());
        let ok = match rest.chars().next() {
            None => false,
            Some('-' | '_' | ' ') => true,
            Some(_) => orig_next.is_some_and(|c| c.is_ascii_uppercase()),
        };
        return ok.then_some(Legacy::Vni);
    }
    // PDF producers sometimes drop the leading dot of TCVN3 names.
    if let Some(rest) = lower.strip_prefix("vn") {
        const STEMS: [&str; 16] = [
            "time",
            "arial",
            "avant",
            "bodoni",
            "book",
            "century",
            "clarendon",
            "cooper",
            "courier",
            "free",
            "goudy",
            "helve",
            "linus",
            "souvenir",
            "swiss",
            "univers",
        ];
        if STEMS.iter().any(|s| rest.starts_with(s)) {
            return Some(if caps {
                Legacy::Tcvn3Caps
            } else {
                Legacy::Tcvn3
            });
        }
    }
    None
}

fn strip_style(mut name: &str) -> &str {
    const SUFFIXES: [&str; 10] = [
        "-bolditalic",
        "-boldoblique",
        "-bold",
        "-italic",
        "-oblique",
        "-regular",
        " bold",
        " italic",
        " regular",
        "-roman",
    ];
    loop {
        let lower = name.to_ascii_lowercase();
        let Some(s) = SUFFIXES.iter().find(|s| lower.ends_with(*s)) else {
            return name.trim_end();
        };
        match name.get(..name.len() - s.len()) {
            Some(shorter) => name = shorter,
            None => return name.trim_end(),
        }
    }
}

/// One decoded character: the output char, the byte offset of the first input
/// char it came from, and whether it is that input char unchanged.
pub(crate) fn decode_each(text: &str, enc: Legacy, mut emit: impl FnMut(char, usize, bool)) {
    match enc {
        Legacy::Tcvn3 | Legacy::Tcvn3Caps => {
            let caps = enc == Legacy::Tcvn3Caps;
            for (i, c) in text.char_indices() {
                let mapped = tcvn3_char(c);
                let out = if caps { upper_one(mapped) } else { mapped };
                emit(out, i, out == c);
            }
        }
        Legacy::Vni => decode_vni(text, emit),
        Legacy::Viqr => decode_viqr(text, emit),
    }
}

fn tcvn3_char(c: char) -> char {
    let code = c as usize;
    if (0xA1..=0xFE).contains(&code) {
        let m = MAPS.tcvn3_decode[code];
        if m != '\0' {
            return m;
        }
    }
    c
}

/// Upper case of a single char when it maps to a single char (all Vietnamese letters do).
fn upper_one(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn vni_mark(c: char) -> Option<(u8, u8, bool)> {
    VNI_MARKS.iter().find_map(|&(lo, up, mark, tone)| {
        if c == lo {
            Some((mark, tone, false))
        } else if c == up {
            Some((mark, tone, true))
        } else {
            None
        }
    })
}

fn vni_single(c: char) -> Option<char> {
    VNI_SINGLE.iter().find_map(|&(lo, up, letter)| {
        if c == lo {
            Some(letter)
        } else if c == up {
            Some(upper_one(letter))
        } else {
            None
        }
    })
}

/// Base index (into `chars::VOWEL_BASES`) and case of a VNI base letter.
fn vni_base(c: char) -> Option<(u8, bool)> {
    let (base, upper) = match c {
        'a' => (0, false),
        'A' => (0, true),
        'e' => (3, false),
        'E' => (3, true),
        'o' => (6, false),
        'O' => (6, true),
        'u' => (9, false),
        'U' => (9, true),
        'y' => (11, false),
        'Y' => (11, true),
        'ô' => (8, false),
        'Ô' => (8, true),
        'ö' => (10, false),
        'Ö' => (10, true),
        _ => return None,
    };
    Some((base, upper))
}

fn decode_vni(text: &str, mut emit: impl FnMut(char, usize, bool)) {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if let Some((base, upper)) = vni_base(c)
            && let Some(&(_, next)) = it.peek()
            && let Some((mark, tone, _)) = vni_mark(next)
        {
            let new_base = match (base, mark) {
                (_, 0) => Some(base),
                (0, 1) => Some(2),
                (3, 1) => Some(4),
                (6, 1) => Some(7),
                (0, 2) => Some(1),
                _ => None,
            };
            if let Some(b) = new_base {
                it.next();
                emit(
                    chars::compose(Vowel {
                        base: b,
                        tone,
                        upper,
                    }),
                    i,
                    false,
                );
                continue;
            }
        }
        match vni_single(c) {
            Some(letter) => emit(letter, i, letter == c),
            None => emit(c, i, true),
        }
    }
}

const VIQR_TONES: [char; 5] = ['`', '?', '~', '\'', '.'];

fn decode_viqr(text: &str, mut emit: impl FnMut(char, usize, bool)) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while let Some(&(i, c)) = chars.get(k) {
        let next = chars.get(k + 1).map(|&(_, c)| c);
        if c == '\\'
            && let Some(n) = next
            && (VIQR_TONES.contains(&n) || matches!(n, '^' | '(' | '+' | 'd' | 'D' | '\\'))
        {
            emit(n, i, false);
            k += 2;
            continue;
        }
        if matches!(c, 'd' | 'D') && matches!(next, Some('d' | 'D')) {
            emit(if c == 'D' { 'Đ' } else { 'đ' }, i, false);
            k += 2;
            continue;
        }
        let Some(v) = chars::vowel(c).filter(|v| v.tone == 0) else {
            emit(c, i, true);
            k += 1;
            continue;
        };
        let mut base = v.base;
        let mut used = 1;
        let mut letter = chars.get(k + used).map(|&(_, c)| c);
        let marked = match (base, letter) {
            (0, Some('(')) => Some(1),
            (0, Some('^')) => Some(2),
            (3, Some('^')) => Some(4),
            (6, Some('^')) => Some(7),
            (6, Some('+')) => Some(8),
            (9, Some('+')) => Some(10),
            _ => None,
        };
        if let Some(b) = marked {
            base = b;
            used += 1;
            letter = chars.get(k + used).map(|&(_, c)| c);
        }
        let mut tone = 0;
        if let Some(t) = letter.and_then(|l| VIQR_TONES.iter().position(|&x| x == l)) {
            // '?' and '.' are punctuation unless a letter follows (RFC 1456 escapes the rest).
            let after = chars.get(k + used + 1).map(|&(_, c)| c);
            let is_tone = !matches!(t, 1 | 4) || after.is_some_and(char::is_alphabetic);
            if is_tone {
                tone = u8::try_from(t + 1).unwrap_or(0);
                used += 1;
            }
        }
        let out = chars::compose(Vowel {
            base,
            tone,
            upper: v.upper,
        });
        emit(out, i, used == 1);
        k += used;
    }
}

/// Decodes legacy look-alike text into Unicode (not yet NFC-normalized or cleaned).
pub fn decode(text: &str, enc: Legacy) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    decode_each(text, enc, |c, _, _| out.push(c));
    out
}

/// Encodes Unicode text (NFC) into the legacy form; `None` when some character
/// cannot be represented or would be read back as something else.
pub fn encode(text: &str, enc: Legacy) -> Option<String> {
    let mut out = String::with_capacity(text.len() * 2);
    match enc {
        Legacy::Tcvn3 | Legacy::Tcvn3Caps => {
            for c in text.chars() {
                let c = if enc == Legacy::Tcvn3Caps {
                    // Only text that decoding (which upper-cases) gives back: no lower or title case.
                    if upper_one(c) != c {
                        return None;
                    }
                    let mut lo = c.to_lowercase();
                    match (lo.next(), lo.next()) {
                        (Some(l), None) if !l.is_ascii() => l,
                        _ => c,
                    }
                } else {
                    c
                };
                if let Some(&e) = MAPS.tcvn3_encode.get(&c) {
                    out.push(e);
                } else if tcvn3_char(c) != c
                    || is_vietnamese_special(c)
                    || (!c.is_ascii() && chars::vowel(c).is_some())
                {
                    return None;
                } else {
                    out.push(c);
                }
            }
        }
        Legacy::Vni => {
            for c in text.chars() {
                if let Some(v) = chars::vowel(c) {
                    push_vni_vowel(&mut out, v);
                } else if c == 'đ' {
                    out.push('ñ');
                } else if c == 'Đ' {
                    out.push('Ñ');
                } else if vni_mark(c).is_some()
                    || vni_single(c).is_some()
                    || is_vietnamese_special(c)
                {
                    return None;
                } else {
                    out.push(c);
                }
            }
        }
        Legacy::Viqr => {
            let mut prev: Option<char> = None;
            for c in text.chars() {
                if let Some(v) = chars::vowel(c) {
                    push_viqr_vowel(&mut out, v);
                } else if c == 'đ' {
                    out.push_str("dd");
                } else if c == 'Đ' {
                    out.push_str("DD");
                } else if is_vietnamese_special(c) {
                    return None;
                } else {
                    // Escape what the decoder would otherwise read as a mark.
                    let after_vowel = prev.is_some_and(|p| chars::vowel(p).is_some());
                    let after_d = matches!(prev, Some('d' | 'D'));
                    let escape = c == '\\'
                        || (after_vowel
                            && (VIQR_TONES.contains(&c) || matches!(c, '^' | '(' | '+')))
                        || (after_d && matches!(c, 'd' | 'D'));
                    if escape {
                        out.push('\\');
                    }
                    out.push(c);
                }
                prev = Some(c);
            }
        }
    }
    Some(out)
}

/// Characters of Vietnamese that the legacy tables cannot represent on their own
/// (combining marks): refuse them instead of producing wrong text.
fn is_vietnamese_special(c: char) -> bool {
    chars::is_tone_mark(c) || chars::is_letter_mark(c)
}

fn push_vni_vowel(out: &mut String, v: Vowel) {
    let (letter, mark): (char, u8) = match v.base {
        0 => ('a', 0),
        1 => ('a', 2),
        2 => ('a', 1),
        3 => ('e', 0),
        4 => ('e', 1),
        6 => ('o', 0),
        7 => ('o', 1),
        8 => ('ô', 0),
        9 => ('u', 0),
        10 => ('ö', 0),
        11 if v.tone == 5 => {
            out.push(if v.upper { 'Î' } else { 'î' });
            return;
        }
        11 => ('y', 0),
        _ => {
            // i: standalone code points for the toned forms.
            let c = match v.tone {
                0 => 'i',
                1 => 'ì',
                2 => 'æ',
                3 => 'ó',
                4 => 'í',
                _ => 'ò',
            };
            out.push(if v.upper { upper_one(c) } else { c });
            return;
        }
    };
    out.push(if v.upper { upper_one(letter) } else { letter });
    if mark == 0 && v.tone == 0 {
        return;
    }
    if let Some(&(lo, up, _, _)) = VNI_MARKS.iter().find(|m| m.2 == mark && m.3 == v.tone) {
        out.push(if v.upper { up } else { lo });
    }
}

fn push_viqr_vowel(out: &mut String, v: Vowel) {
    let (letter, mark) = match v.base {
        0 => ('a', None),
        1 => ('a', Some('(')),
        2 => ('a', Some('^')),
        3 => ('e', None),
        4 => ('e', Some('^')),
        5 => ('i', None),
        6 => ('o', None),
        7 => ('o', Some('^')),
        8 => ('o', Some('+')),
        9 => ('u', None),
        10 => ('u', Some('+')),
        _ => ('y', None),
    };
    out.push(if v.upper {
        letter.to_ascii_uppercase()
    } else {
        letter
    });
    if let Some(m) = mark {
        out.push(m);
    }
    if v.tone > 0 {
        out.push(VIQR_TONES[usize::from(v.tone - 1) % 5]);
    }
}

/// Statistics of one trial decoding, used by [`detect`].
#[derive(Debug, Default, Clone, Copy)]
struct Trial {
    /// Tokens that the decoding changes.
    affected: usize,
    /// Of those, tokens whose decoded letters are all valid Vietnamese syllables.
    decoded_valid: usize,
    /// Of those, tokens that were already valid Vietnamese before decoding.
    orig_valid: usize,
}

/// True when `c` is a Latin-1 character that a legacy encoding uses but
/// Unicode Vietnamese text does not need (so its presence hints at legacy text).
pub(crate) fn is_legacy_suspect(c: char) -> bool {
    let code = c as u32;
    (0x80..=0xFF).contains(&code) && code != 0xA0 && chars::vowel(c).is_none()
}

fn all_runs_valid(s: &str) -> bool {
    let mut any = false;
    for run in s
        .split(|c: char| !c.is_alphabetic())
        .filter(|r| !r.is_empty())
    {
        any = true;
        if !spell::is_valid_syllable(run) {
            return false;
        }
    }
    any
}

fn trial(text: &str, enc: Legacy) -> Trial {
    let mut t = Trial::default();
    for token in text.split_whitespace() {
        // Evidence needs a Latin-1 character next to an ASCII letter ("1×2" or a lone "é" says nothing).
        if !token.chars().any(|c| (0x80..=0xFF).contains(&(c as u32)))
            || !token.chars().any(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let dec = decode(token, enc);
        if dec == token {
            continue;
        }
        t.affected += 1;
        // A Latin-1 letter left over means the decoding did not explain the token.
        let leftover = dec
            .chars()
            .any(|c| is_legacy_suspect(c) && c.is_alphabetic());
        if !leftover && all_runs_valid(&dec) {
            t.decoded_valid += 1;
        }
        // Valid as it stands: Latin-1 characters are all letters and every run is a syllable.
        let latin1_letters_only = token
            .chars()
            .all(|c| !is_legacy_suspect(c) || c.is_alphabetic());
        if latin1_letters_only && all_runs_valid(token) {
            t.orig_valid += 1;
        }
    }
    t
}

/// Token statistics that decide whether trial decoding is worth running.
/// Tokens are split at ASCII spaces and line breaks.
#[derive(Clone, Copy, Debug, Default)]
#[cfg_attr(test, derive(PartialEq, Eq))]
pub(crate) struct Census {
    /// Tokens with an ASCII letter and a Latin-1 character.
    latin1_tokens: usize,
    /// Of those, tokens with a character that Unicode Vietnamese does not use.
    suspect_tokens: usize,
    /// Tokens with Unicode-only Vietnamese letters or combining marks.
    unicode_vn: usize,
    alpha: bool,
    latin1: bool,
    suspect: bool,
    vn: bool,
}

impl Census {
    #[inline]
    fn end_token(&mut self) {
        if self.alpha && self.latin1 {
            self.latin1_tokens += 1;
            self.suspect_tokens += usize::from(self.suspect);
        }
        self.unicode_vn += usize::from(self.vn);
        (self.alpha, self.latin1, self.suspect, self.vn) = (false, false, false, false);
    }

    #[inline]
    pub(crate) fn ascii(&mut self, b: u8) {
        match b {
            b' ' | b'\n' | b'\r' | b'\t' => self.end_token(),
            b'a'..=b'z' | b'A'..=b'Z' => self.alpha = true,
            _ => {}
        }
    }

    #[inline]
    pub(crate) fn non_ascii(&mut self, c: char) {
        if (c as u32) <= 0xFF {
            self.latin1 = true;
            self.suspect |= is_legacy_suspect(c);
        } else if chars::vowel(c).is_some()
            || matches!(c, 'đ' | 'Đ')
            || chars::is_tone_mark(c)
            || chars::is_letter_mark(c)
        {
            self.vn = true;
        }
    }

    pub(crate) fn finish(mut self) -> Self {
        self.end_token();
        self
    }

    /// True when no trial decoding can succeed.
    pub(crate) fn rules_out_legacy(&self) -> bool {
        self.suspect_tokens < 2 || self.unicode_vn * 4 > self.latin1_tokens
    }
}

/// The full census: one pass over every character. The oracle for [`census_unless_ruled_out`].
#[cfg(test)]
fn census(text: &str) -> Census {
    let mut c = Census::default();
    for ch in text.chars() {
        if ch.is_ascii() {
            c.ascii(ch as u8);
        } else {
            c.non_ascii(ch);
        }
    }
    c.finish()
}

/// The census of `text`, or `None` when a prefix already proves that the full
/// census would rule legacy text out ([`Census::rules_out_legacy`]).
///
/// The Latin-1 characters of `text` (counted by their UTF-8 lead bytes C2 and C3,
/// a vectorized pass) bound both `latin1_tokens` and `suspect_tokens` from above,
/// and `unicode_vn` only grows as the scan goes on. So fewer than two Latin-1
/// characters rule legacy text out at once, and the scan stops as soon as
/// `unicode_vn * 4` exceeds their count: on Unicode Vietnamese with a few ©, « or »
/// that happens within the first words instead of after the whole text.
fn census_unless_ruled_out(text: &str) -> Option<Census> {
    // Counted in u8 over blocks of 255 bytes, so that the count vectorizes.
    let latin1_chars: usize = text
        .as_bytes()
        .chunks(255)
        .map(|block| {
            let n = block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b & 0xFE == 0xC2)));
            usize::from(n)
        })
        .sum();
    if latin1_chars < 2 {
        return None;
    }
    let mut c = Census::default();
    for ch in text.chars() {
        if ch.is_ascii() {
            c.ascii(ch as u8);
            if c.unicode_vn * 4 > latin1_chars {
                return None;
            }
        } else {
            c.non_ascii(ch);
        }
    }
    Some(c.finish())
}

/// Detects TCVN3 or VNI look-alike text by content.
///
/// Decodes every token that holds Latin-1 characters and accepts an encoding only
/// when nearly all such tokens become valid Vietnamese syllables while few of them
/// were valid before. Spanish, French and German words fail this test because their
/// accented letters decode to impossible syllables.
pub fn detect(text: &str) -> Option<Legacy> {
    detect_with(text, &census_unless_ruled_out(text)?)
}

/// [`detect`] with the token census already taken (normalization takes it in its own scan).
pub(crate) fn detect_with(text: &str, census: &Census) -> Option<Legacy> {
    // Most texts are ruled out without any trial decoding.
    if census.rules_out_legacy() {
        return None;
    }
    let unicode_vn = census.unicode_vn;
    let mut best: Option<(Legacy, Trial)> = None;
    for enc in [Legacy::Tcvn3, Legacy::Vni] {
        let t = trial(text, enc);
        let ok = t.affected >= 2
            && t.decoded_valid * 100 >= t.affected * 85
            && t.orig_valid * 10 <= t.affected * 6
            && unicode_vn * 4 <= t.decoded_valid;
        if ok && best.is_none_or(|(_, b)| t.decoded_valid > b.decoded_valid) {
            best = Some((enc, t));
        }
    }
    let (enc, _) = best?;
    if enc == Legacy::Tcvn3 {
        // Capitals fonts: typists leave ASCII letters in upper case (or the font does it for them).
        let mut ascii = text.chars().filter(char::is_ascii_alphabetic).peekable();
        if ascii.peek().is_some() && ascii.all(|c| c.is_ascii_uppercase()) {
            return Some(Legacy::Tcvn3Caps);
        }
    }
    Some(enc)
}

/// Legacy paragraphs and sentences inside otherwise Unicode text, found where
/// [`detect`] finds nothing for the whole text: each paragraph (line) is detected on
/// its own, and a paragraph that still mixes Unicode Vietnamese with legacy text is
/// split into sentences (cut after `.`, `!`, `?`, `;` or `:` and a space) that are
/// detected one by one. Returns the input byte ranges to decode and their encodings,
/// in order; Unicode text around them is not touched. The same acceptance rules as
/// [`detect`] apply to each part, so a part must hold at least two tokens that decode
/// to valid syllables.
pub fn detect_parts(text: &str) -> Vec<(std::ops::Range<usize>, Legacy)> {
    let mut out = Vec::new();
    let mut base = 0usize;
    for line in text.split_inclusive('\n') {
        let start = base;
        base += line.len();
        // Legacy text shows at least two telltales: most lines are passed over here.
        if !has_telltales(line.as_bytes()) {
            continue;
        }
        let trimmed = line.trim_end();
        if let Some(e) = detect(trimmed) {
            out.push((start..start + trimmed.len(), e));
            continue;
        }
        // Sentences of a mixed paragraph.
        let mut at = 0usize;
        for sentence in split_sentences(line) {
            let from = start + at;
            at += sentence.len();
            let s = sentence.trim_end();
            if s.chars().any(is_legacy_suspect)
                && let Some(e) = detect(s)
            {
                out.push((from..from + s.len(), e));
            }
        }
    }
    out
}

/// At least two characters right after an ASCII letter that only look-alike text
/// uses there: TCVN3 letters of U+00A1..U+00BF (except the soft hyphen), and VNI marks
/// ø ï û ä å ë ü æ ñ ö (and capitals), which no Vietnamese or common European word has
/// after a letter. Read from the UTF-8 bytes, stopping at the second.
fn has_telltales(b: &[u8]) -> bool {
    // Bit (second byte - 0x80) set after 0xC3: ø ï û ä å ë ü æ ñ ö and capitals.
    const VNI: u64 = {
        let seconds: [u8; 20] = [
            0x84, 0x85, 0x86, 0x8B, 0x8F, 0x91, 0x96, 0x98, 0x9B, 0x9C, 0xA4, 0xA5, 0xA6, 0xAB,
            0xAF, 0xB1, 0xB6, 0xB8, 0xBB, 0xBC,
        ];
        let mut m = 0u64;
        let mut i = 0;
        while i < seconds.len() {
            m |= 1 << (seconds[i] - 0x80);
            i += 1;
        }
        m
    };
    let mut n = 0;
    let mut i = 1;
    while let Some(off) = b
        .get(i..)
        .and_then(|r| r.iter().position(|&x| x & 0xFE == 0xC2))
    {
        let at = i + off;
        let second = b.get(at + 1).copied().unwrap_or(0);
        let after_letter = b[at - 1].is_ascii_alphabetic();
        let tell = if b[at] == 0xC2 {
            (0xA1..=0xBF).contains(&second) && second != 0xAD
        } else {
            (0x80..0xC0).contains(&second) && (VNI >> (second - 0x80)) & 1 == 1
        };
        n += usize::from(after_letter && tell);
        if n >= 2 {
            return true;
        }
        i = at + 2;
    }
    false
}

/// Pieces of `line` that end after a sentence mark and a space (the last piece takes
/// the rest); together they are `line`.
fn split_sentences(line: &str) -> Vec<&str> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?' | b';' | b':')
            && b.get(i + 1) == Some(&b' ')
            && i + 2 > start
        {
            out.push(&line[start..i + 2]);
            start = i + 2;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_letters() -> Vec<char> {
        let mut v: Vec<char> = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
            .chars()
            .flat_map(|c| {
                let base = chars::vowel(c).unwrap_or(Vowel {
                    base: 0,
                    tone: 0,
                    upper: false,
                });
                (0..6).map(move |tone| chars::compose(Vowel { tone, ..base }))
            })
            .collect();
        v.extend(['đ', 'Đ']);
        v
    }

    #[test]
    fn known_mojibake_decodes() {
        assert_eq!(
            decode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", Legacy::Tcvn3),
            "Cộng hoà xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(
            decode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", Legacy::Vni),
            "Cộng hòa xã hội chủ nghĩa Việt Nam"
        );
        assert_eq!(decode("Vie^.t Nam dde^'n", Legacy::Viqr), "Việt Nam đến");
        assert_eq!(decode("§¶NG CéNG S¶N", Legacy::Tcvn3Caps), "ĐẢNG CỘNG SẢN");
    }

    #[test]
    fn every_letter_round_trips() {
        for c in all_letters() {
            let s = format!("{c}n");
            for enc in [Legacy::Vni, Legacy::Viqr] {
                let e = encode(&s, enc).unwrap_or_else(|| panic!("{s} not encodable in {enc:?}"));
                assert_eq!(decode(&e, enc), s, "{enc:?} {e}");
            }
            let tc = encode(&s, Legacy::Tcvn3);
            let is_toned_capital = c.is_uppercase() && chars::vowel(c).is_some_and(|v| v.tone > 0);
            if is_toned_capital {
                assert!(tc.is_none(), "{c} has no TCVN3 code");
                let caps = format!("{c}N");
                let e = encode(&caps, Legacy::Tcvn3Caps).unwrap_or_default();
                assert_eq!(decode(&e, Legacy::Tcvn3Caps), caps);
            } else {
                let e = tc.unwrap_or_else(|| panic!("{c} not in TCVN3"));
                assert_eq!(decode(&e, Legacy::Tcvn3), s);
            }
        }
    }

    #[test]
    fn every_table_entry_round_trips() {
        for &(b, c) in TCVN3.iter() {
            let raw = char::from(b).to_string();
            assert_eq!(decode(&raw, Legacy::Tcvn3), c.to_string());
            assert_eq!(encode(&c.to_string(), Legacy::Tcvn3), Some(raw));
        }
    }

    #[test]
    fn caps_encoding_refuses_what_it_cannot_give_back() {
        // Found by fuzzing: title-case ǋ decodes as Ǌ.
        assert_eq!(encode("ǋ", Legacy::Tcvn3Caps), None);
        assert_eq!(
            encode("ĐẢNG", Legacy::Tcvn3Caps).map(|e| decode(&e, Legacy::Tcvn3Caps)),
            Some("ĐẢNG".to_owned())
        );
    }

    #[test]
    fn font_names() {
        assert_eq!(from_font_name(".VnTime"), Some(Legacy::Tcvn3));
        assert_eq!(from_font_name(".VnTimeH"), Some(Legacy::Tcvn3Caps));
        assert_eq!(from_font_name(".VnArialH"), Some(Legacy::Tcvn3Caps));
        assert_eq!(from_font_name("ABCDEF+.VnTime,Bold"), Some(Legacy::Tcvn3));
        assert_eq!(
            from_font_name("ABCDEF+VnTimeH-Bold"),
            Some(Legacy::Tcvn3Caps)
        );
        assert_eq!(from_font_name("VNI-Times"), Some(Legacy::Vni));
        assert_eq!(from_font_name("ABCDEF+VNI-Helve-Bold"), Some(Legacy::Vni));
        assert_eq!(from_font_name("VNI Times"), Some(Legacy::Vni));
        assert_eq!(from_font_name("Times New Roman"), None);
        assert_eq!(from_font_name("Vinhan"), None);
        assert_eq!(from_font_name("Verdana"), None);
        assert_eq!(from_font_name(""), None);
        assert_eq!(from_font_name("+"), None);
    }

    /// The detector before the early exit: the full census, then the trials.
    fn detect_oracle(text: &str) -> Option<Legacy> {
        detect_with(text, &census(text))
    }

    /// The early-exit census agrees with the full one (the same census when it
    /// finishes, a census that rules legacy out when it stops early) and `detect`
    /// with the oracle. Returns whether it stopped early.
    fn check_census(text: &str) -> bool {
        let full = census(text);
        let early = match census_unless_ruled_out(text) {
            Some(c) => {
                assert_eq!(c, full, "{text:?}");
                false
            }
            None => {
                assert!(full.rules_out_legacy(), "{text:?}: {full:?}");
                true
            }
        };
        assert_eq!(detect(text), detect_oracle(text), "{text:?}");
        early
    }

    /// Random texts of Unicode Vietnamese, TCVN3, VNI, European and symbol tokens.
    fn mixed_strings(count: usize) -> Vec<String> {
        const WORDS: &[&str] = &[
            "Việt", "Nam", "hoà", "bình", "đầy", "thấy", "của", "ủy", "Cộng", "nghĩa", "Céng",
            "hoµ", "x·", "héi", "chñ", "nghÜa", "ViÖt", "§¶NG", "Coäng", "hoøa", "xaõ", "hoäi",
            "chuû", "nghóa", "Vieät", "niño", "église", "Größe", "café", "déjà", "©", "«", "»",
            "°", "×", "(©)", "«Tên»", "20°C", "ab", "the", "1.000", "A", "é", "ñ", "Ö", "µ",
        ];
        const GLUE: &[&str] = &[
            " ", " ", " ", " ", "\n", "\t", "\r\n", "\u{A0}", "", "-", ", ",
        ];
        crate::normalize::tests::random_texts(0x2545_F491_4F6C_DD1D, count, 40, WORDS, GLUE)
    }

    #[test]
    fn early_census_matches_full_census_on_random_text() {
        let strings = mixed_strings(20_000);
        let (mut early, mut fired) = (0, 0);
        for s in &strings {
            early += usize::from(check_census(s));
            fired += usize::from(detect_oracle(s).is_some());
        }
        // Every branch must be taken a fair number of times.
        let total = strings.len();
        println!(
            "random texts: {total}, census stopped early on {early}, detector fired on {fired}"
        );
        assert!(early * 10 > total, "early {early}/{total}");
        assert!(
            (total - early) * 10 > total,
            "full {}/{total}",
            total - early
        );
        assert!(fired > 100, "fired {fired}/{total}");
    }

    #[test]
    fn early_census_matches_full_census_on_real_text() {
        let Some(pages) = crate::test_fixtures::vietnamese_pages() else {
            eprintln!(
                "skipped: libreoffice-help-vi fixtures absent (run scripts/fetch-fixtures.sh)"
            );
            return;
        };
        let docs: Vec<String> = pages.iter().map(|p| p.join("\n\n")).collect();
        let (mut early, mut suspect) = (0, 0);
        for d in &docs {
            let clean = crate::normalize::normalize_str(d);
            for t in [d, &clean] {
                let stopped = check_census(t);
                if t.chars().any(is_legacy_suspect) {
                    suspect += 1;
                    early += usize::from(stopped);
                }
            }
            assert_eq!(detect(&clean), None, "{clean:?}");
        }
        println!(
            "pages (raw and normalized) with a suspect character: {suspect}, census stopped early on {early}"
        );
        // Pages with a © or « are the point: most of them stop early.
        assert!(
            suspect > 100 && early * 10 > suspect * 9,
            "{early} early of {suspect} with a suspect"
        );
        check_census(&docs.join("\n\n"));
        let paras: Vec<&String> = pages.iter().flatten().collect();
        for (k, p) in paras.iter().enumerate() {
            check_census(p);
            // Legacy encodings of every 16th paragraph: the trials must still run and agree.
            if k % 16 == 0 {
                for enc in [Legacy::Tcvn3, Legacy::Vni] {
                    if let Some(e) = encode(p, enc) {
                        check_census(&e);
                    }
                }
            }
        }
        for s in crate::test_fixtures::european_strings().iter().step_by(4) {
            check_census(s);
        }
    }

    #[test]
    fn detects_legacy_but_not_european_text() {
        assert_eq!(
            detect("Céng hoµ x· héi chñ nghÜa ViÖt Nam"),
            Some(Legacy::Tcvn3)
        );
        assert_eq!(
            detect("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
            Some(Legacy::Vni)
        );
        assert_eq!(
            detect("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM"),
            Some(Legacy::Tcvn3Caps)
        );
        for s in [
            "El niño comió una canción en el baño con su señora.",
            "Où est la bibliothèque? Très bien, à côté de l'église, déjà fermée.",
            "Die Größe der Straße für über fünf Mädchen ist schön.",
            "Cộng hoà xã hội chủ nghĩa Việt Nam",
            "Tôi là ai, có gì",
            "¿Qué? Sí, más tú",
        ] {
            assert_eq!(detect(s), None, "{s}");
        }
    }
}
