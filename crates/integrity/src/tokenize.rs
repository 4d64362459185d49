//! Fused tokenize + fold + hash: one pass over the original text that yields syllables
//! with their byte range in the original and a hash of their folded form.
//!
//! Folding for matching: lowercase, every diacritic removed (so NFC/NFD and both
//! tone-placement styles give the same result), đ/Đ/ð/Ð -> d, legacy look-alikes
//! (TCVN3, VNI; detected per line) decoded to their folded letters.
//! A syllable is a maximal run of letters, digits and combining marks.

use std::sync::OnceLock;

use unicode_normalization::char::decompose_canonical;

use crate::legacy::{self, Detected, Encoding, VniChar};

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

/// Tokenize `text` into syllables, appending them to `out`: the bare tokenizer, every
/// run of letters and digits is a syllable (URLs, numbers and quotes included). Copy
/// detection uses [`tokens_into`], which keeps prose apart.
///
/// Offsets are `u32`: texts longer than 4 GiB are cut at 4 GiB (entries are far smaller).
pub fn syllables_into(text: &str, out: &mut Vec<Syllable>) {
    run::<false>(text, out, &mut Vec::new(), &mut Vec::new());
}

/// Call `emit` for every syllable of `text`, in order (the bare tokenizer).
pub fn for_each_syllable(text: &str, mut emit: impl FnMut(Syllable)) {
    let mut v = Vec::new();
    syllables_into(text, &mut v);
    v.into_iter().for_each(&mut emit);
}

/// Tokenize `text` into a new vector (the bare tokenizer).
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut v = Vec::with_capacity(text.len() / 5);
    syllables_into(text, &mut v);
    v
}

/// What a run of tokens is, for copy detection.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PassageKind {
    /// The writer's own prose (the default).
    #[default]
    Prose,
    /// Inside quotation marks (“…”, "…", «…»).
    Quote,
    /// A reference list (after a heading such as "Tài liệu tham khảo", "Nguồn",
    /// "Chú thích") or a line that is mainly a citation (source, link, date).
    Citation,
}

/// A run of tokens `[start, end)` (token numbers) that is not prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneRun {
    /// First token.
    pub start: u32,
    /// One past the last token.
    pub end: u32,
    /// Quote or citation.
    pub kind: PassageKind,
}

/// Tokens of a text for copy detection: syllables of prose, with technical chunks
/// (URLs, e-mail addresses, file paths, file and domain names, code) left out and
/// numbers with separators (dates, versions, codes such as 29-NQ/TW) counted as one
/// token each; plus the runs of tokens that are quotes or citations (sorted, disjoint).
/// See docs/decisions/0007-prose-quotes-citations.md.
pub fn tokens_into(text: &str, syl: &mut Vec<Syllable>, zones: &mut Vec<ZoneRun>) {
    let mut marks = Vec::new();
    run::<true>(text, syl, zones, &mut marks);
}

/// [`tokens_into`], and the marks that left-out numbers, links and code put on the
/// token that follows them: `(token number in this text, mark)`, ascending. Copy
/// detection folds a token's mark into its alignment key ([`crate::align::keys_into`]),
/// so that two texts match across a number only where the numbers agree: a sentence
/// template shared with other numbers ("Theo Chỉ thị số … ngày …: …% với … người") is
/// not one passage of prose with the words around it (decision 0009).
pub fn tokens_marked_into(
    text: &str,
    syl: &mut Vec<Syllable>,
    zones: &mut Vec<ZoneRun>,
    marks: &mut Vec<(u32, u16)>,
) {
    run::<true>(text, syl, zones, marks);
}

/// The kind of token `i` given the zone runs of its text.
pub fn kind_at(zones: &[ZoneRun], i: u32) -> PassageKind {
    let at = zones.partition_point(|z| z.end <= i);
    match zones.get(at) {
        Some(z) if z.start <= i => z.kind,
        _ => PassageKind::Prose,
    }
}

