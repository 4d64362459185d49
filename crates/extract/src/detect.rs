//! Format detection from content (magic bytes), checked against the
//! extension the user gave.

use crate::limits::Budget;
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    // Some writers put junk before the header; readers accept it within 1 KiB.
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || (trimmed.starts_with('<') && (head.contains("<html") || head.contains("<body")))
}

fn starts_with_tag(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    head.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
}

/// Known binary formats we do not read, so they get a clear message
/// instead of being parsed as text.
fn is_other_binary(bytes: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"\x1F\x8B",
        b"Rar!",
        b"7z\xBC\xAF",
        b"BM",
        b"II*\0",
        b"MM\0*",
        b"\x7FELF",
        b"MZ",
        b"%!PS",
    ];
    MAGICS.iter().any(|m| bytes.starts_with(m))
}

/// Content-based format, opening zip containers to tell DOCX from ODT.
pub(crate) fn sniff(bytes: &[u8], budget: &mut Budget<'_>) -> Result<Format, ExtractError> {
    if is_zip(bytes) {
        let mut zip = SafeZip::open(bytes, Format::Docx, budget)?;
        if zip.has("word/document.xml") {
            return Ok(Format::Docx);
        }
        if zip.has("content.xml") {
            let mime = zip.read("mimetype", budget)?.unwrap_or_default();
            let mime = String::from_utf8_lossy(&mime);
            if mime
                .trim()
                .starts_with("application/vnd.oasis.opendocument.text")
            {
                return Ok(Format::Odt);
            }
        }
        return Err(ExtractError::Unsupported);
    }
    if is_pdf(bytes) {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(OLE) {
        return Err(ExtractError::LegacyWord);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Ok(Format::Rtf);
    }
    if is_other_binary(bytes) {
        return Err(ExtractError::Unsupported);
    }
    if looks_like_html(bytes) {
        return Ok(Format::Html);
    }
    Ok(Format::Txt)
}

/// What the extension promises, if it is one we know. `.doc` promises
/// nothing: office PCs save RTF, HTML and even DOCX under that name.
pub(crate) fn from_extension(file_name: &str) -> Option<Format> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
        "odt" | "ott" => Format::Odt,
        "pdf" => Format::Pdf,
        "rtf" => Format::Rtf,
        "txt" | "text" => Format::Txt,
        "html" | "htm" | "xhtml" => Format::Html,
        _ => return None,
    })
}

/// Detects the format and checks it against the extension.
pub(crate) fn detect(
    bytes: &[u8],
    file_name: Option<&str>,
    budget: &mut Budget<'_>,
) -> Result<Format, ExtractError> {
    let expected = file_name.and_then(from_extension);
    let found = match sniff(bytes, budget) {
        Ok(f) => f,
        // A damaged or foreign file named .pdf should say "not a valid PDF".
        Err(e @ (ExtractError::Unsupported | ExtractError::Corrupt { .. })) => {
            return Err(match expected {
                Some(expected) => ExtractError::NotExpectedFormat { expected },
                None => e,
            });
        }
        Err(e) => return Err(e),
    };
    match expected {
        None => Ok(found),
        Some(expected) if expected == found => Ok(found),
        // Plain text and HTML are told apart by guesswork; a .txt with tags
        // or an .html without any are both readable as found.
        // An .html fragment without <html>/<body> is still HTML.
        Some(Format::Html) if found == Format::Txt && starts_with_tag(bytes) => Ok(Format::Html),
        Some(Format::Txt | Format::Html) if matches!(found, Format::Txt | Format::Html) => {
            Ok(found)
        }
        Some(expected) if found == Format::Txt => Err(ExtractError::NotExpectedFormat { expected }),
        Some(expected) => Err(ExtractError::ExtensionMismatch { expected, found }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(from_extension("Bai du thi.DOCX"), Some(Format::Docx));
        assert_eq!(from_extension("a.b.pdf"), Some(Format::Pdf));
        assert_eq!(from_extension("cu.doc"), None);
        assert_eq!(from_extension("noext"), None);
    }

    #[test]
    fn html_sniffing() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html><p>x"));
        assert!(looks_like_html(b"<?xml version=\"1.0\"?><html>"));
        assert!(!looks_like_html(b"a < b and <html> later"));
    }
}
