//! Copied-passage detection for hoithi.
//!
//! * [`scan::scan_jsonl`]: batch scan of a whole contest (entries, optional reference
//!   corpus, optional allowed sources) over JSONL readers and writers.
//! * [`index::Index`]: incremental index for checking one new entry at a time.
//! * [`align::align_texts`]: exact passages between two texts, for display.
//!
//! Tokens are syllables of prose: URLs, e-mail addresses, file paths, file names and
//! code are not tokens, and a number with separators (a date, a version, a document
//! code) is one token. Every passage is reported with its kind ([`PassageKind`]):
//! copied prose, a quote (inside “…”, "…", «…») or a citation (a reference list or a
//! line that is mainly a citation). Only prose makes a pair; citations never count in
//! shares, quotes count when the contest says so ([`ScanOptions::count_quotes`],
//! [`CheckOptions`]); [`Shares`] gives the parts.
//!
//! Guarantee: with the default parameters (k = 10 tokens per k-gram, window w = 6),
//! every copied passage of 15 or more syllables of prose (a run of at least
//! `t = w + k - 1 = 15` tokens that two texts share after folding: case, diacritics,
//! NFC/NFD, tone placement, legacy TCVN3/VNI look-alikes, also a legacy sentence
//! inside a Unicode line, punctuation and line breaks) shares a fingerprint and is
//! reported, unless it is allowed or common text.
//!
//! Beyond the guarantee, the batch scan and [`align_texts`] also seed from short
//! k-grams of prose (7 tokens, window 4: every unbroken shared run of 10 has one), so a
//! copy whose changed words leave only shorter runs is usually found too; such a
//! passage (no unbroken run of 15) is reported when it spans 15 tokens on both sides
//! and matches at least 6 tokens in 7 (docs/decisions/0008-short-seeds-for-changed-words.md).
//!
//! ```
//! use hoithi_integrity::{Index, Params, ScanOptions, scan_jsonl};
//!
//! let passage = "Đảng Cộng sản Việt Nam là đội tiên phong của giai cấp công nhân, đồng thời \
//!                là đội tiên phong của nhân dân lao động và của dân tộc Việt Nam";
//! let entries = format!(
//!     "{}\n{}\n",
//!     serde_json::json!({"id": "a", "text": format!("Mở đầu bài viết. {passage}. Kết.")}),
//!     serde_json::json!({"id": "b", "text": passage.to_uppercase()}),
//! );
//! let (mut pairs, mut shares, mut progress) = (Vec::new(), Vec::new(), Vec::new());
//! let summary = scan_jsonl(
//!     entries.as_bytes(),
//!     None::<&[u8]>,
//!     None::<&[u8]>,
//!     &mut pairs,
//!     &mut shares,
//!     &mut progress,
//!     &ScanOptions::default(),
//! )?;
//! assert_eq!(summary.pairs, 1);
//!
//! let mut index = Index::new(Params::default())?;
//! index.add("a", passage)?;
//! let result = index.check(&format!("Một đoạn khác. {passage}"));
//! assert_eq!(result.matches[0].id, "a");
//! # Ok::<(), hoithi_integrity::Error>(())
//! ```

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
pub use index::{CheckOptions, CheckResult, ExactCheckResult, ExactMatch, Index, Match};
pub use params::Params;
pub use scan::{CommonText, ScanOptions, ScanSummary, Shares, scan_jsonl};
pub use tokenize::PassageKind;