fn run<const PROSE: bool>(
    text: &str,
    out: &mut Vec<Syllable>,
    zones: &mut Vec<ZoneRun>,
    marks: &mut Vec<(u32, u16)>,
) {
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
    let (out0, zones0) = (out.len(), zones.len());
    let marks0 = marks.len();
    let mut st = State::new(out0, zones0, std::mem::take(marks));
    // The whole text as Unicode, watching for two telltale legacy characters; only a
    // text that has them is taken again line by line (most never are: no extra pass).
    let legacy_seen = scan::<PROSE>(
        text,
        0,
        text.len(),
        Encoding::Unicode,
        out,
        zones,
        &mut st,
        true,
    );
    if legacy_seen {
        out.truncate(out0);
        zones.truncate(zones0);
        let mut m = std::mem::take(&mut st.marks);
        m.truncate(marks0);
        st = State::new(out0, zones0, m);
        let mut base = 0usize;
        for line in text.split_inclusive('\n') {
            match legacy::detect_mixed(line) {
                Detected::One(enc) => {
                    scan::<PROSE>(
                        text,
                        base,
                        base + line.len(),
                        enc,
                        out,
                        zones,
                        &mut st,
                        false,
                    );
                }
                Detected::Mixed => {
                    let mut at = base;
                    for (piece, enc, legacy_enc, lead) in legacy::clauses(line) {
                        match enc {
                            Some(enc) => {
                                scan::<PROSE>(
                                    text,
                                    at,
                                    at + piece.len(),
                                    enc,
                                    out,
                                    zones,
                                    &mut st,
                                    false,
                                );
                            }
                            None => {
                                // Still mixed (a pasted clause without its full stop):
                                // word by word, with the legacy encoding of its neighbours.
                                for (w, enc) in legacy::words(piece, legacy_enc, lead) {
                                    scan::<PROSE>(
                                        text,
                                        at,
                                        at + w.len(),
                                        enc,
                                        out,
                                        zones,
                                        &mut st,
                                        false,
                                    );
                                    at += w.len();
                                }
                                continue;
                            }
                        }
                        at += piece.len();
                    }
                }
            }
            base += line.len();
        }
    }
    if PROSE {
        st.end_chunk(text, text.len(), out);
        st.end_line(text, text.len(), out, zones);
    }
    *marks = std::mem::take(&mut st.marks);
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

// Classes of ASCII separator bytes for the prose-aware pass.
const C_WS: u8 = 1;
const C_NL: u8 = 2;
const C_QUOTE: u8 = 4;
/// Evidence that a whitespace-separated chunk may be technical (URL, path, code, number).
const C_TECH: u8 = 8;

const fn byte_classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    t[b' ' as usize] = C_WS;
    t[b'\t' as usize] = C_WS;
    t[b'\r' as usize] = C_WS;
    t[0x0B] = C_WS;
    t[0x0C] = C_WS;
    t[b'\n' as usize] = C_WS | C_NL;
    t[b'"' as usize] = C_QUOTE;
    let tech = b"/\\:@_=$%&?#~{}|+<>-*^`[]";
    let mut i = 0;
    while i < tech.len() {
        t[tech[i] as usize] = C_TECH;
        i += 1;
    }
    t
}
static CLASSES: [u8; 128] = byte_classes();

/// Chunk flag: a '.' between two letters (domain or file name, or a missing space).
const F_DOT: u8 = 16;

/// State of the prose-aware pass that lives across legacy pieces of one text.
struct State {
    /// First token of the text in the output (texts are appended).
    first_tok: usize,
    zones_from: usize,
    chunk_start: usize,
    chunk_tok: usize,
    chunk_flags: u8,
    line_tok: usize,
    line_tech: u32,
    /// Numbers left out in this line; one of them a date or code; one a year.
    line_numbers: u32,
    line_dated: bool,
    line_year: bool,
    /// Still in the opening block of short heading lines (contest name, title, author).
    opening: bool,
    quote_tok: Option<usize>,
    in_refs: bool,
    /// Mark of the numbers, links or code left out since the last token (0: none);
    /// goes to the next token.
    mark: u64,
    /// `mark` as it was when the current chunk began.
    chunk_mark: u64,
    /// Marks given to tokens: (token number in the text, mark).
    marks: Vec<(u32, u16)>,
}

