//! Helpers for the `hoithi text ...` subcommands.

use crate::TextError;
use crate::normalize::{Normalized, Options, ToneStyle, normalize};
use std::io::{BufRead, Write};

/// Parses a `--tone-style` value: `new` or `old` (also `moi`/`mới`, `cu`/`cũ`).
pub fn parse_tone_style(s: &str) -> Option<ToneStyle> {
    match s.trim().to_lowercase().as_str() {
        "new" | "moi" | "mới" => Some(ToneStyle::New),
        "old" | "cu" | "cũ" => Some(ToneStyle::Old),
        "keep" | "giu" | "giữ" => Some(ToneStyle::Keep),
        _ => None,
    }
}

/// Decodes raw input bytes: UTF-8 (a BOM is dropped later), or, when that
/// fails, Windows-1252, which is how TCVN3/VNI text saved by old editors arrives.
pub fn decode_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Reads all of `r`, normalizes it (legacy repair by content unless `opts`
/// says otherwise) and writes the result and a final newline to `w`.
/// Returns the normalization result (for reporting the repaired encoding).
pub fn normalize_stream(
    mut r: impl BufRead,
    mut w: impl Write,
    opts: &Options,
) -> Result<Normalized, TextError> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes)?;
    let text = decode_bytes(&bytes);
    let result = normalize(&text, opts);
    w.write_all(result.text.as_bytes())?;
    if !result.text.is_empty() {
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::legacy::Legacy;

    #[test]
    fn stream_repairs_raw_tcvn3_bytes() {
        // "Việt Nam đẹp" in TCVN3 bytes as an old editor saved them.
        let raw: &[u8] = b"Vi\xD6t Nam \xAE\xD1p l\xAFm, c\xF3 \xAE\xF5ng"; // \xAF unused: not a letter
        let mut out = Vec::new();
        let r = normalize_stream(raw, &mut out, &Options::default());
        let r = r.ok().map(|n| n.legacy);
        assert_eq!(r, Some(Some(Legacy::Tcvn3)));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.starts_with("Việt Nam đẹp"), "{text}");
        assert_eq!(parse_tone_style("old"), Some(ToneStyle::Old));
        assert_eq!(parse_tone_style("x"), None);
    }
}
