//! Reading an uploaded course material: the five formats a course hands out (DOCX, ODT, PDF,
//! PPTX, XLSX), recognised from their content and checked against their extension, and their
//! text for the search. DOCX, ODT and PDF go through `hoithi-extract`; a PPTX is read here from
//! its slides' XML, an XLSX through calamine, both after the zip has been measured so that a
//! crafted archive cannot blow up in memory.

use std::io::{Cursor, Read};

use crate::i18n::Msg;

/// The largest material accepted (the extractor's own input limit).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most text kept for the search from one material.
const MAX_TEXT: usize = 1_000_000;
/// Limits of a PPTX or XLSX archive.
const MAX_UNPACKED: u64 = 100 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

/// A material's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docx,
    Odt,
    Pdf,
    Pptx,
    Xlsx,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Docx, Kind::Odt, Kind::Pdf, Kind::Pptx, Kind::Xlsx];

    pub fn ext(self) -> &'static str {
        match self {
            Kind::Docx => "docx",
            Kind::Odt => "odt",
            Kind::Pdf => "pdf",
            Kind::Pptx => "pptx",
            Kind::Xlsx => "xlsx",
        }
    }

    /// As stored and shown: "DOCX", "PDF"…
    pub fn label(self) -> &'static str {
        match self {
            Kind::Docx => "DOCX",
            Kind::Odt => "ODT",
            Kind::Pdf => "PDF",
            Kind::Pptx => "PPTX",
            Kind::Xlsx => "XLSX",
        }
    }

    pub fn parse(label: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.label().eq_ignore_ascii_case(label) || k.ext() == label)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Odt => "application/vnd.oasis.opendocument.text",
            Kind::Pdf => "application/pdf",
            Kind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A material that passed every check, with its text (empty for a scan without text).
#[derive(Debug)]
pub struct ReadFile {
    pub kind: Kind,
    pub text: String,
}

fn refuse(vi: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg::owned(vi.into(), en.into())
}

fn not_valid(kind: Kind) -> Msg {
    refuse(
        format!(
            "Tệp không phải là {} hợp lệ (nội dung không khớp với phần mở rộng .{}).",
            kind.label(),
            kind.ext()
        ),
        format!(
            "The file is not a valid {} (its content does not match the .{} extension).",
            kind.label(),
            kind.ext()
        ),
    )
}

/// The format a file name claims, or the message for any other.
pub fn kind_of_name(name: &str) -> Result<Kind, Msg> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    Kind::ALL
        .into_iter()
        .find(|k| k.ext() == ext)
        .ok_or_else(|| {
            refuse(
                "Chỉ nhận tài liệu dạng DOCX, ODT, PDF, PPTX hoặc XLSX.",
                "Only DOCX, ODT, PDF, PPTX or XLSX materials are accepted.",
            )
        })
}

/// Checks an uploaded file and extracts its text. Blocking: call it off the async threads.
pub fn read(name: &str, bytes: &[u8]) -> Result<ReadFile, Msg> {
    if bytes.is_empty() {
        return Err(refuse("Tệp rỗng.", "The file is empty."));
    }
    if bytes.len() > MAX_BYTES {
        return Err(refuse(
            format!("Tệp quá lớn (tối đa {} MB).", MAX_BYTES / (1024 * 1024)),
            format!(
                "The file is too large ({} MB at most).",
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    let kind = kind_of_name(name)?;
    let text = match kind {
        Kind::Docx | Kind::Odt | Kind::Pdf => documents(name, bytes, kind)?,
        Kind::Pptx | Kind::Xlsx => {
            let outcome = std::panic::catch_unwind(|| office(bytes, kind));
            outcome.unwrap_or_else(|_| Err(damaged(kind)))?
        }
    };
    let text = hoithi_text::normalize::normalize_str(&text);
    Ok(ReadFile {
        kind,
        text: text.chars().take(MAX_TEXT).collect(),
    })
}

fn damaged(kind: Kind) -> Msg {
    refuse(
        format!("Tệp {} bị hỏng hoặc không đọc được.", kind.label()),
        format!("The {} file is damaged or unreadable.", kind.label()),
    )
}

fn documents(name: &str, bytes: &[u8], kind: Kind) -> Result<String, Msg> {
    use hoithi_extract::{ExtractError, Format};
    let limits = hoithi_extract::Limits::default();
    let format =
        hoithi_extract::detect_format(bytes, Some(name), &limits).map_err(|e| match e {
            ExtractError::ExtensionMismatch { .. } | ExtractError::NotExpectedFormat { .. } => {
                not_valid(kind)
            }
            other => crate::upload::extract_error(&other),
        })?;
    let expected = match kind {
        Kind::Docx => Format::Docx,
        Kind::Odt => Format::Odt,
        _ => Format::Pdf,
    };
    if format != expected {
        return Err(not_valid(kind));
    }
    match hoithi_extract::extract(bytes, Some(name), &limits) {
        Ok(doc) => Ok(doc.text()),
        // A scanned handout is still a handout: kept, with nothing to search.
        Err(ExtractError::NoText) => Ok(String::new()),
        Err(e) => Err(crate::upload::extract_error(&e)),
    }
}

/// Opens a PPTX or XLSX archive after measuring it, and checks the part that makes it one.
fn archive(bytes: &[u8], kind: Kind) -> Result<zip::ZipArchive<Cursor<&[u8]>>, Msg> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(not_valid(kind));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_valid(kind))?;
    if zip.len() > MAX_ENTRIES {
        return Err(damaged(kind));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| damaged(kind))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED {
        return Err(refuse(
            format!("Tệp {} quá lớn sau khi giải nén.", kind.label()),
            format!("The {} file is too large once unpacked.", kind.label()),
        ));
    }
    let marker = match kind {
        Kind::Pptx => "ppt/presentation.xml",
        _ => "xl/workbook.xml",
    };
    if zip.index_for_name(marker).is_none() {
        return Err(not_valid(kind));
    }
    Ok(zip)
}

fn office(bytes: &[u8], kind: Kind) -> Result<String, Msg> {
    let zip = archive(bytes, kind)?;
    match kind {
        Kind::Pptx => slides(zip),
        _ => sheets(bytes),
    }
}

/// The number in `ppt/slides/slide12.xml`.
fn slide_number(name: &str) -> Option<u32> {
    name.strip_prefix("ppt/slides/slide")?
        .strip_suffix(".xml")?
        .parse()
        .ok()
}

/// The text of every slide in order, one paragraph per line.
fn slides(mut zip: zip::ZipArchive<Cursor<&[u8]>>) -> Result<String, Msg> {
    let mut names: Vec<(u32, String)> = zip
        .file_names()
        .filter_map(|n| n.ok())
        .filter_map(|n| slide_number(&n).map(|k| (k, n.to_string())))
        .collect();
    names.sort();
    let mut out = String::new();
    for (_, name) in names {
        let mut xml = Vec::new();
        let entry = zip.by_name(&name).map_err(|_| damaged(Kind::Pptx))?;
        entry
            .take(MAX_UNPACKED)
            .read_to_end(&mut xml)
            .map_err(|_| damaged(Kind::Pptx))?;
        slide_text(&xml, &mut out)?;
        out.push('\n');
        if out.len() > MAX_TEXT * 4 {
            break;
        }
    }
    Ok(out)
}

/// Appends the text runs (`a:t`) of one slide, a line per paragraph (`a:p`).
fn slide_text(xml: &[u8], out: &mut String) -> Result<(), Msg> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => in_text = e.local_name().as_ref() == "t",
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == "p" {
                    out.push('\n');
                }
                in_text = false;
            }
            Ok(Event::Text(t)) if in_text => {
                out.push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                };
                out.extend(c);
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(damaged(Kind::Pptx)),
        }
        buf.clear();
    }
}

