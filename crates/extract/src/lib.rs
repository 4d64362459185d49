//! Turns the bytes of an uploaded document into paragraphs of normalized
//! Vietnamese text.
//!
//! Formats: DOCX, ODT, PDF, RTF, TXT, HTML, detected from content (the
//! extension is only checked against it). Runs typed in legacy Vietnamese
//! fonts (TCVN3 `.VnTime`, VNI `VNI-Times`) are repaired run by run from
//! their font names, or by content detection when the format has no fonts.
//! Every input is bounded by [`Limits`]; a crafted file yields an
//! [`ExtractError`] with a Vietnamese message, never a panic or a hang.

mod detect;
mod docx;
mod error;
mod html;
mod limits;
mod odt;
mod pdf;
mod raw;
mod repair;
pub mod rich;
mod rich_docx;
mod rich_odt;
mod rtf;
mod strip;
mod txt;
mod xml;
mod zipread;

use std::panic::{AssertUnwindSafe, catch_unwind};

pub use error::ExtractError;
pub use hoithi_text::legacy::Legacy;
pub use limits::Limits;
pub use strip::metadata_stripped_copy;

use limits::Budget;
use raw::RawDoc;

/// A document format we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Docx,
    Odt,
    Pdf,
    Rtf,
    Txt,
    Html,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
            Format::Pdf => "PDF",
            Format::Rtf => "RTF",
            Format::Txt => "văn bản thuần (TXT)",
            Format::Html => "HTML",
        })
    }
}

/// Text extracted from one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    /// Non-empty paragraphs of normalized text (NFC, one space between words).
    pub paragraphs: Vec<String>,
    /// The legacy encoding repaired, if any run was (the most frequent one
    /// when a document mixes several).
    pub legacy: Option<Legacy>,
    /// How many runs were decoded from a legacy encoding.
    pub repaired_runs: usize,
    /// Distinct font names seen in the document, in order of appearance.
    pub fonts: Vec<String>,
}

impl Document {
    /// The paragraphs joined with blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Words as contest rules count them (space-separated, punctuation aside).
    pub fn word_count(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| hoithi_text::tokenize::word_count(p))
            .sum()
    }

    /// Vietnamese syllables, the tokens of search and copy detection.
    pub fn syllable_count(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| hoithi_text::tokenize::syllable_count(p))
            .sum()
    }
}

/// Detects the format of `bytes` from its content, and checks it against the
/// extension of `file_name` when one is given.
pub fn detect_format(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: &Limits,
) -> Result<Format, ExtractError> {
    check_size(bytes, limits)?;
    let mut budget = Budget::new(limits);
    guarded(Format::Txt, || {
        detect::detect(bytes, file_name, &mut budget)
    })
}

/// Extracts the text of a document.
pub fn extract(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: &Limits,
) -> Result<Document, ExtractError> {
    check_size(bytes, limits)?;
    let mut budget = Budget::new(limits);
    let format = guarded(Format::Txt, || {
        detect::detect(bytes, file_name, &mut budget)
    })?;
    let doc = guarded(format, || {
        let raw = parse(bytes, format, &mut budget)?;
        budget.check_time()?;
        Ok(repair::finish(raw, format))
    })?;
    if doc.paragraphs.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(doc)
}

fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if bytes.len() > limits.max_input_bytes {
        return Err(ExtractError::TooLarge {
            max_mb: (limits.max_input_bytes as u64).div_ceil(1024 * 1024),
        });
    }
    Ok(())
}

/// Runs third-party parsers so that a panic in them becomes an error.
fn guarded<T>(
    format: Format,
    f: impl FnOnce() -> Result<T, ExtractError>,
) -> Result<T, ExtractError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(ExtractError::Internal { format }))
}

/// What a parser hands to repair: paragraphs with fonts, or decoded plain text.
pub(crate) enum Parsed {
    Runs(RawDoc),
    Text(txt::DecodedText),
}

fn parse(bytes: &[u8], format: Format, budget: &mut Budget<'_>) -> Result<Parsed, ExtractError> {
    Ok(match format {
        Format::Docx => {
            let mut zip = zipread::SafeZip::open(bytes, format, budget)?;
            Parsed::Runs(docx::extract(&mut zip, budget)?)
        }
        Format::Odt => {
            let mut zip = zipread::SafeZip::open(bytes, format, budget)?;
            Parsed::Runs(odt::extract(&mut zip, budget)?)
        }
        Format::Pdf => Parsed::Runs(pdf::extract(bytes, budget)?),
        Format::Rtf => Parsed::Runs(rtf::extract(bytes, budget)?),
        Format::Html => {
            let decoded = txt::decode_html(bytes)?;
            Parsed::Runs(html::extract(&decoded.text, budget)?)
        }
        Format::Txt => {
            let decoded = txt::decode(bytes)?;
            budget.add_chars(decoded.text.len())?;
            Parsed::Text(decoded)
        }
    })
}
