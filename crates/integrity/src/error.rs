//! Errors, with messages in Vietnamese for end users.

use thiserror::Error;

/// Errors of the integrity library.
#[derive(Debug, Error)]
pub enum Error {
    /// Reading or writing a stream failed.
    #[error("lỗi đọc/ghi dữ liệu: {0}")]
    Io(#[from] std::io::Error),
    /// Writing JSON failed.
    #[error("lỗi ghi JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Parameters are out of range.
    #[error("tham số không hợp lệ: {0}")]
    InvalidParams(&'static str),
    /// More documents than the 24-bit document number allows.
    #[error("quá nhiều văn bản: tối đa {max}")]
    TooManyDocuments {
        /// The limit.
        max: usize,
    },
    /// The thread pool could not be built.
    #[error("không tạo được luồng xử lý: {0}")]
    Threads(String),
    /// A saved index is not in the expected format.
    #[error("tệp chỉ mục không hợp lệ: {0}")]
    BadIndex(&'static str),
    /// A saved index was written by a newer, unknown format version.
    #[error("phiên bản tệp chỉ mục không được hỗ trợ: {0}")]
    IndexVersion(u32),
}

/// Result with this crate's error.
pub type Result<T> = std::result::Result<T, Error>;