impl State {
    fn new(first_tok: usize, zones_from: usize, marks: Vec<(u32, u16)>) -> Self {
        State {
            first_tok,
            zones_from,
            chunk_start: 0,
            chunk_tok: first_tok,
            chunk_flags: 0,
            line_tok: first_tok,
            line_tech: 0,
            line_numbers: 0,
            line_dated: false,
            line_year: false,
            opening: true,
            quote_tok: None,
            in_refs: false,
            mark: 0,
            chunk_mark: 0,
            marks,
        }
    }

    /// A whitespace character at byte `at` ends the current chunk. The common case (a
    /// chunk of ordinary words) is inlined into the tokenizer's loop; a chunk with
    /// technical evidence goes to [`State::classify_chunk_end`].
    #[inline(always)]
    fn end_chunk(&mut self, text: &str, at: usize, out: &mut Vec<Syllable>) {
        if self.chunk_flags != 0 {
            self.classify_chunk_end(text, at, out);
        }
        self.chunk_flags = 0;
        self.chunk_start = at + 1;
        self.chunk_tok = out.len();
        self.chunk_mark = self.mark;
    }

    /// A token is about to be pushed at `out.len()`: it takes the pending mark.
    #[inline(always)]
    fn take_mark(&mut self, at: usize) {
        if self.mark != 0 {
            self.give_mark(at);
        }
    }

    #[inline(never)]
    fn give_mark(&mut self, at: usize) {
        let m = (self.mark >> 48) as u16 | 1;
        self.marks.push(((at - self.first_tok) as u32, m));
        self.mark = 0;
    }

    /// The tokens of the current chunk were left out (`text` was the chunk): marks
    /// they took go back, and the chunk's own mark goes to the next token.
    fn drop_chunk_marks(&mut self, chunk: &str) {
        let from = (self.chunk_tok - self.first_tok) as u32;
        while self.marks.last().is_some_and(|m| m.0 >= from) {
            self.marks.pop();
        }
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        self.mark = mark_mix(self.chunk_mark, core.as_bytes());
    }

    #[inline(never)]
    fn classify_chunk_end(&mut self, text: &str, at: usize, out: &mut Vec<Syllable>) {
        if out.len() > self.chunk_tok {
            match classify_chunk(text.get(self.chunk_start..at).unwrap_or("")) {
                Chunk::Prose => {}
                Chunk::Drop => {
                    out.truncate(self.chunk_tok);
                    self.drop_chunk_marks(text.get(self.chunk_start..at).unwrap_or(""));
                    self.line_tech += 1;
                }
                Chunk::Number => {
                    out.truncate(self.chunk_tok);
                    self.drop_chunk_marks(text.get(self.chunk_start..at).unwrap_or(""));
                    self.line_numbers += 1;
                    self.line_dated = true;
                }
            }
        }
    }

    /// A number (digits only) was left out.
    #[cold]
    fn number(&mut self, bytes: &[u8], start: usize, end: usize) {
        self.line_numbers += 1;
        self.mark = mark_mix(self.mark, bytes.get(start..end).unwrap_or(&[]));
        if end - start == 4 && matches!(bytes.get(start..start + 2), Some(b"19") | Some(b"20")) {
            self.line_year = true;
        }
    }

    #[inline]
    fn open_quote(&mut self, out: &[Syllable]) {
        self.quote_tok = Some(out.len());
    }

