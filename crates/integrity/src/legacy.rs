//! Legacy Vietnamese encodings seen as Latin-1 look-alikes (TCVN3/ABC and VNI Windows).
//!
//! Text from old Word files opened with the wrong font arrives as Unicode text whose
//! characters are the Latin-1 reading of the legacy bytes ("Céng hoµ" for "Cộng hoà").
//! Copy detection only needs the *folded* letter of each such character, so this module
//! maps look-alike characters straight to folded base letters. Detection is per line:
//! a pasted legacy paragraph inside a Unicode entry is still recognised.

/// Encoding of one line of text, as far as copy detection cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Ordinary Unicode (NFC or NFD).
    Unicode,
    /// TCVN 5712:1993 VN3 (ABC, .VnTime fonts) read as Latin-1.
    Tcvn3,
    /// VNI Windows (VNI-Times fonts) read as Latin-1.
    Vni,
}

/// TCVN3 byte -> Vietnamese letter, for bytes 0x80..=0xFF (0 = not a letter).
/// Generated from glibc iconv's TCVN5712-1 table (a superset of VN3: it also places
/// capitals with tones in 0x80..0x9F, which VN3 fonts leave to separate capital fonts).
const TCVN3_HIGH: [char; 128] = {
    let mut t = ['\0'; 128];
    let pairs: [(u8, char); 122] = [
        (0x80, 'À'),
        (0x81, 'Ả'),
        (0x82, 'Ã'),
        (0x83, 'Á'),
        (0x84, 'Ạ'),
        (0x85, 'Ặ'),
        (0x86, 'Ậ'),
        (0x87, 'È'),
        (0x88, 'Ẻ'),
        (0x89, 'Ẽ'),
        (0x8A, 'É'),
        (0x8B, 'Ẹ'),
        (0x8C, 'Ệ'),
        (0x8D, 'Ì'),
        (0x8E, 'Ỉ'),
        (0x8F, 'Ĩ'),
        (0x90, 'Í'),
        (0x91, 'Ị'),
        (0x92, 'Ò'),
        (0x93, 'Ỏ'),
        (0x94, 'Õ'),
        (0x95, 'Ó'),
        (0x96, 'Ọ'),
        (0x97, 'Ộ'),
        (0x98, 'Ờ'),
        (0x99, 'Ở'),
        (0x9A, 'Ỡ'),
        (0x9B, 'Ớ'),
        (0x9C, 'Ợ'),
        (0x9D, 'Ù'),
        (0x9E, 'Ủ'),
        (0x9F, 'Ũ'),
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
        (0xAF, 'Ằ'),
        (0xB5, 'à'),
        (0xB6, 'ả'),
        (0xB7, 'ã'),
        (0xB8, 'á'),
        (0xB9, 'ạ'),
        (0xBA, 'Ẳ'),
        (0xBB, 'ằ'),
        (0xBC, 'ẳ'),
        (0xBD, 'ẵ'),
        (0xBE, 'ắ'),
        (0xBF, 'Ẵ'),
        (0xC0, 'Ắ'),
        (0xC1, 'Ầ'),
        (0xC2, 'Ẩ'),
        (0xC3, 'Ẫ'),
        (0xC4, 'Ấ'),
        (0xC5, 'Ề'),
        (0xC6, 'ặ'),
        (0xC7, 'ầ'),
        (0xC8, 'ẩ'),
        (0xC9, 'ẫ'),
        (0xCA, 'ấ'),
        (0xCB, 'ậ'),
        (0xCC, 'è'),
        (0xCD, 'Ể'),
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
        (0xD9, 'Ễ'),
        (0xDA, 'Ế'),
        (0xDB, 'Ồ'),
        (0xDC, 'ĩ'),
        (0xDD, 'í'),
        (0xDE, 'ị'),
        (0xDF, 'ò'),
        (0xE0, 'Ổ'),
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
        (0xF0, 'Ỗ'),
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
        (0xFF, 'Ố'),
    ];
    let mut i = 0;
    while i < pairs.len() {
        t[(pairs[i].0 - 0x80) as usize] = pairs[i].1;
        i += 1;
    }
    t
};

