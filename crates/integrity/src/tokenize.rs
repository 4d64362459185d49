//! Fused tokenize + fold + hash: one pass over the original text that yields syllables
//! with their byte range in the original and a hash of their folded form.
//!
//! Folding for matching: lowercase, every diacritic removed (so NFC/NFD and both
//! tone-placement styles give the same result), đ/Đ/ð/Ð -> d, legacy look-alikes
//! (TCVN3, VNI; detected per line) decoded to their folded letters.
//! A syllable is a maximal run of letters, digits and combining marks.

use std::sync::OnceLock;

use unicode_normalization::char::decompose_canonical;

use crate::legacy::{self, Encoding, VniChar};

/// One syllable: byte range in the original text and the hash of its folded form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Syllable {
    /// Byte offset of the first byte in the original text.
    pub start: u32,
    /// Byte offset one past the last byte in the original text.
    pub end: u32,
    /// Hash of the folded syllable.
    pub hash: u64,
}

/// How one character takes part in a syllable after folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    /// Ends a syllable.
    Sep,
    /// Combining mark: inside a syllable, adds nothing.
    Mark,
    /// Letter, folded to one character.
    Letter(char),
    /// Digit, folded to one character.
    Digit(char),
    /// Letter or digit whose folded form has several characters (e.g. Hangul).
    Slow(char, bool),
    /// Apostrophe or '.'/','; joins a syllable only between two letters / two digits.
    Joiner(char),
}

// Table covers U+0000..U+1FFF: Latin, Latin Extended, combining marks, Latin Extended Additional.
const TABLE_LEN: usize = 0x2000;

fn fold_table() -> &'static [Fold] {
    static TABLE: OnceLock<Vec<Fold>> = OnceLock::new();
    TABLE.get_or_init(|| (0..TABLE_LEN as u32).map(fold_slow).collect())
}

fn fold_slow(u: u32) -> Fold {
    let Some(c) = char::from_u32(u) else {
        return Fold::Sep;
    };
    classify(c)
}

/// The same classes and folding as hoithi-text's tokenizer and `fold`.
fn classify(c: char) -> Fold {
    if c.is_ascii() {
        return match c {
            'a'..='z' | '0'..='9' => {
                if c.is_ascii_digit() {
                    Fold::Digit(c)
                } else {
                    Fold::Letter(c)
                }
            }
            'A'..='Z' => Fold::Letter(c.to_ascii_lowercase()),
            '\'' | '.' | ',' => Fold::Joiner(c),
            _ => Fold::Sep,
        };
    }
    if c == '\u{2019}' {
        return Fold::Joiner(c);
    }
    let digit = !c.is_alphabetic() && c.is_numeric();
    if !c.is_alphabetic() && !digit {
        return if is_combining(c) {
            Fold::Mark
        } else {
            Fold::Sep
        };
    }
    if is_combining(c) {
        // Alphabetic combining marks (rare) still fold to nothing.
        return Fold::Mark;
    }
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => return Fold::Letter('d'),
        _ => {}
    }
    let mut folded = Vec::new();
    decompose_canonical(c, |d| {
        if !is_combining(d) {
            folded.extend(d.to_lowercase());
        }
    });
    match folded.as_slice() {
        [one] if digit => Fold::Digit(*one),
        [one] => Fold::Letter(*one),
        _ => Fold::Slow(c, digit),
    }
}

/// Combining marks, as hoithi-text counts them.
fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
        || unicode_normalization::char::canonical_combining_class(c) != 0
}

#[inline]
fn fold_unicode_with(table: &[Fold], c: char) -> Fold {
    match table.get(c as usize) {
        Some(&f) => f,
        None => classify(c),
    }
}

#[inline]
fn fold_char(table: &[Fold], c: char, enc: Encoding) -> Fold {
    match enc {
        Encoding::Unicode => fold_unicode_with(table, c),
        Encoding::Tcvn3 => match legacy::tcvn3_letter(c) {
            Some(l) => fold_unicode_with(table, l),
            None => fold_unicode_with(table, c),
        },
        Encoding::Vni => match legacy::vni_char(c) {
            Some(VniChar::Mark) => Fold::Mark,
            Some(VniChar::Letter(l)) => Fold::Letter(l),
            None => fold_unicode_with(table, c),
        },
    }
}

