//! Copied-passage detection for hoithi.
//!
//! * [`scan::scan_jsonl`]: batch scan of a whole contest (entries, optional reference
//!   corpus, optional allowed sources) over JSONL readers and writers.
//! * [`index::Index`]: incremental index for checking one new entry at a time.
//! * [`align::align_texts`]: exact passages between two texts, for display.
//!
//! Guarantee: with the default parameters (k = 10 syllables per k-gram, window w = 6),
//! every run of at least `t = w + k - 1 = 15` syllables that two texts share after
//! folding (case, diacritics, NFC/NFD, tone placement, legacy TCVN3/VNI look-alikes,
//! punctuation and line breaks) shares a fingerprint and is reported, unless it is
//! allowed or common text.

pub mod align;
pub mod error;
pub mod index;
pub mod legacy;
pub mod params;
pub mod scan;
pub mod tokenize;
pub mod winnow;

pub use align::{Passage, align_texts};
pub use error::{Error, Result};
pub use index::{CheckResult, Index, Match};
pub use params::Params;
pub use scan::{CommonText, ScanOptions, ScanSummary, scan_jsonl};