/// The Vietnamese letter a TCVN3 look-alike character stands for, if any.
pub fn tcvn3_letter(c: char) -> Option<char> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        let l = TCVN3_HIGH[(u - 0x80) as usize];
        if l != '\0' {
            return Some(l);
        }
    }
    None
}

/// What a VNI look-alike character means inside a syllable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VniChar {
    /// A diacritic byte that modifies the preceding letter (folds to nothing).
    Mark,
    /// A letter on its own, given as its folded base letter.
    Letter(char),
}

/// Classify a VNI look-alike character (None for characters VNI does not use specially).
pub fn vni_char(c: char) -> Option<VniChar> {
    match c {
        // Tone marks: acute, grave, hook, tilde, dot below.
        'ù' | 'ø' | 'û' | 'õ' | 'ï' | 'Ù' | 'Ø' | 'Û' | 'Õ' | 'Ï' => Some(VniChar::Mark),
        // Circumflex alone and combined with each tone.
        'â' | 'á' | 'à' | 'å' | 'ã' | 'ä' | 'Â' | 'Á' | 'À' | 'Å' | 'Ã' | 'Ä' => {
            Some(VniChar::Mark)
        }
        // Breve alone and combined with each tone.
        'ê' | 'é' | 'è' | 'ú' | 'ü' | 'ë' | 'Ê' | 'É' | 'È' | 'Ú' | 'Ü' | 'Ë' => {
            Some(VniChar::Mark)
        }
        // Stand-alone letters: ơ, ư, đ and i with tones.
        'ô' | 'Ô' => Some(VniChar::Letter('o')),
        'ö' | 'Ö' => Some(VniChar::Letter('u')),
        'ñ' | 'Ñ' => Some(VniChar::Letter('d')),
        'í' | 'ì' | 'æ' | 'ó' | 'ò' | 'Í' | 'Ì' | 'Æ' | 'Ó' | 'Ò' => {
            Some(VniChar::Letter('i'))
        }
        _ => None,
    }
}

/// Characters that only occur in proper Unicode Vietnamese (never in a Latin-1 look-alike).
fn is_unicode_vietnamese(c: char) -> bool {
    matches!(c as u32,
        0x0102 | 0x0103 | 0x0110 | 0x0111 | 0x0128 | 0x0129 | 0x0168 | 0x0169
        | 0x01A0 | 0x01A1 | 0x01AF | 0x01B0 | 0x0300..=0x0323 | 0x1EA0..=0x1EF9)
}

/// VNI characters that are not Vietnamese letters in Unicode.
fn is_vni_only(c: char) -> bool {
    matches!(
        c,
        'ø' | 'ï'
            | 'û'
            | 'ä'
            | 'å'
            | 'ë'
            | 'ü'
            | 'æ'
            | 'ñ'
            | 'ö'
            | 'Ø'
            | 'Ï'
            | 'Û'
            | 'Ä'
            | 'Å'
            | 'Ë'
            | 'Ü'
            | 'Æ'
            | 'Ñ'
            | 'Ö'
    )
}

/// TCVN3 characters in the symbol block U+00A1..U+00BF: never letters in Unicode text.
/// The soft hyphen (TCVN3 ư) is left out: Word puts it inside Unicode words too.
fn is_tcvn3_only(c: char) -> bool {
    let u = c as u32;
    ((0xA1..=0xBF).contains(&u) && u != 0xAD && tcvn3_letter(c).is_some())
        // Letters of U+00C0..U+00FF that neither Unicode Vietnamese nor VNI uses.
        || matches!(c, 'Ç' | 'Ð' | 'Þ' | 'ß' | 'ç' | 'ð' | 'þ' | 'ÿ')
}

/// Guess the encoding of one line from the characters inside its words.
///
/// A character counts as evidence only right after a letter, so quotes such as
/// « » or a © sign do not make a Unicode line look like TCVN3. A line that holds
/// Unicode Vietnamese is Unicode (see [`detect_mixed`] for legacy pieces inside it).
pub fn detect_line(line: &str) -> Encoding {
    match detect_mixed(line) {
        Detected::Mixed => Encoding::Unicode,
        Detected::One(e) => e,
    }
}

