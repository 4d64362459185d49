//! DOCX and ODT with their structure kept, for news posts written in Word or
//! LibreOffice: headings, paragraphs, bold and italic, hyperlinks, bulleted
//! and numbered lists, block quotes and pictures, in reading order.
//!
//! [`read`] returns Markdown (CommonMark) plus the pictures:
//!
//! * `# `…`###### ` headings (Word "Heading N"/"Title" styles or an outline
//!   level; ODT `text:h` outline levels), paragraphs separated by a blank
//!   line, `**bold**`, `*italic*`, `[text](url)` (only `http:`, `https:` and
//!   `mailto:` targets; other links keep their text and lose the link),
//!   `- ` bullets and `1. ` numbers indented 4 spaces per level, `> `
//!   quotes (Word "Quote"/"Intense Quote"/"Block Text" styles, ODT
//!   "Quotations"), a line break inside a paragraph as a backslash at the
//!   end of the line.
//! * Each picture as `![alt](picture:N)` where N is its index in
//!   [`RichDocument::pictures`] (0-based); a picture used twice is listed
//!   once and referenced twice.
//! * Text as the author typed it: legacy TCVN3/VNI runs repaired by their
//!   font name (as [`crate::extract`] does), then NFC and whitespace runs
//!   collapsed to one space — tone-mark style and spelling are left alone.
//!   Every character that Markdown would read as syntax (`\ * _ [ ] < > |
//!   ~ \``, `&` before a name, and `# - + =` or `1.` at a line start) is
//!   backslash-escaped, so an author's `*` or `#` stays literal.
//!
//! Footnotes, comments, tracked deletions, headers and footers are left
//! out; tables are read cell by cell as paragraphs. The Markdown is not
//! sanitized HTML: render it with a sanitizer as every body is.
//!
//! Hostile files fail with an [`ExtractError`] under the crate's [`Limits`]
//! (zip bombs, huge XML, deep nesting, time), never a panic.

use std::collections::HashMap;

use hoithi_text::legacy::{self, Legacy};
use unicode_normalization::UnicodeNormalization;

use crate::limits::Budget;
use crate::{ExtractError, Format, Limits};

/// Most pictures read from one document.
pub const MAX_PICTURES: usize = 500;

/// A document read with its structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RichDocument {
    pub format: Format,
    /// CommonMark, pictures referenced as `![alt](picture:N)`.
    pub markdown: String,
    pub pictures: Vec<Picture>,
    /// The legacy encoding repaired, if any run was (the most frequent one).
    pub legacy: Option<Legacy>,
    /// How many runs were decoded from a legacy encoding.
    pub repaired_runs: usize,
}

/// A picture embedded in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file name inside the package, e.g. `image1.png` (not a path;
    /// not trusted: sniff `bytes` for the real format).
    pub file_name: String,
    /// The image file as stored in the package: PNG or JPEG usually, but
    /// Word also stores GIF, TIFF, EMF and WMF. Not decoded or checked
    /// here: pass it to `hoithi_media::probe`/`process` before use.
    pub bytes: Vec<u8>,
    /// Alt text: Word's "Description" (or its "Title" when no description),
    /// ODT's `svg:desc` (or `svg:title`); empty when the author gave none.
    pub alt: String,
    /// Word's / ODT's picture title when it differs from `alt`.
    pub title: Option<String>,
}

/// Reads a DOCX or ODT file (detected from content; `file_name`'s extension
/// is checked against it) into Markdown and pictures.
pub fn read(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: &Limits,
) -> Result<RichDocument, ExtractError> {
    crate::check_size(bytes, limits)?;
    let mut budget = Budget::new(limits);
    let format = crate::guarded(Format::Txt, || {
        crate::detect::detect(bytes, file_name, &mut budget)
    })?;
    if !matches!(format, Format::Docx | Format::Odt) {
        return Err(ExtractError::NotRichFormat { found: format });
    }
    crate::guarded(format, || {
        let mut zip = crate::zipread::SafeZip::open(bytes, format, &budget)?;
        let raw = match format {
            Format::Docx => crate::rich_docx::read(&mut zip, &mut budget)?,
            _ => crate::rich_odt::read(&mut zip, &mut budget)?,
        };
        budget.check_time()?;
        let doc = render(raw, format);
        if doc.markdown.is_empty() && doc.pictures.is_empty() {
            return Err(ExtractError::NoText);
        }
        Ok(doc)
    })
}

