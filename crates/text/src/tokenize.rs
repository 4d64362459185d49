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
    if c == '\u{2019}' {
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

impl Iterator for Syllables<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.s.as_bytes();
        // Skip to the first letter, digit (or stray mark).
        let start = loop {
            let b = *bytes.get(self.pos)?;
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break self.pos;
                }
                self.pos += 1;
                continue;
            }
            let c = self.s.get(self.pos..)?.chars().next()?;
            if matches!(class(c), Class::Letter | Class::Digit | Class::Mark) {
                break self.pos;
            }
            self.pos += c.len_utf8();
        };
        let mut prev = Class::Other;
        let mut end = start;
        let mut i = start;
        while let Some(&b) = bytes.get(i) {
            let (c, len) = if b.is_ascii() {
                (char::from(b), 1)
            } else {
                match self.s.get(i..).and_then(|r| r.chars().next()) {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            match class(c) {
                Class::Letter | Class::Digit | Class::Mark => {
                    let cl = class(c);
                    prev = if cl == Class::Mark { prev } else { cl };
                    i += len;
                    end = i;
                }
                Class::Joiner => {
                    let next = self
                        .s
                        .get(i + len..)
                        .and_then(|r| r.chars().next())
                        .map(class);
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
