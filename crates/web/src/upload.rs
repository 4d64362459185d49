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