/// What [`detect_mixed`] found in a piece of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// One encoding throughout.
    One(Encoding),
    /// Unicode Vietnamese *and* legacy evidence: a legacy sentence or clause pasted
    /// into Unicode text. Split it (see [`pieces`]) and detect each piece.
    Mixed,
}

/// A character that only TCVN3 or VNI look-alike text uses (counted right after a
/// letter, as in [`detect_line`]).
#[inline]
pub fn is_evidence(c: char) -> bool {
    is_tcvn3_only(c) || is_vni_only(c)
}

/// Legacy evidence in a piece of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Holds a character only Unicode Vietnamese has (ư, ơ, đ, ạ, …).
    pub unicode: bool,
    /// TCVN3-only characters right after a letter.
    pub tcvn: usize,
    /// VNI-only characters right after a letter.
    pub vni: usize,
}

impl Evidence {
    /// The encoding this evidence decides on its own (two characters or more).
    pub fn decided(&self) -> Option<Encoding> {
        if self.unicode {
            Some(Encoding::Unicode)
        } else if self.tcvn >= 2 {
            Some(Encoding::Tcvn3)
        } else if self.vni >= 2 {
            Some(Encoding::Vni)
        } else {
            None
        }
    }
}

/// Like [`detect_line`], but tells a line that mixes Unicode Vietnamese with legacy
/// look-alike text apart from a Unicode one.
pub fn detect_mixed(line: &str) -> Detected {
    let e = evidence(line);
    match (e.unicode, e.tcvn >= 2 || e.vni >= 2) {
        (true, true) => Detected::Mixed,
        _ => Detected::One(e.decided().unwrap_or(Encoding::Unicode)),
    }
}

/// Count the legacy evidence of `line` (see [`detect_line`]).
pub fn evidence(line: &str) -> Evidence {
    if line.is_ascii() {
        return Evidence::default();
    }
    let mut tcvn = 0usize;
    let mut vni = 0usize;
    let mut unicode = false;
    let mut prev = ' ';
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if !c.is_ascii() {
            if is_unicode_vietnamese(c) {
                unicode = true;
                prev = c;
                continue;
            }
            // Evidence only right after a letter: quotes around a word (»a«) do not count,
            // nor » closing a quote ("Tên»": TCVN3's ằ is never last in a word).
            let closing = c == '»' && !next.is_some_and(char::is_alphabetic);
            if is_tcvn3_only(c)
                && !closing
                && (prev.is_ascii_alphabetic() || tcvn3_letter(prev).is_some())
            {
                tcvn += 1;
            }
            // VNI's đ (ñ) also counts at the start of a word: no Vietnamese word and few
            // foreign ones begin with ñ.
            let initial_d = matches!(c, 'ñ' | 'Ñ') && !prev.is_alphanumeric();
            if is_vni_only(c)
                && (prev.is_ascii_alphabetic() || vni_char(prev).is_some() || initial_d)
            {
                vni += 1;
            }
        }
        prev = c;
    }
    // VNI never uses U+00A1..U+00BF, while TCVN3 text is full of them (ă â ê ô ơ ư đ à á ã).
    Evidence { unicode, tcvn, vni }
}

/// Split a mixed line into pieces at clause ends (`.`, `!`, `?`, `;`, `:`, `,`, `…`
/// followed by a space) and at quotation marks, so that a legacy sentence or clause
/// pasted into Unicode text is a piece of its own. The pieces cover `line` exactly, in
/// order, each cut just after the punctuation's following space (or before a quote).
pub fn pieces(line: &str) -> impl Iterator<Item = &str> {
    let b = line.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    std::iter::from_fn(move || {
        if start >= b.len() {
            return None;
        }
        while i < b.len() {
            let c = b[i];
            let cut = match c {
                b'.' | b'!' | b'?' | b';' | b':' | b',' => {
                    matches!(b.get(i + 1), Some(b' ' | b'\t')).then_some(i + 2)
                }
                b'"' => Some(i + 1),
                // “ ” (E2 80 9C/9D) and … (E2 80 A6)
                0xE2 if b.get(i + 1) == Some(&0x80)
                    && matches!(b.get(i + 2), Some(0x9C | 0x9D | 0xA6)) =>
                {
                    Some(i + 3)
                }
                // « » (C2 AB/BB) are TCVN3 letters, so they do not cut.
                _ => None,
            };
            i += 1;
            if let Some(end) = cut
                && end > start
                && line.is_char_boundary(end.min(b.len()))
            {
                let end = end.min(b.len());
                let piece = &line[start..end];
                start = end;
                i = end;
                return Some(piece);
            }
        }
        let piece = &line[start..];
        start = b.len();
        Some(piece)
    })
}

