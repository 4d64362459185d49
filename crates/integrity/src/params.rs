//! Detection parameters shared by the batch scan and the incremental index.

use crate::error::Error;

/// Syllables per short k-gram. The batch scan also winnows short k-grams of prose, so
/// that a copy whose changed words leave only shorter runs still pairs its documents
/// (decision 0008): any shared run of `SHORT_W + SHORT_K - 1` syllables of prose
/// shares a short fingerprint.
pub const SHORT_K: usize = 7;
/// Widest gap (bytes) between two tokens inside a short k-gram: a comma or a full stop
/// and a space, a line end. A wider one holds something that is no token (a number, a
/// date, a link): a template such as "Theo Chỉ thị số 3-CT/TW ngày 23/5/2021: 81,7%
/// với 42.384 người" is shared prose only between its numbers and must not seed.
pub const MAX_SHORT_GAP: u32 = 2;
/// Winnowing window of the short k-grams.
pub const SHORT_W: usize = 4;
/// A short fingerprint found in more than this many documents seeds nothing (short
/// phrases recur by chance; the long fingerprints keep their own threshold).
pub const SHORT_MAX_DOCS: usize = 4;

/// Parameters of fingerprinting and alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// Syllables per k-gram.
    pub k: usize,
    /// Winnowing window, in k-grams.
    pub w: usize,
    /// Shortest passage reported, in syllables (on both sides).
    pub min_passage: usize,
    /// Largest gap (syllables, also diagonal drift) bridged when merging runs.
    pub merge_gap: usize,
    /// A fingerprint found in more than this many documents is common text:
    /// not used to pair documents, and not counted in shares.
    pub common_threshold: usize,
}

impl Default for Params {
    fn default() -> Self {
        // t = w + k - 1 = 15: every shared run of 15 syllables shares a fingerprint.
        // k = 10 rather than 8: 14x fewer chance candidate pairs on 20,000 essays for
        // the same guarantee (density 2/(w+1) = 0.29 instead of 0.22).
        Params {
            k: 10,
            w: 6,
            min_passage: 15,
            merge_gap: 20,
            common_threshold: 50,
        }
    }
}

impl Params {
    /// Length of the shortest shared run that is always found: `w + k - 1` syllables.
    pub fn guaranteed_run(&self) -> usize {
        self.w + self.k - 1
    }

    /// Check that the parameters make sense and keep the guarantee
    /// `min_passage >= w + k - 1` meaningful.
    pub fn validate(&self) -> Result<(), Error> {
        if self.k == 0 || self.k > 64 || self.w == 0 || self.w > 256 {
            return Err(Error::InvalidParams(
                "k phải trong 1..=64 và w trong 1..=256",
            ));
        }
        if self.min_passage < self.k {
            return Err(Error::InvalidParams("độ dài đoạn tối thiểu phải >= k"));
        }
        if self.common_threshold < 2 {
            return Err(Error::InvalidParams("ngưỡng văn bản chung phải >= 2"));
        }
        Ok(())
    }
}
