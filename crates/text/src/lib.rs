//! Vietnamese text handling for hoithi: one normalization pipeline for every
//! text that enters (legacy TCVN3/VNI/VIQR repair, NFC with mark reordering,
//! one tone-placement style, whitespace cleanup, offset map), folding for
//! matching, syllable tokenization and counts, Vietnamese sort keys, and
//! rule-based spelling hints.

mod chars;
pub mod cli;
pub mod fold;
pub mod legacy;
pub mod normalize;
pub mod sort;
pub mod spell;
pub mod tokenize;

pub use normalize::{LegacyMode, Normalized, Options, ToneStyle, normalize, normalize_str};

/// Errors of the I/O helpers; `Display` is Vietnamese, for end users.
#[derive(Debug)]
pub enum TextError {
    /// Reading the input or writing the output failed.
    Io(std::io::Error),
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextError::Io(e) => write!(f, "Không đọc hoặc ghi được văn bản: {e}"),
        }
    }
}

impl std::error::Error for TextError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TextError::Io(e) => Some(e),
        }
    }
}

impl From<std::io::Error> for TextError {
    fn from(e: std::io::Error) -> Self {
        TextError::Io(e)
    }
}
