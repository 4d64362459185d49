//! Text preparation shared by documents and queries, so both sides of a match
//! see the same code points.

use unicode_normalization::UnicodeNormalization;

/// Vietnamese text as the analyzers expect it: NFC, so that a toned letter is
/// one alphanumeric char (tantivy's SimpleTokenizer splits NFD text at marks).
pub(crate) fn prepare(text: &str) -> String {
    text.nfc().collect()
}