// ---------------------------------------------------------------------------
// What the two parsers produce.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text {
        text: String,
        font: Option<String>,
        style: Style,
        link: Option<String>,
    },
    Break,
    Picture(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum BlockKind {
    #[default]
    Paragraph,
    Heading(u8),
    ListItem {
        ordered: bool,
        level: u8,
    },
    Quote,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
}

impl Block {
    pub fn push_text(
        &mut self,
        text: &str,
        font: Option<&str>,
        style: Style,
        link: Option<&str>,
        budget: &mut Budget<'_>,
    ) -> Result<(), ExtractError> {
        if text.is_empty() {
            return Ok(());
        }
        budget.add_chars(text.len())?;
        if let Some(Inline::Text {
            text: t,
            font: f,
            style: s,
            link: l,
        }) = self.inlines.last_mut()
            && f.as_deref() == font
            && *s == style
            && l.as_deref() == link
        {
            t.push_str(text);
            return Ok(());
        }
        self.inlines.push(Inline::Text {
            text: text.to_owned(),
            font: font.map(str::to_owned),
            style,
            link: link.map(str::to_owned),
        });
        Ok(())
    }
}

/// Blocks in reading order and the pictures they reference.
#[derive(Debug, Default)]
pub(crate) struct RawRich {
    pub blocks: Vec<Block>,
    pub pictures: Vec<Picture>,
    /// Package path -> index in `pictures`.
    seen: HashMap<String, usize>,
}

impl RawRich {
    /// Reads the picture at `path` in the package once; returns its index,
    /// or `None` when the part is missing (a broken reference is skipped).
    pub fn picture(
        &mut self,
        zip: &mut crate::zipread::SafeZip<'_>,
        path: &str,
        alt: &str,
        title: &str,
        budget: &mut Budget<'_>,
    ) -> Result<Option<usize>, ExtractError> {
        if let Some(&i) = self.seen.get(path) {
            return Ok(Some(i));
        }
        if self.pictures.len() >= MAX_PICTURES {
            return Err(ExtractError::TooManyPictures { max: MAX_PICTURES });
        }
        let Some(bytes) = zip.read(path, budget)? else {
            return Ok(None);
        };
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (alt, title) = (one_line(alt), one_line(title));
        let alt_text = if alt.is_empty() { title.clone() } else { alt };
        budget.add_chars(alt_text.len() + title.len())?;
        let index = self.pictures.len();
        self.pictures.push(Picture {
            file_name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            bytes,
            title: (!title.is_empty() && title != alt_text).then_some(title),
            alt: alt_text,
        });
        self.seen.insert(path.to_owned(), index);
        Ok(Some(index))
    }

    pub fn finish_block(&mut self, block: Block) {
        if !block.inlines.is_empty() {
            self.blocks.push(block);
        }
    }
}

/// Only these link targets survive; `javascript:`, `file:`, anchors and
/// relative paths lose the link and keep the text.
pub(crate) fn safe_link(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        .then(|| href.to_owned())
}

/// Reads an OOXML/ODF boolean attribute value ("0", "false", "off" are false).
pub(crate) fn truthy(val: Option<&str>) -> bool {
    !matches!(val, Some("0" | "false" | "off" | "none"))
}

// ---------------------------------------------------------------------------
// Rendering.

fn render(raw: RawRich, format: Format) -> RichDocument {
    let mut counts: HashMap<Legacy, usize> = HashMap::new();
    let mut repaired_runs = 0;
    let mut font_legacy: HashMap<String, Option<Legacy>> = HashMap::new();
    let mut md = Markdown::default();
    for block in raw.blocks {
        let mut inlines = Vec::with_capacity(block.inlines.len());
        for inline in block.inlines {
            inlines.push(match inline {
                Inline::Text {
                    text,
                    font,
                    style,
                    link,
                } => {
                    let enc = font.as_ref().and_then(|f| {
                        *font_legacy
                            .entry(f.clone())
                            .or_insert_with(|| legacy::from_font_name(f))
                    });
                    let text = match enc {
                        Some(l) if !text.is_ascii() || l == Legacy::Tcvn3Caps => {
                            *counts.entry(l).or_default() += 1;
                            repaired_runs += 1;
                            legacy::decode(&text, l)
                        }
                        // A soft hyphen in a Unicode run is invisible.
                        _ => text.replace('\u{AD}', ""),
                    };
                    Piece::Text {
                        text: text.nfc().collect(),
                        style,
                        link,
                    }
                }
                Inline::Break => Piece::Break,
                Inline::Picture(i) => Piece::Picture(i),
            });
        }
        md.block(block.kind, collapse(inlines), &raw.pictures);
    }
    let legacy = counts
        .into_iter()
        .max_by_key(|(l, n)| (*n, *l == Legacy::Tcvn3))
        .map(|(l, _)| l);
    RichDocument {
        format,
        markdown: md.out,
        pictures: raw.pictures,
        legacy,
        repaired_runs,
    }
}

enum Piece {
    Text {
        text: String,
        style: Style,
        link: Option<String>,
    },
    Break,
    Picture(usize),
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

/// Collapses whitespace across the pieces of a block (one space, none at the
/// ends or around line breaks) and merges neighbours of the same style.
fn collapse(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut after_space = true;
    for piece in pieces {
        match piece {
            Piece::Text { text, style, link } => {
                let mut t = String::with_capacity(text.len());
                for c in text.chars() {
                    if is_space(c) {
                        if !after_space {
                            t.push(' ');
                        }
                        after_space = true;
                    } else {
                        t.push(c);
                        after_space = false;
                    }
                }
                if t.is_empty() {
                    continue;
                }
                if let Some(Piece::Text {
                    text: prev,
                    style: s,
                    link: l,
                }) = out.last_mut()
                    && *s == style
                    && *l == link
                {
                    prev.push_str(&t);
                } else {
                    out.push(Piece::Text {
                        text: t,
                        style,
                        link,
                    });
                }
            }
            Piece::Break => {
                trim_end(&mut out);
                if !out.is_empty() && !matches!(out.last(), Some(Piece::Break)) {
                    out.push(Piece::Break);
                }
                after_space = true;
            }
            Piece::Picture(i) => {
                out.push(Piece::Picture(i));
                after_space = false;
            }
        }
    }
    trim_end(&mut out);
    while matches!(out.last(), Some(Piece::Break)) {
        out.pop();
        trim_end(&mut out);
    }
    out
}

fn trim_end(out: &mut Vec<Piece>) {
    while let Some(Piece::Text { text, .. }) = out.last_mut() {
        let len = text.trim_end_matches(' ').len();
        text.truncate(len);
        if text.is_empty() {
            out.pop();
        } else {
            break;
        }
    }
}

#[derive(Default)]
struct Markdown {
    out: String,
    /// The previous block was a list item at this level.
    list_level: Option<u8>,
    /// Next number per list level.
    counters: Vec<u32>,
}

impl Markdown {
    fn block(&mut self, kind: BlockKind, pieces: Vec<Piece>, pictures: &[Picture]) {
        if pieces.is_empty() {
            return;
        }
        let prev_was_list = self.list_level.is_some();
        // Continuation lines of a list item are indented to its content.
        let (prefix, continuation, is_list) = match kind {
            BlockKind::Paragraph => (String::new(), String::new(), false),
            BlockKind::Heading(level) => {
                let level = level.clamp(1, 6) as usize;
                ("#".repeat(level) + " ", String::new(), false)
            }
            BlockKind::Quote => ("> ".to_owned(), "> ".to_owned(), false),
            BlockKind::ListItem { ordered, level } => {
                // A level can only go one deeper than the item before it,
                // or the item would become an indented code block.
                let level = match self.list_level {
                    Some(prev) => level.min(prev + 1),
                    None => 0,
                };
                let depth = usize::from(level);
                self.counters.truncate(depth + 1);
                self.counters.resize(depth + 1, 1);
                let indent = " ".repeat(depth * 4);
                let marker = if ordered {
                    let n = self.counters[depth];
                    self.counters[depth] += 1;
                    format!("{n}. ")
                } else {
                    "- ".to_owned()
                };
                let cont = " ".repeat(indent.len() + marker.len());
                self.list_level = Some(level);
                (indent + &marker, cont, true)
            }
        };
        if !is_list {
            self.list_level = None;
            self.counters.clear();
        }
        if !self.out.is_empty() {
            // Items of one list stay together (a tight list).
            self.out.push_str(if is_list && prev_was_list {
                "\n"
            } else {
                "\n\n"
            });
        }
        self.out.push_str(&prefix);
        let heading = matches!(kind, BlockKind::Heading(_));
        let mut line_start = true;
        let mut open_link: Option<&str> = None;
        for (i, piece) in pieces.iter().enumerate() {
            let link = match piece {
                Piece::Text { link, .. } => link.as_deref(),
                _ => None,
            };
            if open_link.is_some() && open_link != link {
                self.close_link(open_link.take().unwrap_or_default());
            }
            if link.is_some() && open_link.is_none() {
                self.out.push('[');
                open_link = link;
                line_start = false;
            }
            match piece {
                Piece::Text { text, style, .. } => {
                    // The character after the closing marker, when it is text
                    // of the same link (a link bracket is punctuation).
                    let next = match pieces.get(i + 1) {
                        Some(Piece::Text { text, link: l, .. }) if l.as_deref() == link => {
                            text.chars().next()
                        }
                        _ => None,
                    };
                    emphasized(&mut self.out, text, *style, next, &mut line_start);
                }
                Piece::Break => {
                    if heading {
                        self.out.push(' ');
                    } else if i + 1 < pieces.len() {
                        self.out.push_str("\\\n");
                        self.out.push_str(&continuation);
                        line_start = true;
                    }
                }
                Piece::Picture(n) => {
                    self.out.push_str("![");
                    let alt = pictures.get(*n).map(|p| p.alt.as_str()).unwrap_or("");
                    escape(&mut self.out, alt, &mut false);
                    self.out.push_str(&format!("](picture:{n})"));
                    line_start = false;
                }
            }
        }
        if let Some(href) = open_link {
            self.close_link(href);
        }
    }

    fn close_link(&mut self, href: &str) {
        self.out.push_str("](");
        for c in href.chars() {
            match c {
                ' ' | '(' | ')' | '<' | '>' | '\\' | '"' => {
                    self.out.push_str(&format!("%{:02X}", c as u32));
                }
                c if c.is_control() => {}
                c => self.out.push(c),
            }
        }
        self.out.push(')');
    }
}

/// Writes text with its emphasis; whitespace stays outside the markers, as
/// CommonMark requires for them to count. So does punctuation at an edge
/// that touches a letter outside ("x**(y)**" or "**Lưu ý:**Nội" would not
/// be emphasis): it is written plain, just outside the markers.
fn emphasized(
    out: &mut String,
    text: &str,
    style: Style,
    next: Option<char>,
    line_start: &mut bool,
) {
    let marker = match (style.bold, style.italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => "",
    };
    let mut inner = text.trim_matches(' ');
    if marker.is_empty() || inner.is_empty() {
        escape(out, text, line_start);
        return;
    }
    let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let lead = text.starts_with(' ');
    let trail = text.ends_with(' ');
    let prev = if lead { Some(' ') } else { out.chars().last() };
    let mut before = "";
    if prev.is_some_and(char::is_alphanumeric) {
        let cut = inner.len() - inner.trim_start_matches(punct).len();
        (before, inner) = inner.split_at(cut);
    }
    let mut after = "";
    if !trail && next.is_some_and(char::is_alphanumeric) {
        let keep = inner.trim_end_matches(punct).len();
        (inner, after) = inner.split_at(keep);
    }
    if lead {
        out.push(' ');
    }
    escape(out, before, line_start);
    if !inner.is_empty() {
        out.push_str(marker);
        *line_start = false;
        escape(out, inner, line_start);
        out.push_str(marker);
    }
    escape(out, after, line_start);
    if trail {
        out.push(' ');
    }
}

/// Backslash-escapes what Markdown would read as syntax.
fn escape(out: &mut String, text: &str, line_start: &mut bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if *line_start && c != ' ' {
            *line_start = false;
            match c {
                '#' | '-' | '+' | '=' => {
                    out.push('\\');
                    out.push(c);
                    i += 1;
                    continue;
                }
                '0'..='9' => {
                    // "1. " or "1) " at a line start would begin a list.
                    let digits = chars[i..].iter().take_while(|d| d.is_ascii_digit()).count();
                    if matches!(chars.get(i + digits), Some('.' | ')')) {
                        out.extend(&chars[i..i + digits]);
                        out.push('\\');
                        out.push(chars[i + digits]);
                        i += digits + 1;
                        continue;
                    }
                }
                _ => {}
            }
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => out.push('\\'),
            // "&amp;" or "&#39;" would be read as a character reference.
            '&' if chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push('\\')
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut out = String::new();
        escape(&mut out, s, &mut true);
        out
    }

    #[test]
    fn markdown_syntax_stays_literal() {
        assert_eq!(esc("# không phải tiêu đề"), "\\# không phải tiêu đề");
        assert_eq!(esc("2024. Năm"), "2024\\. Năm");
        assert_eq!(
            esc("a*b*c_d_ [x](y) <b> &amp; A & B"),
            "a\\*b\\*c\\_d\\_ \\[x\\](y) \\<b\\> \\&amp; A & B"
        );
        assert_eq!(esc("- gạch"), "\\- gạch");
        assert_eq!(esc("giữa # và 1. thì thôi"), "giữa # và 1. thì thôi");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        assert!(safe_link("https://hamyen.tuyenquang.gov.vn/").is_some());
        assert!(safe_link("mailto:ban@example.org").is_some());
        assert!(safe_link("javascript:alert(1)").is_none());
        assert!(safe_link(" JaVaScRiPt:alert(1)").is_none());
        assert!(safe_link("file:///etc/passwd").is_none());
        assert!(safe_link("#_Toc1").is_none());
    }
}
