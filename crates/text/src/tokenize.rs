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
    /// Byte flags of the text from `block` (see [`block::Block`]).
    block: usize,
    flags: block::Block,
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
    /// Flags of the bytes from `at`.
    #[inline(never)]
    fn refill(&mut self, at: usize) {
        self.block = at;
        self.flags.fill(self.s.as_bytes(), at);
    }

    /// Offset of byte `i` in the current block, refilling it when `i` is outside.
    #[inline]
    fn offset(&mut self, i: usize) -> usize {
        match i.checked_sub(self.block) {
            Some(off) if off < block::LEN => off,
            _ => {
                self.refill(i);
                0
            }
        }
    }

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

/// Byte classes for [`Syllables::next`], a block at a time: one flag byte per text
/// byte, computed by a loop the compiler vectorizes, then searched eight flag
/// bytes at a time (a `u64` and a trailing-zero count), so that finding where a
/// syllable starts and ends takes no branch per byte.
mod block {
    /// Text bytes a block covers; its flags reach [`SPAN`] bytes, so that runs
    /// starting in the block can be followed for a few words without a refill.
    pub(super) const LEN: usize = 128;
    pub(super) const SPAN: usize = LEN + 32;
    const ONES: u64 = 0x0101_0101_0101_0101;

    /// The skip loop stops here: an ASCII letter or digit, or a non-ASCII byte.
    pub(super) const STOP_SKIP: u8 = 1;
    /// A syllable may start here: ASCII letter or digit, lead byte C3..C6 or E1.
    pub(super) const START_RUN: u8 = 2;
    /// Not a byte of a syllable run (run bytes: the above and continuation bytes).
    pub(super) const NOT_RUN: u8 = 4;
    /// Sends a syllable to the general code when inside its run or ending it: the
    /// second byte of × or ÷ (C3 97, C3 B7), a byte other than BA or BB after E1,
    /// a byte not of a run after a lead byte (a run cut inside a character).
    pub(super) const EXCEPTION: u8 = 8;
    /// ASCII that ends a syllable run before it: not a letter or digit, and not a
    /// joiner that joins (' between a letter and a letter or non-ASCII, . or ,
    /// between a digit and a digit or non-ASCII: those the general code decides).
    /// Bytes past the end of the text are zero, so they carry this and `NOT_RUN`.
    pub(super) const PLAIN_END: u8 = 16;

    /// Flags of byte `b` between `before` and `after`.
    #[inline]
    fn flags(before: u8, b: u8, after: u8) -> u8 {
        let is_digit = |x: u8| x.wrapping_sub(b'0') < 10;
        let is_letter = |x: u8| (x | 0x20).wrapping_sub(b'a') < 26;
        let is_lead = |x: u8| (x.wrapping_sub(0xC3) < 4) | (x == 0xE1);
        let alnum = is_letter(b) | is_digit(b);
        let high = b >= 0x80;
        let lead = is_lead(b);
        let run = alnum | lead | (b.wrapping_sub(0x80) < 0x40);
        let exception = ((before == 0xC3) & ((b | 0x20) == 0xB7))
            | ((before == 0xE1) & ((b | 1) != 0xBB))
            | (is_lead(before) & !run);
        // As the end check of `Syllables::finish` decides joiners: the run's last
        // byte counts as a digit or else as a letter.
        let after_ascii = after < 0x80;
        let dot_or_comma = (b == b'.') | (b == b',');
        let apostrophe = b == b'\'';
        let plain = !(high | alnum | dot_or_comma | apostrophe)
            | (dot_or_comma & (!is_digit(before) | (after_ascii & !is_digit(after))))
            | (apostrophe & (is_digit(before) | (after_ascii & !is_letter(after))));
        (u8::from(alnum | high) * STOP_SKIP)
            | (u8::from(alnum | lead) * START_RUN)
            | (u8::from(!run) * NOT_RUN)
            | (u8::from(exception) * EXCEPTION)
            | (u8::from(plain) * PLAIN_END)
    }

