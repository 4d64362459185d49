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

/// Byte classes for the tokenizer, indexed by a UTF-8 lead byte.
const T_OTHER: u8 = 0;
const T_LETTER: u8 = 1;
const T_DIGIT: u8 = 2;
/// Non-ASCII lead bytes decided by the general code (and the ASCII joiners).
const T_SLOW: u8 = 3;
/// C3..C6: U+00C0..U+01BF, all letters except × and ÷.
const T_LATIN: u8 = 4;
/// E1: letters when followed by BA/BB (U+1E80..U+1EFF).
const T_E1: u8 = 5;

static T_CLASS: [u8; 256] = {
    let mut t = [T_SLOW; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => T_LETTER,
            b'0'..=b'9' => T_DIGIT,
            b'\'' | b'.' | b',' => T_SLOW,
            _ => T_OTHER,
        };
        b += 1;
    }
    let mut b = 0xC3;
    while b <= 0xC6 {
        t[b] = T_LATIN;
        b += 1;
    }
    t[0xE1] = T_E1;
    t
};

/// True for the Latin letters the table takes whole: `b` is a `T_LATIN` or `T_E1` lead.
#[inline]
fn table_letter(bytes: &[u8], i: usize, b: u8) -> bool {
    let next = bytes.get(i + 1).copied();
    if b == 0xE1 {
        matches!(next, Some(0xBA | 0xBB))
    } else {
        !(b == 0xC3 && matches!(next, Some(0x97 | 0xB7)))
    }
}

#[cfg(test)]
thread_local! {
    /// Calls of the general tokenizer, to check that the fast path does the bulk.
    static GENERAL_CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Syllables<'_> {
    /// The general tokenizer, for whatever the fast path leaves to it.
    #[cold]
    #[inline(never)]
    fn next_general(&mut self) -> Option<Range<usize>> {
        #[cfg(test)]
        GENERAL_CALLS.with(|n| n.set(n.get() + 1));
        let bytes = self.s.as_bytes();
        // Skip to the first letter, digit (or stray mark).
        let start = loop {
            let b = *bytes.get(self.pos)?;
            match T_CLASS[usize::from(b)] {
                T_LETTER | T_DIGIT => break self.pos,
                T_OTHER => self.pos += 1,
                T_LATIN | T_E1 if table_letter(bytes, self.pos, b) => break self.pos,
                _ => {
                    let (c, len) = char_at(bytes, self.pos)?;
                    if matches!(class(c), Class::Letter | Class::Digit | Class::Mark) {
                        break self.pos;
                    }
                    self.pos += len;
                }
            }
        };
        let mut prev = Class::Other;
        let mut end = start;
        let mut i = start;
        loop {
            // Table loop over ASCII letters and digits and the UTF-8 forms of Latin
            // letters (U+00C0..U+01BF and U+1E80..U+1EFF, which hold every precomposed
            // Vietnamese letter); other ASCII ends the syllable without decoding.
            let mut ended = false;
            while let Some(&b) = bytes.get(i) {
                match T_CLASS[usize::from(b)] {
                    T_LETTER => {
                        prev = Class::Letter;
                        i += 1;
                    }
                    T_DIGIT => {
                        prev = Class::Digit;
                        i += 1;
                    }
                    T_OTHER => {
                        ended = true;
                        break;
                    }
                    T_LATIN if table_letter(bytes, i, b) => {
                        prev = Class::Letter;
                        i += 2;
                    }
                    T_E1 if table_letter(bytes, i, b) => {
                        prev = Class::Letter;
                        i += 3;
                    }
                    _ => break,
                }
            }
            end = end.max(i);
            if ended {
                break;
            }
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

/// Per-byte flags of the syllable run loop ([`Syllables::next`]).
/// Bits 0-1: this byte is wrong after C3 (× and ÷) / after E1 (not BA or BB).
const RUN_AFTER_C3: u8 = 1;
const RUN_AFTER_E1: u8 = 2;
/// Bits 2-3: this byte is C3 / E1 (shifted right by 2 they select bits 0-1).
const RUN_IS_C3: u8 = 4;
const RUN_IS_E1: u8 = 8;
/// Not part of a run: ends it.
const RUN_STOP: u8 = 16;

/// Run bytes: ASCII letters and digits, the lead bytes of the Latin letters the
/// table takes whole (C3..C6, E1) and continuation bytes; the exceptions (× and
/// ÷, E1 outside BA/BB) are found branch-free with the bits above.
static RUN: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let x = b as u8;
        let mut f = 0;
        if !matches!(x, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | 0x80..=0xBF | 0xC3..=0xC6 | 0xE1)
        {
            f |= RUN_STOP;
        }
        if x == 0x97 || x == 0xB7 {
            f |= RUN_AFTER_C3;
        }
        if x != 0xBA && x != 0xBB {
            f |= RUN_AFTER_E1;
        }
        if x == 0xC3 {
            f |= RUN_IS_C3;
        }
        if x == 0xE1 {
            f |= RUN_IS_E1;
        }
        t[b] = f;
        b += 1;
    }
    t
};

/// How the skip loop of [`Syllables::next`] treats a byte.
const START_SKIP: u8 = 0;
const START_RUN: u8 = 1;
const START_OTHER: u8 = 2;

static START: [u8; 256] = {
    let mut t = [START_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | 0xC3..=0xC6 | 0xE1 => START_RUN,
            b'\'' | b'.' | b',' => START_SKIP,
            0..=0x7F => START_SKIP,
            _ => START_OTHER,
        };
        b += 1;
    }
    t
};

