//! Plain text: BOM-marked UTF-8/UTF-16, plain UTF-8, else Windows-1258
//! (the Vietnamese ANSI code page). Paragraphs are split at blank lines
//! when the file has any, else at each line.

use crate::ExtractError;

pub(crate) struct DecodedText {
    pub text: String,
    /// For non-UTF-8 input: the same bytes read as Windows-1252, which is
    /// how legacy TCVN3/VNI bytes look when they reach us, for detection.
    pub legacy_view: Option<String>,
}

pub(crate) fn decode(bytes: &[u8]) -> Result<DecodedText, ExtractError> {
    let decoded = if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        DecodedText {
            text: text.into_owned(),
            legacy_view: None,
        }
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        DecodedText {
            text: s.to_owned(),
            legacy_view: None,
        }
    } else {
        let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
        let (legacy, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        DecodedText {
            text: text.into_owned(),
            legacy_view: Some(legacy.into_owned()),
        }
    };
    check_not_binary(&decoded.text)?;
    Ok(decoded)
}

/// Decodes HTML: BOM, then a `charset=` declared near the top, then as text.
pub(crate) fn decode_html(bytes: &[u8]) -> Result<DecodedText, ExtractError> {
    if encoding_rs::Encoding::for_bom(bytes).is_none()
        && let Some(enc) = declared_charset(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        let text = text.into_owned();
        check_not_binary(&text)?;
        return Ok(DecodedText {
            text,
            legacy_view: None,
        });
    }
    decode(bytes)
}

fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Rejects text with NULs or many control characters: a binary file.
fn check_not_binary(text: &str) -> Result<(), ExtractError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(ExtractError::Binary);
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') || c == '\u{FFFD}' {
            control += 1;
        }
    }
    if control * 100 > total.max(1) * 2 {
        return Err(ExtractError::Binary);
    }
    Ok(())
}

pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_matches(|c: char| c.is_whitespace());
    let has_blank = text.split('\n').any(|l| l.trim().is_empty())
        && text.split('\n').filter(|l| !l.trim().is_empty()).count() > 1;
    if has_blank {
        text.split("\n\n")
            .flat_map(|block| {
                // Blocks may be separated by lines holding only spaces.
                let mut out: Vec<String> = Vec::new();
                let mut cur = String::new();
                for line in block.split('\n') {
                    if line.trim().is_empty() {
                        if !cur.is_empty() {
                            out.push(std::mem::take(&mut cur));
                        }
                    } else {
                        if !cur.is_empty() {
                            cur.push(' ');
                        }
                        cur.push_str(line.trim());
                    }
                }
                if !cur.is_empty() {
                    out.push(cur);
                }
                out
            })
            .collect()
    } else {
        text.split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Việt Nam".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&bytes).map(|d| d.text).ok().as_deref(),
            Some("Việt Nam")
        );
        let mut be = vec![0xFE, 0xFF];
        for u in "Hà Nội".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).map(|d| d.text).ok().as_deref(), Some("Hà Nội"));
    }

    #[test]
    fn windows_1258_decodes_to_combining_marks() {
        // "Vi" + e-circumflex (0xEA) + combining dot below (0xF2) + "t"
        let d = decode(b"Vi\xEA\xF2t").ok();
        assert_eq!(
            d.as_ref().map(|d| d.text.as_str()),
            Some("Vi\u{ea}\u{323}t")
        );
        assert!(d.is_some_and(|d| d.legacy_view.is_some()));
    }

    #[test]
    fn html_declared_charset() {
        let html = b"<html><head><meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\"></head><body>ho\xb5 \xcc</body></html>";
        let d = decode_html(html).ok().map(|d| d.text);
        assert!(d.is_some_and(|t| t.contains("ho\u{b5} \u{cc}")));
    }

    #[test]
    fn binary_is_rejected() {
        assert!(matches!(decode(b"abc\0def"), Err(ExtractError::Binary)));
        let garbage: Vec<u8> = (0u8..=255)
            .cycle()
            .skip(1)
            .take(4000)
            .filter(|b| *b != 0)
            .collect();
        assert!(decode(&garbage).is_err());
    }

    #[test]
    fn paragraph_splitting() {
        assert_eq!(paragraphs("a\nb\n"), vec!["a", "b"]);
        assert_eq!(paragraphs("a\nb\n\nc\r\n"), vec!["a b", "c"]);
        assert_eq!(paragraphs("a\n  \nb"), vec!["a", "b"]);
    }
}