    /// Flags of the text bytes from a start (zero bytes past the end).
    #[derive(Clone, Debug)]
    pub(super) struct Block {
        flags: [u8; SPAN],
    }

    /// Flags of `window[1..=SPAN]`, each between its neighbours; the compiler
    /// vectorizes this loop.
    #[inline]
    fn compute(out: &mut [u8; SPAN], window: &[u8; SPAN + 2]) {
        for (j, f) in out.iter_mut().enumerate() {
            *f = flags(window[j], window[j + 1], window[j + 2]);
        }
    }

    impl Block {
        pub(super) fn new(bytes: &[u8], start: usize) -> Block {
            let mut b = Block { flags: [0; SPAN] };
            b.fill(bytes, start);
            b
        }

        /// Recomputes the flags for the bytes from `start`.
        pub(super) fn fill(&mut self, bytes: &[u8], start: usize) {
            let inside = start
                .checked_sub(1)
                .and_then(|from| bytes.get(from..from + SPAN + 2))
                .and_then(|w| <&[u8; SPAN + 2]>::try_from(w).ok());
            if let Some(window) = inside {
                compute(&mut self.flags, window);
                return;
            }
            // Near either end: a copy with the byte before and zero padding.
            let mut window = [0u8; SPAN + 2];
            if let Some(&b) = start.checked_sub(1).and_then(|i| bytes.get(i)) {
                window[0] = b;
            }
            let text = bytes.get(start..).unwrap_or_default();
            for (d, s) in window.iter_mut().skip(1).zip(text) {
                *d = *s;
            }
            compute(&mut self.flags, &window);
        }

        /// Flags of the eight bytes from `off` (at most `SPAN - 8`), byte k in bits 8k...
        #[inline]
        pub(super) fn word(&self, off: usize) -> u64 {
            self.flags
                .get(off..off + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(ONES * u64::from(NOT_RUN | PLAIN_END), u64::from_le_bytes)
        }
    }

    /// Eight flag bytes without the first byte's `EXCEPTION`.
    pub(super) const NOT_FIRST: u64 = !(EXCEPTION as u64);

    /// Flag byte `k` (0..=7) of `word`.
    #[inline]
    pub(super) fn byte(word: u64, k: usize) -> u8 {
        (word >> (8 * k)) as u8
    }

    /// Index of the first of eight flag bytes in `word` with `flag`, if any.
    #[inline]
    pub(super) fn first(word: u64, flag: u8) -> Option<usize> {
        let hits = word & (ONES * u64::from(flag));
        (hits != 0).then(|| (hits.trailing_zeros() / 8) as usize)
    }

    /// Whether any of the first `k` (0..=8) flag bytes in `word` has `flag`.
    #[inline]
    pub(super) fn any_below(word: u64, k: usize, flag: u8) -> bool {
        let below = if k >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * k)) - 1
        };
        word & below & (ONES * u64::from(flag)) != 0
    }
}