impl Iterator for Syllables<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.s.as_bytes();
        let mut i = self.pos;
        // Skip to the first letter or digit; anything else that may start a
        // syllable goes to the general code.
        let start = loop {
            let Some(&b) = bytes.get(i) else {
                self.pos = i;
                return None;
            };
            match START[usize::from(b)] {
                START_SKIP => i += 1,
                // × and ÷ and E1 outside BA/BB are caught as exceptions of the run.
                START_RUN => break i,
                _ => {
                    let (c, len) = char_at(bytes, i)?;
                    if matches!(class(c), Class::Letter | Class::Digit | Class::Mark) {
                        self.pos = i;
                        return self.next_general();
                    }
                    i += len;
                }
            }
        };
        // The run of syllable bytes: one table lookup per byte and branch-free
        // checks for the exceptions, so the loop only mispredicts at its end.
        let mut exception = 0u8;
        let mut last = 0u8;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            let f = RUN[usize::from(b)];
            if f & RUN_STOP != 0 {
                break;
            }
            exception |= (last >> 2) & f;
            last = f;
            end += 1;
        }
        // A run ending on a lead byte is cut inside a character: not modelled here.
        let exception = exception & 3 != 0
            || last & (RUN_IS_C3 | RUN_IS_E1) != 0
            || matches!(bytes.get(end.wrapping_sub(1)), Some(0xC4..=0xC6));
        let ends_here = match bytes.get(end) {
            _ if exception => false,
            None => true,
            Some(&b) if b < 0x80 && !matches!(b, b'\'' | b'.' | b',') => true,
            Some(&b) if b < 0x80 => {
                // ASCII that is not a letter or digit: a joiner ends the syllable
                // unless it joins, which the general code decides.
                let last = bytes.get(end - 1).copied().unwrap_or(0);
                let prev_class = if last.is_ascii_digit() {
                    Class::Digit
                } else {
                    Class::Letter
                };
                match (b, bytes.get(end + 1)) {
                    (_, None) => true,
                    (b'\'', Some(&n)) => {
                        prev_class != Class::Letter || (n < 0x80 && !n.is_ascii_alphabetic())
                    }
                    (b'.' | b',', Some(&n)) => {
                        prev_class != Class::Digit || (n < 0x80 && !n.is_ascii_digit())
                    }
                    _ => true,
                }
            }
            Some(_) => char_at(bytes, end).is_some_and(|(c, _)| class(c) == Class::Other),
        };
        if !ends_here {
            self.pos = start;
            return self.next_general();
        }
        self.pos = end;
        Some(start..end)
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

    /// The tokenizer before the byte-table rewrite, kept as the oracle.
    struct Oracle<'a> {
        s: &'a str,
        pos: usize,
    }

    impl Iterator for Oracle<'_> {
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

    #[test]
    fn fast_run_ends_match_classes() {
        // The run loop treats these lead and continuation bytes as letters.
        for c in ('\u{C0}'..='\u{1BF}').chain('\u{1E80}'..='\u{1EFF}') {
            let want = if matches!(c, '×' | '÷') {
                Class::Other
            } else {
                Class::Letter
            };
            assert!(class(c) == want, "{c:?}");
        }
    }

    fn syllables_of(s: &str) -> usize {
        syllables(s).count()
    }

    fn check_against_oracle(s: &str) {
        let got: Vec<_> = syllables(s).collect();
        let want: Vec<_> = Oracle { s, pos: 0 }.collect();
        assert_eq!(got, want, "{s:?}");
    }

    #[test]
    fn matches_oracle_on_tricky_strings() {
        for s in crate::normalize::tests::tricky_strings(300_000) {
            check_against_oracle(&s);
        }
        for s in [
            "don't",
            "a'b",
            "a\u{2019}b",
            "1.000,5",
            "1.a",
            "a.1",
            "×a÷",
            "a×",
            "ẁ\u{1E9E}ỹ",
            "\u{301}a",
            "Vie\u{323}\u{302}t",
            "x\u{E1}",
            "\u{E1}\u{BA}",
            "ǅa",
            "東京",
            "a\u{2019}",
        ] {
            check_against_oracle(s);
        }
    }

    #[test]
    fn matches_oracle_on_real_text() {
        let Some(paras) = crate::normalize::tests::real_paragraphs() else {
            return;
        };
        let mut syllables = 0;
        GENERAL_CALLS.with(|n| n.set(0));
        for p in &paras {
            check_against_oracle(p);
            let clean = crate::normalize_str(p);
            check_against_oracle(&clean);
            syllables += syllables_of(&clean);
        }
        // Counted over three passes per paragraph; the fast path must do nearly all.
        let general = GENERAL_CALLS.with(std::cell::Cell::get);
        assert!(general * 100 <= syllables * 3, "{general} of {syllables}");
    }
}
