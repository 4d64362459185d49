// Shared by the fuzz targets: small limits so slow inputs end quickly.
#![allow(dead_code)]
use std::io::{Cursor, Write};
use std::time::Duration;

use hoithi_extract::{Format, Limits};

pub fn limits() -> Limits {
    Limits {
        time_budget: Duration::from_secs(2),
        max_decompressed_bytes: 16 * 1024 * 1024,
        ..Limits::default()
    }
}

/// Wraps fuzz bytes as the named parts of a zip container, so the fuzzer
/// spends its time in the XML readers rather than in zip headers.
pub fn zip_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        if w.start_file(*name, opts).is_err() || w.write_all(data).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Extracts, and for formats with metadata also makes the stripped copy.
pub fn exercise(bytes: &[u8], name: &str, format: Option<Format>) {
    let _ = hoithi_extract::extract(bytes, Some(name), &limits());
    if let Some(f) = format {
        if let Ok(copy) = hoithi_extract::metadata_stripped_copy(bytes, f) {
            let _ = hoithi_extract::extract(&copy, Some(name), &limits());
        }
    }
}