impl Syllables<'_> {
    /// The end of the run of syllable bytes from `start` (a `START_RUN` byte), and
    /// whether it holds an exception, for runs the fast path of `next` leaves.
    fn run_end(&mut self, start: usize) -> (usize, bool) {
        let mut exception = false;
        let mut e = start;
        loop {
            let off = self.offset(e);
            let mut word = self.flags.word(off);
            if e == start {
                // The first byte's flag looks at the byte before the run.
                word &= block::NOT_FIRST;
            }
            match block::first(word, block::NOT_RUN) {
                Some(k) => {
                    // Up to and including the stop: a lead byte before it is an exception.
                    exception |= block::any_below(word, k + 1, block::EXCEPTION);
                    return (e + k, exception);
                }
                None => {
                    exception |= block::any_below(word, 8, block::EXCEPTION);
                    e += 8;
                }
            }
        }
    }

    /// The syllable whose run of syllable bytes starts at `start`, when the fast
    /// path of `next` cannot decide it: long runs, exceptions, joiners, non-ASCII
    /// after the run.
    #[cold]
    #[inline(never)]
    fn finish(&mut self, start: usize) -> Option<Range<usize>> {
        let bytes = self.s.as_bytes();
        let (end, exception) = self.run_end(start);
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

    /// At `i`, a byte the skip loop stops at that cannot start a run: a non-ASCII
    /// character that the general code takes if it is a letter, digit or mark.
    /// Returns the position after it, or the syllable from the general code.
    #[cold]
    #[inline(never)]
    fn other_char(&mut self, i: usize) -> Result<usize, Option<Range<usize>>> {
        let bytes = self.s.as_bytes();
        let Some((c, len)) = char_at(bytes, i) else {
            self.pos = bytes.len();
            return Err(None);
        };
        if matches!(class(c), Class::Letter | Class::Digit | Class::Mark) {
            self.pos = i;
            return Err(self.next_general());
        }
        Ok(i + len)
    }
}

impl Iterator for Syllables<'_> {
    type Item = Range<usize>;

    /// Byte flags come a block at a time (see `block`), and the skip to the next
    /// syllable and its run are found eight bytes a step: on most syllables both
    /// take one step, with no branch per byte.
    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        let len = self.s.len();
        let mut i = self.pos;
        loop {
            if i >= len {
                self.pos = len;
                return None;
            }
            let off = self.offset(i);
            let skip = self.flags.word(off);
            let Some(k) = block::first(skip, block::STOP_SKIP) else {
                i += 8;
                continue;
            };
            i += k;
            // Bytes past the end are zero, never a stop: `i` is inside the text.
            if block::byte(skip, k) & block::START_RUN == 0 {
                match self.other_char(i) {
                    Ok(next) => {
                        i = next;
                        continue;
                    }
                    Err(found) => return found,
                }
            }
            // The run, when it ends on plain ASCII (a space, or punctuation that
            // does not join) without an exception within the block's flags;
            // `off + k` is below LEN + 8, so the first read stays inside.
            let mut at = off + k;
            let mut run = self.flags.word(at) & block::NOT_FIRST;
            loop {
                if let Some(n) = block::first(run, block::NOT_RUN) {
                    if !block::any_below(run, n + 1, block::EXCEPTION)
                        && block::byte(run, n) & block::PLAIN_END != 0
                    {
                        let end = i + (at - off - k) + n;
                        self.pos = end;
                        return Some(i..end);
                    }
                    break;
                }
                if block::any_below(run, 8, block::EXCEPTION) || at + 16 > block::SPAN {
                    break;
                }
                at += 8;
                run = self.flags.word(at);
            }
            return self.finish(i);
        }
    }
}

/// Byte ranges of the syllables (letter/digit runs) of `s`.
pub fn syllables(s: &str) -> Syllables<'_> {
    Syllables {
        s,
        pos: 0,
        block: 0,
        flags: block::Block::new(s.as_bytes(), 0),
    }
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
    fn matches_oracle_on_long_tricky_strings() {
        // Runs and gaps longer than the eight bytes the fast path takes at a time,
        // and every alignment of them against the end of the text.
        let parts = crate::normalize::tests::tricky_strings(60_000);
        for group in parts.chunks(6) {
            let s = group.concat();
            for cut in 0..s.len().min(24) {
                if let Some(tail) = s.get(cut..) {
                    check_against_oracle(tail);
                }
            }
        }
        for s in [
            "Nghiêngnghiêngnghiêng",
            "abcdefgh×ijklmnop",
            "abcdefg×",
            "abcdefgh\u{E1}\u{80}\u{80}xyz",
            "1234567.8901234,56789",
            "........a",
            "a        b",
            "don'tdon'tdon't",
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
