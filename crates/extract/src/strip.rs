//! Copies of entries with the author's traces removed, for blind judging.
//!
//! DOCX: docProps/core.xml, app.xml and custom.xml are replaced by empty
//! property sets, and revision/comment authors (w:author, w:initials) are
//! blanked in every word/*.xml part. ODT: meta.xml is emptied and dc:creator
//! text in content.xml/styles.xml (tracked changes, comments) is dropped.
//! PDF: the Info dictionary, XMP metadata streams and PieceInfo go.
//! RTF: the {\info} group goes. TXT has no metadata; HTML loses its
//! author/generator meta tags.

use std::io::{Cursor, Write};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::limits::{Budget, Limits};
use crate::zipread::SafeZip;
use crate::{ExtractError, Format};

const EMPTY_CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>"#;
const EMPTY_APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_CUSTOM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
const EMPTY_ODF_META: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta/></office:document-meta>"#;

/// Returns a copy of the document without its author metadata.
pub fn metadata_stripped_copy(bytes: &[u8], format: Format) -> Result<Vec<u8>, ExtractError> {
    let limits = Limits::default();
    if bytes.len() > limits.max_input_bytes {
        return Err(ExtractError::TooLarge {
            max_mb: (limits.max_input_bytes as u64).div_ceil(1024 * 1024),
        });
    }
    let mut budget = Budget::new(&limits);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Docx | Format::Odt => strip_zip(bytes, format, &mut budget),
        Format::Pdf => strip_pdf(bytes, &budget),
        Format::Rtf => strip_rtf(bytes),
        Format::Html => Ok(strip_html(bytes)),
        Format::Txt => Ok(bytes.to_vec()),
    }))
    .unwrap_or(Err(ExtractError::Internal { format }))
}

enum Action {
    Keep,
    Replace(&'static str),
    Rewrite,
}

fn action(format: Format, name: &str) -> Action {
    match (format, name) {
        (Format::Docx, "docProps/core.xml") => Action::Replace(EMPTY_CORE),
        (Format::Docx, "docProps/app.xml") => Action::Replace(EMPTY_APP),
        (Format::Docx, "docProps/custom.xml") => Action::Replace(EMPTY_CUSTOM),
        (Format::Docx, n) if n.starts_with("word/") && n.ends_with(".xml") => Action::Rewrite,
        (Format::Odt, "meta.xml") => Action::Replace(EMPTY_ODF_META),
        (Format::Odt, "content.xml" | "styles.xml") => Action::Rewrite,
        _ => Action::Keep,
    }
}

fn strip_zip(
    bytes: &[u8],
    format: Format,
    budget: &mut Budget<'_>,
) -> Result<Vec<u8>, ExtractError> {
    let mut zip = SafeZip::open(bytes, format, budget)?;
    let err = |e: zip::result::ZipError| ExtractError::corrupt(format, e);
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        budget.check_time()?;
        let Some(name) = zip.name_at(i) else { continue };
        match action(format, &name) {
            Action::Keep => {
                let entry = zip.raw(i)?;
                out.raw_copy_file(entry).map_err(err)?;
            }
            Action::Replace(text) => {
                out.start_file(name.as_str(), deflated).map_err(err)?;
                out.write_all(text.as_bytes())
                    .map_err(|e| ExtractError::corrupt(format, e))?;
            }
            Action::Rewrite => {
                let Some(data) = zip.read(&name, budget)? else {
                    continue;
                };
                let text = crate::xml::decode_xml_bytes(&data);
                let rewritten = rewrite_xml(&text, format)?;
                out.start_file(name.as_str(), deflated).map_err(err)?;
                out.write_all(rewritten.as_bytes())
                    .map_err(|e| ExtractError::corrupt(format, e))?;
            }
        }
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// Blanks author attributes and drops dc:creator / dc:date text.
fn rewrite_xml(xml: &str, format: Format) -> Result<String, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    let mut dropping = 0usize;
    let err = |e: &dyn std::fmt::Display| ExtractError::corrupt(format, e);
    loop {
        let event = reader.read_event().map_err(|e| err(&e))?;
        let event = match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if dropping > 0 || name == "dc:creator" || name == "dc:date" {
                    dropping += 1;
                }
                Event::Start(blank_authors(&e))
            }
            Event::Empty(e) => Event::Empty(blank_authors(&e)),
            Event::End(e) => {
                dropping = dropping.saturating_sub(1);
                Event::End(e)
            }
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) if dropping > 0 => continue,
            other => other,
        };
        writer.write_event(event).map_err(|e| err(&e))?;
    }
    String::from_utf8(writer.into_inner()).map_err(|e| err(&e))
}

