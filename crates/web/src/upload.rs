//! Multipart forms (the ones that carry a file) read whole, with one set of messages for a
//! cut or oversized upload.

use axum::extract::Multipart;

use crate::error::{AppError, AppResult};

/// A multipart form: its text fields in order, and its `file` part when one was chosen.
#[derive(Default)]
pub struct UploadForm {
    pub fields: Vec<(String, String)>,
    /// File name as the browser gave it, and the bytes.
    pub file: Option<(String, Vec<u8>)>,
}

fn cut() -> AppError {
    AppError::bad(
        "Dữ liệu gửi lên bị gián đoạn hoặc quá lớn.",
        "The upload was interrupted or is too large.",
    )
}

/// Reads every part. An empty file input (no file chosen) counts as no file.
pub async fn read(mut mp: Multipart) -> AppResult<UploadForm> {
    let mut form = UploadForm::default();
    while let Some(field) = mp.next_field().await.map_err(|_| cut())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| cut())?;
            if !file_name.is_empty() || !bytes.is_empty() {
                form.file = Some((file_name, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|_| {
            AppError::bad(
                "Dữ liệu biểu mẫu không đọc được.",
                "The form data could not be read.",
            )
        })?;
        form.fields.push((name, text));
    }
    Ok(form)
}

/// Why an uploaded document could not be read, in both languages: the extractor words it in
/// Vietnamese (`Display`), the English is written here.
pub fn extract_error(e: &hoithi_extract::ExtractError) -> crate::i18n::Msg {
    use hoithi_extract::{ExtractError as E, Format};
    let format = |f: &Format| match f {
        Format::Txt => "plain text (TXT)".to_string(),
        other => other.to_string(),
    };
    let en = match e {
        E::Empty => "The file is empty".to_string(),
        E::TooLarge { max_mb } => format!("The file is too large (at most {max_mb} MB)"),
        E::CompressionRatio => "Unusual compressed file (compression ratio too high)".into(),
        E::DecompressedTooLarge { max_mb } => {
            format!("Unusual compressed file (more than {max_mb} MB once decompressed)")
        }
        E::TooManyEntries { max } => {
            format!("Unusual compressed file (too many parts, at most {max})")
        }
        E::TooDeep { max } => format!("The document is nested too deeply (at most {max} levels)"),
        E::TooMuchText { max } => {
            format!("The document is too long (at most {max} characters of text)")
        }
        E::TooManyPages { max } => format!("The PDF has too many pages (at most {max})"),
        E::Timeout { secs } => format!("Reading the file took too long ({secs} seconds)"),
        E::ExtensionMismatch { expected, found } => format!(
            "The file is not valid {} (its content is {})",
            format(expected),
            format(found)
        ),
        E::NotExpectedFormat { expected } => {
            format!("The file is not valid {}", format(expected))
        }
        E::LegacyWord => "Word 97-2003 files (.doc) are not supported yet; please save it as .docx, .odt or .pdf and send it again".into(),
        E::Unsupported => {
            "This file format is not supported (DOCX, ODT, PDF, RTF, TXT and HTML are)".into()
        }
        E::Corrupt { format: f, .. } => format!("The {} file is damaged or unreadable", format(f)),
        E::Encrypted => "The PDF is password-protected; its text cannot be read".into(),
        E::Binary => "The file is not text (it holds binary data)".into(),
        E::NoText => "No text was found in the file (it may be a photo or a scan)".into(),
        E::Internal { format: f } => format!("Internal error while reading the {} file", format(f)),
        E::NotRichFormat { found } => format!(
            "A post can only be imported from a DOCX or ODT file (this one is {})",
            format(found)
        ),
        E::TooManyPictures { max } => format!("The document has too many pictures (at most {max})"),
        _ => "The file could not be read".into(),
    };
    crate::i18n::Msg::owned(e.to_string(), en)
}
