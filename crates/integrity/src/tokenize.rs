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

// Folding table entries: 0 = separator, 1 = mark (inside a word, folds to nothing),
// anything else = the folded character.
const SEP: u32 = 0;
const MARK: u32 = 1;
// Table covers U+0000..U+1FFF: Latin, Latin Extended, combining marks, Latin Extended Additional.
const TABLE_LEN: usize = 0x2000;

fn fold_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| (0..TABLE_LEN as u32).map(fold_slow).collect())
}

fn fold_slow(u: u32) -> u32 {
    let Some(c) = char::from_u32(u) else {
        return SEP;
    };
    if is_combining(c) {
        return MARK;
    }
    if !c.is_alphanumeric() {
        return SEP;
    }
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => return 'd' as u32,
        _ => {}
    }
    let mut base = c;
    let mut first = true;
    decompose_canonical(c, |d| {
        if first {
            base = d;
            first = false;
        }
    });
    let lower = base.to_lowercase().next().unwrap_or(base);
    lower as u32
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Fold one character of Unicode text: `None` for a separator, `Some(None)` for a mark
/// that belongs to the syllable but adds nothing, `Some(Some(c))` for a folded letter.
#[inline]
fn fold_unicode(c: char) -> Option<Option<char>> {
    fold_unicode_with(fold_table(), c)
}

#[inline]
fn fold_unicode_with(table: &[u32], c: char) -> Option<Option<char>> {
    let u = c as u32;
    let f = if (u as usize) < TABLE_LEN {
        table.get(u as usize).copied().unwrap_or(SEP)
    } else if is_combining(c) {
        MARK
    } else if c.is_alphanumeric() {
        c.to_lowercase().next().unwrap_or(c) as u32
    } else {
        SEP
    };
    match f {
        SEP => None,
        MARK => Some(None),
        v => Some(char::from_u32(v)),
    }
}

#[inline]
fn fold_char(table: &[u32], c: char, enc: Encoding) -> Option<Option<char>> {
    match enc {
        Encoding::Unicode => fold_unicode_with(table, c),
        Encoding::Tcvn3 => match legacy::tcvn3_letter(c) {
            Some(l) => fold_unicode(l),
            None => fold_unicode(c),
        },
        Encoding::Vni => match legacy::vni_char(c) {
            Some(VniChar::Mark) => Some(None),
            Some(VniChar::Letter(l)) => Some(Some(l)),
            None => fold_unicode(c),
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
    s.chars()
        .filter_map(|c| fold_unicode(c).flatten())
        .collect()
}

/// Tokenize `text` into syllables, appending them to `out`.
///
/// Offsets are `u32`: texts longer than 4 GiB are cut at 4 GiB (entries are far smaller).
pub fn syllables_into(text: &str, out: &mut Vec<Syllable>) {
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
        scan(text, 0, Encoding::Unicode, out);
        return;
    }
    let mut base = 0usize;
    for line in text.split_inclusive('\n') {
        let enc = legacy::detect_line(line);
        scan(line, base, enc, out);
        base += line.len();
    }
}

/// Tokenize `text` into a new vector.
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut v = Vec::with_capacity(text.len() / 5);
    syllables_into(text, &mut v);
    v
}

// ASCII class table: 0 = separator, else the lowercase byte.
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_digit() || b.is_ascii_lowercase() {
            b
        } else if b.is_ascii_uppercase() {
            b + 32
        } else {
            0
        };
        i += 1;
    }
    t
};

#[inline]
fn decode(b: &[u8], i: usize) -> (char, usize) {
    let at = |j: usize| u32::from(b.get(i + j).copied().unwrap_or(0x80) & 0x3F);
    let lead = u32::from(b[i]);
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

fn scan(text: &str, base: usize, enc: Encoding, out: &mut Vec<Syllable>) {
    let table = fold_table();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut in_word = false;
    let mut start = 0usize;
    let mut h = 0u64;
    let mut n = 0u32;
    let finish = |out: &mut Vec<Syllable>, start: usize, end: usize, h: u64, n: u32| {
        if n > 0 {
            out.push(Syllable {
                start: (base + start) as u32,
                end: (base + end) as u32,
                hash: hash_finish(h, n),
            });
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let f = ASCII_FOLD[b as usize];
            if f == 0 {
                if in_word {
                    finish(out, start, i, h, n);
                    in_word = false;
                }
            } else {
                if !in_word {
                    in_word = true;
                    start = i;
                    h = 0;
                    n = 0;
                }
                h = hash_step(h, u32::from(f));
                n += 1;
            }
            i += 1;
            continue;
        }
        // Non-ASCII: decode one char by hand (the text is valid UTF-8, i is on a boundary).
        let (c, len) = decode(bytes, i);
        match fold_char(table, c, enc) {
            None => {
                if in_word {
                    finish(out, start, i, h, n);
                    in_word = false;
                }
            }
            Some(folded) => {
                if !in_word {
                    in_word = true;
                    start = i;
                    h = 0;
                    n = 0;
                }
                if let Some(f) = folded {
                    h = hash_step(h, f as u32);
                    n += 1;
                }
            }
        }
        i += len;
    }
    if in_word {
        finish(out, start, bytes.len(), h, n);
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
        assert!(syllables("\u{0301}\u{0300} ,.;").is_empty());
        assert_eq!(syllables("a\u{0301}").len(), 1);
    }
}
