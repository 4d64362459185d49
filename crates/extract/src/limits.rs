//! Resource limits that keep crafted files from exhausting memory or time.

use std::time::{Duration, Instant};

use crate::ExtractError;

/// Bounds applied while extracting. The defaults suit contest entries
/// (a few pages to a few hundred pages of text).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted input file.
    pub max_input_bytes: usize,
    /// Sum of decompressed bytes over all zip entries or PDF streams read.
    pub max_decompressed_bytes: u64,
    /// Largest decompressed/compressed ratio for one zip entry or PDF stream
    /// (only checked once the entry passes `ratio_floor_bytes`).
    pub max_ratio: u64,
    /// Entries smaller than this are never rejected for their ratio:
    /// tiny repetitive XML parts compress extremely well.
    pub ratio_floor_bytes: u64,
    /// Largest number of entries in a zip container.
    pub max_zip_entries: usize,
    /// Deepest XML element / RTF group / HTML element nesting.
    pub max_depth: usize,
    /// Largest number of characters of text produced.
    pub max_output_chars: usize,
    /// Largest number of PDF pages read.
    pub max_pdf_pages: usize,
    /// Wall-clock budget for one extraction.
    pub time_budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 20 * 1024 * 1024,
            max_decompressed_bytes: 100 * 1024 * 1024,
            max_ratio: 100,
            ratio_floor_bytes: 1024 * 1024,
            max_zip_entries: 10_000,
            max_depth: 256,
            max_output_chars: 20_000_000,
            max_pdf_pages: 5_000,
            time_budget: Duration::from_secs(30),
        }
    }
}

impl Limits {
    pub(crate) fn max_decompressed_mb(&self) -> u64 {
        self.max_decompressed_bytes.div_ceil(1024 * 1024)
    }
}

/// Running accounting of one extraction against its `Limits`.
#[derive(Debug)]
pub(crate) struct Budget<'a> {
    pub limits: &'a Limits,
    deadline: Instant,
    decompressed: u64,
    chars: usize,
    ticks: u32,
}

impl<'a> Budget<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Budget {
            limits,
            deadline: Instant::now() + limits.time_budget,
            decompressed: 0,
            chars: 0,
            ticks: 0,
        }
    }

    /// Checks the clock; cheap enough to call in inner loops (reads the clock
    /// once every 256 calls).
    pub fn tick(&mut self) -> Result<(), ExtractError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(256) {
            self.check_time()?;
        }
        Ok(())
    }

    pub fn check_time(&self) -> Result<(), ExtractError> {
        if Instant::now() > self.deadline {
            return Err(ExtractError::Timeout {
                secs: self.limits.time_budget.as_secs().max(1),
            });
        }
        Ok(())
    }

    /// Bytes still allowed to be decompressed.
    pub fn decompress_room(&self) -> u64 {
        self.limits
            .max_decompressed_bytes
            .saturating_sub(self.decompressed)
    }

    pub fn add_decompressed(&mut self, n: u64) -> Result<(), ExtractError> {
        self.decompressed = self.decompressed.saturating_add(n);
        if self.decompressed > self.limits.max_decompressed_bytes {
            return Err(ExtractError::DecompressedTooLarge {
                max_mb: self.limits.max_decompressed_mb(),
            });
        }
        Ok(())
    }

    pub fn add_chars(&mut self, n: usize) -> Result<(), ExtractError> {
        self.chars = self.chars.saturating_add(n);
        if self.chars > self.limits.max_output_chars {
            return Err(ExtractError::TooMuchText {
                max: self.limits.max_output_chars,
            });
        }
        Ok(())
    }

    pub fn check_depth(&self, depth: usize) -> Result<(), ExtractError> {
        if depth > self.limits.max_depth {
            return Err(ExtractError::TooDeep {
                max: self.limits.max_depth,
            });
        }
        Ok(())
    }
}