/// A clause of a mixed line: its text; its encoding, or `None` when it mixes (to be
/// taken word by word); for a mixed clause, the legacy encoding of its words and the
/// encoding of the clause before it (for its first, undecided words).
pub type Clause<'a> = (&'a str, Option<Encoding>, Encoding, Encoding);

/// The clauses of a mixed line ([`pieces`]) with the encoding each is folded in;
/// `None` for a clause that itself mixes Unicode-only letters and telltales (to be
/// taken word by word, [`words`]).
///
/// - A clause with a Unicode-only letter is Unicode; one with a TCVN3 telltale is TCVN3
///   (VNI text never has them).
/// - One with VNI telltales only continues a legacy clause before it (TCVN3 text holds
///   VNI's telltales as letters), else is VNI when it has two, else goes with its
///   neighbours like a clause without telltales.
/// - A clause without telltales nor Unicode-only letters (ASCII, or letters both read
///   alike) that starts a sentence takes the encoding of the clause after it when that
///   one is legacy (a pasted sentence starts there); otherwise the one before it.
pub fn clauses(line: &str) -> Vec<Clause<'_>> {
    #[derive(Clone, Copy, PartialEq)]
    enum D {
        Known(Encoding),
        Mixed,
        Weak,
        Open,
    }
    let ps: Vec<&str> = pieces(line).collect();
    let mut dec: Vec<D> = ps
        .iter()
        .map(|p| {
            let e = evidence(p);
            let tell = e.tcvn + e.vni;
            if e.unicode {
                if tell >= 1 {
                    D::Mixed
                } else {
                    D::Known(Encoding::Unicode)
                }
            } else if e.tcvn >= 1 {
                D::Known(Encoding::Tcvn3)
            } else if e.vni >= 1 {
                D::Weak
            } else {
                D::Open
            }
        })
        .collect();
    // VNI telltales: continue the legacy clause before, else VNI.
    let mut last: Option<Encoding> = None;
    for (i, d) in dec.clone().iter().enumerate() {
        match d {
            D::Known(e) => last = Some(*e),
            D::Mixed => last = Some(Encoding::Unicode),
            D::Weak => {
                // The next clause that says something, if TCVN3, claims it too.
                let ahead = dec[i + 1..].iter().find_map(|d| match d {
                    D::Known(e) => Some(*e),
                    D::Mixed => Some(Encoding::Unicode),
                    _ => None,
                });
                // Unicode text has no VNI telltale after a letter (but for a foreign
                // word), so the clause is VNI unless TCVN3 is next to it.
                let e = match (last, ahead) {
                    (Some(Encoding::Tcvn3), _) | (_, Some(Encoding::Tcvn3)) => Encoding::Tcvn3,
                    _ => Encoding::Vni,
                };
                dec[i] = D::Known(e);
                last = Some(e);
            }
            D::Open => {}
        }
    }
    // Clauses still open: at a sentence start, the next legacy clause; else the one
    // before (Unicode at the start of the line).
    let mut out = Vec::with_capacity(ps.len());
    let mut prev = Encoding::Unicode;
    for i in 0..ps.len() {
        let enc = match dec[i] {
            D::Known(e) => Some(e),
            D::Mixed => None,
            D::Weak | D::Open => {
                let sentence_start = i == 0
                    || ps[i - 1]
                        .trim_end()
                        .ends_with(['.', '!', '?', '…', '"', '\u{201D}']);
                let next = dec[i + 1..].iter().find_map(|d| match d {
                    D::Known(e) => Some(*e),
                    D::Mixed => Some(Encoding::Unicode),
                    _ => None,
                });
                match next {
                    Some(e) if sentence_start && e != Encoding::Unicode => Some(e),
                    _ => Some(prev),
                }
            }
        };
        if let Some(e) = enc {
            prev = e;
            dec[i] = D::Known(e);
        } else {
            prev = Encoding::Unicode;
        }
        out.push((ps[i], enc, Encoding::Unicode, Encoding::Unicode));
    }
    // The legacy encoding for the words of a mixed clause: the nearest legacy clause
    // before it, else after it, else the line's telltales.
    let known: Vec<Option<Encoding>> = out
        .iter()
        .map(|x| x.1.filter(|e| *e != Encoding::Unicode))
        .collect();
    for i in 0..out.len() {
        if out[i].1.is_none() {
            let before = known[..i].iter().rev().flatten().next();
            let after = known[i + 1..].iter().flatten().next();
            out[i].2 = before
                .or(after)
                .copied()
                .unwrap_or_else(|| clause_legacy(line, out[i].0));
            out[i].3 = if i > 0 {
                out[i - 1].1.unwrap_or(Encoding::Unicode)
            } else {
                Encoding::Unicode
            };
        }
    }
    out
}

