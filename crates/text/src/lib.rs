//! Vietnamese text handling for hoithi: one normalization pipeline for every
//! text that enters (legacy TCVN3/VNI/VIQR repair, NFC with mark reordering,
//! one tone-placement style, whitespace cleanup, offset map), folding for
//! matching, syllable tokenization and counts, Vietnamese sort keys, and
//! rule-based spelling hints. Pure: no I/O except the explicit
//! [`spell::Dictionary::load_system`] and [`cli::normalize_stream`].
//!
//! ```
//! use hoithi_text::{fold, normalize, sort, tokenize};
//!
//! // Legacy TCVN3 text from an old Word file, detected by content.
//! let n = normalize::normalize("Céng hoµ x· héi chñ nghÜa ViÖt Nam", &normalize::Options::default());
//! assert_eq!(n.text, "Cộng hoà xã hội chủ nghĩa Việt Nam");
//! assert_eq!(n.original_offset(n.text.find("hoà").unwrap_or(0)), "Céng ".len());
//!
//! // Old tone placement and NFD become one form.
//! assert_eq!(normalize::normalize_str("ho\u{300}a thu\u{301}y"), "hoà thuý");
//! assert_eq!(fold::fold("Đường Hoà"), "duong hoa");
//! assert_eq!(tokenize::word_count("Lớp bồi dưỡng – năm 2024"), 5);
//!
//! // Sort keys: store in a TEXT column, compare with SQLite BINARY / PostgreSQL COLLATE "C".
//! assert!(sort::sort_key("mà cả") < sort::sort_key("má ba"));
//! assert!(sort::name_sort_key("Trần Văn An") < sort::name_sort_key("Lê Bình"));
//! ```

mod chars;
pub mod cli;
pub mod fold;
pub mod legacy;
pub mod normalize;
pub mod sort;
pub mod spell;
pub mod tokenize;

/// Real-text fixtures for unit tests that need crate internals.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_fixtures;

pub use normalize::{
    LegacyMode, Normalized, Options, ToneStyle, as_written, normalize, normalize_str, retone,
};

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