/// The cells of every sheet, a line per row.
fn sheets(bytes: &[u8]) -> Result<String, Msg> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| damaged(Kind::Xlsx))?;
    let mut out = String::new();
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        out.push_str(&name);
        out.push('\n');
        for row in range.rows() {
            let cells: Vec<String> = row
                .iter()
                .filter(|c| !matches!(c, Data::Empty))
                .map(|c| c.to_string())
                .collect();
            if !cells.is_empty() {
                out.push_str(&cells.join(" "));
                out.push('\n');
            }
            if out.len() > MAX_TEXT * 4 {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// A file name safe for `Content-Disposition`: no path, no control or quoting characters, the
/// extension of the format it is, never empty.
pub fn download_name(name: &str, title: &str, kind: Kind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let stem = if stem.trim().is_empty() { title } else { stem };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ';' | '%' | '*'))
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .chars()
        .take(120)
        .collect();
    let clean = if clean.is_empty() {
        "tai-lieu".to_string()
    } else {
        clean
    };
    format!("{clean}.{}", kind.ext())
}

/// The `Content-Disposition` value of a download: an ASCII name for old clients and the
/// exact name (RFC 5987) for the rest.
pub fn disposition(name: &str) -> String {
    let ascii: String = hoithi_text::fold::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_presentation_gives_its_slides_text_in_order() {
        let slide = |t: &str| {
            format!(
                r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
            )
        };
        let bytes = zip_of(&[
            ("ppt/presentation.xml", "<p:presentation/>"),
            ("ppt/slides/slide10.xml", &slide("Mười")),
            ("ppt/slides/slide2.xml", &slide("Hai &amp; ba")),
        ]);
        let r = read("bai-giang.pptx", &bytes).unwrap();
        assert_eq!(r.kind, Kind::Pptx);
        assert!(r.text.find("Hai & ba").unwrap() < r.text.find("Mười").unwrap());
        // A Word file renamed .pptx is refused.
        let docx = zip_of(&[("word/document.xml", "<w:document/>")]);
        assert!(
            read("x.pptx", &docx)
                .unwrap_err()
                .vi
                .contains("không phải là PPTX")
        );
    }

    #[test]
    fn other_files_and_empty_ones_are_refused() {
        assert!(
            read("a.exe", b"MZ\x90\x00")
                .unwrap_err()
                .vi
                .contains("DOCX, ODT")
        );
        assert!(read("a.pdf", b"").unwrap_err().vi.contains("rỗng"));
        assert!(read("a.xlsx", b"hello").is_err());
    }

    #[test]
    fn download_names_carry_no_path_or_quotes() {
        assert_eq!(
            download_name("../../etc/\"x\";.pdf", "T", Kind::Pdf),
            "x.pdf"
        );
        assert_eq!(download_name("", "Đề cương", Kind::Docx), "Đề cương.docx");
        let d = disposition("Đề cương.docx");
        assert!(
            d.starts_with("attachment; filename=\"de-cuong.docx\""),
            "{d}"
        );
        assert!(d.contains("UTF-8''%C4%90"), "{d}");
    }
}
