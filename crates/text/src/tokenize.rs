//! Syllable tokenizer with byte offsets, and editor-compatible counts.
//!
//! A syllable is a maximal run of letters, digits and combining marks. Inside a
//! run, an apostrophe between two letters ("don't") and '.' or ',' between two
//! digits ("1.000,5") do not split it. Hyphens and all other punctuation split.

use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Mark,
    Joiner,
    Other,
}

#[inline]
fn class(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            '\'' | '.' | ',' => Class::Joiner,
            _ => Class::Other,
        };
    }
    if crate::chars::vowel(c).is_some() || matches!(c, 'đ' | 'Đ') {
        // Vietnamese letters first: a table lookup instead of the Unicode property search.
        Class::Letter
    } else if c == '\u{2019}' {
        Class::Joiner
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Digit
    } else if is_mark(c) {
        Class::Mark
    } else {
        Class::Other
    }
}

/// Combining marks (general category M*), approximated by the ranges text uses.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
        || unicode_normalization::char::canonical_combining_class(c) != 0
}

/// Iterator over syllable byte ranges; see [`syllables`].
#[derive(Clone, Debug)]
pub struct Syllables<'a> {
    s: &'a str,
    pos: usize,
}

/// Decodes the char starting at byte `i` of valid UTF-8 (None past the end).
#[inline]
pub(crate) fn char_at(bytes: &[u8], i: usize) -> Option<(char, usize)> {
    let b0 = *bytes.get(i)?;
    let (len, mut code) = match b0 {
        0..=0x7F => return Some((char::from(b0), 1)),
        0xC0..=0xDF => (2, u32::from(b0 & 0x1F)),
        0xE0..=0xEF => (3, u32::from(b0 & 0x0F)),
        _ => (4, u32::from(b0 & 0x07)),
    };
    for k in 1..len {
        code = (code << 6) | u32::from(bytes.get(i + k)? & 0x3F);
    }
    Some((char::from_u32(code)?, len))
}

impl Iterator for Syllables<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.s.as_bytes();
        // Skip to the first letter, digit (or stray mark).
        let start = loop {
            let b = *bytes.get(self.pos)?;
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break self.pos;
                }
                self.pos += 1;
                continue;
            }
            let (c, len) = char_at(bytes, self.pos)?;
            if matches!(class(c), Class::Letter | Class::Digit | Class::Mark) {
                break self.pos;
            }
            self.pos += len;
        };
        let mut prev = Class::Other;
        let mut end = start;
        let mut i = start;
        loop {
            // Tight loop over ASCII letters and digits, the bulk of most tokens.
            // Also takes the UTF-8 forms of Latin letters straight from their bytes:
            // U+00C0..U+01BF (lead bytes C3..C6, except × and ÷) and U+1E80..U+1EFF
            // (E1 BA/BB), which hold every precomposed Vietnamese letter.
            loop {
                match bytes.get(i).copied() {
                    Some(b) if b.is_ascii_alphabetic() => {
                        prev = Class::Letter;
                        i += 1;
                    }
                    Some(b) if b.is_ascii_digit() => {
                        prev = Class::Digit;
                        i += 1;
                    }
                    Some(0xC3..=0xC6)
                        if !(bytes.get(i) == Some(&0xC3)
                            && matches!(bytes.get(i + 1), Some(0x97 | 0xB7))) =>
                    {
                        prev = Class::Letter;
                        i += 2;
                    }
                    Some(0xE1) if matches!(bytes.get(i + 1), Some(0xBA | 0xBB)) => {
                        prev = Class::Letter;
                        i += 3;
                    }
                    _ => break,
                }
            }
            end = end.max(i);
            let Some((c, len)) = char_at(bytes, i) else {
                break;
            };
            match class(c) {
                Class::Letter | Class::Digit => {
                    prev = class(c);
                    i += len;
                    end = i;
                }
                Class::Mark => {
                    i += len;
                    end = i;
                }
                Class::Joiner => {
                    let next = char_at(bytes, i + len).map(|(n, _)| class(n));
                    let joins = match c {
                        '.' | ',' => prev == Class::Digit && next == Some(Class::Digit),
                        _ => prev == Class::Letter && next == Some(Class::Letter),
                    };
                    if !joins {
                        break;
                    }
                    i += len;
                }
                Class::Other => break,
            }
        }
        self.pos = end.max(start + 1);
        Some(start..end.max(start))
    }
}

/// Byte ranges of the syllables (letter/digit runs) of `s`.
pub fn syllables(s: &str) -> Syllables<'_> {
    Syllables { s, pos: 0 }
}

/// Number of syllables as [`syllables`] finds them.
pub fn syllable_count(s: &str) -> usize {
    syllables(s).count()
}

/// Word count as LibreOffice Writer and Word show it: whitespace-separated
/// tokens that contain at least one letter or digit.
pub fn word_count(s: &str) -> usize {
    s.split(char::is_whitespace)
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        syllables(s).map(|r| &s[r]).collect()
    }

    #[test]
    fn splits_syllables() {
        assert_eq!(
            toks("Cộng hoà xã hội, chủ nghĩa!"),
            ["Cộng", "hoà", "xã", "hội", "chủ", "nghĩa"]
        );
        assert_eq!(
            toks("COVID-19 năm 2.000,5 don't"),
            ["COVID", "19", "năm", "2.000,5", "don't"]
        );
        assert_eq!(toks("a. 1. b'"), ["a", "1", "b"]);
        // NFD: the marks stay inside the syllable.
        assert_eq!(
            toks("Vie\u{323}\u{302}t Nam"),
            ["Vie\u{323}\u{302}t", "Nam"]
        );
        assert_eq!(toks(""), Vec::<&str>::new());
        assert_eq!(toks("\u{301}a"), ["\u{301}a"]);
    }

    #[test]
    fn counts() {
        let s = "Lớp bồi dưỡng – nghiệp vụ năm 2024 (đợt 1) ...";
        assert_eq!(word_count(s), 9);
        assert_eq!(syllable_count(s), 9);
        assert_eq!(word_count("e-mail, COVID-19"), 2);
        assert_eq!(syllable_count("e-mail, COVID-19"), 4);
        assert_eq!(word_count(" \n\t"), 0);
    }
}
