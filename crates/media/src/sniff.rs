//! Format from the first bytes, and a JPEG marker walk that tells a complete
//! file from a truncated one without decoding it.

use crate::{Format, MediaError};

/// What the first bytes say.
pub(crate) fn sniff(b: &[u8]) -> Result<Format, MediaError> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    // ISO-BMFF: size, "ftyp", major brand.
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return Err(match &b[8..12] {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => {
                MediaError::Heic
            }
            _ => MediaError::UnsupportedFormat,
        });
    }
    if b.starts_with(b"GIF87a")
        || b.starts_with(b"GIF89a")
        || b.starts_with(b"BM")
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
    {
        return Err(MediaError::UnsupportedFormat);
    }
    Err(MediaError::NotAnImage)
}

/// Walks the JPEG segments up to the first scan, then looks for the end
/// marker after it. Inside entropy-coded data a 0xFF byte is always stuffed
/// (followed by 0x00) or a restart marker, so `FF D9` there can only be the
/// real end; EXIF thumbnails carry their own `FF D9` but sit before the scan.
pub(crate) fn check_jpeg_complete(b: &[u8]) -> Result<(), MediaError> {
    let mut i = 2; // after SOI
    loop {
        if i >= b.len() {
            return Err(MediaError::Truncated);
        }
        if b[i] != 0xFF {
            return Err(MediaError::corrupt(format!("no JPEG marker at byte {i}")));
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = b.get(i) else {
            return Err(MediaError::Truncated);
        };
        i += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 => return Err(MediaError::corrupt("JPEG ends before its first scan")),
            _ => {
                let Some(len) = b.get(i..i + 2) else {
                    return Err(MediaError::Truncated);
                };
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                if len < 2 {
                    return Err(MediaError::corrupt("JPEG segment length below 2"));
                }
                let end = i + len;
                if end > b.len() {
                    return Err(MediaError::Truncated);
                }
                if marker == 0xDA {
                    // The end marker is normally in the last bytes: search backwards.
                    let scan = &b[end..];
                    return if scan.windows(2).rev().any(|w| w == [0xFF, 0xD9]) {
                        Ok(())
                    } else {
                        Err(MediaError::Truncated)
                    };
                }
                i = end;
            }
        }
    }
}