    fn close_quote(&mut self, out: &[Syllable], zones: &mut Vec<ZoneRun>) {
        if let Some(q) = self.quote_tok.take() {
            let q = q.min(out.len());
            if out.len() > q {
                zones.push(ZoneRun {
                    start: (q - self.first_tok) as u32,
                    end: (out.len() - self.first_tok) as u32,
                    kind: PassageKind::Quote,
                });
            }
        }
    }

    /// A line (paragraph) ends: close an open quote, and decide whether the line is a
    /// reference-list heading, a citation, or prose.
    fn end_line(&mut self, text: &str, at: usize, out: &[Syllable], zones: &mut Vec<ZoneRun>) {
        self.close_quote(out, zones);
        let from = self.line_tok.min(out.len());
        let line = &out[from..];
        if !line.is_empty() {
            let stats = LineStats {
                tech: self.line_tech,
                numbers: self.line_numbers,
                dated: self.line_dated,
                year: self.line_year,
            };
            let mut verdict = line_verdict(text, line, &stats, self.in_refs);
            if self.opening && matches!(verdict, Line::ListItem | Line::Prose) {
                // A short line without a full stop before the first sentence: the
                // heading block every entry of a contest repeats.
                let last = text.as_bytes()[..at.min(text.len())]
                    .iter()
                    .rev()
                    .find(|b| !b.is_ascii_whitespace())
                    .copied();
                if line.len() <= OPENING_LINE_MAX && !matches!(last, Some(b'.' | b'!' | b'?')) {
                    verdict = Line::Citation;
                } else {
                    self.opening = false;
                }
            }
            let citation = match verdict {
                Line::Heading => {
                    self.in_refs = true;
                    true
                }
                Line::Citation => true,
                Line::Prose => {
                    self.in_refs = false;
                    false
                }
                Line::ListItem => self.in_refs,
            };
            if citation {
                let start = (from - self.first_tok) as u32;
                // Quotes inside a citation line are part of the citation.
                while zones.len() > self.zones_from
                    && zones.last().is_some_and(|z| z.start >= start)
                {
                    zones.pop();
                }
                zones.push(ZoneRun {
                    start,
                    end: (out.len() - self.first_tok) as u32,
                    kind: PassageKind::Citation,
                });
            }
        }
        self.line_tok = out.len();
        self.line_tech = 0;
        self.line_numbers = 0;
        self.line_dated = false;
        self.line_year = false;
    }
}

