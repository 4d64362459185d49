//! A zip reader that refuses bombs: bounded entry count, bounded bytes read
//! (the real count, not the header's claim) and bounded expansion ratio.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::limits::Budget;
use crate::{ExtractError, Format};

pub(crate) struct SafeZip<'b> {
    archive: ZipArchive<Cursor<&'b [u8]>>,
    format: Format,
}

impl<'b> SafeZip<'b> {
    pub fn open(
        bytes: &'b [u8],
        format: Format,
        budget: &Budget<'_>,
    ) -> Result<Self, ExtractError> {
        let archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExtractError::corrupt(format, e))?;
        if archive.len() > budget.limits.max_zip_entries {
            return Err(ExtractError::TooManyEntries {
                max: budget.limits.max_zip_entries,
            });
        }
        Ok(SafeZip { archive, format })
    }

    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Reads one entry fully, or `None` when it is absent.
    pub fn read(
        &mut self,
        name: &str,
        budget: &mut Budget<'_>,
    ) -> Result<Option<Vec<u8>>, ExtractError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let format = self.format;
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|e| ExtractError::corrupt(format, e))?;
        let limits = budget.limits;
        let compressed = entry.compressed_size().max(1);
        let ratio_cap = compressed
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_floor_bytes);
        let room = budget.decompress_room();
        // Claimed sizes are checked first to fail fast; the real count below
        // is what protects us, since headers can lie.
        if entry.size() > room {
            return Err(ExtractError::DecompressedTooLarge {
                max_mb: limits.max_decompressed_mb(),
            });
        }
        if entry.size() > ratio_cap {
            return Err(ExtractError::CompressionRatio);
        }
        let cap = room.min(ratio_cap);
        let mut out = Vec::with_capacity(usize::try_from(entry.size().min(cap)).unwrap_or(0));
        let mut buf = [0u8; 64 * 1024];
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| ExtractError::corrupt(format, e))?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
            let len = out.len() as u64;
            if len > cap {
                return Err(if len > ratio_cap {
                    ExtractError::CompressionRatio
                } else {
                    ExtractError::DecompressedTooLarge {
                        max_mb: limits.max_decompressed_mb(),
                    }
                });
            }
            budget.tick()?;
        }
        budget.add_decompressed(out.len() as u64)?;
        Ok(Some(out))
    }
}

impl<'b> SafeZip<'b> {
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// Name of entry `i`, if it exists.
    pub fn name_at(&self, i: usize) -> Option<String> {
        self.archive
            .name_for_index(i)
            .and_then(Result::ok)
            .map(std::borrow::Cow::into_owned)
    }

    /// Raw (still compressed) entry, for copying unchanged into a new zip.
    pub fn raw(
        &mut self,
        i: usize,
    ) -> Result<zip::read::ZipFile<'_, Cursor<&'b [u8]>>, ExtractError> {
        let format = self.format;
        self.archive
            .by_index_raw(i)
            .map_err(|e| ExtractError::corrupt(format, e))
    }
}