/// The legacy encoding for the words of a mixed clause of `line`: TCVN3 when the line
/// has TCVN3 telltales and at least a third as many as VNI ones, else VNI.
pub fn clause_legacy(line: &str, clause: &str) -> Encoding {
    let c = evidence(clause);
    if c.tcvn >= 1 {
        return Encoding::Tcvn3;
    }
    let l = evidence(line);
    if l.tcvn * 3 >= l.vni && l.tcvn > 0 {
        Encoding::Tcvn3
    } else {
        Encoding::Vni
    }
}

/// Split a piece that still mixes Unicode Vietnamese and legacy text into runs of
/// words (each with its trailing spaces) and the encoding of each run: a word with a
/// Unicode-only letter is Unicode, a word with a legacy-only character is in the
/// piece's legacy encoding, and a word with neither (ASCII, or letters both read alike)
/// goes with the nearest decided word before it (after it at the start).
pub fn words(piece: &str, legacy: Encoding, lead: Encoding) -> Vec<(&str, Encoding)> {
    let ws: Vec<&str> = piece.split_inclusive(' ').collect();
    let decided: Vec<Option<Encoding>> = ws
        .iter()
        .map(|w| {
            let ev = evidence(w);
            if ev.unicode {
                Some(Encoding::Unicode)
            } else if ev.tcvn + ev.vni > 0 {
                Some(legacy)
            } else {
                None
            }
        })
        .collect();
    // Undecided words at the start go with the clause before (`lead`).
    let mut cur = lead;
    let mut out: Vec<(&str, Encoding)> = Vec::new();
    let mut start = 0usize;
    for (w, d) in ws.iter().zip(&decided) {
        let enc = d.unwrap_or(cur);
        cur = enc;
        match out.last_mut() {
            Some(last) if last.1 == enc => {
                let len = last.0.len() + w.len();
                last.0 = &piece[start..start + len];
            }
            _ => {
                let from = out.iter().map(|x| x.0.len()).sum::<usize>();
                start = from;
                out.push((&piece[from..from + w.len()], enc));
            }
        }
    }
    out
}