#[allow(clippy::too_many_arguments)]
fn scan<const PROSE: bool>(
    full: &str,
    from: usize,
    to: usize,
    enc: Encoding,
    out: &mut Vec<Syllable>,
    zones: &mut Vec<ZoneRun>,
    st: &mut State,
    watch: bool,
) -> bool {
    let table = fold_table();
    let mut evidence = 0u32;
    let bytes = &full.as_bytes()[..to];
    let mut i = from;
    let mut in_word = false;
    let mut start = 0usize;
    let mut end = 0usize;
    let mut h = 0u64;
    let mut n = 0u32;
    let mut prev = Prev::None;
    // The syllable so far has digits and no letter: a number, not a token of prose.
    let mut digits_only = false;
    macro_rules! finish {
        () => {
            if PROSE && digits_only {
                st.number(bytes, start, end);
            } else {
                if PROSE {
                    st.take_mark(out.len());
                }
                out.push(Syllable {
                    start: start as u32,
                    end: end as u32,
                    hash: hash_finish(h, n),
                });
            }
            in_word = false;
        };
    }
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
                digits_only = false;
                h = hash_step(h, u32::from(lower));
                n += 1;
                prev = Prev::Letter;
                i += 1;
                end = i;
                continue;
            }
            if !b.is_ascii_digit() && !matches!(b, b'\'' | b'.' | b',') {
                if in_word {
                    finish!();
                }
                if PROSE {
                    let c = CLASSES[b as usize];
                    if c != 0 {
                        if c & C_WS != 0 {
                            st.end_chunk(full, i, out);
                            if c & C_NL != 0 {
                                st.end_line(full, i, out, zones);
                            }
                        } else if c & C_QUOTE != 0 {
                            if st.quote_tok.is_some() {
                                st.close_quote(out, zones);
                            } else {
                                st.open_quote(out);
                            }
                        } else {
                            st.chunk_flags |= c;
                        }
                    }
                }
                i += 1;
                continue;
            }
        }
        let (c, len) = decode(bytes, i);
        if watch && (c as u32) < 0x100 && in_word && prev == Prev::Letter && legacy::is_evidence(c)
        {
            evidence += 1;
            if evidence >= 2 {
                return true;
            }
        }
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
                    digits_only = true;
                }
                digits_only &= digit;
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
                if in_word {
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
                    if PROSE && j == '.' && next != Prev::None {
                        st.chunk_flags |= F_DOT;
                    }
                    finish!();
                }
                i += len;
                continue;
            }
            Fold::Sep => {
                if in_word {
                    finish!();
                }
                if PROSE {
                    match c {
                        '“' | '«' => st.open_quote(out),
                        '”' | '»' => st.close_quote(out, zones),
                        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => {
                            st.end_chunk(full, i + len - 1, out)
                        }
                        '\u{85}' | '\u{2028}' | '\u{2029}' => {
                            st.end_chunk(full, i + len - 1, out);
                            st.end_line(full, i, out, zones);
                        }
                        _ => {}
                    }
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
            digits_only = true;
        }
        digits_only &= class == Prev::Digit || f == Fold::Mark;
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
        if PROSE && digits_only {
            st.number(bytes, start, end);
        } else {
            if PROSE {
                st.take_mark(out.len());
            }
            out.push(Syllable {
                start: start as u32,
                end: end as u32,
                hash: hash_finish(h, n),
            });
        }
    }
    false
}

/// A mark that adds `bytes` (a left-out number, link or code) to mark `m`; never 0.
fn mark_mix(m: u64, bytes: &[u8]) -> u64 {
    let h = bytes
        .iter()
        .fold(m.rotate_left(29) ^ 0x5851_F42D_4C95_7F2D, |h, &b| {
            hash_step(h, u32::from(b))
        });
    hash_finish(h, bytes.len() as u32) | 1
}

/// What a whitespace-separated chunk with technical evidence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    /// Ordinary words (Mác-Lênin, và/hoặc, TP.HCM).
    Prose,
    /// URL, e-mail address, file path, file or domain name, code: no token.
    Drop,
    /// Number with separators (date, time, version, document code such as 29-NQ/TW):
    /// no token either, but noted for citation lines.
    Number,
}

/// File-name extensions and top-level domains that make `a.b` a name, not two words
/// with a missing space after the full stop.
const NAME_ENDINGS: &[&str] = &[
    "com", "org", "net", "vn", "gov", "edu", "int", "info", "io", "html", "htm", "php", "asp",
    "aspx", "jsp", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt", "rtf",
    "jpg", "jpeg", "png", "gif", "svg", "zip", "rar", "gz", "xz", "bz2", "tar", "deb", "rpm",
    "exe", "sh", "py", "rs", "js", "css", "json", "xml", "md", "conf", "cfg", "ini", "log", "so",
    "h", "c", "cpp", "java", "mo", "po", "1", "2", "3", "5", "8",
];