fn blank_authors(e: &BytesStart<'_>) -> BytesStart<'static> {
    const AUTHOR_ATTRS: &[&str] = &[
        "w:author",
        "w:initials",
        "w15:author",
        "w15:userId",
        "w15:providerId",
    ];
    let mut out = BytesStart::new(e.name().as_ref().to_owned());
    for a in e.attributes().flatten() {
        let key = a.key.as_ref();
        if AUTHOR_ATTRS.contains(&key) {
            out.push_attribute((key, ""));
        } else {
            // Keep the value exactly as written (already escaped).
            out.push_attribute(quick_xml::events::attributes::Attribute {
                key: a.key,
                value: a.value.clone(),
            });
        }
    }
    out.into_owned()
}

fn strip_pdf(bytes: &[u8], budget: &Budget<'_>) -> Result<Vec<u8>, ExtractError> {
    let mut doc = crate::pdf::load(bytes, budget)?;
    let err = |e: lopdf::Error| ExtractError::corrupt(Format::Pdf, e);
    if let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
    {
        doc.objects.remove(&info);
    }
    doc.trailer.remove(b"Info");
    // An owner-password file was decrypted on load; it is written in clear.
    if doc.was_encrypted() {
        if let Ok(id) = doc
            .trailer
            .get(b"Encrypt")
            .and_then(lopdf::Object::as_reference)
        {
            doc.objects.remove(&id);
        }
        doc.trailer.remove(b"Encrypt");
    }
    let metadata_ids: Vec<lopdf::ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            let dict = match o {
                lopdf::Object::Stream(s) => &s.dict,
                lopdf::Object::Dictionary(d) => d,
                _ => return false,
            };
            dict.has_type(b"Metadata")
        })
        .map(|(id, _)| *id)
        .collect();
    for id in metadata_ids {
        doc.objects.remove(&id);
    }
    for object in doc.objects.values_mut() {
        let dict = match object {
            lopdf::Object::Stream(s) => &mut s.dict,
            lopdf::Object::Dictionary(d) => d,
            _ => continue,
        };
        dict.remove(b"Metadata");
        dict.remove(b"PieceInfo");
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out)
        .map_err(|e| err(lopdf::Error::IO(e)))?;
    Ok(out)
}

/// Removes `{\info ...}` groups, respecting escapes and nesting.
fn strip_rtf(bytes: &[u8]) -> Result<Vec<u8>, ExtractError> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(ExtractError::NotExpectedFormat {
            expected: Format::Rtf,
        });
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1..].starts_with(b"\\info") {
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            out.extend_from_slice(&bytes[i..i + 2]);
            i += 2;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Ok(out)
}

/// Drops `<meta name="author|generator|...">` tags.
fn strip_html(bytes: &[u8]) -> Vec<u8> {
    const NAMES: &[&str] = &[
        "author",
        "generator",
        "creator",
        "changedby",
        "created",
        "changed",
        "publisher",
    ];
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<'
            && bytes
                .get(i + 1..i + 5)
                .is_some_and(|m| m.eq_ignore_ascii_case(b"meta"))
        {
            let end = bytes[i..]
                .iter()
                .position(|&b| b == b'>')
                .map_or(bytes.len(), |p| i + p + 1);
            let tag = String::from_utf8_lossy(&bytes[i..end]).to_ascii_lowercase();
            let identifying = NAMES.iter().any(|n| {
                tag.contains(&format!("name=\"{n}\""))
                    || tag.contains(&format!("name='{n}'"))
                    || tag.contains(&format!("name={n}"))
            });
            if identifying {
                i = end;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}