const HASH_MUL: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn hash_step(h: u64, c: u32) -> u64 {
    (h.rotate_left(7) ^ u64::from(c)).wrapping_mul(HASH_MUL)
}

#[inline]
fn hash_finish(h: u64, len: u32) -> u64 {
    // splitmix64 finaliser, so syllable hashes are well spread for k-gram mixing.
    let mut z = h ^ u64::from(len).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of an already folded syllable (as produced by [`fold_syllable`]).
pub fn hash_folded(folded: &str) -> u64 {
    let mut h = 0u64;
    let mut n = 0u32;
    for c in folded.chars() {
        h = hash_step(h, c as u32);
        n += 1;
    }
    hash_finish(h, n)
}

/// Folded form of a piece of Unicode text (for tests and diagnostics).
pub fn fold_syllable(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match classify(c) {
            Fold::Letter(f) | Fold::Digit(f) | Fold::Joiner(f) => out.push(f),
            Fold::Slow(c, _) => push_slow(c, |f| out.push(f)),
            Fold::Sep | Fold::Mark => {}
        }
    }
    out
}

fn push_slow(c: char, mut f: impl FnMut(char)) {
    decompose_canonical(c, |d| {
        if !is_combining(d) {
            d.to_lowercase().for_each(&mut f);
        }
    });
}

/// Tokenize `text` into syllables, appending them to `out`.
///
/// Offsets are `u32`: texts longer than 4 GiB are cut at 4 GiB (entries are far smaller).
pub fn syllables_into(text: &str, out: &mut Vec<Syllable>) {
    for_each_syllable(text, |s| out.push(s));
}

/// Call `emit` for every syllable of `text`, in order (no allocation).
pub fn for_each_syllable(text: &str, mut emit: impl FnMut(Syllable)) {
    let text = if text.len() > u32::MAX as usize {
        // Cut on a char boundary.
        let mut cut = u32::MAX as usize;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        &text[..cut]
    } else {
        text
    };
    if !legacy::may_be_legacy(text) {
        scan(text, 0, Encoding::Unicode, &mut emit);
        return;
    }
    let mut base = 0usize;
    for line in text.split_inclusive('\n') {
        let enc = legacy::detect_line(line);
        scan(line, base, enc, &mut emit);
        base += line.len();
    }
}

/// Tokenize `text` into a new vector.
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut v = Vec::with_capacity(text.len() / 5);
    syllables_into(text, &mut v);
    v
}