fn classify_chunk(chunk: &str) -> Chunk {
    let edge = |c: char| !c.is_alphanumeric() && !matches!(c, '/' | '\\' | '~' | '.' | '_');
    let c = chunk.trim_matches(edge);
    if c.is_empty() {
        return Chunk::Prose;
    }
    let lower = c.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:") {
        return Chunk::Drop;
    }
    if let Some((user, host)) = c.split_once('@')
        && user.chars().next_back().is_some_and(char::is_alphanumeric)
        && host.contains('.')
    {
        return Chunk::Drop;
    }
    let ascii = c.is_ascii();
    let slashes = c.bytes().filter(|&b| b == b'/').count();
    if ascii
        && (c.starts_with('/')
            || c.starts_with("~/")
            || c.starts_with("./")
            || c.starts_with("../")
            || c.contains('\\')
            || (slashes >= 2 && !c.bytes().all(|b| b.is_ascii_digit() || b == b'/')))
    {
        // Paths, unless the whole chunk is a date such as 15/10/2023.
        return Chunk::Drop;
    }
    if ascii
        && c.bytes().any(|b| b.is_ascii_alphabetic())
        && let Some((_, ext)) = c.rsplit_once('.')
        && NAME_ENDINGS.contains(&ext.to_ascii_lowercase().as_str())
        && c.split('.').all(|p| !p.is_empty())
    {
        return Chunk::Drop;
    }
    if ascii
        && (c.contains('_')
            || c.contains('=')
            || c.contains('$')
            || c.contains('{')
            || c.contains('|')
            || c.contains("::")
            || c.contains("->")
            || c.contains("()"))
    {
        return Chunk::Drop;
    }
    let digits = c.chars().any(|ch| ch.is_ascii_digit());
    let inner_sep = c
        .chars()
        .any(|ch| matches!(ch, '/' | '-' | '.' | ':' | ',' | '+'));
    if digits && inner_sep {
        // Dates, times, phone numbers, versions, codes such as 29-NQ/TW or v2.0.
        return Chunk::Number;
    }
    Chunk::Prose
}

/// What a line is, for citations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    /// A reference-list heading: "Tài liệu tham khảo", "Nguồn", "Chú thích", ...
    Heading,
    /// Mainly a citation (source, link, date).
    Citation,
    /// Short line without citation marks: a citation inside a reference list.
    ListItem,
    /// Prose (ends a reference list).
    Prose,
}

struct Marks {
    headings: Vec<Vec<u64>>,
    /// (hash sequence, points)
    marks: Vec<(Vec<u64>, u32)>,
    nguon: u64,
    tr: u64,
    roman: Vec<u64>,
}

fn marks() -> &'static Marks {
    static M: OnceLock<Marks> = OnceLock::new();
    M.get_or_init(|| {
        let seq = |s: &str| s.split(' ').map(hash_folded).collect::<Vec<u64>>();
        Marks {
            headings: [
                "tai lieu tham khao",
                "danh muc tai lieu tham khao",
                "danh muc tham khao",
                "tai lieu trich dan",
                "nguon",
                "nguon tham khao",
                "nguon trich dan",
                "chu thich",
                "ghi chu",
                "tham khao",
                "trich dan",
            ]
            .iter()
            .map(|s| seq(s))
            .collect(),
            marks: [
                ("nxb", 2),
                ("nha xuat ban", 2),
                ("tap chi", 1),
                ("truy cap ngay", 1),
                ("cong thong tin dien tu", 1),
                ("bao dien tu", 1),
            ]
            .iter()
            .map(|(s, p)| (seq(s), *p))
            .collect(),
            nguon: hash_folded("nguon"),
            tr: hash_folded("tr"),
            roman: ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
                .iter()
                .map(|s| hash_folded(s))
                .collect(),
        }
    })
}

/// Longest line (in tokens) that can be a citation on its own.
const CITATION_MAX: usize = 60;
/// A line with weak marks only (a journal, "truy cập ngày", a numbered item, numbers)
/// is a citation up to this many tokens.
const MARKED_CITATION_MAX: usize = 40;
/// A line marked only by numbers (a year and a date) is a citation up to this many
/// tokens: "(Theo Thông tấn xã Việt Nam, 2/2/2020)".
const SHORT_CITATION_MAX: usize = 15;
/// A line with a link counts as a citation up to this many tokens.
const LINK_LINE_MAX: usize = 40;
/// Inside a reference list, a line longer than this without citation marks is prose.
const LIST_ITEM_MAX: usize = 80;

/// What was left out of a line: links and code, numbers, dates, years.
struct LineStats {
    tech: u32,
    numbers: u32,
    dated: bool,
    year: bool,
}