/// Quick test whether any line of `text` may need legacy handling: at least two
/// characters that TCVN3 or VNI look-alike text uses and Unicode Vietnamese does not
/// (VNI marks such as ø ï û ä, TCVN3 letters in U+00A1..U+00BF right after an ASCII
/// letter). One pass over the bytes; Unicode Vietnamese text (which is full of
/// U+00C0..U+00FF letters) passes it without any per-line work.
pub fn may_be_legacy(text: &str) -> bool {
    // Second bytes after 0xC3 of ø ï û ä å ë ü æ ñ ö and their capitals.
    const C3_EVIDENCE: u64 = {
        let mut m = 0u64;
        // (then Ç Ð Þ ß ç ð þ ÿ, TCVN3 letters that VNI and Unicode do not use)
        let seconds: [u8; 28] = [
            0x84, 0x85, 0x86, 0x8B, 0x8F, 0x91, 0x96, 0x98, 0x9B, 0x9C, 0xA4, 0xA5, 0xA6, 0xAB,
            0xAF, 0xB1, 0xB6, 0xB8, 0xBB, 0xBC, 0x87, 0x90, 0x9E, 0x9F, 0xA7, 0xB0, 0xBE, 0xBF,
        ];
        let mut i = 0;
        while i < seconds.len() {
            m |= 1 << (seconds[i] - 0x80);
            i += 1;
        }
        m
    };
    let b = text.as_bytes();
    let mut n = 0usize;
    let mut i = 0usize;
    while let Some(off) = b[i..].iter().position(|&x| x & 0xFE == 0xC2) {
        let at = i + off;
        let second = b.get(at + 1).copied().unwrap_or(0);
        let evidence = if b[at] == 0xC3 {
            (0x80..0xC0).contains(&second) && C3_EVIDENCE >> (second - 0x80) & 1 == 1
        } else {
            (0xA1..=0xBF).contains(&second)
                && second != 0xAD
                && at > 0
                && (b[at - 1].is_ascii_alphabetic() || (at >= 2 && b[at - 2] & 0xFE == 0xC2))
        };
        n += usize::from(evidence);
        if n >= 2 {
            return true;
        }
        i = at + 2;
        if i >= b.len() {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_tcvn3_mojibake() {
        assert_eq!(
            detect_line("Céng hoµ x· héi chñ nghÜa ViÖt Nam"),
            Encoding::Tcvn3
        );
    }

    #[test]
    fn detects_vni_mojibake() {
        assert_eq!(
            detect_line("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"),
            Encoding::Vni
        );
    }

    #[test]
    fn unicode_stays_unicode() {
        assert_eq!(
            detect_line("Cộng hoà xã hội chủ nghĩa Việt Nam"),
            Encoding::Unicode
        );
        assert_eq!(detect_line("Tôi là « người » ©"), Encoding::Unicode);
        assert_eq!(detect_line("The character »a« appears"), Encoding::Unicode);
        assert_eq!(
            detect_line("Mon\u{ad}day to Sun\u{ad}day"),
            Encoding::Unicode
        );
        assert_eq!(detect_line("plain ascii"), Encoding::Unicode);
    }

    #[test]
    fn mixed_lines_are_told_apart_and_split() {
        let tcvn = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
        let vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam";
        for legacy in [tcvn, vni] {
            let line = format!("Tôi viết bài này. {legacy}. Hết bài.");
            assert_eq!(detect_mixed(&line), Detected::Mixed);
            let ps: Vec<&str> = pieces(&line).collect();
            assert_eq!(ps.concat(), line);
            assert!(ps.iter().any(|p| p.starts_with(legacy)), "{ps:?}");
            assert!(may_be_legacy(&line));
        }
        assert_eq!(
            detect_mixed("Cộng hoà xã hội chủ nghĩa Việt Nam, « độc lập » ©"),
            Detected::One(Encoding::Unicode)
        );
        // Unicode Vietnamese is full of U+00C0..U+00FF letters: no evidence there.
        assert!(!may_be_legacy(
            "Tôi yêu tiếng nước tôi từ khi mới ra đời, à ơi, « Việt Nam » © 2024, 30°C"
        ));
        assert_eq!(pieces("").count(), 0);
        // A legacy clause running into Unicode words without a full stop.
        let run_on = format!("{vni} rồi đến Tiêu chuẩn mới");
        let ws = words(&run_on, Encoding::Vni, Encoding::Unicode);
        assert_eq!(ws.iter().map(|w| w.0).collect::<String>(), run_on);
        assert_eq!(ws[0].1, Encoding::Vni);
        assert!(ws[0].0.starts_with(vni), "{ws:?}");
        assert_eq!(ws.last().map(|w| w.1), Some(Encoding::Unicode));
        assert_eq!(pieces("a, b").collect::<Vec<_>>(), ["a, ", "b"]);
    }

    #[test]
    fn tcvn3_table_maps_examples() {
        assert_eq!(tcvn3_letter('é'), Some('ộ'));
        assert_eq!(tcvn3_letter('µ'), Some('à'));
        assert_eq!(tcvn3_letter('®'), Some('đ'));
        assert_eq!(tcvn3_letter('a'), None);
    }
}