#[inline]
fn decode(b: &[u8], i: usize) -> (char, usize) {
    let at = |j: usize| u32::from(b.get(i + j).copied().unwrap_or(0x80) & 0x3F);
    let lead = u32::from(b.get(i).copied().unwrap_or(0));
    if lead < 0x80 {
        return (char::from(lead as u8), 1);
    }
    let (u, len) = if lead < 0xE0 {
        (((lead & 0x1F) << 6) | at(1), 2)
    } else if lead < 0xF0 {
        (((lead & 0x0F) << 12) | (at(1) << 6) | at(2), 3)
    } else {
        (
            ((lead & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3),
            4,
        )
    };
    (
        char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER),
        len,
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    None,
    Letter,
    Digit,
}

fn scan(text: &str, base: usize, enc: Encoding, out: &mut impl FnMut(Syllable)) {
    let table = fold_table();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut in_word = false;
    let mut start = 0usize;
    let mut end = 0usize;
    let mut h = 0u64;
    let mut n = 0u32;
    let mut prev = Prev::None;
    let finish = |out: &mut dyn FnMut(Syllable), start: usize, end: usize, h: u64, n: u32| {
        out(Syllable {
            start: (base + start) as u32,
            end: (base + end) as u32,
            hash: hash_finish(h, n),
        });
    };
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast path: letters and digits, and plain separators.
        if b < 0x80 {
            let lower = b | 0x20;
            if lower.is_ascii_lowercase() {
                if !in_word {
                    in_word = true;
                    start = i;
                    h = 0;
                    n = 0;
                }
                h = hash_step(h, u32::from(lower));
                n += 1;
                prev = Prev::Letter;
                i += 1;
                end = i;
                continue;
            }
            if !b.is_ascii_digit() && !matches!(b, b'\'' | b'.' | b',') {
                if in_word {
                    finish(out, start, end, h, n);
                    in_word = false;
                }
                i += 1;
                continue;
            }
        }
        let (c, len) = decode(bytes, i);
        let f = fold_char(table, c, enc);
        let (piece, class) = match f {
            Fold::Letter(x) => (Some(x), Prev::Letter),
            Fold::Digit(x) => (Some(x), Prev::Digit),
            Fold::Mark => (None, prev),
            Fold::Slow(x, digit) => {
                if !in_word {
                    in_word = true;
                    start = i;
                    h = 0;
                    n = 0;
                }
                push_slow(x, |ch| {
                    h = hash_step(h, ch as u32);
                    n += 1;
                });
                prev = if digit { Prev::Digit } else { Prev::Letter };
                i += len;
                end = i;
                continue;
            }
            Fold::Joiner(j) => {
                if in_word {
                    let next = if i + len < bytes.len() {
                        match fold_char(table, decode(bytes, i + len).0, enc) {
                            Fold::Letter(_) => Prev::Letter,
                            Fold::Digit(_) => Prev::Digit,
                            Fold::Slow(_, d) => {
                                if d {
                                    Prev::Digit
                                } else {
                                    Prev::Letter
                                }
                            }
                            _ => Prev::None,
                        }
                    } else {
                        Prev::None
                    };
                    let joins = match j {
                        '.' | ',' => prev == Prev::Digit && next == Prev::Digit,
                        _ => prev == Prev::Letter && next == Prev::Letter,
                    };
                    if joins {
                        h = hash_step(h, j as u32);
                        n += 1;
                        i += len;
                        continue;
                    }
                    finish(out, start, end, h, n);
                    in_word = false;
                }
                i += len;
                continue;
            }
            Fold::Sep => {
                if in_word {
                    finish(out, start, end, h, n);
                    in_word = false;
                }
                i += len;
                continue;
            }
        };
        if !in_word {
            in_word = true;
            start = i;
            h = 0;
            n = 0;
            prev = Prev::None;
        }
        if let Some(x) = piece {
            h = hash_step(h, x as u32);
            n += 1;
        }
        if f != Fold::Mark {
            prev = class;
        }
        i += len;
        end = i;
    }
    if in_word {
        finish(out, start, end, h, n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(s: &str) -> Vec<u64> {
        syllables(s).iter().map(|t| t.hash).collect()
    }

    #[test]
    fn folds_case_tones_nfd_and_d() {
        let nfc = "Đường hoà bình, THUÝ Khỏe";
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(nfc).collect();
        let old = "đường hòa bình thúy khoẻ";
        let plain = "duong hoa binh thuy khoe";
        assert_eq!(hashes(nfc), hashes(plain));
        assert_eq!(hashes(&nfd), hashes(plain));
        assert_eq!(hashes(old), hashes(plain));
    }

    #[test]
    fn offsets_point_into_original() {
        let s = "  Việt\nNam, hội!";
        let t = syllables(s);
        let words: Vec<&str> = t
            .iter()
            .map(|x| &s[x.start as usize..x.end as usize])
            .collect();
        assert_eq!(words, ["Việt", "Nam", "hội"]);
    }

    #[test]
    fn legacy_lines_fold_like_unicode() {
        let uni = "Cộng hoà xã hội chủ nghĩa Việt Nam";
        let tcvn = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
        let vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam";
        assert_eq!(hashes(tcvn), hashes(uni));
        assert_eq!(hashes(vni), hashes(uni));
        // Mixed: a legacy line inside a Unicode text.
        let mixed = format!("Tôi viết: đây là bài.\n{tcvn}\nHết.");
        let t = syllables(&mixed);
        let words: Vec<&str> = t
            .iter()
            .map(|x| &mixed[x.start as usize..x.end as usize])
            .collect();
        assert!(words.contains(&"héi"));
        let h = hashes(&mixed);
        let u = hashes(uni);
        assert!(h.windows(u.len()).any(|w| w == u.as_slice()));
    }

    #[test]
    fn fold_syllable_matches_hash() {
        assert_eq!(fold_syllable("Nghĩa"), "nghia");
        assert_eq!(hash_folded("nghia"), hashes("Nghĩa")[0]);
    }

    #[test]
    fn marks_only_and_empty_never_panic() {
        assert!(syllables("").is_empty());
        // A stray mark is a (folded-empty) syllable, as in hoithi-text.
        assert_eq!(syllables("\u{0301}\u{0300} ,.;").len(), 1);
        assert_eq!(syllables("a\u{0301}").len(), 1);
    }
}