/// Lines of the opening block (contest name, title, author) are at most this long.
const OPENING_LINE_MAX: usize = 20;

fn line_verdict(text: &str, line: &[Syllable], stats: &LineStats, in_refs: bool) -> Line {
    let n = line.len();
    let tech = stats.tech;
    if n > LIST_ITEM_MAX && tech == 0 {
        return Line::Prose;
    }
    let m = marks();
    // Leading numbering: V. / IV. (numbers are not tokens)
    let mut lead = 0;
    while lead < n.min(2) && m.roman.contains(&line[lead].hash) {
        lead += 1;
    }
    let words = &line[lead..];
    let same = |w: &[Syllable], seq: &[u64]| {
        w.len() == seq.len() && w.iter().zip(seq).all(|(a, b)| a.hash == *b)
    };
    if words.len() <= 6 && m.headings.iter().any(|h| same(words, h)) {
        return Line::Heading;
    }
    if n > CITATION_MAX {
        return if in_refs && tech > 0 {
            Line::Citation
        } else {
            Line::Prose
        };
    }
    // Strong marks: a link, "Nguồn …", a publisher. Word marks: journal, "truy cập",
    // portal names, a numbered item. Number marks: a year, a date, a page. Numbers
    // alone make a citation only of a very short line: prose paragraphs have dates.
    let mut strong = 0u32;
    if tech > 0 && n <= LINK_LINE_MAX {
        strong += 1;
    }
    // "Nguồn:" (with its colon: "nguồn dữ liệu" is ordinary prose).
    if words.first().map(|w| w.hash) == Some(m.nguon)
        && text
            .as_bytes()
            .get(line[lead].end as usize..)
            .and_then(|rest| rest.iter().find(|b| **b != b' '))
            == Some(&b':')
    {
        strong += 1;
    }
    let mut word_marks = 0u32;
    for (seq, p) in &m.marks {
        if words.windows(seq.len()).any(|w| same(w, seq)) {
            if *p >= 2 {
                strong += 1;
            } else {
                word_marks += 1;
            }
        }
    }
    let page = stats.numbers > 0 && line.iter().any(|s| s.hash == m.tr);
    let numbers = u32::from(stats.year) + u32::from(stats.dated) + u32::from(page);
    // Numbered item: "1. …", "[1] …" before the first token.
    let before = &text.as_bytes()[..line[0].start as usize];
    let numbered = before
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .take(8)
        .any(u8::is_ascii_digit);
    word_marks += u32::from(numbered);
    let citation = strong > 0
        || (n <= MARKED_CITATION_MAX && word_marks > 0 && word_marks + numbers >= 2)
        || (n <= SHORT_CITATION_MAX && numbers >= 2);
    if citation {
        Line::Citation
    } else {
        Line::ListItem
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

    fn prose(s: &str) -> (Vec<String>, Vec<ZoneRun>) {
        let (mut syl, mut zones) = (Vec::new(), Vec::new());
        tokens_into(s, &mut syl, &mut zones);
        let words = syl
            .iter()
            .map(|x| s[x.start as usize..x.end as usize].to_string())
            .collect();
        (words, zones)
    }

    #[test]
    fn technical_chunks_are_not_prose() {
        let (w, _) = prose(
            "Trang chủ GNU: <https://www.gnu.org/software/coreutils/> hoặc thư tới \
             ban.to-chuc@example.org.vn, tệp /usr/share/doc/x.txt và index.html, \
             mã foo_bar=1; ngày 15/10/2023 lúc 10:30, bản v2.0, Nghị quyết 29-NQ/TW, \
             Mác-Lênin và/hoặc TP.HCM, năm 2024, 1.000.000 đồng.Tuy nhiên",
        );
        assert_eq!(
            w,
            [
                "Trang", "chủ", "GNU", "hoặc", "thư", "tới", "tệp", "và", "mã", "ngày", "lúc",
                "bản", "v2.0", "Nghị", "quyết", "Mác", "Lênin", "và", "hoặc", "TP", "HCM", "năm",
                "đồng", "Tuy", "nhiên"
            ]
        );
        // The bare tokenizer still sees every syllable.
        assert!(syllables("https://www.gnu.org/software/").len() >= 5);
    }

    #[test]
    fn quotes_and_citations_are_zoned() {
        let text = "Bác dạy: “Không có gì quý hơn độc lập, tự do” và «đoàn kết» là sức mạnh. \
                    Anh nói \"học nữa\" rồi đi.\n\
                    Nguồn: Báo Nhân Dân, https://nhandan.vn/a.html, truy cập ngày 12/3/2023.\n\
                    Đoạn văn xuôi bình thường của người viết, không trích dẫn gì cả.\n\
                    TÀI LIỆU THAM KHẢO\n\
                    1. Nguyễn Văn A (2019), Giáo trình Triết học, Nxb. Chính trị quốc gia, Hà Nội.\n\
                    2. Văn kiện Đại hội đại biểu toàn quốc lần thứ XIII\n";
        let (w, z) = prose(text);
        let kinds: Vec<(String, PassageKind)> = w
            .iter()
            .enumerate()
            .map(|(i, x)| (x.clone(), kind_at(&z, i as u32)))
            .collect();
        let kind_of = |word: &str| {
            kinds
                .iter()
                .find(|(x, _)| x == word)
                .map(|k| k.1)
                .unwrap_or_else(|| panic!("{word} not found"))
        };
        assert_eq!(kind_of("Bác"), PassageKind::Prose);
        assert_eq!(kind_of("quý"), PassageKind::Quote);
        assert_eq!(kind_of("kết"), PassageKind::Quote);
        assert_eq!(kind_of("sức"), PassageKind::Prose);
        assert_eq!(kind_of("học"), PassageKind::Quote);
        assert_eq!(kind_of("rồi"), PassageKind::Prose);
        assert_eq!(kind_of("Nhân"), PassageKind::Citation);
        assert_eq!(kind_of("xuôi"), PassageKind::Prose);
        assert_eq!(kind_of("THAM"), PassageKind::Citation);
        assert_eq!(kind_of("Giáo"), PassageKind::Citation);
        assert_eq!(kind_of("kiện"), PassageKind::Citation);
        // Runs are sorted and disjoint.
        assert!(z.windows(2).all(|p| p[0].end <= p[1].start), "{z:?}");
    }

    #[test]
    fn unbalanced_quote_ends_with_its_paragraph() {
        let (w, z) = prose("Mở “ngoặc không đóng ở đây.\nĐoạn sau là văn xuôi.");
        let i = w.iter().position(|x| x == "sau").unwrap_or(0);
        assert_eq!(kind_at(&z, i as u32), PassageKind::Prose);
        assert_eq!(kind_at(&z, 1), PassageKind::Quote);
    }

    #[test]
    fn legacy_sentence_inside_unicode_line() {
        let uni = "Cộng hoà xã hội chủ nghĩa Việt Nam";
        for legacy in [
            "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
            "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
        ] {
            let line = format!("Tôi viết đoạn này bằng Unicode. {legacy}. Và đoạn cuối cũng vậy.");
            let h = hashes(&line);
            let u = hashes(uni);
            assert!(h.windows(u.len()).any(|w| w == u.as_slice()), "{line}");
            // The Unicode words around it are untouched.
            assert_eq!(h[..6], hashes("Tôi viết đoạn này bằng Unicode")[..]);
        }
    }

    #[test]
    fn marks_only_and_empty_never_panic() {
        assert!(syllables("").is_empty());
        // A stray mark is a (folded-empty) syllable, as in hoithi-text.
        assert_eq!(syllables("\u{0301}\u{0300} ,.;").len(), 1);
        assert_eq!(syllables("a\u{0301}").len(), 1);
    }
}
